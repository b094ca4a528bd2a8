"""The relevance gates in front of the warehouse, tuned so that they never lose coverage.

Why: the watchlist (watchlist.py) is a list of names — DeepSeek, Nvidia, chips — and real
coverage of the four topics often names none of them: "the ministry told staff to stop using a
Chinese app", "the company's shares slid 9%". A gate that only asks the watchlist drops such
articles before the tagger sees them. So each gate also asks the tagger:

* **feed-item pre-filter** (before fetching; title + summary): keep an item when the watchlist
  matches OR the tagger finds a topic in it OR its model gives any topic at least
  `PREFILTER_FACTOR` × that topic's threshold. It only saves requests, so it leans to recall.
* **article gate** (after extraction; title + text): keep an article when the watchlist
  matches OR the tagger tags it — an article the tagger tags is never dropped.

Sources an analyst listed by hand (`urls`) and sources configured with `watchlist_filter =
false` pass both gates untouched (the pipeline decides that; see flows/pipeline.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.tagging.tagger import Tagger, model_lead
from extractors.tagging.watchlist import Watchlist

# A feed title + summary is a fraction of the article: accept half the evidence the tagger needs.
PREFILTER_FACTOR = 0.5


@dataclass(frozen=True)
class Relevance:
    watchlist: Watchlist
    tagger: Tagger

    def item(self, text: str) -> bool:
        """Pre-filter: should a feed item with this title + summary be fetched?"""
        if not text.strip() or self.watchlist.matches(text):
            return True
        a = self.tagger.analyse(text)
        if self.tagger.rule_topics(a):
            return True
        model = self.tagger.model
        if model is None:
            return False
        n = model_lead(a.norms)
        probs = model.probabilities_for(a.norms[:n], a.groups[:n])
        return any(p >= PREFILTER_FACTOR * model.thresholds[t] for t, p in probs.items())

    def article(self, title: str | None, text: str) -> tuple[bool, str]:
        """Article gate: (keep?, why) — why is "watchlist", "tagger" or "off_topic"."""
        if self.watchlist.matches(f"{title or ''}\n{text}"):
            return True, "watchlist"
        if self.tagger.tag("", text, title).topics:
            return True, "tagger"
        return False, "off_topic"

"""The work of one batch, in whichever process runs it: extract a batch of pages and keep the
relevant articles, or tag a batch of articles. Workers (a local process pool, a Dask cluster:
`flows/dispatch.py`) and the in-process steps (`flows/pipeline.py`) call the same functions.

A batch needs no config file, no secret and no warehouse: what it needs from the run's
validated Config travels with it (`BatchOptions`, the TaggingConfig), and it returns records
for the run's one load step to write.
"""

from __future__ import annotations

from typing import Any

from extractors.core.errors import MarsadError
from extractors.core.records import RawPage, RunNote, TagResult
from extractors.tagging.relevance import Relevance
from extractors.tagging.tagger import Tagger, TaggingConfig
from extractors.tagging.watchlist import Watchlist
from flows.report import StepReport
from warehouse.runs import ToTag


class BatchOptions:
    """What a worker needs to extract a batch, taken from the run's validated Config: no config
    files, no secrets, no warehouse. The languages kept, the sources whose pages are not gated
    (`urls` sources and `watchlist_filter = false`), the watchlist and the tagging config (it
    travels without its compiled tagger; a worker compiles it once: `tagger_of`).

    A plain class, not a dataclass, like TaggingConfig: Prefect walks every dataclass in a task's
    inputs, and there is nothing to find in these.
    """

    __slots__ = ("languages", "tagging", "ungated", "watchlist")

    def __init__(self, languages: tuple[str, ...], ungated: frozenset[str], watchlist: Watchlist,
                 tagging: TaggingConfig) -> None:
        self.languages = languages
        self.ungated = ungated
        self.watchlist = watchlist
        self.tagging = tagging

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)


_TAGGERS: dict[tuple[str, str, str], Tagger] = {}


def tagger_of(tagging: TaggingConfig) -> Tagger:
    """The compiled tagger of `tagging`, once per process.

    In the flow's process this is the config's own tagger (`TaggingConfig.tagger()`). A worker
    receives a fresh, uncompiled copy of the run's TaggingConfig with every batch; keyed by
    what decides its taxonomy version, the first batch compiles it and the others reuse it.
    """
    key = (tagging.topics_toml, tagging.entities_toml, tagging.model.digest if tagging.model else "")
    tagger = _TAGGERS.get(key)
    if tagger is None:
        if len(_TAGGERS) >= 4:  # a long-lived worker that saw several taxonomies keeps the latest
            _TAGGERS.clear()
        tagger = _TAGGERS[key] = tagging.tagger()
    return tagger


def page_batches(pages: list[RawPage], batch_size: int) -> list[list[RawPage]]:
    """Pages in batches that keep each host's pages together (the cross-page rule needs it)."""
    from extractors.article.extract import host_of, plan_batches

    return [[pages[i] for i in batch]
            for batch in plan_batches([host_of(p.final_url or p.url) for p in pages], batch_size)]


def extract_batch_of(options: BatchOptions, pages: list[RawPage]) -> StepReport:
    """One batch of pages → the articles kept (runs in any process: a worker returns records)."""
    from extractors.article.extract import PageJob, extract_batch

    results = extract_batch([PageJob(p.body, p.final_url or p.url, p.content_type, source=p.source) for p in pages])
    return keep_articles(options, pages, results)


def keep_articles(options: BatchOptions, pages: list[RawPage], results: list[Any]) -> StepReport:
    """Extraction results → the articles Marsad keeps, with a count per reason for the rest
    (and `kept_by_tagger`: articles only the tagger found relevant). Counts add up across batches."""
    relevance = Relevance(options.watchlist, tagger_of(options.tagging)) if pages else None
    report = StepReport()
    kept_by_tagger = 0
    for page, art in zip(pages, results, strict=True):
        skip = report.skipped.setdefault(page.source, {})
        if isinstance(art, MarsadError):
            report.notes.append(RunNote("warning", "extract", page.url, str(art)))
            skip["extract_failed"] = skip.get("extract_failed", 0) + 1
            continue
        if art.lang not in options.languages:
            skip["language"] = skip.get("language", 0) + 1
            continue
        if relevance is not None and page.source not in options.ungated:
            keep, why = relevance.article(art.title, art.text)
            if not keep:
                skip[why] = skip.get(why, 0) + 1
                continue
            kept_by_tagger += why == "tagger"
        art.urls = list(dict.fromkeys([page.url, page.final_url, *art.urls]))
        report.articles.append(art)
    report.counts.update(kept_by_tagger=kept_by_tagger)
    return report


def tag_batch_of(tagging: TaggingConfig, taxonomy_version: str, rows: list[ToTag]) -> list[TagResult]:
    """One batch of (id, title, text) → TagResults (runs in any process: a worker returns records).

    `tagging` is the run's validated config, compiled once per process (`tagger_of`); the
    worker's taxonomy version must be the run's, or its tags would be loaded under a version
    that did not make them.
    """
    if not rows:  # nothing to tag: no compile
        return []
    tagger = tagger_of(tagging)
    if tagger.taxonomy_version != taxonomy_version:
        raise MarsadError(f"taxonomy {tagger.taxonomy_version} on this worker, the run tags with {taxonomy_version}")
    return [tagger.tag(aid, text, title) for aid, title, text in rows]

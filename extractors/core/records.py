"""Record types passed between pipeline steps (plain dataclasses, no Prefect, no DuckDB).

They are the seams between `extractors/` (which produce them), `warehouse/` (which bulk-loads
them through Arrow) and `flows/` (which only moves them between tasks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class Article:
    """One extracted article, before the warehouse gives it `first_seen_at`."""

    article_id: str
    url: str
    canonical_url: str
    source: str
    title: str | None
    text: str
    lang: str | None
    content_hash: str
    author: str | None = None
    published_at: datetime | None = None
    site_name: str | None = None
    urls: list[str] = field(default_factory=list)  # every URL this text was seen at


@dataclass(slots=True)
class RawPage:
    """Bytes of one fetched page, kept in `raw_pages` so extraction can be re-run offline."""

    url: str
    final_url: str
    source: str
    http_status: int
    content_type: str | None
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    elapsed_ms: int = 0


@dataclass(slots=True)
class FetchLogEntry:
    """One fetch attempt and its outcome: every URL Marsad tried ends as one of these."""

    url: str
    source: str
    status: str  # ok | not_modified | http_error | timeout | refused | too_large | robots | error | skipped
    http_status: int | None = None
    error_class: str | None = None
    error: str | None = None
    bytes: int = 0
    elapsed_ms: int = 0     # the request's own time (attempts and redirect hops), not its waits
    fetched_at: datetime | None = None
    queued_ms: int = 0      # waiting before/between its requests: the host's turn, robots.txt, backoff
    listed_by: list[str] | None = None  # pages: every source that listed the URL this run (fetched once)


@dataclass(slots=True)
class RunNote:
    """A line for the run summary and a row in `run_log` (skipped seeds, failed sources…)."""

    level: str  # info | warning | error
    stage: str
    item: str
    message: str


@dataclass(slots=True)
class TopicTag:
    topic: str
    score: float
    evidence: list[str]
    # how the tag was made: "rule: <rule name>" (the best rule that fired) or
    # "model p=0.87" (the statistical model added a topic the rules missed)
    path: str = ""


@dataclass(slots=True)
class Claim:
    kind: str  # money | percent | multiplier
    value: float
    unit: str | None
    currency: str | None
    sentence: str
    value_max: float | None = None


@dataclass(slots=True)
class TagResult:
    """What the tagger says about one text: topics with evidence, entities, claims."""

    id: str
    topics: list[TopicTag]
    entities: dict[str, int] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)


@dataclass
class StepRecords:
    """What a batch step hands on besides articles: pages, their fetch log, notes, source state.

    Defined once and extended twice: `extractors.web.batch.WebBatch` (what one `collect()`
    produced) and `flows.pipeline.StepReport` (what a pipeline step reports), so a fetch
    batch becomes a step report by merging, not by copying fields one by one.
    """

    pages: list[RawPage] = field(default_factory=list)
    log: list[FetchLogEntry] = field(default_factory=list)
    notes: list[RunNote] = field(default_factory=list)
    feed_state: dict[str, dict[str, Any]] = field(default_factory=dict)  # source → etag / last_modified
    skipped: dict[str, dict[str, int]] = field(default_factory=dict)  # source → reason → count

    def merge_records(self, other: StepRecords) -> None:
        """Add another batch's records to these (lists appended, per-source state updated, skip
        counts added: one source's pages span several extract batches, and a reason may be
        counted both before fetching and after extraction)."""
        self.pages += other.pages
        self.log += other.log
        self.notes += other.notes
        self.feed_state.update(other.feed_state)
        for src, reasons in other.skipped.items():
            mine = self.skipped.setdefault(src, {})
            for reason, n in reasons.items():
                mine[reason] = mine.get(reason, 0) + n

"""What a pipeline step hands on: `StepReport`, the records for the next step plus the counts,
notes and skips the run summary adds up.

Its own module because the steps (`flows/pipeline.py`) and the batch functions a worker runs
(`flows/batches.py`) both return it, and a batch's report merges into its step's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from extractors.core.records import Article, StepRecords


@dataclass
class StepReport(StepRecords):
    """What a step hands on: records for the next step plus counts and notes for the summary."""

    articles: list[Article] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    info: dict[str, Any] = field(default_factory=dict)  # taxonomy version, output paths, …

    def merge(self, other: StepRecords) -> StepReport:
        """Add another step's report (or a fetch batch's records) to this one: lists appended,
        counts and skip counts added (`StepRecords.merge_records`)."""
        self.merge_records(other)
        if isinstance(other, StepReport):
            self.articles += other.articles
            self.counts.update(other.counts)
            self.info.update(other.info)
        return self

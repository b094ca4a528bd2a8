"""What every step of a run receives: `RunContext`.

Its own module so that the step modules (`flows/pipeline.py`, `flows/fetching.py`) share it
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from extractors.core.settings import Settings
from flows.config import Config


@dataclass
class RunContext:
    """What every step of one run needs: the validated config, the run's id, the digest date
    and the warehouse file it writes (the writer session's work file, never the published one)."""

    config: Config
    digest_date: date
    run_id: str
    started_at: datetime
    db_path: Path
    live: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # in-progress state

    @property
    def settings(self) -> Settings:
        return self.config.settings


__all__ = ["RunContext"]

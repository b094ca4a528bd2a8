"""All of Marsad's configuration, loaded and validated once, before anything runs.

`load_config()` is the one door: the CLI calls it before Prefect is even imported, and the
daily flow calls it at its top, so a typo anywhere — a misspelt section (`[fetchh]`), key
(`[digest] topn`), a wrong type, a bad source, a missing `--sources` file — is one
`ConfigError` (exit 2, one line) in well under a second, instead of a failure inside a
retried task halfway through an unattended run. The steps then receive the validated objects
(`Config`) and never read a config file again.

Each room keeps its own schema next to the code that uses it; this module only puts them
together:

    marsad.toml [paths] [digest] [schedule] [ingest] [smtp]   extractors/core/settings.py
    marsad.toml [fetch]                                        extractors/web/settings.py
    marsad.toml [compute]                                      here (only flows/ runs Dask)
    sources.toml                                               extractors/web/sources.py
    watchlist.toml                                             extractors/tagging/watchlist.py
    topics.toml, entities.toml                                 extractors/tagging/rules.py, entities.py
    recipients.toml                                            dashboards/delivery/recipients.py
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import ConfigDict, Field, StrictStr, field_validator

from dashboards.delivery.recipients import Recipient, load_recipients
from extractors.core.config import ConfigModel, parse
from extractors.core.errors import ConfigError
from extractors.core.settings import CoreSections, Settings, load_settings
from extractors.tagging.tagger import TaggingConfig, read_tagging_config
from extractors.tagging.watchlist import Watchlist, load_watchlist
from extractors.web.settings import FetchSettings
from extractors.web.sources import Source, load_sources

# A Dask scheduler address: tcp://host:port (or tls://, inproc://, ucx://), or host:port for tcp.
_SCHEDULER = re.compile(r"^(tcp|tls|inproc|ucx)://[^\s/:]+(:\d{1,5})?$|^[^\s/:]+:\d{1,5}$")


def _every_core() -> int:
    return os.cpu_count() or 1


class ComputeSettings(ConfigModel):
    """[compute]: where the extract and tag batches of a big run go (flows/compute.py).

    Every key is optional. `workers`: processes on this machine (default: one per core; 1 =
    in-process). `scheduler`: an existing Dask scheduler; absent or "" = this machine only.
    `batch_size`: pages (or articles) per batch task (~10 s of extraction at 300).
    """

    workers: Annotated[int, Field(ge=1, le=512)] = Field(default_factory=_every_core)
    scheduler: StrictStr | None = None
    batch_size: Annotated[int, Field(ge=10, le=5000)] = 300

    @field_validator("scheduler")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None  # absent or "": no external scheduler
        value = value.strip()
        if not _SCHEDULER.match(value):
            raise ValueError(f"must be a scheduler address such as \"tcp://10.0.0.5:8786\", got {value!r}")
        return value if "://" in value else f"tcp://{value}"


class MarsadToml(CoreSections):
    """The whole of marsad.toml: the kernel's sections plus [fetch] and [compute]; nothing else."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    fetch: FetchSettings = Field(default_factory=FetchSettings)
    compute: ComputeSettings = Field(default_factory=ComputeSettings)


@dataclass(frozen=True)
class Config:
    """Everything a run needs from config/, validated: what the steps receive."""

    settings: Settings
    fetch: FetchSettings
    compute: ComputeSettings
    sources: tuple[Source, ...]
    watchlist: Watchlist
    tagging: TaggingConfig
    recipients: tuple[Recipient, ...]


def load_config(
    config_dir: str | os.PathLike[str] | None = None,
    *,
    env: dict[str, str] | None = None,
    offline: bool | None = None,
    sources_file: str | os.PathLike[str] | None = None,
) -> Config:
    """Read and validate every config file (and the `MARSAD_*` environment) into a Config.

    Raises ConfigError naming the file, the section or entry, and the key. Nothing here
    touches the network, the warehouse or Prefect.
    """
    settings = load_settings(config_dir, env=env, offline=offline, sources_file=sources_file)
    whole = parse(MarsadToml, settings.raw, where=str(settings.config_file("marsad.toml")))
    return Config(
        settings=settings,
        fetch=whole.fetch,
        compute=whole.compute,
        sources=tuple(_sources(settings)),
        watchlist=load_watchlist(settings.config_file("watchlist.toml")),
        tagging=read_tagging_config(settings.config_dir),
        recipients=tuple(load_recipients(settings.config_file("recipients.toml"))),
    )


def _sources(settings: Settings) -> list[Source]:
    """The sources file: an explicit one (`--sources`, MARSAD_SOURCES) must exist; the default
    config/sources.toml may be absent (seeds only)."""
    if settings.sources_file is not None:
        path = Path(settings.sources_file)
        if not path.is_file():
            raise ConfigError(f"sources file not found: {path}",
                              hint="check the --sources path or MARSAD_SOURCES")
        return load_sources(path)
    default = settings.config_file("sources.toml")
    return load_sources(default) if default.exists() else []

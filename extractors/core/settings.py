"""Settings, layered once: commented defaults → `config/marsad.toml` → `MARSAD_*` environment.

The kernel's sections of marsad.toml ([paths], [digest], [schedule], [ingest], [smtp]) are
declared here as pydantic models (`extractors.core.config`); unknown keys and wrong types are
errors. The result is one frozen `Settings` object that every step receives. Relative paths are
resolved against the working directory, so `make run` from the project root writes to
`data/`. Secrets (SMTP password) come only from the environment or a Prefect Secret block,
never from a file in the repository.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ConfigDict, Field, StrictStr, field_validator, model_validator

from extractors.core.config import ConfigModel, Strs, parse
from extractors.core.days import today_in
from extractors.core.errors import ConfigError, UsageError

PROJECT_ROOT = Path(__file__).resolve().parents[2]

DEFAULT_DB = "data/marsad.duckdb"
DEFAULT_OUTBOX = "data/outbox"
DEFAULT_DASHBOARD = "data/dashboard"
DEFAULT_TIMEZONE = "Asia/Riyadh"
DEFAULT_CRON = "0 6 * * *"  # 06:00 in the digest time zone, before analysts start their day
DEFAULT_TOP_N = 5
DEFAULT_SENDER = "Marsad <marsad@localhost>"
DEFAULT_SMTP_RETRIES = 3
DEFAULT_SMTP_BACKOFF = (2.0, 10.0, 30.0)  # seconds before retry 1, 2, 3 (the last repeats)


# ---- the schema of the kernel's sections of marsad.toml -------------------------------------
# ([fetch] belongs to extractors/web/settings.py and [compute] to flows/config.py; the whole
# file, every section, is validated by flows/config.py.)

def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"must be an IANA time zone such as Asia/Riyadh, got {value!r}") from exc
    return value


class PathsSection(ConfigModel):
    """[paths]: where the warehouse, the outbox, the dashboard and the seeds are."""

    db: StrictStr = DEFAULT_DB
    outbox: StrictStr = DEFAULT_OUTBOX
    dashboard: StrictStr = DEFAULT_DASHBOARD
    seeds: StrictStr = "seeds"


class DigestSection(ConfigModel):
    """[digest]: the day's window is cut in `timezone`; `top_n` stories per topic."""

    timezone: StrictStr = DEFAULT_TIMEZONE
    top_n: Annotated[int, Field(ge=1, le=50)] = DEFAULT_TOP_N

    _timezone = field_validator("timezone")(_check_timezone)


class ScheduleSection(ConfigModel):
    """[schedule]: the daily run's cron, read in the digest time zone."""

    cron: StrictStr = DEFAULT_CRON

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, value: str) -> str:
        if len(value.split()) != 5:
            raise ValueError(f"must be a cron line of 5 fields such as \"0 6 * * *\", got {value!r}")
        return value


class IngestSection(ConfigModel):
    """[ingest]: the languages kept (web articles in others are counted and skipped)."""

    languages: Annotated[Strs, Field(min_length=1)] = ("ar",)


class SmtpSection(ConfigModel):
    """[smtp]: the relay and how the sender retries; never the password (environment only)."""

    host: StrictStr | None = None
    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    user: StrictStr | None = None
    tls: Literal["starttls", "ssl", "none"] = "starttls"
    sender: StrictStr = DEFAULT_SENDER
    timeout: Annotated[float, Field(gt=0)] = 30.0
    secret_block: StrictStr | None = None  # a Prefect Secret block holding the password
    retries: Annotated[int, Field(ge=0, le=10)] = DEFAULT_SMTP_RETRIES
    backoff: tuple[Annotated[float, Field(ge=0, le=600)], ...] = DEFAULT_SMTP_BACKOFF
    cafile: StrictStr | None = None  # CA bundle for a relay with a private certificate

    @model_validator(mode="before")
    @classmethod
    def _no_secrets(cls, data: Any) -> Any:
        if isinstance(data, dict) and "password" in data:
            raise ValueError("'password' does not belong in a file: set MARSAD_SMTP_PASSWORD or "
                             "[smtp] secret_block (a Prefect Secret block)")
        if isinstance(data, dict) and isinstance(data.get("tls"), str):
            data = {**data, "tls": data["tls"].lower()}
        if isinstance(data, dict) and isinstance(data.get("backoff"), list):
            data = {**data, "backoff": tuple(data["backoff"])}
        return data


class CoreSections(ConfigModel):
    """The kernel's sections of marsad.toml; the other rooms' sections pass through here."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)

    paths: PathsSection = Field(default_factory=PathsSection)
    digest: DigestSection = Field(default_factory=DigestSection)
    schedule: ScheduleSection = Field(default_factory=ScheduleSection)
    ingest: IngestSection = Field(default_factory=IngestSection)
    smtp: SmtpSection = Field(default_factory=SmtpSection)


# ---- the settings object every step receives ------------------------------------------------

@dataclass(frozen=True)
class SmtpSettings:
    host: str | None = None
    port: int = 587
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never printed
    tls: str = "starttls"  # starttls | ssl | none
    sender: str = DEFAULT_SENDER
    timeout: float = 30.0
    secret_block: str | None = None  # a Prefect Secret block holding the password
    retries: int = DEFAULT_SMTP_RETRIES  # per recipient, after the first attempt
    backoff: tuple[float, ...] = DEFAULT_SMTP_BACKOFF
    cafile: str | None = None


@dataclass(frozen=True)
class Settings:
    config_dir: Path
    db_path: Path
    outbox: Path
    dashboard_dir: Path
    seeds_dir: Path
    timezone: str = DEFAULT_TIMEZONE
    cron: str = DEFAULT_CRON
    top_n: int = DEFAULT_TOP_N
    offline: bool = False
    sources_file: Path | None = None
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    languages: tuple[str, ...] = ("ar",)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)  # marsad.toml as read

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def digest_day(self, day: date | None, now: datetime | None = None) -> date:
        """`day` (default today), refused when it lies after today in the digest time zone:
        a digest of a day that has not happened would write an empty digest, an email and a
        ledger row for it, and hide the real latest digest from the analysts' queries."""
        today = today_in(self.tz, now)
        if day is None:
            return today
        if day > today:
            raise UsageError(f"digest date {day} is after today ({today} in {self.timezone})",
                             hint="give a date up to today, or omit --date")
        return day

    def config_file(self, name: str) -> Path:
        """Path of a file in the config folder (`topics.toml`, `sources.toml`, …)."""
        return self.config_dir / name

    def section(self, name: str) -> dict[str, Any]:
        """A table of marsad.toml as written (e.g. `fetch`), empty when absent; validated
        objects come from `flows.config.load_config`."""
        value = self.raw.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"[{name}] in {self.config_dir / 'marsad.toml'} must be a table")
        return value


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file, turning a syntax error into a ConfigError that names the file."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}", hint="fix the file and retry") from exc


def _default_config_dir() -> Path:
    here = Path("config")
    return here if here.is_dir() else PROJECT_ROOT / "config"


def _env(name: str, env: dict[str, str]) -> str | None:
    value = env.get(name)
    return value if value not in (None, "") else None


def load_settings(
    config_dir: str | os.PathLike[str] | None = None,
    *,
    env: dict[str, str] | None = None,
    offline: bool | None = None,
    sources_file: str | os.PathLike[str] | None = None,
) -> Settings:
    """Build the one Settings object from defaults, `marsad.toml` and the environment.

    The kernel's sections are validated here (unknown keys and wrong types are errors); the
    whole file, with every room's section, is validated by `flows.config.load_config`.
    """
    env = dict(os.environ if env is None else env)
    cdir = Path(config_dir or _env("MARSAD_CONFIG", env) or _default_config_dir())
    if not cdir.is_dir():
        raise ConfigError(f"config folder not found: {cdir}", hint="set MARSAD_CONFIG to a folder with marsad.toml")
    main = cdir / "marsad.toml"
    raw: dict[str, Any] = read_toml(main) if main.exists() else {}
    core = parse(CoreSections, raw, where=str(main))
    paths, smtp_file = core.paths, core.smtp

    tz = _env("MARSAD_TIMEZONE", env) or core.digest.timezone
    try:
        _check_timezone(tz)
    except ValueError as exc:
        raise ConfigError(f"MARSAD_TIMEZONE {exc}") from None

    seeds_dir = Path(paths.seeds)
    if not seeds_dir.is_absolute() and not seeds_dir.exists():
        seeds_dir = PROJECT_ROOT / seeds_dir

    tls = (_env("MARSAD_SMTP_TLS", env) or smtp_file.tls).lower()
    if tls not in {"starttls", "ssl", "none"}:
        raise ConfigError(f"MARSAD_SMTP_TLS must be starttls, ssl or none, got {tls!r}")
    port_text = _env("MARSAD_SMTP_PORT", env) or smtp_file.port or (465 if tls == "ssl" else 587)
    try:
        port = int(port_text)
    except ValueError as exc:
        raise ConfigError(f"MARSAD_SMTP_PORT must be a number, got {port_text!r}") from exc
    smtp = SmtpSettings(
        host=_env("MARSAD_SMTP_HOST", env) or smtp_file.host,
        port=port,
        user=_env("MARSAD_SMTP_USER", env) or smtp_file.user,
        password=_env("MARSAD_SMTP_PASSWORD", env),
        tls=tls,
        sender=_env("MARSAD_SMTP_FROM", env) or smtp_file.sender,
        timeout=smtp_file.timeout,
        secret_block=_env("MARSAD_SMTP_SECRET_BLOCK", env) or smtp_file.secret_block,
        retries=smtp_file.retries,
        backoff=smtp_file.backoff,
        cafile=smtp_file.cafile,
    )

    off = offline if offline is not None else (_env("MARSAD_OFFLINE", env) or "").lower() in {"1", "true", "yes"}
    src = sources_file or _env("MARSAD_SOURCES", env)
    return Settings(
        config_dir=cdir,
        db_path=Path(_env("MARSAD_DB", env) or paths.db),
        outbox=Path(_env("MARSAD_OUTBOX", env) or paths.outbox),
        dashboard_dir=Path(_env("MARSAD_DASHBOARD", env) or paths.dashboard),
        seeds_dir=Path(_env("MARSAD_SEEDS", env) or seeds_dir),
        timezone=tz,
        cron=core.schedule.cron,
        top_n=core.digest.top_n,
        offline=off,
        sources_file=Path(src) if src else None,
        smtp=smtp,
        languages=core.ingest.languages,
        raw=raw,
    )

"""Settings, layered once: commented defaults → `config/marsad.toml` → `MARSAD_*` environment.

The result is one frozen `Settings` object that every step receives. Relative paths are
resolved against the working directory, so `make run` from the project root writes to
`data/`. Secrets (SMTP password) come only from the environment or a Prefect Secret block,
never from a file in the repository.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from extractors.core.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[2]

DEFAULT_DB = "data/marsad.duckdb"
DEFAULT_OUTBOX = "data/outbox"
DEFAULT_DASHBOARD = "data/dashboard"
DEFAULT_TIMEZONE = "Asia/Riyadh"
DEFAULT_CRON = "0 6 * * *"  # 06:00 in the digest time zone, before analysts start their day
DEFAULT_TOP_N = 5


@dataclass(frozen=True)
class SmtpSettings:
    host: str | None = None
    port: int = 587
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never printed
    tls: str = "starttls"  # starttls | ssl | none
    sender: str = "Marsad <marsad@localhost>"
    timeout: float = 30.0
    secret_block: str | None = None  # a Prefect Secret block holding the password


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
    raw: dict[str, Any] = field(default_factory=dict, repr=False)  # the merged marsad.toml

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def config_file(self, name: str) -> Path:
        """Path of a file in the config folder (`topics.toml`, `sources.toml`, …)."""
        return self.config_dir / name

    def section(self, name: str) -> dict[str, Any]:
        """A table of marsad.toml (e.g. `fetch`), empty when absent."""
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
    """Build the one Settings object from defaults, `marsad.toml` and the environment."""
    env = dict(os.environ if env is None else env)
    cdir = Path(config_dir or _env("MARSAD_CONFIG", env) or _default_config_dir())
    if not cdir.is_dir():
        raise ConfigError(f"config folder not found: {cdir}", hint="set MARSAD_CONFIG to a folder with marsad.toml")
    raw: dict[str, Any] = {}
    main = cdir / "marsad.toml"
    if main.exists():
        raw = read_toml(main)

    paths = raw.get("paths", {})
    digest = raw.get("digest", {})
    schedule = raw.get("schedule", {})
    tz = str(_env("MARSAD_TIMEZONE", env) or digest.get("timezone", DEFAULT_TIMEZONE))
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"unknown time zone {tz!r} in [digest] timezone", hint="use an IANA name such as Asia/Riyadh") from exc

    top_n = digest.get("top_n", DEFAULT_TOP_N)
    if not isinstance(top_n, int) or not 1 <= top_n <= 50:
        raise ConfigError(f"[digest] top_n must be an integer from 1 to 50, got {top_n!r}")

    seeds_dir = Path(paths.get("seeds", "seeds"))
    if not seeds_dir.is_absolute() and not seeds_dir.exists():
        seeds_dir = PROJECT_ROOT / seeds_dir

    smtp_raw = raw.get("smtp", {})
    tls = (_env("MARSAD_SMTP_TLS", env) or smtp_raw.get("tls", "starttls")).lower()
    if tls not in {"starttls", "ssl", "none"}:
        raise ConfigError(f"MARSAD_SMTP_TLS must be starttls, ssl or none, got {tls!r}")
    port_text = _env("MARSAD_SMTP_PORT", env) or smtp_raw.get("port") or (465 if tls == "ssl" else 587)
    try:
        port = int(port_text)
    except ValueError as exc:
        raise ConfigError(f"MARSAD_SMTP_PORT must be a number, got {port_text!r}") from exc
    smtp = SmtpSettings(
        host=_env("MARSAD_SMTP_HOST", env) or smtp_raw.get("host"),
        port=port,
        user=_env("MARSAD_SMTP_USER", env) or smtp_raw.get("user"),
        password=_env("MARSAD_SMTP_PASSWORD", env),
        tls=tls,
        sender=_env("MARSAD_SMTP_FROM", env) or smtp_raw.get("sender", SmtpSettings.sender),
        timeout=float(smtp_raw.get("timeout", SmtpSettings.timeout)),
        secret_block=_env("MARSAD_SMTP_SECRET_BLOCK", env) or smtp_raw.get("secret_block"),
    )

    off = offline if offline is not None else (_env("MARSAD_OFFLINE", env) or "").lower() in {"1", "true", "yes"}
    src = sources_file or _env("MARSAD_SOURCES", env)
    return Settings(
        config_dir=cdir,
        db_path=Path(_env("MARSAD_DB", env) or paths.get("db", DEFAULT_DB)),
        outbox=Path(_env("MARSAD_OUTBOX", env) or paths.get("outbox", DEFAULT_OUTBOX)),
        dashboard_dir=Path(_env("MARSAD_DASHBOARD", env) or paths.get("dashboard", DEFAULT_DASHBOARD)),
        seeds_dir=Path(_env("MARSAD_SEEDS", env) or seeds_dir),
        timezone=tz,
        cron=str(schedule.get("cron", DEFAULT_CRON)),
        top_n=top_n,
        offline=off,
        sources_file=Path(src) if src else None,
        smtp=smtp,
        raw=raw,
    )

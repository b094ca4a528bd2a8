"""Fetcher settings: documented defaults, overridable from `[fetch]` in marsad.toml.

Defaults are named constants so the README, the tests and the code agree on them. They are
chosen for a daily job against a handful of news sites: slow and polite beats fast (1 s
between requests to the same host, one at a time), caps are generous enough for real
article pages (a 900 KB page is common) and small enough that a hostile body cannot hurt.
Loading validates every key and names the bad one: a typo must not silently fall back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from extractors.core.errors import ConfigError
from extractors.web.ssrf import DEFAULT_DNS_TIMEOUT, IPNetwork, parse_networks

DEFAULT_CONTACT = "https://github.com/marsad-monitor/marsad"
DEFAULT_CONTENT_TYPES: dict[str, tuple[str, ...]] = {
    "page": ("text/html", "application/xhtml+xml"),
    "feed": ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
             "text/xml", "application/x-rss+xml", "text/html", "text/plain", "application/octet-stream",
             "application/x-gzip", "application/gzip"),
    "json": ("application/json", "text/json", "text/plain", "text/html", "application/javascript"),
    "robots": (),  # anything: robots.txt is often served with odd types
}


@dataclass(frozen=True)
class FetchSettings:
    """Every knob of the fetcher; see docs/FETCHING.md for the reasoning behind each default."""

    contact_url: str = DEFAULT_CONTACT
    user_agent: str = ""               # empty: "Marsad/0.1 (+<contact_url>)"
    concurrency: int = 16              # requests in flight across all hosts
    per_host_concurrency: int = 1      # requests in flight per host
    min_delay: float = 1.0             # seconds between requests to the same host
    max_crawl_delay: float = 10.0      # robots.txt Crawl-delay is honoured up to this
    connect_timeout: float = 5.0
    read_timeout: float = 15.0         # between two bytes
    total_timeout: float = 30.0        # one attempt, redirects included
    dns_timeout: float = DEFAULT_DNS_TIMEOUT
    max_bytes: int = 10_000_000        # on the wire
    max_decompressed_bytes: int = 20_000_000
    max_redirects: int = 5
    retries: int = 2                   # extra attempts after the first
    backoff: float = 1.0               # attempt n waits backoff * 2**n + U(0, jitter)
    jitter: float = 0.5
    retry_after_cap: float = 60.0      # a longer Retry-After is not waited for
    max_host_failures: int = 3         # consecutive timeouts/resets before a host is skipped
    allowed_networks: tuple[str, ...] = ()  # SSRF allowlist (CIDR); empty = public only
    robots: bool = True
    max_items_per_source: int = 100    # candidate URLs kept per source per run
    max_age_days: float = 3.0          # older feed/sitemap entries are skipped
    max_child_sitemaps: int = 10
    content_types: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_CONTENT_TYPES))

    def __post_init__(self) -> None:
        if not self.user_agent:
            object.__setattr__(self, "user_agent", f"Marsad/0.1 (+{self.contact_url})")

    @property
    def networks(self) -> tuple[IPNetwork, ...]:
        return parse_networks(self.allowed_networks)


_INTS = {"concurrency", "per_host_concurrency", "max_bytes", "max_decompressed_bytes", "max_redirects",
         "retries", "max_items_per_source", "max_child_sitemaps", "max_host_failures"}
_FLOATS = {"min_delay", "max_crawl_delay", "connect_timeout", "read_timeout", "total_timeout", "dns_timeout",
           "backoff", "jitter", "retry_after_cap", "max_age_days"}


def fetch_settings_from(table: dict[str, Any], *, where: str = "[fetch]") -> FetchSettings:
    """Validate a `[fetch]` table into FetchSettings; ConfigError names the key and the problem."""
    known = {f.name for f in fields(FetchSettings)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{where}: unknown key {key!r}", hint=f"known keys: {', '.join(sorted(known))}")
        if key in _INTS:
            if not isinstance(value, int) or isinstance(value, bool) or value < (0 if key == "retries" else 1):
                raise ConfigError(f"{where} {key} must be a positive integer, got {value!r}")
        elif key in _FLOATS:
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"{where} {key} must be a number >= 0, got {value!r}")
            value = float(value)
        elif key == "robots":
            if not isinstance(value, bool):
                raise ConfigError(f"{where} robots must be true or false, got {value!r}")
        elif key in ("contact_url", "user_agent"):
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{where} {key} must be a non-empty string")
        elif key == "allowed_networks":
            if not isinstance(value, list):
                raise ConfigError(f"{where} allowed_networks must be a list of CIDR strings")
            parse_networks(value, where=f"{where} allowed_networks")
            value = tuple(str(v) for v in value)
        elif key == "content_types":
            if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
                raise ConfigError(f"{where} content_types must be a table of lists, e.g. page = [\"text/html\"]")
            value = {**DEFAULT_CONTENT_TYPES, **{k: tuple(str(t).lower() for t in v) for k, v in value.items()}}
        values[key] = value
    for low, high in (("connect_timeout", "total_timeout"), ("read_timeout", "total_timeout")):
        got = {**{f.name: f.default for f in fields(FetchSettings) if f.name in _FLOATS}, **values}
        if got[low] > got[high]:
            raise ConfigError(f"{where} {low} ({got[low]:g}) must not exceed {high} ({got[high]:g})")
    return FetchSettings(**values)


def load_fetch_settings(settings: Any) -> FetchSettings:
    """FetchSettings from `extractors.core.settings.Settings.section("fetch")` (defaults when absent)."""
    path = settings.config_file("marsad.toml") if hasattr(settings, "config_file") else "marsad.toml"
    return fetch_settings_from(settings.section("fetch"), where=f"{path} [fetch]")

"""Fetcher settings: documented defaults, overridable from `[fetch]` in marsad.toml.

Defaults are named constants so the README, the tests and the code agree on them. They are
chosen for a daily job against a handful of news sites: slow and polite beats fast (1 s
between requests to the same host, one at a time), caps are generous enough for real
article pages (a 900 KB page is common) and small enough that a hostile body cannot hurt.
`FetchSettings` is the schema of `[fetch]` itself (a pydantic `ConfigModel`): unknown keys and
wrong types are errors naming the key, because a typo must not silently fall back.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

from pydantic import Field, StrictBool, StrictStr, field_validator, model_validator

from extractors.core.config import ConfigModel, Strs, parse
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

Count = Annotated[int, Field(ge=1)]      # a positive whole number
Seconds = Annotated[float, Field(ge=0)]  # a number >= 0 (integers welcome)


class FetchSettings(ConfigModel):
    """Every knob of the fetcher (`[fetch]`); see docs/FETCHING.md for the reasoning behind each default."""

    contact_url: Annotated[StrictStr, Field(min_length=1)] = DEFAULT_CONTACT
    user_agent: StrictStr = ""         # empty: "Marsad/0.1 (+<contact_url>)"
    concurrency: Count = 16            # requests in flight across all hosts
    per_host_concurrency: Count = 1    # requests in flight per host
    min_delay: Seconds = 1.0           # seconds between requests to the same host
    max_crawl_delay: Seconds = 10.0    # robots.txt Crawl-delay is honoured up to this
    connect_timeout: Seconds = 5.0
    read_timeout: Seconds = 15.0       # between two bytes
    total_timeout: Seconds = 30.0      # one attempt, redirects included
    dns_timeout: Seconds = DEFAULT_DNS_TIMEOUT
    max_bytes: Count = 10_000_000      # on the wire
    max_decompressed_bytes: Count = 20_000_000
    max_redirects: Count = 5
    retries: Annotated[int, Field(ge=0)] = 2  # extra attempts after the first
    backoff: Seconds = 1.0             # attempt n waits backoff * 2**n + U(0, jitter)
    jitter: Seconds = 0.5
    retry_after_cap: Seconds = 60.0    # a longer Retry-After is not waited for
    max_host_failures: Count = 3       # consecutive timeouts/resets before a host is skipped
    allowed_networks: Strs = ()        # SSRF allowlist (CIDR); empty = public only
    robots: StrictBool = True
    max_items_per_source: Count = 100  # candidate URLs kept per source per run
    max_age_days: Seconds = 3.0        # older feed/sitemap entries are skipped
    max_child_sitemaps: Count = 10
    content_types: dict[str, Strs] = Field(default_factory=lambda: dict(DEFAULT_CONTENT_TYPES))

    @field_validator("allowed_networks")
    @classmethod
    def _cidr(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            try:
                ipaddress.ip_network(value.strip(), strict=False)
            except ValueError:
                raise ValueError(f"has {value!r}, which is not an IP network (use CIDR such as \"127.0.0.0/8\")") from None
        return values

    @field_validator("content_types")
    @classmethod
    def _merge_types(cls, given: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        """A kind given in the file replaces that kind's list; the other kinds keep theirs."""
        return {**DEFAULT_CONTENT_TYPES, **{k: tuple(t.lower() for t in v) for k, v in given.items()}}

    @model_validator(mode="after")
    def _consistent(self) -> FetchSettings:
        for low in ("connect_timeout", "read_timeout"):
            if getattr(self, low) > self.total_timeout:
                raise ValueError(f"'{low}' ({getattr(self, low):g}) must not exceed 'total_timeout' "
                                 f"({self.total_timeout:g})")
        if not self.user_agent:
            object.__setattr__(self, "user_agent", f"Marsad/0.1 (+{self.contact_url})")
        return self

    @property
    def networks(self) -> tuple[IPNetwork, ...]:
        return parse_networks(self.allowed_networks)


def fetch_settings_from(table: dict[str, Any], *, where: str = "[fetch]") -> FetchSettings:
    """Validate a `[fetch]` table into FetchSettings; ConfigError names the key and the problem."""
    return parse(FetchSettings, table, where=where)


def load_fetch_settings(settings: Any) -> FetchSettings:
    """FetchSettings from `extractors.core.settings.Settings.section("fetch")` (defaults when absent)."""
    path = settings.config_file("marsad.toml") if hasattr(settings, "config_file") else "marsad.toml"
    return fetch_settings_from(settings.section("fetch"), where=f"{path} [fetch]")

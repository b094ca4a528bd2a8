"""Who receives the digest: `config/recipients.toml`, validated once at load.

Each analyst subscribes to some of the four topics, reads the email chrome in Arabic (the
default) or English, and lives in a time zone (the Date header and the "local time" line are
shown in it). A mistake in the file stops delivery with a `ConfigError` that names the file,
the entry and the field, because a silently skipped analyst is worse than a loud failure.
Addresses and names go into email headers, so CR/LF and other control characters are refused
here rather than trusted to the mail library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from extractors.core.errors import ConfigError
from extractors.core.settings import DEFAULT_TIMEZONE, read_toml
from extractors.core.topics import TOPICS

LANGS = ("ar", "en")
_FIELDS = {"name", "email", "topics", "lang", "timezone"}
# A deliberately plain addr-spec: local@domain.tld, no spaces, quotes, brackets or controls.
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    topics: tuple[str, ...] = TOPICS
    lang: str = "ar"
    timezone: str = DEFAULT_TIMEZONE

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _fail(path: Path, where: str, message: str) -> ConfigError:
    return ConfigError(f"{path}: {where}: {message}", hint="fix config/recipients.toml and retry")


def _text(path: Path, where: str, entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, where, f"field '{key}' must be a non-empty string, got {value!r}")
    if _CONTROL.search(value):
        raise _fail(path, where, f"field '{key}' contains a control or direction-override character")
    return value.strip()


def _recipient(path: Path, index: int, entry: Any) -> Recipient:
    where = f"[[recipient]] #{index + 1}"
    if not isinstance(entry, dict):
        raise _fail(path, where, "must be a table")
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise _fail(path, where, f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_FIELDS))}")
    email = _text(path, where, entry, "email")
    where = f"{where} ({email})"
    if not _EMAIL.match(email):
        raise _fail(path, where, f"field 'email' is not a plain address like analyst@example.com: {email!r}")
    name = _text(path, where, entry, "name") if "name" in entry else email.split("@")[0]

    topics = entry.get("topics", list(TOPICS))
    if not isinstance(topics, list) or not topics or not all(isinstance(t, str) for t in topics):
        raise _fail(path, where, f"field 'topics' must be a non-empty list of topic ids, got {topics!r}")
    bad = [t for t in topics if t not in TOPICS]
    if bad:
        raise _fail(path, where, f"unknown topic(s) {', '.join(bad)}; known: {', '.join(TOPICS)}")
    ordered = tuple(t for t in TOPICS if t in topics)  # contract order, duplicates dropped

    lang = entry.get("lang", "ar")
    if lang not in LANGS:
        raise _fail(path, where, f"field 'lang' must be one of {', '.join(LANGS)}, got {lang!r}")
    tz = entry.get("timezone", DEFAULT_TIMEZONE)
    try:
        if not isinstance(tz, str):
            raise ValueError(tz)
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise _fail(path, where, f"field 'timezone' must be an IANA name such as Asia/Riyadh, got {tz!r}") from exc
    return Recipient(name=name, email=email.lower(), topics=ordered, lang=lang, timezone=tz)


def load_recipients(path: Path) -> list[Recipient]:
    """Read and validate the subscription list; every analyst once, each with known topics."""
    path = Path(path)
    data = read_toml(path)
    unknown = sorted(set(data) - {"recipient"})
    if unknown:
        raise _fail(path, "top level", f"unknown table(s) {', '.join(unknown)}; use [[recipient]] entries")
    entries = data.get("recipient", [])
    if not isinstance(entries, list) or not entries:
        raise _fail(path, "top level", "no [[recipient]] entries; add at least one analyst")
    recipients = [_recipient(path, i, e) for i, e in enumerate(entries)]
    seen: set[str] = set()
    for i, r in enumerate(recipients):
        if r.email in seen:
            raise _fail(path, f"[[recipient]] #{i + 1} ({r.email})", "duplicate email; list each analyst once")
        seen.add(r.email)
    return recipients

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
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, StrictStr, field_validator, model_validator

from extractors.core.config import ConfigModel, Strs, first_repeat, parse
from extractors.core.settings import DEFAULT_TIMEZONE, read_toml
from extractors.core.topics import TOPICS

LANGS = ("ar", "en")
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


def _header_safe(value: str) -> str:
    if not value.strip():
        raise ValueError("must be a non-empty string")
    if _CONTROL.search(value):
        raise ValueError("contains a control or direction-override character")
    return value.strip()


class RecipientEntry(ConfigModel):
    """The schema of one `[[recipient]]` table."""

    email: StrictStr
    name: StrictStr | None = None  # default: the part before "@"
    topics: Annotated[Strs, Field(min_length=1)] = TOPICS
    lang: Literal["ar", "en"] = "ar"
    timezone: StrictStr = DEFAULT_TIMEZONE

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = _header_safe(value)
        if not _EMAIL.match(value):
            raise ValueError(f"is not a plain address like analyst@example.com: {value!r}")
        return value.lower()

    _name = field_validator("name")(lambda cls, v: _header_safe(v) if v is not None else None)

    @field_validator("topics")
    @classmethod
    def _topics(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [t for t in value if t not in TOPICS]
        if bad:
            raise ValueError(f"has unknown topic(s) {', '.join(bad)}; known: {', '.join(TOPICS)}")
        return tuple(t for t in TOPICS if t in value)  # contract order, duplicates dropped

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"must be an IANA name such as Asia/Riyadh, got {value!r}") from exc
        return value

    def to_recipient(self) -> Recipient:
        return Recipient(name=self.name or self.email.split("@")[0], email=self.email, topics=self.topics,
                         lang=self.lang, timezone=self.timezone)


class RecipientsFile(ConfigModel):
    """The schema of recipients.toml: at least one `[[recipient]]`, each address once."""

    recipient: Annotated[list[RecipientEntry], Field(min_length=1)]

    @model_validator(mode="before")
    @classmethod
    def _some(cls, data: object) -> object:
        if isinstance(data, dict) and not data.get("recipient") and not set(data) - {"recipient"}:
            raise ValueError("no [[recipient]] entries; add at least one analyst")
        return data

    @model_validator(mode="after")
    def _each_once(self) -> RecipientsFile:
        twice = first_repeat(r.email for r in self.recipient)
        if twice:
            raise ValueError(f"{twice} is listed twice (duplicate email; list each analyst once)")
        return self


def load_recipients(path: Path) -> list[Recipient]:
    """Read and validate the subscription list; every analyst once, each with known topics."""
    path = Path(path)
    return [e.to_recipient() for e in parse(RecipientsFile, read_toml(path), where=str(path)).recipient]

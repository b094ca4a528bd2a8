"""The morning digest as email: one multipart message per analyst, and the outbox of .eml files.

Each message is multipart/alternative — a plain-text part for every HTML part — with the HTML
part carrying one small PNG trend chart per topic inline (`cid:`), because that is what common
mail clients display. Everything that came from an article (title, source, evidence, URL) is
untrusted: the HTML is rendered by Jinja2 with autoescape, titles are stripped of CR/LF and
bidi overrides (`safe_text.inert`) so they can neither add a header nor reorder the text around
them, and only http(s) URLs become links. No article text ever reaches a header: the subject
is built from counts. Message-IDs are derived from (digest date, recipient), so a re-run
produces the same id and the `emails` ledger (`warehouse/emails.py`) can tell a duplicate from
a new message.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

import duckdb

from dashboards import queries
from dashboards.charts import png_bars
from dashboards.delivery.recipients import Recipient, load_recipients
from dashboards.labels import CHROME, count_phrase, number, outlet_parts, topic_name, when_parts
from dashboards.queries import TopicDay
from dashboards.safe_text import direction
from dashboards.shown import ShownItem, highlighter, shown_fields, template_env
from extractors.core.errors import ConfigError, DeliveryError
from extractors.core.files import write_atomic
from extractors.core.settings import Settings
from extractors.core.topics import TOPICS
from extractors.tagging.tagger import Tagger
from warehouse.emails import record_email

TEMPLATES = Path(__file__).resolve().parent / "templates"
TREND_DAYS = 14
BAR_WIDTH = 14
CHART_HEIGHT = 56
RECIPIENTS_FILE = "recipients.toml"

_env = template_env(TEMPLATES)


@dataclass
class DigestItem(ShownItem):
    """One story in a topic block of the email (the shown fields, plus its rank and story)."""

    rank: int
    story_id: str | None


@dataclass(frozen=True)
class TopicBlock(TopicDay):
    """One topic's section of the email: its digest figures, its trend chart and its items."""

    cid: str
    png: bytes
    width: int
    height: int
    items: list[DigestItem] = field(default_factory=list)


def _items(con: duckdb.DuckDBPyConnection, day: date, top_n: int, tagger: Tagger | None) -> dict[str, list[DigestItem]]:
    out: dict[str, list[DigestItem]] = {}
    seen: set[tuple[str, str]] = set()
    for row in queries.records(con, "email_items", day=day):
        topic, story = row["topic"], row["story_id"]
        if story and (topic, story) in seen:
            continue  # one story once, even if the digest SQL listed two copies
        if story:
            seen.add((topic, story))
        block = out.setdefault(topic, [])
        if len(block) >= top_n:
            continue
        block.append(DigestItem(**shown_fields(row, tagger), rank=row["rank"], story_id=story))
    return out


def message_id(digest_date: date, recipient: str, sender: str) -> str:
    """Deterministic Message-ID for (digest date, recipient): a re-run reproduces it."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "marsad.local"
    digest = hashlib.sha256(f"{digest_date.isoformat()}|{recipient.lower()}".encode()).hexdigest()[:20]
    return f"<marsad.{digest_date.isoformat()}.{digest}@{domain}>"


def _subject(lang: str, day: date, articles: int, stories: int, spikes: int) -> str:
    if lang == "en":
        parts = [count_phrase(articles, "articles", "en"), count_phrase(stories, "stories", "en")]
        if spikes:
            parts.append(count_phrase(spikes, "spikes", "en"))
        return f"Marsad digest {day.isoformat()}: " + ", ".join(parts)
    parts = [count_phrase(articles, "articles"), count_phrase(stories, "stories")]
    if spikes:
        parts.append(count_phrase(spikes, "spikes"))
    return f"مرصد — موجز {day.isoformat()}: " + "، ".join(parts)


def _blocks(con, settings: Settings, day: date, tagger: Tagger | None) -> list[TopicBlock]:
    """Every topic's block for the day (recipient-independent; filtered per recipient later)."""
    topics = queries.digest_topics(con, day)
    items = _items(con, day, settings.top_n, tagger)
    trend = queries.daily_counts(con, settings.timezone, day - timedelta(days=TREND_DAYS - 1), day)
    blocks = []
    for topic, series in trend.items():
        td = topics.get(topic)
        if td is None and not items.get(topic) and topic not in TOPICS:
            continue  # a retired topic with old tags but nothing today
        if td is None:  # no digest row (not built for a topic): the trend's own count stands in
            td = TopicDay(topic, series[-1].count, 0, None, None, None, False)
        # Oldest day on the left, as on the dashboard and in financial charts read in Arabic.
        png = png_bars(series, baseline=td.baseline, bar_width=BAR_WIDTH, height=CHART_HEIGHT)
        width, height = struct.unpack(">II", png[16:24])  # from the PNG's IHDR
        blocks.append(
            TopicBlock(
                **vars(td),
                cid=f"trend-{topic}-{day.isoformat()}@marsad",
                png=png,
                width=width,
                height=height,
                items=items.get(topic, []),
            )
        )
    return blocks


def _render(con, settings: Settings, day: date, r: Recipient, blocks: list[TopicBlock], now: datetime,
            health: list[dict]) -> EmailMessage:
    mine = [b for b in blocks if b.topic in r.topics]
    mine.sort(key=lambda b: (not b.is_spike, r.topics.index(b.topic)))  # spikes lead
    spikes = [b for b in mine if b.is_spike]
    articles, stories = queries.distinct_articles(con, settings.timezone, day, list(r.topics))
    # The digest tables are the authority; the tag join only de-duplicates across topics.
    articles = max([articles] + [b.articles for b in mine])
    stories = max([stories] + [b.stories or 0 for b in mine])
    lang = r.lang
    rtl = lang != "en"
    ctx = {
        "lang": lang,
        "dir": "rtl" if rtl else "ltr",
        "start": "right" if rtl else "left",   # text-align start/end: not in Outlook or Yahoo
        "end": "left" if rtl else "right",
        "t": CHROME[lang],
        "day": day.isoformat(),
        "recipient": r,
        "blocks": mine,
        "spikes": spikes,
        "articles": articles,
        "subject": _subject(lang, day, articles, stories, len(spikes)),
        "count": lambda n, noun: count_phrase(n, noun, lang),
        "num": lambda n: number(n, lang),
        "outlets": lambda i: outlet_parts(i.outlet_list, i.outlets, lang),
        "when": lambda i: when_parts(i.published_at, i.first_seen_at, r.tz, lang),
        "dir_of": direction,
        # every watched source, whatever the recipient's topics: a silent feed starves them all
        "alerts": [h for h in health if h["alert"]],
        "source_name": lambda h: h["name_en"] if lang == "en" else h["name"],
        "local_time": now.astimezone(r.tz).strftime("%Y-%m-%d %H:%M"),
        "trend_from": (day - timedelta(days=TREND_DAYS - 1)).isoformat(),
        "topic_names": [topic_name(t, lang) for t in r.topics],
        "name": lambda topic: topic_name(topic, lang),
    }
    msg = EmailMessage()
    msg["Subject"] = ctx["subject"]
    try:
        msg["From"] = settings.smtp.sender
    except (ValueError, HeaderParseError) as exc:
        raise ConfigError(
            f"the sender address {settings.smtp.sender!r} is not a valid From header: {exc}",
            hint="set MARSAD_SMTP_FROM (or [smtp] sender) to e.g. 'Marsad <marsad@example.com>'",
        ) from exc
    msg["To"] = Address(display_name=r.name, addr_spec=r.email)
    msg["Date"] = format_datetime(now.astimezone(r.tz))
    msg["Message-ID"] = message_id(day, r.email, settings.smtp.sender)
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Marsad-Digest-Date"] = day.isoformat()
    msg.set_content(_env.get_template("digest.txt.j2").render(ctx))
    msg.add_alternative(_env.get_template("digest.html.j2").render(ctx), subtype="html")
    html_part = msg.get_body(("html",))
    assert isinstance(html_part, EmailMessage)
    for b in mine:
        html_part.add_related(b.png, "image", "png", cid=f"<{b.cid}>", filename=f"{b.topic}.png", disposition="inline")
    # After the body: set_content() would drop Content-* headers set before it.
    msg["Content-Language"] = lang
    return msg


def build_digest_emails(
    con: duckdb.DuckDBPyConnection, settings: Settings, digest_date: date, *, now: datetime | None = None,
    recipients: Sequence[Recipient] | None = None, tagger: Tagger | None = None,
) -> list[tuple[Recipient, EmailMessage]]:
    """One multipart/alternative digest per analyst in `config/recipients.toml`, their topics only
    (`recipients`: the list already validated by the caller; read from the file when absent).
    `tagger` marks the matched terms in the evidence (default: the rules of the config folder)."""
    if recipients is None:
        recipients = load_recipients(settings.config_file(RECIPIENTS_FILE))
    now = now or datetime.now(UTC)
    tagger = tagger or highlighter(settings.config_dir)
    blocks = _blocks(con, settings, digest_date, tagger)
    health = queries.source_health(con, digest_date)
    return [(r, _render(con, settings, digest_date, r, blocks, now, health)) for r in recipients]


def outbox_name(digest_date: date, recipient: str) -> str:
    """`2026-11-26_analyst@example.com.eml` — one file per day and recipient, safe characters only."""
    return f"{digest_date.isoformat()}_{re.sub(r'[^A-Za-z0-9@._+-]', '_', recipient)}.eml"


def write_outbox(con: duckdb.DuckDBPyConnection, settings: Settings, digest_date: date, *,
                 recipients: Sequence[Recipient] | None = None, tagger: Tagger | None = None) -> list[Path]:
    """Write the day's .eml files (replacing that day's earlier ones) and record them in `emails`."""
    outbox = Path(settings.outbox)
    try:
        outbox.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeliveryError(f"cannot create the outbox {outbox}: {exc}", hint="set MARSAD_OUTBOX to a writable folder") from exc
    paths = []
    for r, msg in build_digest_emails(con, settings, digest_date, recipients=recipients, tagger=tagger):
        path = outbox / outbox_name(digest_date, r.email)
        try:
            write_atomic(path, bytes(msg))  # a reader never sees half a message
        except OSError as exc:
            raise DeliveryError(f"cannot write {path}: {exc}", hint="check the outbox folder's permissions") from exc
        record_email(con, digest_date, r.email, msg["Message-ID"], "written", path=str(path))
        paths.append(path)
    return paths

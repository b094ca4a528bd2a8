"""A warehouse filled by a real run: the seeds plus one wire story carried by five outlets.

Five RSS feeds on a loopback server (tests/webserver.py) each list their copy of the same
agency story (a dateline and a headline of their own, the body the same), so the real pipeline
— fetch, trafilatura, tagging, MinHash clustering, the digest SQL — makes one story in five
outlets. Three sources carry a `display_name` (and two a `home_url`) in sources.toml; one page
states its site name (`og:site_name`); one has neither, so every fallback of
`v_article_outlets` is exercised. Used by the outlet, email-client and browser tests.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tests.webserver import ARABIC_STORY, WebServer, marsad_fetch_toml, rss

ROOT = Path(__file__).resolve().parents[1]
WIRE = "ديب سيك تهز أسواق الرقائق"
# Each copy states its publication date (earliest first), so the outlet order is known.
PUBLISHED = {"aljazeera": "2026-11-26", "alarabiya": "2026-11-27", "skynews": "2026-11-28",
             "alhurra": "2026-11-29", "asharq": "2026-11-30"}
DATELINES = {"aljazeera": "بكين", "alarabiya": "شنغهاي", "skynews": "هونغ كونغ", "alhurra": "شنتشن",
             "asharq": "تايبيه"}
OUTLETS = {  # source → (display_name TOML or None, home_url or None, og:site_name or None)
    "aljazeera": ('{ ar = "الجزيرة", en = "Al Jazeera" }', "https://www.aljazeera.net/", None),
    "alarabiya": ('{ ar = "العربية", en = "Al Arabiya" }', "https://www.alarabiya.net/", None),
    "skynews": ('"Sky News Arabia"', None, None),
    "alhurra": (None, None, "الحرة"),
    "asharq": (None, None, None),
}


def wire_page(outlet: str, site_name: str | None) -> str:
    """One outlet's copy of the wire story: its own dateline and headline, the same body."""
    meta = f'<meta property="og:site_name" content="{site_name}">' if site_name else ""
    meta += f'<meta property="article:published_time" content="{PUBLISHED[outlet]}T08:00:00+00:00">'
    paras = "".join(f"<p>{ARABIC_STORY}</p>" for _ in range(3))
    # The outlet's own lead line: without it the five texts would be identical (the headline is
    # not part of the text), and exact copies are one article with five URLs, not five articles.
    lead = f"<p>{DATELINES[outlet]} (وكالات) — نقلت وكالات الأنباء التفاصيل التالية.</p>"
    return (f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{WIRE} ({outlet})</title>'
            f"{meta}</head><body><article><h1>{WIRE} ({outlet})</h1>{lead}{paras}</article>"
            "</body></html>")


def sources_toml(srv: WebServer) -> str:
    out = []
    for name, (display, home, _) in OUTLETS.items():
        entry = f'[[source]]\nname = "{name}"\nkind = "rss"\nurl = "{srv.url(f"/feed-{name}.xml")}"\n'
        if display:
            entry += f"display_name = {display}\n"
        if home:
            entry += f'home_url = "{home}"\n'
        out.append(entry)
    return "\n".join(out)


def serve_wire(srv: WebServer) -> None:
    for name, (_, _, site) in OUTLETS.items():
        srv.static(f"/{name}/wire", wire_page(name, site))
        srv.static(f"/feed-{name}.xml", rss([(f"/{name}/wire", f"{WIRE} ({name})", "خبر")], base=srv.base()),
                   "application/rss+xml")


@dataclass
class World:
    db: Path
    config: object
    day: date
    env: dict[str, str]


def real_world(tmp: Path, srv: WebServer) -> World:
    """Run the daily job (bare steps, no Prefect) over the seeds and the five wire feeds."""
    from flows.config import load_config
    from flows.pipeline import run_daily

    config_dir = tmp / "config"
    shutil.copytree(ROOT / "config", config_dir)
    with (config_dir / "marsad.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n" + marsad_fetch_toml())
    (config_dir / "sources.toml").write_text(sources_toml(srv), encoding="utf-8")
    env = {"MARSAD_CONFIG": str(config_dir), "MARSAD_DB": str(tmp / "data" / "marsad.duckdb"),
           "MARSAD_OUTBOX": str(tmp / "data" / "outbox"), "MARSAD_DASHBOARD": str(tmp / "data" / "dashboard"),
           "MARSAD_SEEDS": str(ROOT / "seeds")}
    config = load_config(env=env, offline=False)
    ctx, _ = run_daily(config)
    return World(tmp / "data" / "marsad.duckdb", config, ctx.digest_date, env)

"""Config loading (sources, watchlist, [fetch]), GDELT request/response handling, the pre-fetch
filter, and the offline default run (fails soft and fast, one line per source).
"""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from extractors.core.errors import ConfigError
from extractors.core.settings import load_settings
from extractors.tagging.watchlist import load_watchlist
from extractors.web.batch import WebBatch, collect, select
from extractors.web.feeds import FeedError, Item
from extractors.web.gdelt import gdelt_url, parse_artlist
from extractors.web.settings import FetchSettings, fetch_settings_from, load_fetch_settings
from extractors.web.sources import Source, load_sources
from extractors.web.ssrf import Resolver

CONFIG = Path(__file__).resolve().parents[1] / "config"


def test_default_sources_cover_the_arabic_outlets_and_gdelt():
    sources = load_sources(CONFIG / "sources.toml")
    names = {s.name for s in sources}
    for outlet in ("aljazeera", "bbc_arabic", "skynews_arabia", "aawsat", "alarabiya", "cnn_arabic",
                   "independent_arabia", "rt_arabic"):
        assert outlet in names
    assert any(s.kind == "gdelt" for s in sources)
    assert all(s.url and s.url.startswith("https://") for s in sources)
    assert {s.task_group for s in sources} == {"feeds", "gdelt"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("entry,message", [
    ('name = "a"\nkind = "atom"\nurl = "https://x.example/"', "[[source]] #1 (a): 'kind' must be one of"),
    ('name = "a"\nkind = "rss"', "[[source]] #1 (a): 'url' must be an http(s) URL"),
    ('name = "a"\nkind = "rss"\nurl = "ftp://x.example/f"', "'url' must be an http(s) URL"),
    ('name = "a"\nkind = "urls"', "'urls' must list at least one URL"),
    ('name = "a"\nkind = "urls"\nurls = ["javascript:alert(1)"]', "'urls' must be a list of http(s) URLs"),
    ('name = "Al Jazeera"\nkind = "rss"\nurl = "https://x.example/"', "[[source]] #1 (Al Jazeera): 'name' must be lowercase"),
    ('name = "a"\nkind = "rss"\nurl = "https://x.example/"\nenabled = "yes"', "'enabled' must be true or false, got 'yes'"),
    ('name = "a"\nkind = "rss"\nurl = "https://x.example/"\nlimit = 3', "(a): unknown key 'limit'"),
    ('name = "a"\nkind = "gdelt"\nmax_records = 1000', "'max_records' must be <= 250, got 1000"),
    ('name = "a"\nkind = "gdelt"\nmax_records = "75"', "'max_records' must be an integer, got '75'"),
    ('name = "a"\nkind = "rss"\nurl = "https://x.example/"\nwatchlist_filtre = false', "unknown key 'watchlist_filtre' (did you mean 'watchlist_filter'?)"),
    ('name = "a"\nkind = "gdelt"\ntimespan = "yesterday"', "'timespan' must look like"),
    ('name = "a"\nkind = "rss"\nurl = "https://x.example/"\ndisplay_name = { ar = "x", fr = "y" }',
     "'display_name' has unknown language 'fr' (use ar or en)"),
    ('name = "a"\nkind = "rss"\nurl = "https://x.example/"\ndisplay_name = ""', "'display_name' must not be blank"),
    ('name = "a"\nkind = "rss"\nurl = "https://x.example/"\nhome_url = "javascript:x"', "'home_url' must be an http(s) URL"),
    ('name = "a"\nkind = "rss"\nurl = "https://x.example/"\ndisplayname = "A"', "unknown key 'displayname' (did you mean 'display_name'?)"),
])
def test_bad_entries_name_file_entry_and_field(tmp_path, entry, message):
    path = write(tmp_path, f"[[source]]\n{entry}\n")
    with pytest.raises(ConfigError) as err:
        load_sources(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_display_name_and_home_url_name_the_outlet(tmp_path):
    path = write(tmp_path, '[[source]]\nname = "a"\nkind = "rss"\nurl = "https://x.example/f"\n'
                           'display_name = { ar = "الجزيرة", en = "Al Jazeera" }\nhome_url = "https://www.aljazeera.net/"\n'
                           '[[source]]\nname = "b"\nkind = "rss"\nurl = "https://y.example/f"\ndisplay_name = "BBC"\n')
    a, b = load_sources(path)
    assert a.display_name == {"ar": "الجزيرة", "en": "Al Jazeera"} and a.home_url == "https://www.aljazeera.net/"
    assert a.as_config()["display_name"] == {"ar": "الجزيرة", "en": "Al Jazeera"}  # stored in sources.config_json
    assert b.display_name == "BBC" and b.home_url is None
    shipped = load_sources(Path(__file__).resolve().parents[1] / "config" / "sources.toml")
    assert all(s.display_name for s in shipped)


def test_duplicate_names_and_bad_toml(tmp_path):
    one = '[[source]]\nname = "a"\nkind = "rss"\nurl = "https://x.example/"\n'
    with pytest.raises(ConfigError, match="used twice"):
        load_sources(write(tmp_path, one + one))
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_sources(write(tmp_path, "[[source]\nname="))


def test_defaults_and_disabled_sources(tmp_path):
    path = write(tmp_path, '[defaults]\nmax_items = 7\n[[source]]\nname = "a"\nkind = "rss"\n'
                           'url = "https://x.example/rss"\nenabled = false\n[[source]]\nname = "b"\nkind = "urls"\n'
                           'urls = ["https://x.example/1"]\n')
    a, b = load_sources(path)
    assert a.max_items == b.max_items == 7 and a.enabled is False
    assert b.watchlist_filter is False and a.watchlist_filter is True
    batch = collect([a], settings=FetchSettings(), watchlist=load_watchlist(CONFIG / "watchlist.toml"),
                    known_urls=set(), feed_state={})
    assert batch.log == [] and "disabled" in batch.notes[0].message


def test_watchlist_matches_after_arabic_normalisation():
    wl = load_watchlist(CONFIG / "watchlist.toml")
    for text in ("إنفيديا تخسر", "انفيديا", "ديب سيك", "شركة ديبسيك", "بالرقائق الإلكترونية", "قيود التصدير الأمريكية",
                 "قُيُود التَّصدير", "DeepSeek-R1", "NVIDIA shares", "export controls on chips"):
        assert wl.matches(text), text
    for text in ("مباراة كرة القدم", "pharmacy", "", None, "armchair"):
        assert not wl.matches(text), text


@pytest.mark.parametrize("toml,message", [
    ("", r"no \[\[group\]\] entries"),
    ('[[group]]\nar = ["x"]', "missing required key 'name'"),
    ('[[group]]\nname = "g"', "has no terms"),
    ('[[group]]\nname = "g"\nar = "ديب سيك"', r"\[\[group\]\] #1 \(g\): 'ar' must be a list"),
    ('[[group]]\nname = "g"\nen = ["x"]\nfr = ["y"]', "unknown key 'fr'"),
    ('gdelt_qury = "x"\n[[group]]\nname = "g"\nen = ["x"]', r"unknown key 'gdelt_qury' \(did you mean 'gdelt_query'\?\)"),
])
def test_bad_watchlist(tmp_path, toml, message):
    path = tmp_path / "watchlist.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_watchlist(path)


def test_fetch_settings_defaults_and_validation(tmp_path):
    s = FetchSettings()
    assert s.user_agent.startswith("Marsad/0.1 (+http") and s.per_host_concurrency == 1 and s.allowed_networks == ()
    (tmp_path / "marsad.toml").write_text('[fetch]\nmin_delay = 2\ncontact_url = "https://m.example/c"\n'
                                          'allowed_networks = ["127.0.0.0/8"]\n')
    loaded = load_fetch_settings(load_settings(tmp_path, env={}))
    assert loaded.min_delay == 2.0 and loaded.user_agent == "Marsad/0.1 (+https://m.example/c)"
    assert loaded.allowed_networks == ("127.0.0.0/8",)
    for table, message in (({"min_dealy": 1}, r"unknown key 'min_dealy' \(did you mean 'min_delay'\?\)"),
                           ({"retries": -1}, "'retries' must be >= 0, got -1"),
                           ({"retries": 1.5}, "'retries' must be an integer, got 1.5"),
                           ({"min_delay": "1"}, "'min_delay' must be a number, got '1'"),
                           ({"robots": "yes"}, "'robots' must be true or false"),
                           ({"allowed_networks": ["intranet"]}, "not an IP network"),
                           ({"connect_timeout": 60, "total_timeout": 10}, "must not exceed")):
        with pytest.raises(ConfigError, match=message):
            fetch_settings_from(table)


def test_gdelt_url_and_artlist_parsing():
    wl = load_watchlist(CONFIG / "watchlist.toml")
    url = gdelt_url(Source("g", "gdelt", "https://api.gdeltproject.org/api/v2/doc/doc", max_records=50), wl)
    q = parse_qs(urlsplit(url).query)
    assert q["mode"] == ["ArtList"] and q["format"] == ["json"] and q["maxrecords"] == ["50"]
    assert q["query"][0].endswith("sourcelang:arabic") and "deepseek" in q["query"][0]
    own = gdelt_url(Source("g", "gdelt", query='"huawei ascend"', timespan="24h"), wl)
    assert parse_qs(urlsplit(own).query)["query"] == ['"huawei ascend" sourcelang:arabic']
    items = parse_artlist('{"articles": [{"url": "https://ar.example/a?utm_source=x", "title": "ديب\\tسيك", '
                          '"seendate": "20250127T103000Z"}, {"url": 5}, {"title": "no url"}]}'.encode())
    assert [(i.url, i.title) for i in items] == [("https://ar.example/a", "ديب سيك")]
    assert items[0].published == datetime(2025, 1, 27, 10, 30, tzinfo=UTC)
    assert parse_artlist(b"{}") == [] and parse_artlist(b"") == []
    with pytest.raises(FeedError, match="Please limit requests"):
        parse_artlist(b"Please limit requests to one every 5 seconds")


def test_select_filters_before_fetching_and_counts_reasons():
    wl = load_watchlist(CONFIG / "watchlist.toml")
    now = datetime.now(UTC)
    items = [Item("https://a.example/1", "ديب سيك", published=now),
             Item("https://a.example/2", "كرة القدم", published=now),
             Item("https://a.example/3", "إنفيديا", published=now - timedelta(days=30)),
             Item("https://a.example/4", "إنفيديا"),
             Item("https://a.example/5", "رقائق"),
             Item("https://a.example/6", "رقائق", published=now)]
    batch, chosen = WebBatch(), {"https://a.example/6": Item("https://a.example/6", sources=["other"])}
    keep = select(batch, Source("a", "rss", "https://a.example/rss", max_items=1), items, watchlist=wl,
                  known_urls={"https://a.example/4"}, settings=FetchSettings(), chosen=chosen)
    assert [i.url for i in keep] == ["https://a.example/1"]
    assert batch.skipped["a"] == {"not_in_watchlist": 1, "too_old": 1, "already_stored": 1, "over_limit": 1,
                                  "duplicate_in_batch": 1}
    assert chosen["https://a.example/6"].sources == ["other", "a"]
    # an untitled entry (plain sitemap <url>) cannot be judged before fetching: it passes
    untitled = select(WebBatch(), Source("s", "sitemap", "https://a.example/sm.xml"), [Item("https://a.example/7")],
                      watchlist=wl, known_urls=set(), settings=FetchSettings(), chosen={})
    assert [i.url for i in untitled] == ["https://a.example/7"]


def test_offline_default_run_fails_soft_and_fast():
    """Every configured host unresolvable (as on this machine): one note per source, well under 10 s."""
    sources = load_sources(CONFIG / "sources.toml")

    def no_network(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    def hanging(host: str, port: int) -> list[str]:
        time.sleep(30)  # a resolver that never answers: the DNS timeout must cut it short
        return []

    for lookup, dns_timeout in ((no_network, 2.0), (hanging, 0.5)):
        started = time.monotonic()
        batch = collect(sources, settings=FetchSettings(dns_timeout=dns_timeout),
                        watchlist=load_watchlist(CONFIG / "watchlist.toml"), known_urls=set(), feed_state={},
                        resolver=Resolver(dns_timeout, lookup))
        elapsed = time.monotonic() - started
        assert elapsed < (dns_timeout + 3), elapsed
        notes = {n.item: n.message for n in batch.notes}
        assert set(notes) == {s.name for s in sources}
        assert all(m.count("\n") == 0 and "— skipped" in m and "unreachable" in m for m in notes.values()), notes
        assert batch.pages == [] and all(e.status in ("error", "skipped") for e in batch.log)

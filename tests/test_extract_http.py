"""`marsad extract URL` over a real HTTP server on 127.0.0.1 (never any other address).

The command goes through the daily run's guarded fetcher (`extractors.web.batch.fetch_one`):
the SSRF guard, robots.txt, caps and the User-Agent apply. The refusal tests never let a
packet leave for a forbidden address: a private one is tried through `RefusingTransport`
(which itself refuses anything not loopback), and the real-server test allows 127.0.0.0/8
only and asks for [::1], where the server also listens.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from extractors.core.errors import FetchError
from extractors.web.batch import fetch_one
from flows.commands import extract_one
from tests import webserver
from tests.loopback import RefusingTransport
from tests.webserver import loopback_fetch_settings

web_server = webserver.web_server
MARSAD = Path(sys.executable).with_name("marsad")
LOOPBACK = loopback_fetch_settings(retries=0)
SEEN: list[tuple[str, str]] = []  # (path, User-Agent) of every request the handler answered

ARTICLE = (
    "<html><head><title>قيود الرقائق</title>"
    '<link rel="canonical" href="/news/chips-2025"></head><body><article><h1>قيود جديدة على الرقائق</h1>'
    + "<p>أعلنت وزارة التجارة الأمريكية في 2 فبراير 2025 قيوداً جديدة على تصدير الرقائق المتقدمة إلى الصين، "
      "وقالت شركة إنفيديا إن القيود ستؤثر على مبيعاتها في السوق الصينية خلال العام الجاري.</p>" * 4
    + "</article></body></html>"
)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:
        SEEN.append((self.path, self.headers.get("User-Agent", "")))
        if self.path.startswith("/news/legacy"):
            body = ARTICLE.encode("cp1256")  # no <meta charset>: only the header tells
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=windows-1256")
        elif self.path == "/old":
            self.send_response(301)
            self.send_header("Location", "/news/legacy?utm_source=rss")
            body = b""
        else:
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
            body = b"not found"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_is_fetched_decoded_by_header_and_canonicalised(server):
    SEEN.clear()
    result = extract_one(f"{server}/old", LOOPBACK)
    assert result["lang"] == "ar"
    assert "إنفيديا" in result["text"] and "\ufffd" not in result["text"]
    assert result["canonical_url"] == f"{server}/news/chips-2025"
    assert result["published_at"] == "2025-02-02T00:00:00+00:00"
    # the one guarded door: robots.txt first, then the page and its redirect, with Marsad's User-Agent
    assert [p for p, _ in SEEN] == ["/robots.txt", "/old", "/news/legacy?utm_source=rss"]
    assert {ua for _, ua in SEEN} == {LOOPBACK.user_agent}


def test_http_error_is_a_fetch_error(server):
    with pytest.raises(FetchError, match="HTTP 404"):
        extract_one(f"{server}/missing", LOOPBACK)


def test_unreachable_server_fails_fast_with_a_clear_message():
    with socket.socket() as sock:  # a port that was free a moment ago: connection refused
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as info:
        extract_one(f"http://127.0.0.1:{port}/a", LOOPBACK)
    assert "cannot fetch" in str(info.value) and info.value.hint


@pytest.mark.parametrize("url", ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
                                 "http://[::ffff:192.168.0.1]/"])
def test_private_addresses_are_refused_without_a_connection(url):
    transport = RefusingTransport()
    result = fetch_one(url, LOOPBACK, transport=transport)
    assert not result.ok and result.entry.status == "refused" and "refused" in (result.entry.error or "")
    assert transport.seen == []  # the guard refused first: nothing reached even the safety net


def test_a_redirect_to_a_private_address_is_refused(web_server):
    transport = RefusingTransport()
    result = fetch_one(web_server.url("/to-metadata"), LOOPBACK, transport=transport)
    assert result.entry.status == "refused" and "169.254.169.254" in (result.entry.error or "")
    assert set(transport.seen) == {"127.0.0.1"}


def test_extract_refuses_ipv6_loopback_when_only_127_is_allowed(web_server):
    """A real server listens on [::1] too; allowed is 127.0.0.0/8 only: refused, never requested."""
    url = f"http://[::1]:{web_server.port}/story/deepseek"
    with pytest.raises(FetchError, match=r"refused .*::1"):
        extract_one(url, LOOPBACK)
    assert [r for r in web_server.requests if r.host == "::1"] == []


def test_marsad_extract_url_goes_through_the_guarded_fetcher(web_server, tmp_path):
    """The real binary: an allowed loopback page is extracted; [::1] is refused in one line."""
    config = tmp_path / "config"
    config.mkdir()
    root = Path(__file__).resolve().parents[1] / "config"
    for name in ("topics.toml", "entities.toml", "watchlist.toml", "recipients.toml"):
        (config / name).write_bytes((root / name).read_bytes())
    (config / "marsad.toml").write_text(webserver.marsad_fetch_toml(), encoding="utf-8")
    env = {**os.environ, "MARSAD_CONFIG": str(config)}

    ok = subprocess.run([str(MARSAD), "extract", web_server.url("/story/deepseek")], env=env,
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["title"] == "ديب سيك تهز الأسواق"
    (req,) = web_server.requests_to("/story/deepseek")[-1:]
    assert req.headers["user-agent"].startswith("Marsad/0.1")

    started = time.monotonic()
    refused = subprocess.run([str(MARSAD), "extract", f"http://[::1]:{web_server.port}/story/deepseek"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and refused.stdout == ""
    (line,) = refused.stderr.splitlines()
    assert line.startswith("Error: cannot fetch http://[::1]") and "refused" in line and "Traceback" not in refused.stderr
    assert [r for r in web_server.requests if r.host == "::1"] == []
    assert time.monotonic() - started < 10

"""`marsad extract URL` over a real HTTP server on 127.0.0.1 (never any other address)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from extractors.article.jsonl import extract_one
from extractors.core.errors import FetchError

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
    result = extract_one(f"{server}/old")
    assert result["lang"] == "ar"
    assert "إنفيديا" in result["text"] and "\ufffd" not in result["text"]
    assert result["canonical_url"] == f"{server}/news/chips-2025"
    assert result["published_at"] == "2025-02-02T00:00:00+00:00"


def test_http_error_is_a_fetch_error(server):
    with pytest.raises(FetchError, match="HTTP 404"):
        extract_one(f"{server}/missing")


def test_unreachable_server_fails_fast_with_a_clear_message():
    with socket.socket() as sock:  # a port that was free a moment ago: connection refused
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as info:
        extract_one(f"http://127.0.0.1:{port}/a")
    assert "cannot fetch" in str(info.value) and info.value.hint

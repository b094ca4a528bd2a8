"""A real HTTP/1.1 server on loopback for fetch tests, the flow e2e test and the benchmark.

Why our own: the hostile cases need control below what a framework offers (accept and never
answer, drip a byte at a time, an endless chunked body, a gzip bomb, redirect loops), and it
must listen on several loopback addresses at once (127.0.0.1, 127.0.0.2, … — one "host" each,
for per-host politeness) and optionally on [::1] (a forbidden target in SSRF tests). It runs
an asyncio loop in a daemon thread; every request is recorded (host, path, headers, time).

Routes are `async def handler(req, w)` keyed by path; `/fixtures/<path>` serves
`../shared/fixtures` in place (never copied). Reuse from other tests:

    from webserver import web_server, write_sources_toml, loopback_fetch_settings  # noqa: F401
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import socket
import struct
import threading
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SHARED_FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"
ARABIC_STORY = (
    "أعلنت شركة ديب سيك الصينية عن نموذج جديد للذكاء الاصطناعي، ما أدى إلى تراجع أسهم إنفيديا "
    "بنسبة سبعة عشر في المئة خلال يوم واحد. وقالت الشركة إن تكلفة تدريب النموذج بلغت نحو ستة "
    "ملايين دولار فقط، في وقت تفرض فيه الولايات المتحدة قيود التصدير على الرقائق المتقدمة. "
    "ويرى محللون أن هذه الخطوة قد تغير موازين المنافسة في سوق أشباه الموصلات."
)
OFF_TOPIC = "فاز المنتخب الوطني بكأس البطولة بعد مباراة مثيرة في العاصمة أمام جمهور غفير."


@dataclass
class Request:
    host: str
    port: int
    method: str
    path: str
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


Handler = Callable[[Request, asyncio.StreamWriter], Awaitable[None]]


async def send(w: asyncio.StreamWriter, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
               reason: str = "") -> None:
    """Write one complete response (Content-Length set unless the caller set its own)."""
    hdrs = {"Content-Length": str(len(body)), **(headers or {})}
    head = f"HTTP/1.1 {status} {reason or 'X'}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items()) + "\r\n"
    w.write(head.encode("latin-1") + body)
    await w.drain()


def article_html(title: str, body: str = ARABIC_STORY, *, canonical: str | None = None, amp: bool = False,
                 charset: str | None = "utf-8", lang: str = "ar") -> str:
    """A small but realistic Arabic article page (enough text for trafilatura)."""
    meta = f'<meta charset="{charset}">' if charset else ""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    amp_attr = " amp" if amp else ""
    paras = "".join(f"<p>{body} {i}</p>" for i in range(4))
    return (f'<!doctype html><html lang="{lang}" dir="rtl"{amp_attr}><head>{meta}<title>{title}</title>{link}'
            f'<meta property="og:title" content="{title}"></head><body><nav>الرئيسية | اقتصاد</nav>'
            f"<article><h1>{title}</h1>{paras}</article><footer>جميع الحقوق محفوظة</footer></body></html>")


def rss(items: list[tuple[str, str, str]], *, title: str = "أخبار", base: str = "") -> str:
    """RSS 2.0 with (link, title, description) items; links may be relative."""
    date = email.utils.formatdate(usegmt=True)
    body = "".join(f"<item><title>{t}</title><link>{base}{link}</link><description>{d}</description>"
                   f"<pubDate>{date}</pubDate></item>" for link, t, d in items)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>{body}</channel></rss>'


class WebServer:
    """One server object, several listening addresses sharing one port."""

    def __init__(self, hosts: tuple[str, ...] = ("127.0.0.1", "127.0.0.2", "127.0.0.3"), *, ipv6: bool = False,
                 fixtures: Path | None = SHARED_FIXTURES) -> None:
        self.hosts = hosts
        self.ipv6 = ipv6
        self.fixtures = fixtures
        self.routes: dict[str, Handler] = {}
        self.robots: dict[str, str | int] = {}  # host → robots.txt body, or an HTTP status (absent: 404)
        self.requests: list[Request] = []
        self.hits: dict[str, int] = {}           # path → count (for "500 then 200")
        self.port = 0
        self.loop = asyncio.new_event_loop()
        self._servers: list[asyncio.base_events.Server] = []
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="webserver")

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> WebServer:
        self._thread.start()
        for _ in range(20):
            try:
                asyncio.run_coroutine_threadsafe(self._bind(), self.loop).result(10)
                return self
            except OSError:
                asyncio.run_coroutine_threadsafe(self._unbind(), self.loop).result(10)
        raise RuntimeError("could not bind the test server on one port across loopback addresses")

    async def _bind(self) -> None:
        addrs = list(self.hosts) + (["::1"] if self.ipv6 else [])
        first = await asyncio.start_server(self._conn, addrs[0], 0, backlog=1024)
        self._servers = [first]
        self.port = first.sockets[0].getsockname()[1]
        for host in addrs[1:]:
            fam = socket.AF_INET6 if ":" in host else socket.AF_INET
            self._servers.append(await asyncio.start_server(self._conn, host, self.port, family=fam, backlog=1024))

    async def _unbind(self) -> None:
        for srv in self._servers:
            srv.close()
        self._servers = []

    async def _cancel_all(self) -> None:
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._unbind(), self.loop).result(5)
            asyncio.run_coroutine_threadsafe(self._cancel_all(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        if not self._thread.is_alive():
            self.loop.close()  # an unclosed loop is a ResourceWarning, and warnings are errors

    # -- addressing ------------------------------------------------------------------------
    def base(self, i: int = 0) -> str:
        return f"http://{self.hosts[i]}:{self.port}"

    def url(self, path: str, i: int = 0) -> str:
        return self.base(i) + path

    def route(self, path: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self.routes[path] = fn
            return fn
        return deco

    def static(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8",
               *, etag: str | None = None, last_modified: str | None = None, headers: dict[str, str] | None = None) -> None:
        """Serve fixed bytes at `path`, answering conditional requests with 304."""
        data = body.encode("utf-8") if isinstance(body, str) else body

        async def handler(req: Request, w: asyncio.StreamWriter) -> None:
            if (etag and req.headers.get("if-none-match") == etag) or (
                    last_modified and req.headers.get("if-modified-since") == last_modified):
                await send(w, 304, b"", {k: v for k, v in (("ETag", etag), ("Last-Modified", last_modified)) if v})
                return
            extra = {k: v for k, v in (("ETag", etag), ("Last-Modified", last_modified)) if v}
            ctype = {"Content-Type": content_type} if content_type else {}
            await send(w, 200, data, {**ctype, **extra, **(headers or {})})

        self.routes[path] = handler

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    # -- connection handling ---------------------------------------------------------------
    async def _conn(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("sockname")
        host, port = sock[0], sock[1]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = (lines[0].split(" ", 2) + ["", ""])[:3]
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                req = Request(host, port, method, target, headers)
                self.requests.append(req)
                path = target.split("?", 1)[0]
                self.hits[path] = self.hits.get(path, 0) + 1
                await self._dispatch(req, path, writer)
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, asyncio.CancelledError):
            pass  # client went away, or the server is stopping
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _dispatch(self, req: Request, path: str, w: asyncio.StreamWriter) -> None:
        if path == "/robots.txt":
            text = self.robots.get(req.host)
            if text is None:
                await send(w, 404, b"no robots", {"Content-Type": "text/plain"})
            elif isinstance(text, int):
                await send(w, text, b"robots unavailable", {"Content-Type": "text/plain"})
            else:
                await send(w, 200, text.encode(), {"Content-Type": "text/plain"})
            return
        handler = self.routes.get(path)
        if handler is not None:
            await handler(req, w)
            return
        if path.startswith("/fixtures/") and self.fixtures is not None:
            file = (self.fixtures / path.removeprefix("/fixtures/")).resolve()
            if file.is_file() and self.fixtures.resolve() in file.parents:
                ctype = "application/xml" if file.suffix == ".xml" else "text/html"  # no charset: sniffing is tested
                await send(w, 200, file.read_bytes(), {"Content-Type": ctype})
                return
        await send(w, 404, b"not found", {"Content-Type": "text/plain"}, "Not Found")


async def reset_connection(req: Request, w: asyncio.StreamWriter) -> None:
    """Answer nothing and reset the TCP connection (RST, not FIN): the client sees ECONNRESET."""
    sock = w.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    w.transport.abort()


async def close_connection(req: Request, w: asyncio.StreamWriter) -> None:
    """Close the connection without a response (FIN): "server disconnected"."""
    w.close()


def gzip_bomb_bytes(megabytes: int) -> bytes:
    """A gzip stream of `megabytes` MB of zeros, built without holding them in memory."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * (1 << 20)
    return b"".join([*(comp.compress(zeros) for _ in range(megabytes)), comp.flush()])


def add_hostile_routes(srv: WebServer) -> None:
    """The issue's hostile cases, each at its own path on host 0."""
    srv.static("/status/404", b"gone", "text/plain")  # replaced below to really send 404

    async def not_found(req: Request, w: asyncio.StreamWriter) -> None:
        await send(w, 404, b"not here", {"Content-Type": "text/html"}, "Not Found")

    async def flaky(req: Request, w: asyncio.StreamWriter) -> None:  # 500 then 200
        if srv.hits[req.path] == 1:
            await send(w, 500, b"oops", {"Content-Type": "text/html"}, "Internal Server Error")
        else:
            await send(w, 200, article_html("ديب سيك بعد عطل مؤقت").encode(), {"Content-Type": "text/html; charset=utf-8"})

    async def ratelimited(req: Request, w: asyncio.StreamWriter) -> None:  # 429 Retry-After then 200
        if srv.hits[req.path] == 1:
            await send(w, 429, b"slow down", {"Retry-After": "1", "Content-Type": "text/plain"}, "Too Many Requests")
        else:
            await send(w, 200, article_html("إنفيديا بعد المهلة").encode(), {"Content-Type": "text/html; charset=utf-8"})

    async def hang(req: Request, w: asyncio.StreamWriter) -> None:  # accepts, never answers
        await asyncio.sleep(3600)

    async def drip(req: Request, w: asyncio.StreamWriter) -> None:  # one byte at a time, forever-ish
        w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
        for _ in range(100000):
            w.write(b"x")
            await w.drain()
            await asyncio.sleep(0.1)

    async def endless(req: Request, w: asyncio.StreamWriter) -> None:  # chunked, never ends
        w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"<p>" + b"a" * 65530 + b"</p>"
        while True:
            w.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            await w.drain()

    bomb = gzip_bomb_bytes(64)  # 64 MB of zeros in ~64 KB on the wire (production cap: 20 MB)

    async def gzip_bomb(req: Request, w: asyncio.StreamWriter) -> None:
        await send(w, 200, bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip"})

    def redirect(to: str) -> Handler:
        async def handler(req: Request, w: asyncio.StreamWriter) -> None:
            await send(w, 302, b"", {"Location": to})
        return handler

    async def huge(req: Request, w: asyncio.StreamWriter) -> None:  # 30 MB page, no Content-Length
        w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"<p>" + "نص".encode() * 20000 + b"</p>"
        sent = 0
        while sent < 30 * 1024 * 1024:
            w.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
            await w.drain()
        w.write(b"0\r\n\r\n")

    srv.routes.update({
        "/status/404": not_found, "/flaky": flaky, "/ratelimited": ratelimited, "/hang": hang,
        "/drip": drip, "/endless": endless, "/bomb": gzip_bomb, "/loop/a": redirect("/loop/b"),
        "/loop/b": redirect("/loop/a"), "/to-private": redirect("http://10.0.0.1/admin"),
        "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
        "/to-ipv6": redirect(f"http://[::1]:{srv.port}/secret"), "/huge": huge,
    })
    if SHARED_FIXTURES.is_dir():
        cp1256 = (SHARED_FIXTURES / "html" / "ar_snippet_windows-1256_undeclared.html").read_bytes()
        srv.static("/cp1256", cp1256, "text/html")  # no charset anywhere
    srv.static("/amp/story", article_html("ديب سيك: نسخة AMP", canonical=srv.url("/story/deepseek"), amp=True))
    srv.static("/story/deepseek", article_html("ديب سيك تهز الأسواق", canonical=srv.url("/story/deepseek")))
    srv.static("/private/secret", article_html("ديب سيك سر"))
    srv.robots[srv.hosts[0]] = "User-agent: *\nDisallow: /private/\n"


def loopback_fetch_settings(**overrides):
    """FetchSettings for loopback tests: 127.0.0.0/8 allowed, short timeouts, tiny delays."""
    from extractors.web.settings import FetchSettings

    values = dict(allowed_networks=("127.0.0.0/8",), min_delay=0.0, connect_timeout=1.0, read_timeout=1.0,
                  total_timeout=2.0, dns_timeout=1.0, retries=2, backoff=0.05, jitter=0.02, retry_after_cap=2.0,
                  max_bytes=2_000_000, max_decompressed_bytes=4_000_000, max_redirects=4)
    values.update(overrides)
    return FetchSettings(**values)




def write_sources_toml(path: Path, srv: WebServer, feeds: dict[str, str], *, extra: str = "") -> Path:
    """A sources.toml with one rss source per (name → path on srv) — for the flow e2e test."""
    body = "".join(f'[[source]]\nname = "{name}"\nkind = "rss"\nurl = "{srv.url(p)}"\n\n' for name, p in feeds.items())
    path.write_text(body + extra, encoding="utf-8")
    return path


def marsad_fetch_toml(min_delay: float = 0.0) -> str:
    """The [fetch] table a test marsad.toml needs to let the fetcher reach loopback."""
    return (f'[fetch]\nallowed_networks = ["127.0.0.0/8"]\nmin_delay = {min_delay}\nconnect_timeout = 1.0\n'
            'read_timeout = 1.0\ntotal_timeout = 2.0\nretries = 1\nbackoff = 0.05\njitter = 0.02\n')


@pytest.fixture(scope="module")
def web_server():
    """A started WebServer on 127.0.0.1–3 (+[::1]) with the hostile routes; stopped after the module."""
    srv = WebServer(ipv6=True).start()
    add_hostile_routes(srv)
    yield srv
    srv.stop()

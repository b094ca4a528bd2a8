"""Loopback helpers shared by the tests that start real servers (Prefect, SMTP, HTTP)."""

from __future__ import annotations

import ipaddress
import socket

import httpx


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the server binds it a moment later)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RefusingTransport(httpx.AsyncBaseTransport):
    """The SSRF tests' safety net: records every request it is asked to send, and refuses
    (raises, without connecting) any that is not for a loopback address. If the guard in
    front of it were broken, a test would see the forbidden host in `seen` — and still no
    packet would leave this machine."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.seen: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        self.seen.append(host)
        if not ipaddress.ip_address(host).is_loopback:
            raise httpx.ConnectError(f"test transport refused to connect to {host}")
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

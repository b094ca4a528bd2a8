"""SSRF guard: Marsad only talks to public addresses unless the config says otherwise.

URLs come from feeds, sitemaps and GDELT — i.e. from strangers. A feed item (or a redirect)
pointing at `http://169.254.169.254/` or `http://10.0.0.1/admin` must not make the pipeline
probe the machine's own network. The guard is an httpx *transport wrapper*, so it runs for
every request the client sends, including each redirect hop, and it:

1. resolves the host name itself (concurrently, with a short timeout, cached per run — an
   unresolvable host costs one lookup, not one per URL and retry);
2. refuses the request if ANY resolved address is not global (private, loopback, link-local,
   CGNAT, multicast, reserved …) unless it falls in `allowed_networks`;
3. rewrites the request to connect to the address it checked (keeping the Host header and the
   TLS server name), so a second, different DNS answer (DNS rebinding) cannot slip through.

Resolution runs in daemon threads rather than the loop's default executor: a stuck resolver
must neither delay `asyncio.run()` shutdown nor keep the process alive.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable

import httpx

from extractors.core.errors import ConfigError, DnsError, RefusedError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_DNS_TIMEOUT = 2.0
ALLOWED_SCHEMES = frozenset({"http", "https"})


def parse_networks(values: Iterable[str], *, where: str = "[fetch] allowed_networks") -> tuple[IPNetwork, ...]:
    """Turn config strings ("127.0.0.0/8", "::1") into networks, or say which one is wrong."""
    nets = []
    for value in values:
        try:
            nets.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError as exc:
            raise ConfigError(f"{where}: {value!r} is not an IP network", hint='use CIDR such as "127.0.0.0/8"') from exc
    return tuple(nets)


def _effective(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
    return ip


def check_address(ip: IPAddress | str, allowed: tuple[IPNetwork, ...] = ()) -> None:
    """Raise RefusedError unless `ip` is a public address or inside an allowed network."""
    addr = _effective(ipaddress.ip_address(ip) if isinstance(ip, str) else ip)
    if any(addr.version == net.version and addr in net for net in allowed):
        return
    if addr.is_global and not addr.is_multicast:
        return
    kind = (
        "loopback" if addr.is_loopback
        else "link-local" if addr.is_link_local
        else "private" if addr.is_private
        else "multicast" if addr.is_multicast
        else "non-public"
    )
    raise RefusedError(
        f"refused: {addr} is a {kind} address",
        hint="add its network to [fetch] allowed_networks only if this is intended",
    )


def system_lookup(host: str, port: int) -> list[str]:
    """The OS resolver (getaddrinfo): addresses for host, in its preferred order."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


class Resolver:
    """Per-run DNS cache with a timeout; failures are cached too (fail once, fail fast).

    `lookup` is the injectable seam (default: the OS resolver); tests pass a table lookup so
    that they can resolve names to loopback or private addresses without sending DNS packets.
    """

    def __init__(self, timeout: float = DEFAULT_DNS_TIMEOUT,
                 lookup: Callable[[str, int], list[str]] | None = None) -> None:
        self.timeout = timeout
        self.lookup = lookup or system_lookup
        self._cache: dict[tuple[str, int], asyncio.Future[list[IPAddress]]] = {}
        self.lookups = 0
        self._loop: asyncio.AbstractEventLoop | None = None

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # futures belong to one loop: a new run starts a fresh cache
            self._cache, self._loop = {}, loop
        key = (host.lower(), port)
        fut = self._cache.get(key)
        if fut is None:
            fut = loop.create_future()
            self._cache[key] = fut
            self.lookups += 1
            threading.Thread(target=_lookup, args=(self.lookup, loop, fut, host, port), daemon=True).start()
        try:
            return await asyncio.wait_for(asyncio.shield(fut), self.timeout)
        except TimeoutError:
            if not fut.done():
                fut.set_exception(DnsError(f"DNS lookup for {host} timed out after {self.timeout:g}s"))
                fut.exception()  # mark retrieved
            raise DnsError(f"DNS lookup for {host} timed out after {self.timeout:g}s") from None


def _lookup(lookup: Callable[[str, int], list[str]], loop: asyncio.AbstractEventLoop, fut: asyncio.Future,
            host: str, port: int) -> None:
    try:
        addresses: list[IPAddress] = []
        for answer in lookup(host, port):
            addr = ipaddress.ip_address(str(answer).split("%", 1)[0])
            if addr not in addresses:
                addresses.append(addr)
        result: list[IPAddress] | BaseException = addresses or DnsError(f"DNS lookup for {host} returned no addresses")
    except (OSError, UnicodeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        result = DnsError(f"DNS failed for {host}: {reason}")

    def settle() -> None:
        if fut.done():
            return
        if isinstance(result, BaseException):
            fut.set_exception(result)
            fut.exception()
        else:
            fut.set_result(result)

    with contextlib.suppress(RuntimeError):  # loop already closed: nobody is waiting any more
        loop.call_soon_threadsafe(settle)


class GuardedTransport(httpx.AsyncBaseTransport):
    """Wraps a transport; every request (and redirect hop) is checked before it leaves."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        allowed_networks: tuple[IPNetwork, ...] = (),
        resolver: Resolver | None = None,
    ) -> None:
        self.inner = inner
        self.allowed = allowed_networks
        self.resolver = resolver or Resolver()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ALLOWED_SCHEMES:
            raise RefusedError(f"refused: scheme {url.scheme!r} (only http and https are fetched)")
        host = url.host
        if not host:
            raise RefusedError(f"refused: no host in {url}")
        port = url.port or (443 if url.scheme == "https" else 80)
        addresses = await self.resolver.resolve(host, port)
        for addr in addresses:  # every answer must be acceptable, not just the first
            try:
                check_address(addr, self.allowed)
            except RefusedError as exc:
                if str(addr) != host:
                    raise RefusedError(f"refused: {host} resolves to {addr}, {str(exc).split(' is ', 1)[1]}", hint=exc.hint) from None
                raise
        target = addresses[0]
        if str(target) != host:
            extensions = dict(request.extensions)
            if url.scheme == "https":
                extensions.setdefault("sni_hostname", host)
            request = httpx.Request(
                request.method,
                url.copy_with(host=str(target)),
                headers=request.headers,  # keeps the original Host header
                stream=request.stream,
                extensions=extensions,
            )
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

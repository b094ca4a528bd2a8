"""Content-Encoding without trusting the sender: decompression under a hard output cap.

httpx would inflate each received chunk completely; one 64 KB chunk of a gzip bomb can
become ~64 MB at once. We read the raw stream and inflate it ourselves with
`zlib.decompressobj(...).decompress(data, max_length)`, so memory never exceeds the cap
however hostile the body (the same helper unpacks `sitemap.xml.gz` files).
"""

from __future__ import annotations

import zlib

from extractors.core.errors import FetchError, TooLargeError


class CappedDecoder:
    """Undo Content-Encoding incrementally, refusing to produce more than `limit` bytes."""

    def __init__(self, encoding: str | None, limit: int) -> None:
        enc = (encoding or "identity").strip().lower()
        if enc in ("", "identity"):
            self._d = None
        elif enc in ("gzip", "x-gzip"):
            self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self._d = zlib.decompressobj()  # zlib-wrapped; raw deflate handled on first error
            self._raw_ok = True
        else:
            raise FetchError(f"unsupported Content-Encoding {encoding!r}")
        self.enc = enc
        self.limit = limit
        self.out: list[bytes] = []
        self.size = 0

    def feed(self, chunk: bytes) -> None:
        if self._d is None:
            self._add(chunk)
            return
        data = chunk
        while data:
            try:
                piece = self._d.decompress(data, self.limit - self.size + 1)
            except zlib.error as exc:
                if self.enc == "deflate" and self.size == 0 and getattr(self, "_raw_ok", False):
                    self._raw_ok = False
                    self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise FetchError(f"corrupt {self.enc} body: {exc}") from exc
            self._add(piece)
            data = self._d.unconsumed_tail

    def _add(self, piece: bytes) -> None:
        self.size += len(piece)
        if self.size > self.limit:
            raise TooLargeError(f"body larger than {self.limit:,} bytes once decompressed")
        if piece:
            self.out.append(piece)

    def finish(self) -> bytes:
        if self._d is not None:
            self._add(self._d.flush())
        return b"".join(self.out)


def decompress_capped(data: bytes, limit: int, encoding: str = "gzip") -> bytes:
    """Decompress a whole buffer (e.g. sitemap.xml.gz) under the same cap as HTTP bodies."""
    dec = CappedDecoder(encoding, limit)
    dec.feed(data)
    return dec.finish()

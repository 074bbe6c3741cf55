"""Reading a response body within limits: raw bytes and decoded bytes both count.

We ask for ``gzip, deflate`` only and decode them ourselves with ``zlib`` in bounded
steps (``max_length``), so a decompression bomb is stopped at the cap without ever
holding more than one step of output beyond it.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

from newsstand.core.errors import BadEncoding, TooLarge

DECODE_STEP = 64 * 1024
READ_STEP = 64 * 1024

_GZIP_WBITS = 16 + zlib.MAX_WBITS
_ZLIB_WBITS = zlib.MAX_WBITS
_RAW_DEFLATE_WBITS = -zlib.MAX_WBITS


def content_coding(header_values: list[str]) -> str:
    """The single content coding of a response: "", "gzip" or "deflate".

    Raises ``BadEncoding`` for stacked codings ("gzip, gzip") or unknown ones ("br").
    """
    codings = [
        part.strip().lower()
        for value in header_values
        for part in value.split(",")
        if part.strip() and part.strip().lower() != "identity"
    ]
    if len(codings) > 1:
        raise BadEncoding(f"stacked content codings refused: {', '.join(codings)}")
    if not codings:
        return ""
    coding = {"x-gzip": "gzip"}.get(codings[0], codings[0])
    if coding not in ("gzip", "deflate"):
        raise BadEncoding(f"content coding {coding!r} refused")
    return coding


async def read_body(chunks: AsyncIterator[bytes], coding: str, max_bytes: int) -> bytes:
    """Read ``chunks`` (raw body bytes) and decode ``coding``; return the decoded body.

    Raises ``TooLarge`` when the raw or the decoded size passes ``max_bytes``, and
    ``BadEncoding`` when the compressed data is corrupt.
    """
    raw_size = 0
    decoder = Decoder(coding, max_bytes)
    async for chunk in chunks:
        raw_size += len(chunk)
        if raw_size > max_bytes:
            raise TooLarge(f"body is larger than {max_bytes} bytes")
        decoder.feed(chunk)
    return decoder.finish()


class Decoder:
    """Decodes a body incrementally, in output steps of at most DECODE_STEP bytes.

    ``feed`` and ``finish`` raise ``TooLarge`` once the decoded size passes ``max_bytes``
    and ``BadEncoding`` on corrupt compressed data.
    """

    def __init__(self, coding: str, max_bytes: int) -> None:
        self._coding = coding
        self._max_bytes = max_bytes
        self._out = bytearray()
        self._zlib: zlib._Decompress | None = None
        self._done = False  # a complete stream was read; what follows is ignored

    def feed(self, data: bytes) -> None:
        if not self._coding:
            self._append(data)
        elif not self._done and data:
            self._inflate(data)

    def finish(self) -> bytes:
        if self._zlib is not None and not self._done:
            self._inflate(b"")
        return bytes(self._out)

    def _append(self, piece: bytes) -> None:
        self._out += piece
        if len(self._out) > self._max_bytes:
            raise TooLarge(f"decoded body is larger than {self._max_bytes} bytes")

    def _inflate(self, data: bytes) -> None:
        if self._zlib is None:
            self._zlib = _new_decompressor(self._coding, data)
        pending = data
        while True:
            try:
                piece = self._zlib.decompress(pending, DECODE_STEP)
            except zlib.error as exc:
                raise BadEncoding(f"corrupt compressed body: {exc}") from exc
            self._append(piece)
            pending = self._zlib.unconsumed_tail
            if self._zlib.eof:
                pending = self._next_member(self._zlib.unused_data)
                if self._done:
                    return
            if not pending and len(piece) < DECODE_STEP:
                return

    def _next_member(self, rest: bytes) -> bytes:
        """After a complete stream: start the next gzip member, or ignore trailing bytes."""
        if self._coding == "gzip" and rest.startswith(b"\x1f\x8b"):
            self._zlib = zlib.decompressobj(_GZIP_WBITS)
            return rest
        self._done = True
        return b""


def _new_decompressor(coding: str, first: bytes) -> zlib._Decompress:
    if coding == "gzip":
        return zlib.decompressobj(_GZIP_WBITS)
    # "deflate" means zlib-wrapped data (RFC 9110), but some servers send raw deflate.
    wrapped = len(first) >= 2 and (first[0] & 0x0F) == 8 and ((first[0] << 8) | first[1]) % 31 == 0
    return zlib.decompressobj(_ZLIB_WBITS if wrapped else _RAW_DEFLATE_WBITS)

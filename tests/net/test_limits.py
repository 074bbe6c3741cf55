"""Resource limits: body caps (raw and decoded), codings, the overall deadline, concurrency."""

from __future__ import annotations

import asyncio
import gzip
import socket
import time
import tracemalloc
import zlib

import pytest

from net.fixtures import make_policy
from net.servers import (
    Origin,
    RawOrigin,
    Reply,
    StubResolver,
    endless,
    read_request_head,
    response_head,
)
from newsstand.core.errors import (
    BadEncoding,
    BadResponse,
    ConnectError,
    FetchError,
    Timeout,
    TooLarge,
)
from newsstand.net import Fetcher, FetchPolicy, FetchRequest, FetchResult, fetch_many_sync
from newsstand.net.body import DECODE_STEP, Decoder

MiB = 1024 * 1024
TEXT = b"<rss><channel><title>compressible</title></channel></rss>\n" * 2000


def fetch_one(policy: FetchPolicy, url: str) -> FetchResult | FetchError:
    (outcome,) = fetch_many_sync(policy, [FetchRequest(url)])
    return outcome


def zeros_compressed(size: int, wbits: int) -> bytes:
    """``size`` zero bytes compressed with ``wbits``, built without holding them all."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = bytes(MiB)
    parts = [compressor.compress(block) for _ in range(size // MiB)]
    return b"".join([*parts, compressor.flush()])


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    return zeros_compressed(64 * MiB, 16 + zlib.MAX_WBITS)


# --- size caps ---------------------------------------------------------------------------


def test_huge_content_length_is_refused_before_reading(policy: FetchPolicy) -> None:
    def lying(conn: socket.socket) -> None:
        read_request_head(conn)
        conn.sendall(response_head(200, {"Content-Length": str(10 * 1024**3)}) + b"x" * 1000)
        conn.recv(1)  # wait for the client to hang up; it must not wait for the body

    with RawOrigin(lying) as server:
        assert isinstance(fetch_one(policy, server.url("/", host="public.test")), TooLarge)


def test_endless_chunked_body_aborts_at_the_cap(policy: FetchPolicy, origin: Origin) -> None:
    origin.route("/feed", Reply(chunks=endless()))
    assert isinstance(fetch_one(policy, origin.url("/feed", host="public.test")), TooLarge)


def test_endless_body_until_close_aborts_at_the_cap(policy: FetchPolicy) -> None:
    def flood(conn: socket.socket) -> None:
        read_request_head(conn)
        conn.sendall(response_head(200, {"Connection": "close"}))
        for chunk in endless():
            conn.sendall(chunk)

    with RawOrigin(flood) as server:
        assert isinstance(fetch_one(policy, server.url("/", host="public.test")), TooLarge)


def test_body_at_the_cap_is_accepted(resolver: StubResolver, origin: Origin) -> None:
    policy = make_policy(resolver, max_bytes=len(TEXT))
    origin.route("/feed", Reply(body=TEXT))
    result = fetch_one(policy, origin.url("/feed", host="public.test"))
    assert isinstance(result, FetchResult)
    assert result.body == TEXT
    origin.route("/feed", Reply(body=TEXT + b"!"))
    assert isinstance(fetch_one(policy, origin.url("/feed", host="public.test")), TooLarge)


# --- content codings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("coding", "encoded"),
    [
        ("gzip", gzip.compress(TEXT)),
        ("x-gzip", gzip.compress(TEXT)),
        ("deflate", zlib.compress(TEXT)),
        ("deflate", zlib.compress(TEXT)[2:-4]),  # raw deflate, as some servers send it
        ("identity", TEXT),
        ("GZIP", gzip.compress(TEXT[:100]) + gzip.compress(TEXT[100:])),  # two members
    ],
)
def test_supported_codings_are_decoded(
    policy: FetchPolicy, origin: Origin, coding: str, encoded: bytes
) -> None:
    origin.route("/feed", Reply(body=encoded, headers={"Content-Encoding": coding}))
    result = fetch_one(policy, origin.url("/feed", host="public.test"))
    assert isinstance(result, FetchResult)
    assert result.body == TEXT


def test_gzip_bomb_aborts_at_the_cap(policy: FetchPolicy, origin: Origin, gzip_bomb: bytes) -> None:
    origin.route("/feed", Reply(body=gzip_bomb, headers={"Content-Encoding": "gzip"}))
    assert len(gzip_bomb) < policy.max_bytes  # only the decoded size can trip the cap
    assert isinstance(fetch_one(policy, origin.url("/feed", host="public.test")), TooLarge)


def test_deflate_bomb_aborts_at_the_cap(policy: FetchPolicy, origin: Origin) -> None:
    bomb = zeros_compressed(64 * MiB, zlib.MAX_WBITS)
    origin.route("/feed", Reply(body=bomb, headers={"Content-Encoding": "deflate"}))
    assert isinstance(fetch_one(policy, origin.url("/feed", host="public.test")), TooLarge)


def test_bomb_decoding_never_holds_a_huge_chunk(gzip_bomb: bytes) -> None:
    decoder = Decoder("gzip", MiB)
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge):
            decoder.feed(gzip_bomb)  # the whole 64 MiB bomb in one raw read
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MiB + 16 * DECODE_STEP


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Encoding": "gzip, gzip"},
        {"Content-Encoding": "gzip,deflate"},
        {"Content-Encoding": "br"},
        {"Content-Encoding": "zstd"},
        {"Content-Encoding": "compress"},
    ],
)
def test_stacked_and_unknown_codings_are_refused(
    policy: FetchPolicy, origin: Origin, headers: dict[str, str]
) -> None:
    body = gzip.compress(gzip.compress(TEXT))
    origin.route("/feed", Reply(body=body, headers=headers))
    assert isinstance(fetch_one(policy, origin.url("/feed", host="public.test")), BadEncoding)


def test_two_content_encoding_headers_are_stacked(policy: FetchPolicy) -> None:
    body = gzip.compress(gzip.compress(TEXT))

    def twice(conn: socket.socket) -> None:
        read_request_head(conn)
        head = (
            "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Encoding: gzip\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        conn.sendall(head.encode() + body)

    with RawOrigin(twice) as server:
        error = fetch_one(policy, server.url("/", host="public.test"))
    assert isinstance(error, BadEncoding)


def test_corrupt_gzip_is_a_bad_encoding(policy: FetchPolicy, origin: Origin) -> None:
    body = b"\x1f\x8b\x08\x00garbage-that-is-not-deflate" * 10
    origin.route("/feed", Reply(body=body, headers={"Content-Encoding": "gzip"}))
    assert isinstance(fetch_one(policy, origin.url("/feed", host="public.test")), BadEncoding)


# --- deadline, slow peers ----------------------------------------------------------------


def trickle(conn: socket.socket) -> None:
    """Send a small answer one byte every 0.3 s (about 30 s in all)."""
    read_request_head(conn)
    conn.sendall(response_head(200, {"Content-Length": "100"}))
    for _ in range(100):
        conn.sendall(b"x")
        time.sleep(0.3)


def test_trickling_server_hits_the_deadline_and_frees_the_slot(
    resolver: StubResolver, origin: Origin
) -> None:
    policy = make_policy(resolver, timeout=1.5, concurrency=1)
    origin.route("/feed", Reply(body=b"fast"))

    async def run(slow_url: str) -> list[FetchResult | FetchError]:
        async with Fetcher(policy) as fetcher:
            slow = await fetcher.fetch_many([FetchRequest(slow_url)])
            fast = await fetcher.fetch_many([FetchRequest(origin.url("/feed", host="public.test"))])
            return slow + fast

    with RawOrigin(trickle) as server:
        slow, fast = asyncio.run(run(server.url("/", host="public.test")))
    assert isinstance(slow, Timeout)
    assert isinstance(fast, FetchResult)
    assert fast.body == b"fast"


def test_trickled_headers_hit_the_deadline(resolver: StubResolver) -> None:
    def slow_head(conn: socket.socket) -> None:
        read_request_head(conn)
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 100:
            conn.sendall(bytes([byte]))
            time.sleep(0.3)

    policy = make_policy(resolver, timeout=1.5)
    with RawOrigin(slow_head) as server:
        assert isinstance(fetch_one(policy, server.url("/", host="public.test")), Timeout)


def test_slow_resolver_hits_the_deadline() -> None:
    async def sleepy(host: str, port: int) -> list[str]:
        await asyncio.sleep(10)
        return ["127.0.0.1"]

    policy = make_policy(sleepy, timeout=1.5, connect_timeout=1.0)
    assert isinstance(fetch_one(policy, "http://slow-dns.test/"), Timeout)


def test_oversized_headers_are_a_bad_response(policy: FetchPolicy) -> None:
    def fat_head(conn: socket.socket) -> None:
        read_request_head(conn)
        conn.sendall(response_head(200, {"X-Fat": "z" * MiB, "Content-Length": "0"}))

    with RawOrigin(fat_head) as server:
        assert isinstance(fetch_one(policy, server.url("/", host="public.test")), BadResponse)


def test_truncated_body_is_a_bad_response(policy: FetchPolicy) -> None:
    def short(conn: socket.socket) -> None:
        read_request_head(conn)
        conn.sendall(response_head(200, {"Content-Length": "1000"}) + b"only this")

    with RawOrigin(short) as server:
        assert isinstance(fetch_one(policy, server.url("/", host="public.test")), BadResponse)


def test_closed_port_is_a_connect_error(policy: FetchPolicy) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    assert isinstance(fetch_one(policy, f"http://public.test:{port}/"), ConnectError)


# --- concurrency -------------------------------------------------------------------------


def test_per_host_limit_holds_and_a_fast_host_is_served_meanwhile(
    policy: FetchPolicy, origin: Origin
) -> None:
    origin.route("/slow", Reply(body=b"slow", delay=0.1))
    finished: list[str] = []

    async def fetch(fetcher: Fetcher, url: str, label: str) -> None:
        await fetcher.fetch(FetchRequest(url))
        finished.append(label)

    async def run(fast_url: str) -> None:
        async with Fetcher(policy) as fetcher:
            slow = [
                fetch(fetcher, origin.url(f"/slow?{i}", host="public.test"), f"slow{i}")
                for i in range(20)
            ]
            await asyncio.gather(*slow, fetch(fetcher, fast_url, "fast"))

    with Origin("127.0.0.1", default=Reply(body=b"fast")) as fast:
        asyncio.run(run(fast.url("/", host="fast.test")))
    assert len(origin.requests) == 20
    assert origin.peak_connections == 2
    assert finished.index("fast") < len(finished) - 1
    assert finished[-1].startswith("slow")

"""Fetcher throughput on loopback: 2,000 feeds, a round of 200s then a round of 304s.

The origin is an aiohttp server in a separate process (so it does not share the
client's CPU), answering ~2 KB RSS documents with an ETag and 304 on a match.

    .venv/bin/python bench/fetch_speed.py [--feeds 2000] [--hosts 1] [--per-host 2]

``--hosts N`` spreads the feeds over N host names (all resolving to 127.0.0.1 through a
stub resolver), since the per-host limit applies per name.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from aiohttp import web

from newsstand.core.addresses import parse_networks
from newsstand.net import FetchPolicy, FetchRequest, FetchResult, fetch_many_sync


def feed_document(number: int) -> bytes:
    items = "".join(
        f"<item><title>Story {number}.{i}</title><link>https://example.org/{number}/{i}</link>"
        f"<guid>{number}-{i}</guid><description>A short summary of story {i} of feed {number}."
        "</description></item>"
        for i in range(10)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {number}</title>'
        f"<link>https://example.org/{number}</link>{items}</channel></rss>"
    ).encode()


def serve(port: int, ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    bodies: dict[int, bytes] = {}

    async def handle(request: web.Request) -> web.Response:
        number = int(request.match_info["number"])
        etag = f'"{number}-v1"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        body = bodies.get(number) or bodies.setdefault(number, feed_document(number))
        return web.Response(body=body, content_type="application/rss+xml", headers={"ETag": etag})

    app = web.Application()
    app.router.add_get("/feed/{number}", handle)

    async def main() -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port, backlog=1024).start()
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])


def run(feeds: int, hosts: int, per_host: int, concurrency: int) -> None:
    port = free_port()
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(port, ready), daemon=True)
    server.start()
    ready.wait(10)

    async def stub(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    policy = FetchPolicy(
        allow_networks=parse_networks(["127.0.0.1/32"]),
        resolver=stub,
        per_host=per_host,
        concurrency=concurrency,
    )
    urls = [f"http://h{i % hosts}.bench.test:{port}/feed/{i}" for i in range(feeds)]
    try:
        first = timed("200s", policy, [FetchRequest(u) for u in urls])
        validators = [
            FetchRequest(r.request.url, etag=r.etag) for r in first if isinstance(r, FetchResult)
        ]
        second = timed("304s", policy, validators)
        assert all(isinstance(r, FetchResult) and r.status == 304 for r in second)
    finally:
        server.terminate()
        server.join()


def timed(label: str, policy: FetchPolicy, requests: list[FetchRequest]) -> list:
    start = time.perf_counter()
    outcomes = fetch_many_sync(policy, requests)
    elapsed = time.perf_counter() - start
    ok = [o for o in outcomes if isinstance(o, FetchResult)]
    size = sum(len(o.body) for o in ok)
    errors = {type(o).__name__ for o in outcomes if not isinstance(o, FetchResult)}
    print(
        f"{label}: {len(ok)}/{len(requests)} ok, {size / 1e6:.1f} MB in {elapsed:.2f} s "
        f"= {len(requests) / elapsed:,.0f} req/s" + (f" errors: {sorted(errors)}" if errors else "")
    )
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=1)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    print(
        f"{args.feeds} feeds on {args.hosts} host name(s), per_host={args.per_host}, "
        f"concurrency={args.concurrency}"
    )
    run(args.feeds, args.hosts, args.per_host, args.concurrency)


if __name__ == "__main__":
    main()

"""Servers and settings for the hostile-feed corpus.

The public origin on 127.0.0.1 serves every vector; an "internal" origin on 127.0.0.2
answers SECRET to anything and counts accepted connections (an XXE or DTD fetch would
show there); a raw server trickles bytes slower than the fetch deadline. The servers live
for a test module; each test has its own database.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from net.servers import SECRET, Origin, RawOrigin, Reply
from newsstand.core.addresses import parse_networks
from newsstand.core.schedule import ScheduleBounds
from newsstand.net.fetch import FetchPolicy
from newsstand.usecases.refresh import RefreshConfig

from .corpus import CANARY, GOOD_FEEDS, Vector, good_feed, trickle, vectors

# The trickler is bounded by this deadline, not by its own length.
DEADLINE_SECONDS = 2.0
# Large enough for the 50,000-item document (about 7 MB), far below the bomb's 1 GiB.
MAX_BYTES = 8 * 1024 * 1024


@dataclass
class Corpus:
    """The running servers and the URL of every vector and good feed."""

    vectors: dict[str, Vector]
    urls: dict[str, str]
    internal: Origin
    canary_path: Path

    def url(self, name: str) -> str:
        return self.urls[name]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    canary_path = tmp_path_factory.mktemp("canary") / "canary.txt"
    canary_path.write_text(CANARY)
    stop = threading.Event()
    with (
        Origin("127.0.0.2", default=Reply(body=SECRET)) as internal,
        Origin("127.0.0.1") as public,
        RawOrigin(lambda conn: trickle(conn, stop)) as trickler,
    ):
        internal_base = f"http://127.0.0.2:{internal.port}"
        found = vectors(canary_path, internal_base, internal.url("/feed.xml"))
        urls: dict[str, str] = {}
        for vector in found:
            if vector.trickle:
                urls[vector.name] = trickler.url(vector.path)
            else:
                assert vector.reply is not None
                public.route(vector.path, vector.reply)
                urls[vector.name] = public.url(vector.path)
        for name in GOOD_FEEDS:
            public.route(f"/{name}", Reply(body=good_feed(name)))
            urls[name] = public.url(f"/{name}")
        try:
            yield Corpus({v.name: v for v in found}, urls, internal, canary_path)
        finally:
            stop.set()


@pytest.fixture
def config() -> RefreshConfig:
    """Only 127.0.0.1/32 is allowed (127.0.0.2 is "internal"); a 2 s deadline per fetch."""
    policy = FetchPolicy(
        allow_networks=parse_networks(["127.0.0.1/32"]),
        timeout=DEADLINE_SECONDS,
        connect_timeout=1.0,
        max_bytes=MAX_BYTES,
    )
    return RefreshConfig(policy=policy, bounds=ScheduleBounds(), batch=100)

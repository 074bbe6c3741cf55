"""The demo publisher server, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import fastfeedparser
import feedparser
import pytest
from multidict import CIMultiDictProxy

from newsstand.core.opml import parse_opml
from newsstand.demo.publisher_server import (
    DemoServer,
    run_publisher_server_in_thread,
    start_publisher_server,
)
from newsstand.demo.timeline import DEFAULT_ARRIVAL

START = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
AFTER_ALL = START + DEFAULT_ARRIVAL + timedelta(minutes=1)  # every item has arrived


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def serve(
    test: Callable[[DemoServer, aiohttp.ClientSession], Awaitable[None]], **options: Any
) -> None:
    async def main() -> None:
        server = await start_publisher_server(**options)
        try:
            async with aiohttp.ClientSession() as session:
                await test(server, session)
        finally:
            await server.close()

    asyncio.run(main())


async def fetch(
    session: aiohttp.ClientSession, url: str, **kwargs: Any
) -> tuple[int, CIMultiDictProxy[str], bytes]:
    async with session.get(url, **kwargs) as response:
        return response.status, response.headers, await response.read()


def url_of(server: DemoServer, slug: str) -> str:
    return next(u for u in server.feed_urls if u.rsplit("/", 1)[1].rsplit(".", 1)[0] == slug)


# --- valid feeds ----------------------------------------------------------------------


def test_every_publisher_feed_is_a_valid_feed() -> None:
    async def check(server: DemoServer, session: aiohttp.ClientSession) -> None:
        results = await asyncio.gather(*(fetch(session, u) for u in server.feed_urls))
        formats: Counter[str] = Counter()
        for n, (url, (status, headers, body)) in enumerate(
            zip(server.feed_urls, results, strict=True)
        ):
            assert status == 200, url
            fast = fastfeedparser.parse(body)
            assert 1 <= len(fast.entries) <= 30, url
            if url.endswith(".json"):
                doc = json.loads(body)
                assert doc["version"] == "https://jsonfeed.org/version/1.1"
                assert headers["Content-Type"].startswith("application/feed+json")
                assert len(doc["items"]) == len(fast.entries)
                formats["json"] += 1
            elif n % 3 == 0:  # the strict check on a third of them keeps the test quick
                parsed = feedparser.parse(body)
                assert not parsed.bozo, (url, parsed.get("bozo_exception"))
                assert len(parsed.entries) == len(fast.entries)
                formats[parsed.version] += 1
        assert len(formats) == 3
        assert formats["rss20"] > formats["atom10"] > 100
        assert formats["json"] > 100

    serve(check, now=Clock(START), published_share=1.0)


def test_rss_item_carries_the_corpus_fields() -> None:
    async def check(server: DemoServer, session: aiohttp.ClientSession) -> None:
        _, _, body = await fetch(session, url_of(server, "reuters"))
        parsed = feedparser.parse(body)
        assert parsed.version == "rss20"
        assert parsed.feed.title == "Reuters"
        assert parsed.feed.link == "http://in.reuters.com/"
        assert len(parsed.entries) == 30  # Reuters has 77 items; the newest 30 are shown
        newest = parsed.entries[0]
        assert newest.link.startswith("http")
        assert "reuters.com" in newest.link
        assert newest.id.startswith("urn:newsstand-demo:uci:")
        assert newest.author == "Reuters"
        assert newest.tags[0].term in {"Business", "Technology", "Entertainment", "Health"}
        dates = [e.published_parsed for e in parsed.entries]
        assert dates == sorted(dates, reverse=True)
        assert newest.get("summary", "") == ""  # the corpus has headlines only

    serve(check, now=Clock(START), published_share=1.0)


def test_feeds_parse_with_our_parser() -> None:
    parse = pytest.importorskip("newsstand.core.parse")

    async def check(server: DemoServer, session: aiohttp.ClientSession) -> None:
        urls = server.feed_urls[::10]
        results = await asyncio.gather(*(fetch(session, u) for u in urls))
        formats: Counter[str] = Counter()
        for url, (_, headers, body) in zip(urls, results, strict=True):
            feed = parse.parse_feed(body, url=url, content_type=headers["Content-Type"])
            formats[feed.format] += 1
            assert feed.entries, url
            assert all(e.link.startswith("http") and e.title for e in feed.entries)
            assert all(e.published is not None for e in feed.entries)
        assert set(formats) == {"rss20", "atom10", "json11"}

    serve(check, now=Clock(START), published_share=1.0)


def test_opml_lists_every_feed_with_homepages_and_categories() -> None:
    async def check(server: DemoServer, session: aiohttp.ClientSession) -> None:
        status, headers, body = await fetch(session, server.opml_url)
        assert status == 200
        assert headers["Content-Type"].startswith("text/x-opml")
        doc = parse_opml(body)
        assert doc.skipped == ()
        assert not doc.truncated
        urls = [o.xml_url for o in doc.outlines]
        assert set(server.feed_urls) | set(server.special_feed_urls.values()) | set(
            server.article_feed_urls
        ) == set(urls)
        assert len(urls) == 1948 + 6 + 2
        categories = Counter(o.category for o in doc.outlines)
        assert set(categories) == {
            "Business",
            "Technology",
            "Entertainment",
            "Health",
            "Demo: failures",
            "Demo: full text",
        }
        assert categories["Demo: failures"] == 6
        assert categories["Demo: full text"] == 2  # Wikinews and Global Voices
        reuters = next(o for o in doc.outlines if o.title == "Reuters")
        assert reuters.html_url == "http://in.reuters.com/"

    serve(check, now=Clock(START))


# --- conditional requests and the clock ---------------------------------------------------


def test_etag_and_last_modified_answer_304_until_an_item_arrives() -> None:
    clock = Clock(START)

    async def check(server: DemoServer, session: aiohttp.ClientSession) -> None:
        url = url_of(server, "reuters")
        status, headers, body = await fetch(session, url)
        assert status == 200
        etag, modified = headers["ETag"], headers["Last-Modified"]
        newest_before = feedparser.parse(body).entries[0].id

        status, again, body304 = await fetch(session, url, headers={"If-None-Match": etag})
        assert (status, body304, again["ETag"]) == (304, b"", etag)
        status, _, _ = await fetch(session, url, headers={"If-Modified-Since": modified})
        assert status == 304
        status, _, _ = await fetch(session, url, headers={"If-None-Match": '"other", ' + etag})
        assert status == 304
        status, _, _ = await fetch(session, url, headers={"If-None-Match": '"other"'})
        assert status == 200

        clock.moment = AFTER_ALL  # Reuters items arrive in the simulated minutes
        status, later, body = await fetch(session, url, headers={"If-None-Match": etag})
        assert status == 200
        assert later["ETag"] != etag
        assert later["Last-Modified"] != modified
        assert feedparser.parse(body).entries[0].id != newest_before
        status, _, _ = await fetch(session, url, headers={"If-Modified-Since": modified})
        assert status == 200

    serve(check, now=clock)


def test_feed_gains_items_as_simulated_time_passes() -> None:
    clock = Clock(START)

    async def check(server: DemoServer, session: aiohttp.ClientSession) -> None:
        counts = []
        for minutes in (0, 5, 11):
            clock.moment = START + timedelta(minutes=minutes)
            totals = await asyncio.gather(
                *(fetch(session, u) for u in server.feed_urls[::4] if u.endswith(".xml"))
            )
            counts.append(sum(body.count(b"<item>") for _, _, body in totals))
        assert counts[0] < counts[1] < counts[2]

    serve(check, now=clock)


def test_gzip_is_served_when_asked() -> None:
    async def check(server: DemoServer, session: aiohttp.ClientSession) -> None:
        url = url_of(server, "reuters")
        async with session.get(url, headers={"Accept-Encoding": "gzip"}) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert b"<rss" in await response.read()
        async with session.get(url, headers={"Accept-Encoding": "identity"}) as response:
            assert "Content-Encoding" not in response.headers

    serve(check, now=Clock(START), published_share=1.0)


# --- the feeds that fail on purpose -------------------------------------------------------


def test_failing_feeds_fail_as_named() -> None:
    async def check(server: DemoServer, session: aiohttp.ClientSession) -> None:
        special = server.special_feed_urls
        status, headers, _ = await fetch(session, special["moved"], allow_redirects=False)
        assert status == 301
        assert headers["Location"].endswith("/feeds/demo-moved-here.xml")
        status, _, body = await fetch(session, headers["Location"])
        assert status == 200
        assert not feedparser.parse(body).bozo

        assert (await fetch(session, special["server-error"]))[0] == 500
        assert (await fetch(session, special["gone"]))[0] == 410

        status, headers, body = await fetch(session, special["not-a-feed"])
        assert status == 200
        assert headers["Content-Type"].startswith("text/html")
        assert body.lstrip().lower().startswith(b"<!doctype html")

        status, _, body = await fetch(session, special["malformed"])
        assert status == 200
        with pytest.raises(ET.ParseError):
            ET.fromstring(body)

        status, _, _ = await fetch(session, server.url + "/feeds/no-such-feed.xml")
        assert status == 404

    serve(check, now=Clock(START))


def test_slow_feed_outlasts_a_client_deadline_and_stays_bounded() -> None:
    async def check(server: DemoServer, session: aiohttp.ClientSession) -> None:
        url = server.special_feed_urls["slow"]
        with pytest.raises(asyncio.TimeoutError):
            await fetch(session, url, timeout=aiohttp.ClientTimeout(total=0.3))
        # With a short bound the server ends the response by itself, unfinished.
        status, _, body = await fetch(session, url)
        assert status == 200
        assert body.startswith(b'<?xml version="1.0"?>')
        with pytest.raises(ET.ParseError):
            ET.fromstring(body)

    serve(check, now=Clock(START), slow_seconds=1.5)


def test_close_does_not_wait_for_a_slow_response() -> None:
    async def main() -> None:
        server = await start_publisher_server(now=Clock(START))  # slow feed: 120 s
        async with aiohttp.ClientSession() as session:
            pending = asyncio.create_task(fetch(session, server.special_feed_urls["slow"]))
            await asyncio.sleep(0.2)
            await server.close()
            with pytest.raises(aiohttp.ClientError):
                await pending
        assert server.requests["/feeds/demo-slow.xml"] == 1

    asyncio.run(asyncio.wait_for(main(), timeout=30))


# --- running in a thread -----------------------------------------------------------------


def test_thread_helper_serves_and_stops() -> None:
    handle = run_publisher_server_in_thread(now=Clock(START))
    try:
        assert handle.url.startswith("http://127.0.0.1:")
        assert handle.opml_url == handle.url + "/opml"
        assert len(handle.feed_urls) == 1948

        async def get() -> tuple[int, CIMultiDictProxy[str], bytes]:
            async with aiohttp.ClientSession() as session:
                return await fetch(session, handle.opml_url)

        status, _, body = asyncio.run(get())
        assert status == 200
        assert len(parse_opml(body).outlines) == 1954 + 2
    finally:
        handle.stop()
    handle.stop()  # a second stop is harmless
    with pytest.raises(aiohttp.ClientConnectionError):
        asyncio.run(get())


def test_thread_helper_reports_a_port_in_use() -> None:
    handle = run_publisher_server_in_thread(now=Clock(START))
    try:
        port = int(handle.url.rsplit(":", 1)[1])
        with pytest.raises(OSError):
            run_publisher_server_in_thread(port=port, now=Clock(START))
    finally:
        handle.stop()

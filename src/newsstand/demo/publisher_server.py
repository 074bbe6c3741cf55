"""The demo's local publisher server: one real feed per corpus publisher, on loopback.

``newsstand demo`` starts this server, imports its ``/opml`` and lets the normal fetch
path (SSRF guard, conditional GET, parsers) read it, so the demo exercises the same code
as real use without reaching the internet.

What it serves:

- ``/feeds/<publisher-slug>.xml`` (RSS 2.0), ``.atom`` (Atom 1.0) or ``.json`` (JSON Feed
  1.1): one feed per publisher of the UCI corpus (1,948), format fixed by the slug. Items
  link to the real articles at the publishers (the original URLs of the corpus).
- ``/opml``: every feed, in folders by the publisher's main category (Business,
  Technology, Entertainment, Health), plus a "Demo: failures" folder.
- Failing feeds, to show how the reader copes: ``demo-moved.xml`` (301 to
  ``demo-moved-here.xml``), ``demo-server-error.xml`` (500), ``demo-gone.xml`` (410),
  ``demo-slow.xml`` (trickles a byte a second for up to ``slow_seconds``, 120 by default,
  then closes: far past any fetch deadline, yet bounded), ``demo-not-a-feed.xml`` (HTML),
  ``demo-malformed.xml`` (broken XML).
- Full-text publishers (``newsstand.demo.article_site``): ``/feeds/wikinews.xml`` and
  ``/feeds/globalvoices.xml`` carry teasers (the first sentence, with the article's licence
  in ``<dc:rights>``) linking to article pages on this server,
  ``/articles/<source>/<slug>.html``, which Newsstand fetches and extracts like any
  publisher's. ``pages_dir`` adds a development publisher, ``/feeds/pages.xml``, serving
  a folder of saved article pages as they are. ``/robots.txt`` allows all but /private/.
- ``/about``: a page explaining the above.

Time simulation (see ``newsstand.demo.timeline``): the corpus has no publication times, so
when the server starts, the first 60 % of the headlines (crawl order) count as published,
spread over the 24 hours before the start; the other 40 % appear one after another over
the next three hours (``speed`` divides that window). Each feed shows its newest 30
published items. The clock is the ``now`` callable, so tests can move time by hand.

Responses carry a weak ``ETag`` (a hash of the body) and ``Last-Modified`` (the newest
visible item); matching ``If-None-Match`` or ``If-Modified-Since`` get 304. Bodies are
rendered once per change and kept, gzip included, so thousands of concurrent fetches
are served from memory.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket
import threading
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from pathlib import Path
from typing import Any

from aiohttp import web

from newsstand.demo.article_site import ROBOTS_TXT, ArticleShelf
from newsstand.demo.articles import ArticleSource, load_article_sources, load_pages_folder
from newsstand.demo.corpus import DemoCorpus, load_corpus
from newsstand.demo.site import MOVED_TARGET, SPECIAL_FEEDS, Clock, DemoSite, Rendered
from newsstand.demo.timeline import (
    DEFAULT_ARRIVAL,
    DEFAULT_BACKLOG,
    DEFAULT_PUBLISHED_SHARE,
    build_timeline,
    spread_times,
)

SITE_KEY = web.AppKey("site", DemoSite)
COUNTS_KEY = web.AppKey("counts", Counter)
SLOW_KEY = web.AppKey("slow_seconds", float)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class DemoServer:
    """A running publisher server (close it with ``await server.close()``)."""

    url: str
    site: DemoSite
    requests: Counter[str]  # path → requests served
    _runner: web.AppRunner

    @property
    def opml_url(self) -> str:
        return f"{self.url}/opml"

    @property
    def feed_urls(self) -> tuple[str, ...]:
        """The 1,948 publisher feeds (the failing feeds are in ``special_feed_urls``)."""
        return self.site.feed_urls

    @property
    def special_feed_urls(self) -> dict[str, str]:
        """kind ("moved", "server-error", "gone", "slow", "not-a-feed", "malformed") → URL."""
        return self.site.special_feed_urls

    @property
    def article_feed_urls(self) -> tuple[str, ...]:
        """The full-text publishers' teaser feeds."""
        return self.site.article_feed_urls

    async def close(self) -> None:
        await self._runner.cleanup()


async def start_publisher_server(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    now: Clock = utc_now,
    speed: float = 1.0,
    published_share: float = DEFAULT_PUBLISHED_SHARE,
    backlog: timedelta = DEFAULT_BACKLOG,
    arrival: timedelta = DEFAULT_ARRIVAL,
    max_items: int = 30,
    slow_seconds: float = 120.0,
    corpus: DemoCorpus | None = None,
    articles: bool = True,
    pages_dir: str | Path | None = None,
) -> DemoServer:
    """Start the server on ``host:port`` (0: any free port) in the running event loop.

    ``articles`` serves the full-text publishers (Wikinews, Global Voices); ``pages_dir``
    adds one serving that folder's saved pages. Raises ``OSError`` when the address cannot
    be bound or the folder read, ``ValueError`` on a bad ``published_share`` or ``speed``
    or a folder without pages.
    """
    corpus = corpus or load_corpus()
    timeline = build_timeline(
        corpus.items,
        start=now(),
        published_share=published_share,
        backlog=backlog,
        arrival=arrival,
        speed=speed,
    )

    def times_for(count: int) -> list[datetime]:
        return spread_times(
            count,
            start=timeline.start,
            published_share=published_share,
            backlog=backlog,
            arrival=arrival,
            speed=speed,
        )

    sources: list[ArticleSource] = list(load_article_sources()) if articles else []
    if pages_dir is not None:
        sources.append(load_pages_folder(pages_dir))
    sock = _bind(host, port)
    bound_port = sock.getsockname()[1]
    url = f"http://{_url_host(host)}:{bound_port}"
    shelf = ArticleShelf(
        sources,
        times_for=times_for,
        base_url=url,
        now=now,
        max_items=max_items,
    )
    site = DemoSite(corpus, timeline, base_url=url, now=now, max_items=max_items, articles=shelf)
    app = _make_app(site, slow_seconds)
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
    try:
        await runner.setup()
        await web.SockSite(runner, sock, backlog=4096).start()
    except BaseException:
        sock.close()
        await runner.cleanup()
        raise
    return DemoServer(url, site, app[COUNTS_KEY], runner)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(4096)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _make_app(site: DemoSite, slow_seconds: float) -> web.Application:
    app = web.Application()
    app[SITE_KEY] = site
    app[COUNTS_KEY] = Counter()
    app[SLOW_KEY] = slow_seconds
    app.router.add_get("/", about)
    app.router.add_get("/about", about)
    app.router.add_get("/opml", opml)
    app.router.add_get("/feeds/{name}", feed)
    app.router.add_get("/articles/{source}/{name}", article_page)
    app.router.add_get("/robots.txt", robots_txt)
    return app


# --- handlers -----------------------------------------------------------------------


async def opml(request: web.Request) -> web.StreamResponse:
    request.app[COUNTS_KEY][request.path] += 1
    return conditional_response(request, request.app[SITE_KEY].opml)


async def feed(request: web.Request) -> web.StreamResponse:
    request.app[COUNTS_KEY][request.path] += 1
    site = request.app[SITE_KEY]
    name = request.match_info["name"]
    publisher_feed = site.feeds.get(name)
    if publisher_feed is not None:
        return conditional_response(request, site.current(publisher_feed))
    if name == MOVED_TARGET:
        return conditional_response(request, site.moved_target)
    article_feed = site.articles.feeds.get(name) if site.articles is not None else None
    if article_feed is not None and site.articles is not None:
        return conditional_response(request, site.articles.current(article_feed))
    special = _SPECIAL_HANDLERS.get(name)
    if special is not None:
        return await special(request)
    raise web.HTTPNotFound(text="No such demo feed.\n")


async def article_page(request: web.Request) -> web.StreamResponse:
    request.app[COUNTS_KEY][request.path] += 1
    shelf = request.app[SITE_KEY].articles
    page = None
    if shelf is not None:
        page = shelf.page(request.match_info["source"], request.match_info["name"])
    if page is None:
        raise web.HTTPNotFound(text="No such article (or not published yet).\n")
    return conditional_response(request, page)


async def robots_txt(request: web.Request) -> web.StreamResponse:
    request.app[COUNTS_KEY][request.path] += 1
    return web.Response(body=ROBOTS_TXT, content_type="text/plain", charset="utf-8")


async def about(request: web.Request) -> web.StreamResponse:
    request.app[COUNTS_KEY][request.path] += 1
    site = request.app[SITE_KEY]
    rows = "".join(
        f'<li id="{kind}"><a href="{escape(site.feed_url(file_name))}">{escape(title)}</a>: '
        f"{escape(what)}.</li>"
        for kind, (title, file_name, what) in SPECIAL_FEEDS.items()
    )
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Newsstand demo publishers</title></head><body>"
        "<h1>Newsstand demo publishers</h1>"
        f"<p>{len(site.feeds)} feeds of real headlines from the UCI News Aggregator data set "
        "(Gasparetti 2016, CC BY 4.0), served on loopback for the offline demo. "
        f'The list of all feeds is at <a href="{escape(site.base_url)}/opml">/opml</a>.</p>'
        f"{_full_text_rows(site)}"
        f"<h2>Feeds that fail on purpose</h2><ul>{rows}</ul></body></html>"
    )
    return web.Response(text=page, content_type="text/html")


def _full_text_rows(site: DemoSite) -> str:
    if site.articles is None or not site.articles.feeds:
        return ""
    rows = "".join(
        f'<li><a href="{escape(site.articles.feed_url(feed))}">{escape(feed.source.name)}</a>: '
        f"{len(feed.source.articles)} articles. {escape(feed.source.description)}</li>"
        for feed in site.articles.feeds.values()
    )
    return (
        "<h2>Full-text publishers</h2><p>Their feeds carry the first sentence of each "
        "article; the article pages are served here, each with its attribution and "
        f"licence.</p><ul>{rows}</ul>"
    )


def conditional_response(request: web.Request, body: Rendered) -> web.Response:
    """200 with the body, or 304 when the request's validators match ``body``."""
    headers = {
        "ETag": body.etag,
        "Last-Modified": format_datetime(body.last_modified, usegmt=True),
        "Vary": "Accept-Encoding",
    }
    if not_modified(request, body):
        return web.Response(status=304, headers=headers)
    headers["Content-Type"] = body.content_type
    if "gzip" in request.headers.get("Accept-Encoding", "").lower():
        headers["Content-Encoding"] = "gzip"
        return web.Response(body=body.gzipped, headers=headers)
    return web.Response(body=body.body, headers=headers)


def not_modified(request: web.Request, body: Rendered) -> bool:
    """RFC 9110 §13.2.2: If-None-Match (weak comparison) wins over If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or body.etag.removeprefix("W/") in tags
    if_modified_since = request.headers.get("If-Modified-Since")
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False  # an unreadable date is no validator: serve the body
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return body.last_modified <= since


# --- the feeds that fail on purpose -------------------------------------------------


async def _moved(request: web.Request) -> web.StreamResponse:
    raise web.HTTPMovedPermanently(location=request.app[SITE_KEY].feed_url(MOVED_TARGET))


async def _server_error(request: web.Request) -> web.StreamResponse:
    return web.Response(status=500, text="Internal Server Error (on purpose: demo)\n")


async def _gone(request: web.Request) -> web.StreamResponse:
    return web.Response(status=410, text="Gone: this demo feed was removed for good.\n")


async def _not_a_feed(request: web.Request) -> web.StreamResponse:
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Welcome</title>'
        "</head><body><h1>Welcome to our site</h1><p>This is a web page, not a feed "
        "(demo).</p></body></html>"
    )
    return web.Response(text=page, content_type="text/html")


def malformed_body(base_url: str) -> bytes:
    """A feed that is not well-formed XML: an undefined entity, an unclosed tag, cut short."""
    about = escape(f"{base_url}/about#malformed")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Demo: broken XML</title><link>{about}</link>"
        "<item><title>Demo: this feed has an &undefined; entity and an unclosed <b>tag</title>"
        f"<link>{about}</link></item>\n<item><title>And it stops in the middle"
    ).encode()


async def _malformed(request: web.Request) -> web.StreamResponse:
    body = malformed_body(request.app[SITE_KEY].base_url)
    return web.Response(body=body, content_type="application/rss+xml")


async def _slow(request: web.Request) -> web.StreamResponse:
    """Start a feed, then send one byte a second until ``slow_seconds`` have passed."""
    response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
    await response.prepare(request)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + request.app[SLOW_KEY]
    try:
        await response.write(b'<?xml version="1.0"?>\n<rss version="2.0"><channel>')
        while (left := deadline - loop.time()) > 0:
            await asyncio.sleep(min(1.0, left))
            await response.write(b" ")
    except ConnectionResetError:
        return response  # the client gave up, as it should
    response.force_close()
    return response


_SPECIAL_HANDLERS: dict[str, Handler] = {
    SPECIAL_FEEDS["moved"][1]: _moved,
    SPECIAL_FEEDS["server-error"][1]: _server_error,
    SPECIAL_FEEDS["gone"][1]: _gone,
    SPECIAL_FEEDS["slow"][1]: _slow,
    SPECIAL_FEEDS["not-a-feed"][1]: _not_a_feed,
    SPECIAL_FEEDS["malformed"][1]: _malformed,
}


# --- running in a thread ------------------------------------------------------------


class DemoServerHandle:
    """A publisher server running in its own event loop on a daemon thread."""

    def __init__(
        self, server: DemoServer, loop: asyncio.AbstractEventLoop, thread: threading.Thread
    ) -> None:
        self.server = server
        self._loop = loop
        self._thread = thread
        self._stopped = False

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def opml_url(self) -> str:
        return self.server.opml_url

    @property
    def feed_urls(self) -> tuple[str, ...]:
        return self.server.feed_urls

    @property
    def special_feed_urls(self) -> dict[str, str]:
        return self.server.special_feed_urls

    def stop(self, timeout: float = 10.0) -> None:
        """Close the server and end its thread (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        closing = asyncio.run_coroutine_threadsafe(self.server.close(), self._loop)
        closing.result(timeout)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)


def run_publisher_server_in_thread(
    host: str = "127.0.0.1", port: int = 0, **options: Any
) -> DemoServerHandle:
    """Start the server on a daemon thread; ``options`` as for ``start_publisher_server``.

    Returns once it accepts connections. Raises what starting it raised (``OSError``...).
    """
    loop = asyncio.new_event_loop()
    started: concurrent.futures.Future[DemoServer] = concurrent.futures.Future()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        try:
            server = loop.run_until_complete(start_publisher_server(host, port, **options))
        except BaseException as exc:  # noqa: BLE001 (handed to the caller, who re-raises it)
            started.set_exception(exc)
            loop.close()
            return
        started.set_result(server)
        try:
            loop.run_forever()
        finally:
            loop.close()

    thread = threading.Thread(target=serve, name="newsstand-demo-publishers", daemon=True)
    thread.start()
    return DemoServerHandle(started.result(), loop, thread)


def main() -> None:
    """Run the server in the foreground: ``python -m newsstand.demo.publisher_server [PORT]``."""
    import sys

    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
    handle = run_publisher_server_in_thread(port=port)
    print(f"Demo publishers at {handle.url} (OPML: {handle.opml_url}). Ctrl-C stops.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        handle.stop()


if __name__ == "__main__":
    main()

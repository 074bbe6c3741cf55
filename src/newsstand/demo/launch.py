"""`newsstand demo`: Newsstand reading a local publisher server, through the normal path.

The publisher server listens on its own loopback address (DEMO_HOST), and the fetcher is
allowed that one address and nothing else private: the demo exercises the real SSRF policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsstand.demo.publisher_server import DemoServerHandle
    from newsstand.net.fetch import FetchPolicy

DEMO_HOST = "127.64.0.1"
# The demo's settings where the operator set none (``newsstand demo`` applies them).
DEMO_DEFAULTS = {
    "NEWSSTAND_DATA_DIR": "./newsstand-demo-data",
    # Headlines arrive every few seconds for three hours (demo.timeline): feeds are polled
    # every one to two minutes, and the schedule's jitter spreads the polls out.
    "NEWSSTAND_MIN_INTERVAL": "60",
    "NEWSSTAND_MAX_INTERVAL": "120",
    "NEWSSTAND_SCHEDULER_TICK": "5",
    "NEWSSTAND_FETCH_TIMEOUT": "10",
    "NEWSSTAND_FULLTEXT_PER_HOST": "50",  # every demo article page is on the one demo host
}
# ... and those it always sets: the fetcher may reach the publisher server, nothing else;
# feed health is readable by every visitor (web.views.feed_health).
DEMO_NETWORKS = {"NEWSSTAND_ALLOW_NETWORKS": f"{DEMO_HOST}/32", "NEWSSTAND_DEMO": "true"}


def start_demo(*, policy: FetchPolicy, speed: float | None = None, pages: str | None = None) -> str:
    """Start the publisher server in a thread and subscribe to its feeds (fetching its
    OPML under ``policy``); returns its URL.

    ``pages``: a folder of saved article pages served as one more publisher (development).
    """
    from newsstand.demo.publisher_server import run_publisher_server_in_thread
    from newsstand.usecases.subscribe import import_opml_url

    options: dict[str, object] = {} if speed is None else {"speed": speed}
    if pages:
        options["pages_dir"] = pages
    server = run_publisher_server_in_thread(host=DEMO_HOST, port=0, **options)
    report = import_opml_url(server.opml_url, policy=policy)
    _headlines_only(server)
    print(
        f"Demo publishers at {server.url} — subscribed to {report.added} new feeds "
        f"({report.existing} already). Articles appear within a minute.",
        flush=True,
    )
    return str(server.url)


def _headlines_only(server: DemoServerHandle) -> None:
    """The UCI corpus has headlines only, linking to the real 2014 pages, which an offline
    demo cannot (and should not) fetch: its feeds never ask for full text. The Wikinews
    and Global Voices feeds, whose pages the demo serves, keep the default."""
    from newsstand.sources.models import FullTextMode
    from newsstand.usecases.fulltext import set_full_text_mode

    headline = [*server.feed_urls, *server.special_feed_urls.values()]
    set_full_text_mode(headline, FullTextMode.NEVER)

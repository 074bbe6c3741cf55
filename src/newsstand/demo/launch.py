"""`newsstand demo`: Newsstand reading a local publisher server, through the normal path.

The publisher server listens on its own loopback address (DEMO_HOST), and the fetcher is
allowed that one address and nothing else private: the demo exercises the real SSRF policy.
"""

from __future__ import annotations

import argparse
import os

DEMO_HOST = "127.64.0.1"
DEMO_DEFAULTS = {
    "NEWSSTAND_DATA_DIR": "./newsstand-demo-data",
    "NEWSSTAND_MIN_INTERVAL": "60",
    "NEWSSTAND_MAX_INTERVAL": "600",
    "NEWSSTAND_SCHEDULER_TICK": "5",
    "NEWSSTAND_FETCH_TIMEOUT": "10",
}


def prepare_demo_environment(args: argparse.Namespace) -> None:
    """Settings for the demo, before Django reads them (the operator's own values win)."""
    for name, value in DEMO_DEFAULTS.items():
        os.environ.setdefault(name, value)
    os.environ["NEWSSTAND_ALLOW_NETWORKS"] = f"{DEMO_HOST}/32"


def start_demo(*, speed: float | None = None, pages: str | None = None) -> str:
    """Start the publisher server in a thread and subscribe to its feeds; returns its URL.

    ``pages``: a folder of saved article pages served as one more publisher (development).
    """
    from newsstand.demo.publisher_server import run_publisher_server_in_thread
    from newsstand.usecases.subscribe import import_opml_url

    options: dict[str, object] = {} if speed is None else {"speed": speed}
    if pages:
        options["pages_dir"] = pages
    server = run_publisher_server_in_thread(host=DEMO_HOST, port=0, **options)
    report = import_opml_url(server.opml_url)
    print(
        f"Demo publishers at {server.url} — subscribed to {report.added} new feeds "
        f"({report.existing} already). Articles appear within a minute.",
        flush=True,
    )
    return str(server.url)

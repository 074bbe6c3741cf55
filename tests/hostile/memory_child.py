"""Run the bombs through the real refresh pipeline in a process of their own.

Started by ``test_memory.py`` as ``python memory_child.py ADDRESS_SPACE_LIMIT``, with
``NEWSSTAND_DATA_DIR`` set to an empty folder. It caps its own address space, migrates a
fresh SQLite database, serves the gzip bomb (Content-Encoding: gzip), billion laughs and a
good feed from a local origin, refreshes the three feeds and prints one JSON line: each
feed's error code, the good feed's article count and the peak resident set size.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent


def own_peak_rss_kib() -> int:
    """This process's resident high-water mark (VmHWM). Not ``ru_maxrss``: Linux carries
    that over from the parent across fork and exec, so a child of a large test runner
    would report the runner's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.path.insert(0, str(TESTS))
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsstand.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from hostile.corpus import FEEDS, RSS_TYPE, good_feed, gzip_bomb
    from net.servers import Origin, Reply
    from newsstand.articles.models import Article
    from newsstand.core.addresses import parse_networks
    from newsstand.net.fetch import FetchPolicy
    from newsstand.usecases.refresh import RefreshConfig, refresh_feeds
    from newsstand.usecases.subscribe import add_feed

    bomb, _ = gzip_bomb()
    policy = FetchPolicy(
        allow_networks=parse_networks(["127.0.0.1/32"]),
        timeout=10.0,
        max_bytes=8 * 1024 * 1024,
    )
    with Origin("127.0.0.1") as origin:
        origin.route(
            "/bomb",
            Reply(body=bomb, headers={"Content-Type": RSS_TYPE, "Content-Encoding": "gzip"}),
        )
        origin.route("/laughs", Reply(body=(FEEDS / "billion_laughs.xml").read_bytes()))
        origin.route("/good", Reply(body=good_feed("good")))
        feeds = {
            name: add_feed(origin.url(f"/{name}"), homepage=f"https://{name}.example/")[0]
            for name in ("bomb", "laughs", "good")
        }
        del bomb
        refresh_feeds(config=RefreshConfig(policy=policy))
    for feed in feeds.values():
        feed.refresh_from_db()
    peak_kib = own_peak_rss_kib()
    print(
        json.dumps(
            {
                "codes": {name: feed.last_error_code for name, feed in feeds.items()},
                "good_articles": Article.objects.filter(feeds=feeds["good"]).count(),
                "peak_rss_bytes": peak_kib * 1024,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))

"""`newsstand run`: the embedded default, everything in one process."""

from __future__ import annotations

import argparse
import sys

from newsstand.cli.command import Command
from newsstand.cli.database import migrate
from newsstand.cli.serving import add_bind_argument, bind_address


def handle(args: argparse.Namespace) -> int:
    from django.conf import settings

    from newsstand.processes import serve_web, start_background

    migrate()
    offer_default_feeds()
    start_background(settings.NEWSSTAND.worker_threads, settings.NEWSSTAND.scheduler_tick)
    serve_web(*bind_address(args))
    return 0


def offer_default_feeds() -> None:
    """With no feeds yet, offer the curated list (asked on a terminal, else explained)."""
    from newsstand.sources.models import Feed
    from newsstand.usecases.subscribe import default_opml, import_opml

    if Feed.objects.exists():
        return
    if not sys.stdin.isatty():
        print(
            "No feeds yet. Subscribe to the curated list of public feeds with "
            "`newsstand import-opml --default`, or add your own with `newsstand add-feed URL`."
        )
        return
    answer = input("No feeds yet. Subscribe to the curated list of 100+ public feeds? [Y/n] ")
    if answer.strip().lower() in {"", "y", "yes"}:
        report = import_opml(default_opml())
        print(f"Subscribed to {report.added} feeds.")


COMMAND = Command(
    help="web server, task worker and scheduler in one command (the embedded default)",
    handle=handle,
    arguments=add_bind_argument,
)

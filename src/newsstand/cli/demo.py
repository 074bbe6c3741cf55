"""`newsstand demo`: the offline demo, a local publisher server and Newsstand reading it."""

from __future__ import annotations

import argparse
import os

from newsstand.cli.command import Command
from newsstand.cli.database import migrate
from newsstand.cli.serving import add_bind_argument, bind_address


def arguments(parser: argparse.ArgumentParser) -> None:
    add_bind_argument(parser)
    parser.add_argument("--speed", type=float, default=None, help="demo clock speed-up")
    parser.add_argument("--pages", default=None, help="also serve a folder of saved article pages")


def prepare(args: argparse.Namespace) -> None:
    """The demo's settings, before Django reads them: its defaults where the operator set
    none, and its one allowed network. Through the environment, because the web server
    runs in a new interpreter (``processes.serve_web``) that reads the settings again."""
    from newsstand.demo.launch import DEMO_DEFAULTS, DEMO_NETWORKS

    for name, value in DEMO_DEFAULTS.items():
        os.environ.setdefault(name, value)
    os.environ.update(DEMO_NETWORKS)


def handle(args: argparse.Namespace) -> int:
    from django.conf import settings

    from newsstand.configuration import configuration
    from newsstand.demo.launch import start_demo
    from newsstand.processes import serve_web, start_background

    migrate()
    start_demo(policy=configuration().policy, speed=args.speed, pages=args.pages)
    print(
        f"Mail (sign-up confirmations, password resets) goes to {settings.MAIL.describe()}; "
        "staff read it at /health/outbox/.",
        flush=True,
    )
    start_background(settings.NEWSSTAND.worker_threads, settings.NEWSSTAND.scheduler_tick)
    serve_web(*bind_address(args))
    return 0


COMMAND = Command(
    help="the offline demo: a local publisher server and Newsstand reading it",
    handle=handle,
    arguments=arguments,
    prepare=prepare,
)

"""`newsstand scheduler`: the scheduler only (run one)."""

from __future__ import annotations

import argparse

from newsstand.cli.command import Command


def handle(args: argparse.Namespace) -> int:
    from django.conf import settings

    from newsstand.processes import run_scheduler

    run_scheduler(settings.NEWSSTAND.scheduler_tick)
    return 0


COMMAND = Command(help="the feed scheduler only (run one)", handle=handle)

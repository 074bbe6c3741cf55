"""`newsstand worker`: one task worker taking every queue (run as many as needed)."""

from __future__ import annotations

import argparse

from newsstand.cli.command import Command


def handle(args: argparse.Namespace) -> int:
    from newsstand.processes import run_task_worker

    run_task_worker()
    return 0


COMMAND = Command(help="a task worker only (run as many as needed)", handle=handle)

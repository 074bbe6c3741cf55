"""The `newsstand` command line: composition of settings, use cases and servers.

Each command is a module of this package that declares ``COMMAND`` (a ``Command``: its help,
its arguments and what it does), registered by name in ``COMMANDS`` below: adding a
command is one module and one line. Any other first word is a Django management command
(``newsstand migrate``, ``createsuperuser``, ``shell``...).

    newsstand run                 web + worker + scheduler (the embedded default)
    newsstand web | worker | scheduler   one role each, for scaled deployments
    newsstand demo                the offline demo on a local publisher server
    newsstand add-feed URL        subscribe to a feed
    newsstand import-opml FILE|URL|--default
    newsstand export-opml [-o FILE]
    newsstand refresh [--feed ID ...]
    newsstand recluster --since DATE [--until DATE]
    newsstand add-member EMAIL [--password-stdin] [--role R] [--plan trial|NAME] [--verified]
    newsstand members list [--csv]
    newsstand report reads --month YYYY-MM [--csv]
    newsstand <django command>    e.g. migrate, createsuperuser, shell
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence

from newsstand.cli.command import Command, load_command

# The commands, in the order of the help; each is the module newsstand/cli/<name>.py
# (dashes as underscores). The one place a command is registered.
COMMANDS: tuple[str, ...] = (
    "run",
    "web",
    "worker",
    "scheduler",
    "demo",
    "add-feed",
    "import-opml",
    "export-opml",
    "refresh",
    "extract",
    "classify",
    "cluster",
    "recluster",
    "add-member",
    "members",
    "report",
)


def parser() -> argparse.ArgumentParser:
    """The program's argument parser: one sub-command per registered command."""
    program = argparse.ArgumentParser(prog="newsstand", description="Newsstand news platform")
    sub = program.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        command = load_command(name)
        cmd = sub.add_parser(name, help=command.help, description=command.help)
        command.arguments(cmd)
        cmd.set_defaults(handler=command)
    return program


def setup_django() -> None:
    """Read the settings and load the apps (the commands that use the database)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsstand.settings")
    import django

    django.setup()


def _tune_garbage_collector() -> None:
    """Collect cycles less often in the long-running commands. A refresh makes millions of
    short-lived objects (rows, strings, responses) and none of them in cycles, while the
    default threshold (700 allocations) ran the collector over them thousands of times; the
    modules and models loaded by now are moved out of its sight (``gc.freeze``). Measured on
    round 1 of bench/refresh_throughput.py's feeds (`newsstand refresh`, 10 alternating
    pairs, 9 of them faster): 6.18 s → 5.96 s mean wall. The parsing workers (spawned) keep
    the defaults: there it measured no better. Only in a process of the command's own
    (``run``), never in a caller's, such as the tests'."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def run() -> int:
    """The ``newsstand`` program (console script and ``python -m newsstand.cli``): ``main`` in
    a process of its own."""
    try:
        return main(own_process=True)
    finally:
        _close_databases()


def _close_databases() -> None:
    """Close the program's database connections before it exits. SQLite checkpoints its
    write-ahead log into the database when the last connection closes; a process that just
    exits leaves the log beside it for the next one (after round 1 of
    bench/refresh_throughput.py, 52 MB), and the database file alone is not whole."""
    from django.apps import apps

    if apps.ready:
        from django.db import connections

        connections.close_all()


def main(argv: Sequence[str] | None = None, *, own_process: bool = False) -> int:
    """Run one command line (``argv``, else the process's); returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] not in COMMANDS and not args_list[0].startswith("-"):
        return _django_command(args_list)
    args = parser().parse_args(args_list)
    if args.command is None:
        parser().print_help()
        return 0
    command: Command = args.handler
    if command.prepare is not None:
        command.prepare(args)
    if command.django:
        setup_django()
        if own_process:
            _tune_garbage_collector()
    return command.handle(args)


def _django_command(args_list: list[str]) -> int:
    """Anything else is a Django management command (migrate, createsuperuser, shell...)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["newsstand", *args_list])
    return 0

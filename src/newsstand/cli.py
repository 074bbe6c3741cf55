"""The `newsstand` command line: composition of settings, use cases and servers.

newsstand run                 web + worker + scheduler (the embedded default)
newsstand web | worker | scheduler   one role each, for scaled deployments
newsstand demo                the offline demo on a local publisher server
newsstand add-feed URL        subscribe to a feed
newsstand import-opml FILE|URL|--default
newsstand export-opml [-o FILE]
newsstand refresh [--feed ID ...]
newsstand recluster --since DATE [--until DATE]
newsstand <django command>    e.g. migrate, createsuperuser, shell
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

COMMANDS: dict[str, str] = {
    "run": "web server, task worker and scheduler in one command (the embedded default)",
    "web": "the web server only",
    "worker": "a task worker only (run as many as needed)",
    "scheduler": "the feed scheduler only (run one)",
    "demo": "the offline demo: a local publisher server and Newsstand reading it",
    "add-feed": "subscribe to a feed by URL",
    "import-opml": "subscribe to the feeds of an OPML file or URL (--default: the curated list)",
    "export-opml": "write every subscription as OPML",
    "refresh": "fetch due feeds (or --feed ID ...) now and print what happened",
    "extract": "extract the article of a page file or URL and print it as JSON",
    "classify": "read JSON lines {id, title, text}; write {id, section, language} lines",
    "cluster": "read JSON lines {id, title, text?, published?, publisher?}; write {id, story} lines",
    "recluster": "cluster again the stories founded in a time window (--since, --until)",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsstand", description="Newsstand news platform")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        if name in {"run", "web", "demo"}:
            cmd.add_argument("--bind", help="address:port to listen on (NEWSSTAND_BIND)")
        if name == "add-feed":
            cmd.add_argument("url")
            cmd.add_argument("--section", default="", help="section slug or name")
            cmd.add_argument("--title", default="")
        if name == "import-opml":
            group = cmd.add_mutually_exclusive_group(required=True)
            group.add_argument("source", nargs="?", help="OPML file path or http(s) URL")
            group.add_argument("--default", action="store_true", help="the curated list")
        if name == "export-opml":
            cmd.add_argument("-o", "--output", help="file to write (default: standard output)")
        if name == "refresh":
            cmd.add_argument("--feed", type=int, action="append", help="feed id (repeatable)")
        if name == "demo":
            cmd.add_argument("--speed", type=float, default=None, help="demo clock speed-up")
            cmd.add_argument(
                "--pages", default=None, help="also serve a folder of saved article pages"
            )
        if name == "cluster":
            _cluster_arguments(cmd)
        if name == "recluster":
            cmd.add_argument("--since", required=True, type=_utc_time, help="ISO date or time")
            cmd.add_argument("--until", type=_utc_time, help="ISO date or time (default: now)")
        if name == "extract":
            cmd.add_argument("source", help="an HTML file or an http(s) URL")
            cmd.add_argument("--url", default=None, help="the page's own URL (for a file)")
    return parser


def _cluster_arguments(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--join-threshold", type=float, help="score to join a story")
    cmd.add_argument("--merge-threshold", type=float, help="centroid cosine to merge stories")
    cmd.add_argument("--no-entities", action="store_true", help="ignore named entities")
    cmd.add_argument(
        "--no-regroup", action="store_true", help="skip the final pass that joins stories"
    )


def _utc_time(text: str) -> datetime:
    """An ISO 8601 date or time; without a zone it is UTC."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date or time: {text!r}") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _setup() -> None:
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
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] not in COMMANDS and not args_list[0].startswith("-"):
        # Anything else is a Django management command (migrate, createsuperuser, shell...).
        _setup()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["newsstand", *args_list])
        return 0
    args = _parser().parse_args(args_list)
    if args.command is None:
        _parser().print_help()
        return 0
    if args.command == "cluster":  # pure: no Django, no database
        from newsstand.usecases.cluster_cli import cluster_command

        return cluster_command(
            args.join_threshold, args.merge_threshold, not args.no_entities, not args.no_regroup
        )
    if args.command == "demo":
        from newsstand.demo.launch import prepare_demo_environment

        prepare_demo_environment(args)
    _setup()
    if own_process:
        _tune_garbage_collector()
    from newsstand import commands

    handler: Callable[[argparse.Namespace], int] = getattr(commands, args.command.replace("-", "_"))
    return handler(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())

"""`newsstand recluster --since DATE [--until DATE]`: cluster a window's stories again."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from newsstand.cli.command import Command
from newsstand.cli.database import ensure_database


def utc_time(text: str) -> datetime:
    """An ISO 8601 date or time; without a zone it is UTC."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date or time: {text!r}") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", required=True, type=utc_time, help="ISO date or time")
    parser.add_argument("--until", type=utc_time, help="ISO date or time (default: now)")


def handle(args: argparse.Namespace) -> int:
    import dataclasses

    from django.utils import timezone

    from newsstand.usecases.stories import recluster_window

    ensure_database()
    report = recluster_window(args.since, args.until or timezone.now())
    print(json.dumps(dataclasses.asdict(report)))
    return 0


COMMAND = Command(
    help="cluster again the stories founded in a time window (--since, --until)",
    handle=handle,
    arguments=arguments,
)

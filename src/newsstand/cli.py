"""The `newsstand` command line (placeholder until the commands land)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsstand.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["newsstand", *(argv if argv is not None else sys.argv[1:])])
    return 0

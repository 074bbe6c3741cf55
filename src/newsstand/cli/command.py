"""What a command module declares: ``COMMAND = Command(help=..., handle=..., ...)``."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass

Handler = Callable[[argparse.Namespace], int]


def no_arguments(parser: argparse.ArgumentParser) -> None:
    """A command without arguments of its own."""


@dataclass(frozen=True)
class Command:
    """One ``newsstand`` command.

    ``handle`` does the work and returns the exit status. ``arguments`` adds the command's
    own arguments to its parser. ``django``: Django is set up (settings read, apps loaded)
    before ``handle`` runs, and in a process of the program's own the garbage collector is
    tuned; a command with no database (``cluster``) says False. ``prepare`` runs before
    that, while the settings are still unread (``demo`` chooses its defaults there).
    Heavy imports belong inside ``handle``: ``newsstand --help`` loads every command module.
    """

    help: str
    handle: Handler
    arguments: Callable[[argparse.ArgumentParser], None] = no_arguments
    django: bool = True
    prepare: Callable[[argparse.Namespace], None] | None = None


def load_command(name: str) -> Command:
    """The ``COMMAND`` of ``newsstand.cli.<name>`` (dashes as underscores)."""
    module = importlib.import_module(f"newsstand.cli.{name.replace('-', '_')}")
    command = module.COMMAND
    if not isinstance(command, Command):
        raise TypeError(f"{module.__name__}.COMMAND is not a Command")
    return command

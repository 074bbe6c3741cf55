"""The `newsstand` program in a process of its own: it tunes that process's garbage collector
(never a caller's) and closes its database connections before it exits."""

import gc
import importlib
import os
import subprocess
import sys

import pytest

from newsstand.cli import main

PROGRAM = (
    "import gc, sys\n"
    "from newsstand.cli import run\n"
    "sys.argv = ['newsstand', 'export-opml', '--output', sys.argv[1]]\n"
    "code = run()\n"
    "print(gc.get_threshold()[0], gc.get_freeze_count())\n"
    "sys.exit(code)\n"
)


@pytest.mark.django_db
def test_main_leaves_the_callers_garbage_collector_alone(tmp_path):
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    assert main(["export-opml", "--output", str(tmp_path / "feeds.opml")]) == 0
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, frozen)


def test_the_program_collects_cycles_less_often(tmp_path):
    env = dict(os.environ, NEWSSTAND_DATA_DIR=str(tmp_path / "data"))
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(tmp_path / "feeds.opml")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    threshold, frozen = map(int, done.stdout.split())
    assert threshold > gc.get_threshold()[0]
    assert frozen > 10_000  # the modules and objects loaded before the command ran
    assert (tmp_path / "feeds.opml").read_bytes().startswith(b"<?xml")


def test_the_program_leaves_its_sqlite_database_in_one_file(tmp_path):
    """The last connection to close checkpoints SQLite's write-ahead log into the database:
    after a command, the database is whole in its one file (safe to copy)."""
    data = tmp_path / "data"
    env = dict(os.environ, NEWSSTAND_DATA_DIR=str(data))
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "newsstand.cli", "add-feed", "https://example.org/feed.xml"],
        env=env,
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert (data / "newsstand.sqlite3").stat().st_size > 0
    assert not (data / "newsstand.sqlite3-wal").exists()


def test_every_command_module_is_registered_and_every_registered_name_has_one():
    """A command is one module of newsstand.cli declaring COMMAND, and one line in COMMANDS."""
    import pkgutil

    import newsstand.cli
    from newsstand.cli import COMMANDS
    from newsstand.cli.command import Command, load_command

    declaring = {
        info.name.replace("_", "-")
        for info in pkgutil.iter_modules(newsstand.cli.__path__)
        if info.name != "__main__"  # importing it runs the program
        if hasattr(importlib.import_module(f"newsstand.cli.{info.name}"), "COMMAND")
    }
    assert declaring == set(COMMANDS)
    assert all(isinstance(load_command(name), Command) for name in COMMANDS)


def test_a_word_that_is_no_command_of_ours_goes_to_django(capsys):
    assert main(["check"]) == 0
    assert "System check identified" in capsys.readouterr().out


def test_parsing_the_command_line_loads_no_heavy_part():
    """`newsstand --help` loads every command module: their heavy imports wait for ``handle``
    (the clusterer, the classifier, the fetcher, Django's models)."""
    program = (
        "import sys\n"
        "from newsstand.cli import parser\n"
        "parser().format_help()\n"
        "heavy = ['numpy', 'onnxruntime', 'sklearn', 'aiohttp', 'django.db', 'lxml']\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == []

"""The documentation keeps up with the code: every setting, every command, the two make targets."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsstand.cli import COMMANDS
from newsstand.settings import SETTINGS_TABLE

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_DOC = ROOT / "docs" / "settings.md"
OPERATING_DOC = ROOT / "docs" / "operating.md"
README = ROOT / "README.md"


def _mentions_name(text: str, name: str) -> bool:
    """``name`` as a whole setting name (NEWSSTAND_BIND is not found in NEWSSTAND_BIND_X)."""
    return re.search(rf"(?<![A-Z0-9_]){re.escape(name)}(?![A-Z0-9_])", text) is not None


@pytest.fixture(scope="module")
def help_text() -> str:
    done = subprocess.run(
        [sys.executable, "-m", "newsstand.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


@pytest.mark.parametrize("name", sorted(SETTINGS_TABLE))
def test_every_setting_is_documented(name: str) -> None:
    assert _mentions_name(SETTINGS_DOC.read_text(encoding="utf-8"), name)


def test_the_settings_page_documents_no_setting_that_does_not_exist() -> None:
    documented = set(re.findall(r"\bNEWSSTAND_[A-Z0-9_]+", SETTINGS_DOC.read_text("utf-8")))
    assert documented - set(SETTINGS_TABLE) == set()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_in_the_operating_guide(command: str) -> None:
    text = OPERATING_DOC.read_text(encoding="utf-8")
    assert re.search(rf"newsstand\s+{re.escape(command)}\b", text), command


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_in_the_help(help_text: str, command: str) -> None:
    assert re.search(rf"^\s+{re.escape(command)}(\s|$)", help_text, re.MULTILINE), help_text


@pytest.mark.parametrize("target", ["make demo", "make test"])
def test_the_readme_names_the_two_make_targets(target: str) -> None:
    assert target in README.read_text(encoding="utf-8")

"""What import-linter cannot see: the use cases never read (or write) the environment.

Their configuration is built once at the composition root (``newsstand.configuration``)
and handed down; import-linter keeps ``django.conf`` and the settings out of them, and this
test keeps ``os.environ`` out (an attribute, not an import).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import newsstand.usecases

ENVIRONMENT = frozenset({"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"})
USECASES = sorted(Path(newsstand.usecases.__file__).parent.rglob("*.py"))


def environment_reads(source: str) -> list[int]:
    """Line numbers where ``source`` touches the process environment through ``os``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ENVIRONMENT
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        ) or (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(alias.name in ENVIRONMENT for alias in node.names)
        ):
            found.append(node.lineno)
    return found


@pytest.mark.parametrize("path", USECASES, ids=lambda p: p.name)
def test_no_use_case_reads_the_environment(path: Path) -> None:
    assert environment_reads(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "import os\nos.environ.get('X')",
        "import os\nos.getenv('X')",
        "from os import environ",
        "import os\nos.environ['X'] = '1'",
    ],
)
def test_the_check_finds_each_way_of_reading_it(source: str) -> None:
    assert environment_reads(source) != []


def test_the_check_leaves_other_uses_of_os_alone() -> None:
    assert environment_reads("import os\nos.replace('a', 'b')\nenviron = {}") == []

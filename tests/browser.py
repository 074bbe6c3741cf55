"""Debian's Chromium under Playwright for the browser tests (never a downloaded browser).

Playwright's event loop holds the calling thread while the browser is open, so the ORM
(which refuses to run beside an event loop) must be done before."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_file(path: Path, how: str) -> None:
    """Skip (fail under CI) when ``path`` is missing, saying ``how`` to get it."""
    if not path.exists():
        message = f"{path} is missing ({how})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def require_chromium() -> None:
    """Skip (fail under CI) when Debian's Chromium is not installed."""
    require_file(CHROMIUM, "make browser, or apt-get install chromium")


@contextmanager
def chromium() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()

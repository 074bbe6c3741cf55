"""Debian's Chromium driven by Playwright (never a downloaded browser), and axe-core run in
it (fetched by scripts/ensure-axe from npm; never from a CDN)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".cache" / "axe-core" / "4.14.1" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _require(path: Path, how: str) -> None:
    """A skip naming how to get ``path`` when it is missing; a failure under CI."""
    if not path.exists():
        message = f"{path} is missing ({how})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def require_chromium() -> None:
    _require(CHROMIUM, "make browser, or apt-get install chromium")


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright. Its event loop holds the calling thread while
    open, so the ORM (which refuses to run beside an event loop) must be done first."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def require_axe() -> str:
    """axe-core's script, or a skip (a failure under CI) naming how to get it."""
    _require(AXE, "make browser, or scripts/ensure-axe")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Any, script: str) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it stands: every rule of every level (WCAG
    2.x A, AA, AAA where axe has them, best practices), experimental ones aside."""
    page.add_script_tag(content=script)
    result = page.evaluate(
        """async () => {
            const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "wcag2aaa",
                          "best-practice"];
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
        }"""
    )
    return list(result)

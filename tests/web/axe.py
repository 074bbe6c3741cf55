"""axe-core, run in Debian's Chromium (``browser.chromium``): fetched by scripts/ensure-axe
from npm, never from a CDN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser import require_file

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".cache" / "axe-core" / "4.14.1" / "axe.min.js"


def require_axe() -> str:
    """axe-core's script, or a skip (a failure under CI) naming how to get it."""
    require_file(AXE, "make browser, or scripts/ensure-axe")
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

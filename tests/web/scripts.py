"""What script a reader page may carry: the reader's own file, nothing else."""

from __future__ import annotations

from typing import Any

OWN_SCRIPTS = frozenset({"/static/web/reader.js"})


def foreign_scripts(doc: Any) -> list[str]:
    """The page's scripts other than the reader's own file (inline ones included)."""
    found = []
    for script in doc.iter("script"):
        if script.get("type") == "application/ld+json":
            continue  # data for search engines (the wall's markup), never run
        source = script.get("src")
        if source not in OWN_SCRIPTS or (script.text or "").strip():
            found.append(source or (script.text or "")[:80])
    return found

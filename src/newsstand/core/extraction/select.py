"""When to ask readability-lxml for a second opinion, and which reading to keep."""

from __future__ import annotations

from newsstand.core.extraction.blocks import fragment_text
from newsstand.core.extraction.engines import Candidate, run_readability
from newsstand.core.extraction.page import Page
from newsstand.core.extraction.walls import MIN_WORDS


def _words(candidate: Candidate | None) -> int:
    return len(fragment_text(candidate.body).split()) if candidate is not None else 0


def choose_candidate(page: Page, first: Candidate | None) -> Candidate | None:
    """trafilatura's reading, or readability's where trafilatura found too little."""
    if first is not None and _words(first) >= MIN_WORDS:
        return first
    second = run_readability(page)
    return second if _words(second) > _words(first) else first

"""Full text: whether an entry needs its page fetched, and the article read from that page.

``extract_article`` turns a fetched page into an ``ExtractedArticle`` or raises an
``ExtractionError`` with a code (see ``newsstand.core.extraction``). ``needs_full_text``
decides, per feed mode, whether the feed's own text is only a teaser.
"""

from __future__ import annotations

import re

from newsstand.core.extraction.article import ExtractedArticle, extract_article
from newsstand.core.sanitize import text_of_clean_html

__all__ = ["TEASER_WORDS", "ExtractedArticle", "extract_article", "needs_full_text"]

# A feed text shorter than this is a teaser whatever it ends with.
TEASER_WORDS = 150
_READ_MORE = re.compile(
    r"(read|see|view|continue|keep)\s+(the\s+)?(more|full|rest|reading|article|story|on)\b"
    r"|\[\s*(…|\.\.\.|&hellip;|more)\s*\]|(…|\.\.\.)\s*$|»\s*$|→\s*$",
    re.IGNORECASE,
)
_TAIL_CHARACTERS = 120


def needs_full_text(*, mode: str, summary_html: str, content_html: str) -> bool:
    """Whether the article page should be fetched for its full text.

    ``mode`` is the feed's setting: ``"always"``, ``"never"`` or ``"auto"``. In auto mode
    the feed's longer text (content or summary) is a teaser when it has fewer than
    ``TEASER_WORDS`` words or ends with a "read more" / "continue reading" / "[…]" mark.
    Both texts are the sanitiser's output, so the quick text reader serves.
    """
    if mode == "always":
        return True
    if mode == "never":
        return False
    content, summary = text_of_clean_html(content_html), text_of_clean_html(summary_html)
    text = content if len(content) >= len(summary) else summary
    if len(text.split()) < TEASER_WORDS:
        return True
    return bool(_READ_MORE.search(text[-_TAIL_CHARACTERS:]))

"""Full text: whether an entry needs its page fetched, and the article read from that page.

``extract_article`` turns a fetched page into an ``ExtractedArticle`` or raises an
``ExtractionError`` with a code (see ``newsstand.core.extraction``). ``needs_full_text``
decides, per feed mode, whether the feed's own text is only a teaser.
"""

from __future__ import annotations

from newsstand.core.extraction.article import ExtractedArticle, extract_article
from newsstand.core.teaser import TEASER_WORDS, needs_full_text

__all__ = ["TEASER_WORDS", "ExtractedArticle", "extract_article", "needs_full_text"]

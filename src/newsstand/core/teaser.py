"""Whether a feed entry is only a teaser, so its page should be fetched for the full text.

Apart from ``core.extract`` so that deciding (at refresh time, for every new entry) does not
load the extraction stack (trafilatura, readability), which only the full-text worker needs.
"""

from __future__ import annotations

import re

from newsstand.core.sanitize import text_of_clean_html

# A feed text shorter than this is a teaser whatever it ends with.
TEASER_WORDS = 150
# TEASER_WORDS words take at least this many characters (a letter each, a space between):
# HTML shorter than that holds fewer words, since its text is never longer than it is.
_FEWEST_CHARS = 2 * TEASER_WORDS - 1
_TAIL_CHARACTERS = 120
# The marks of a teaser's end, looked for in the text's last _TAIL_CHARACTERS, lower-cased:
# "read more", "continue reading", "see the full story"…; "[…]" or "[more]"; a last "…",
# "...", "»" or "→". A search of the words only where one of the verbs occurs: one case-
# insensitive regular expression for all of it cost 10 µs a text (measured on the texts
# of bench/feedgen.py's feeds), more than extracting the text.
_VERBS = ("read", "see", "view", "continue", "keep")
_READ_ON = re.compile(
    r"(?:read|see|view|continue|keep)\s+(?:the\s+)?(?:more|full|rest|reading|article|story|on)\b"
)
_BRACKETED_MORE = re.compile(r"\[\s*(?:…|\.\.\.|&hellip;|more)\s*\]")
_LAST_MARKS = ("…", "...", "»", "→")


def ends_as_teaser(text: str) -> bool:
    """Whether the end of ``text`` says there is more to read elsewhere."""
    tail = text[-_TAIL_CHARACTERS:].rstrip()
    if tail.endswith(_LAST_MARKS):
        return True
    lowered = tail.lower()
    if "[" in lowered and _BRACKETED_MORE.search(lowered):
        return True
    return any(verb in lowered for verb in _VERBS) and _READ_ON.search(lowered) is not None


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
    if len(content_html) < _FEWEST_CHARS and len(summary_html) < _FEWEST_CHARS:
        return True  # too short for TEASER_WORDS words, whatever its markup
    content, summary = text_of_clean_html(content_html), text_of_clean_html(summary_html)
    text = content if len(content) >= len(summary) else summary
    # The text is collapsed (one space between words, none at the ends): its words are
    # its spaces plus one, counted without splitting it.
    if text.count(" ") + 1 < TEASER_WORDS:
        return True
    return ends_as_teaser(text)

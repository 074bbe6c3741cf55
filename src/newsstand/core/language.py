"""The language of an article, from its text (py3langid), with the feed's word as a fallback.

py3langid is a naive Bayes classifier over byte n-grams (140 labels); its model
ships inside the package (a NumPy archive), so nothing is downloaded. Short texts
("Paris", "iPhone 15") and texts the detector is unsure about say little: there the
language the feed declares (``hint``) wins, and without one the answer is "" (unknown).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

#: Fewer letters than this is too short to tell.
MIN_LETTERS = 20
#: Below this probability the detector's answer is not trusted.
MIN_CONFIDENCE = 0.5
#: Characters read: the language of an article shows in its first paragraphs.
MAX_CHARS = 600

_NO_LANGUAGE = "zxx"  # ISO 639-2 "no linguistic content", one of py3langid's labels
_LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$")


class _Identifier(Protocol):
    def classify(self, text: str) -> tuple[str, float]: ...


def detect_language(text: str, *, hint: str = "") -> str:
    """The ISO 639 code of the language of ``text`` (two letters where one exists), or "".

    ``hint`` is a language tag the source declares ("en", "pt-BR", "de_DE"): it is
    returned, reduced to its primary language, when the text is too short to tell or the
    detector's confidence is below :data:`MIN_CONFIDENCE`. Never raises on odd input.
    """
    fallback = primary_language(hint)
    sample = " ".join(text[:MAX_CHARS].split())
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return fallback
    language, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE or language == _NO_LANGUAGE:
        return fallback
    return str(language)


def primary_language(tag: str) -> str:
    """The primary language of a tag such as "en-GB" or "pt_BR" ("en", "pt"), or ""."""
    match = _LANGUAGE_TAG.match(tag.strip().lower())
    return match.group(1) if match else ""


@lru_cache(maxsize=1)
def _identifier() -> _Identifier:
    # Loaded once, on first use (about a second); read-only afterwards, so threads may share it.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier: _Identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return identifier

"""The language of an article, from its text (py3langid), with what the source declares as a
prior.

py3langid is a naive Bayes classifier over byte n-grams (140 labels); its model ships
inside the package (a NumPy archive), so nothing is downloaded. Headlines are short, and
short texts mislead it: "Taylor Swift named top money maker for 2014" reads as Nigerian
Pidgin (0.60) more than English (0.33). So the language the publisher or feed declares
(``hint``) is taken as a prior: its probability is multiplied by :data:`PRIOR_ODDS` before
the likeliest language is chosen. A clear sentence in another language still wins (its
likelihood ratio is far larger), and texts too short to tell, or on which the detector stays
unsure, get the declared language. Without a declaration the answer is "" (unknown) there.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

#: Fewer letters than this is too short to tell.
MIN_LETTERS = 20
#: Below this probability (after the prior) the detector's answer is not trusted.
MIN_CONFIDENCE = 0.5
#: Characters read: the language of an article shows in its first paragraphs.
MAX_CHARS = 600
#: Prior odds for the declared language against the detector's choice, chosen on the demo
#: corpus's headlines and MasakhaNEWS headlines (bench/language_prior.py, decision 0020).
PRIOR_ODDS = 10.0

_NO_LANGUAGE = "zxx"  # ISO 639-2 "no linguistic content", one of py3langid's labels
_LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$")
# Declared tags whose language py3langid knows under another label.
_SAME_LANGUAGE = {"nb": "no", "fil": "tl", "iw": "he", "in": "id"}


class _Identifier(Protocol):
    def classify(self, text: str) -> tuple[str, float]: ...

    def rank(self, text: str) -> list[tuple[str, float]]: ...


def detect_language(text: str, *, hint: str = "", prior_odds: float = PRIOR_ODDS) -> str:
    """The ISO 639 code of the language of ``text`` (two letters where one exists), or "".

    ``hint`` is a language tag the source declares ("en", "pt-BR", "de_DE"), reduced to its
    primary language. It weighs ``prior_odds`` times as much as any other language before
    the text is read (``prior_odds=1`` ignores it), and it is the answer when the text is
    too short to tell or the detector's probability stays below :data:`MIN_CONFIDENCE`.
    Never raises on odd input.
    """
    declared = primary_language(hint)
    sample = " ".join(text[:MAX_CHARS].split())
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return declared
    prior = _SAME_LANGUAGE.get(declared, declared)
    first, confidence = _identifier().classify(sample)
    if first == prior:
        return declared  # the prior only adds to it; unsure or not, the answer is the same
    if not prior or prior_odds == 1.0:
        sure = confidence >= MIN_CONFIDENCE and first != _NO_LANGUAGE
        return str(first) if sure else declared
    probabilities = dict(_identifier().rank(sample))
    if prior in probabilities:
        probabilities[prior] *= prior_odds
        total = sum(probabilities.values())
        probabilities = {language: p / total for language, p in probabilities.items()}
    language = max(probabilities, key=probabilities.__getitem__)
    if probabilities[language] < MIN_CONFIDENCE or language == _NO_LANGUAGE:
        return declared
    return declared if language == prior else language


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

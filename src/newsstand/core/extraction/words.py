"""Counting words in any script, including those written without spaces between words.

Chinese and Japanese (Han, kana) and the scripts of Thai, Lao, Khmer and Myanmar do not
put spaces between words, so splitting on spaces counts a whole sentence, or a whole
paragraph, as one word: an 800-character Japanese article read as 40 "words" would be
refused as too short. ``count_words`` splits Latin, Cyrillic, Greek, Korean and other
spaced text on spaces as before, and counts runs of unspaced scripts by their letters:
``HAN_KANA_PER_WORD`` Han or kana characters to a word (reading speeds of about 500
characters a minute against about 230 English words), ``SOUTHEAST_ASIAN_PER_WORD``
letters for the Southeast Asian scripts, whose words are longer in letters. Their own
punctuation (the CJK symbols block, full-width forms) counts for nothing, as a comma does.
"""

from __future__ import annotations

import re

HAN_KANA_PER_WORD = 2
SOUTHEAST_ASIAN_PER_WORD = 4

_HAN_KANA = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u31f0-\u31ff]")
_SOUTHEAST_ASIAN = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
_UNSPACED = re.compile(
    "[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u31f0-\u31ff"
    "\uff00-\uffef\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]+"
)


def count_words(text: str) -> int:
    """Words in ``text``: space-separated tokens, plus unspaced scripts by their letters."""
    if text.isascii() or not _UNSPACED.search(text):
        return len(text.split())
    han_kana = len(_HAN_KANA.findall(text))
    southeast = len(_SOUTHEAST_ASIAN.findall(text))
    spaced = len(_UNSPACED.sub(" ", text).split())
    return spaced + -(-han_kana // HAN_KANA_PER_WORD) + -(-southeast // SOUTHEAST_ASIAN_PER_WORD)


_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[tuple[str, ...]]:
    """The word 4-grams of ``text`` (the unit of the Zyte scorer and of near-duplicate
    detection); a text of fewer than four words is one shingle."""
    words = _WORD.findall(text)
    return {tuple(words[i : i + 4]) for i in range(max(1, len(words) - 3))} if words else set()

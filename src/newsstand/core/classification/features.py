"""Text features for section classification: words, word pairs and a TF-IDF space.

An article becomes a bag of terms: lower-cased word tokens and adjacent word pairs of its
title and the start of its text. The title counts twice, since it says most about the
section. A :class:`FeatureSpace` maps terms to columns and weighs them by inverse document
frequency, with sublinear term frequency and unit length, as in the classic TF-IDF
baseline. The space is our own (not a scikit-learn vectoriser), so a model can be saved as
plain arrays and rebuilt without pickles, and features are the same in training and use.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

# Words: runs of letters or digits (any script). Apostrophes and hyphens split words.
_WORD = re.compile(r"[^\W_]+")

#: Words of the text used after the title; the lead says what an article is about.
MAX_TEXT_WORDS = 300

#: English function words, dropped before pairs are formed: they say nothing of a section,
#: and corpora of different kinds use them at different rates.
_STOP_WORDS = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own s same she should so some such t than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves said says say new one two
"""
ENGLISH_STOP_WORDS = frozenset(_STOP_WORDS.split())


def tokens(text: str, stop_words: frozenset[str] = frozenset()) -> list[str]:
    """Lower-cased word tokens of ``text`` less ``stop_words``; digits collapse to ``0``."""
    return [_digits(word) for word in _WORD.findall(text.lower()) if word not in stop_words]


def _digits(word: str) -> str:
    if word.isdigit():
        return "0"
    return word


def _grams(words: Sequence[str]) -> list[str]:
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(words)]
    return [*words, *pairs]


def article_terms(
    title: str,
    text: str,
    *,
    text_words: int = MAX_TEXT_WORDS,
    stop_words: frozenset[str] = ENGLISH_STOP_WORDS,
) -> Counter[str]:
    """Term counts of one article: the title's terms twice, then its first words once."""
    head = tokens(title, stop_words)
    body = tokens(text, stop_words)[:text_words]
    counts = Counter(_grams(head))
    counts.update(counts)
    counts.update(_grams(body))
    return counts


@dataclass(frozen=True, eq=False)  # arrays: compared by identity
class FeatureSpace:
    """Terms (column order) and their inverse document frequencies."""

    terms: tuple[str, ...]
    idf: npt.NDArray[np.float32]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {term: i for i, term in enumerate(self.terms)})

    @property
    def index(self) -> dict[str, int]:
        """Column of each term."""
        index: dict[str, int] = self.__dict__["_index"]
        return index

    @classmethod
    def fit(
        cls, documents: Iterable[Counter[str]], *, min_df: int = 1, max_terms: int | None = None
    ) -> FeatureSpace:
        """The space of the terms seen in at least ``min_df`` documents (smoothed idf).

        With ``max_terms``, only that many of the most widespread terms are kept (ties broken
        alphabetically), which bounds the size of a model trained on many articles.
        """
        df: Counter[str] = Counter()
        n_docs = 0
        for counts in documents:
            df.update(counts.keys())
            n_docs += 1
        kept = [term for term, n in df.items() if n >= min_df]
        if max_terms is not None and len(kept) > max_terms:
            kept = sorted(kept, key=lambda term: (-df[term], term))[:max_terms]
        terms = tuple(sorted(kept))
        idf = np.array(
            [math.log((1 + n_docs) / (1 + df[term])) + 1.0 for term in terms], dtype=np.float32
        )
        return cls(terms, idf)

    def matrix(self, documents: Iterable[Counter[str]]) -> sparse.csr_matrix:
        """Rows of unit-length TF-IDF weights, one per document; unknown terms are dropped."""
        index = self.index
        indptr = [0]
        columns: list[int] = []
        values: list[float] = []
        for counts in documents:
            row = [(index[t], 1.0 + math.log(n)) for t, n in counts.items() if t in index]
            row.sort()
            columns.extend(c for c, _ in row)
            values.extend(v for _, v in row)
            indptr.append(len(columns))
        weights = (
            np.asarray(values, dtype=np.float32) * self.idf[np.asarray(columns, dtype=np.int64)]
        )
        result = sparse.csr_matrix(
            (weights, np.asarray(columns, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
            shape=(len(indptr) - 1, len(self.terms)),
        )
        return _unit_rows(result)


def _unit_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    scaled: sparse.csr_matrix = sparse.diags(1.0 / norms).dot(matrix).tocsr()
    return scaled

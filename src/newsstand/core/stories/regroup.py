"""An offline pass over finished stories: stories that say the same in other words and share
their rare words are joined.

The online clusterer splits an event when its first articles are worded apart; each part
then grows its own centroid. Looking back at a whole window, two stories are joined when
both hold: their vectors are close (cosine of the centroids times both cohesions ** 0.5,
the score the online merge uses) to at least ``regroup_similarity``, and the words of their
articles overlap, as the cosine of the stories' summed TF-IDF rows (weights from the
window itself: a word most articles use says little; only the first ``LEAD_WORDS`` words
of each article), to at least ``regroup_words``. A story of a few articles
(``regroup_few``) has too few words for their overlap to say much: it joins on vectors alone,
when their score reaches ``regroup_few_similarity`` (stragglers of a bigger story: its first
or oddly worded articles, which the online pass left on their own). The
closest pair by vectors is joined first, then the joined story is compared afresh. Pairs
are taken in a fixed order (ties: the older story), so the result depends only on the input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsstand.core.stories.signals import Key, StoryParams, StorySnapshot

LEAD_WORDS = 60  # the words of an article that are compared (a headline and its lead)


def regroup(
    stories: Sequence[StorySnapshot], texts: Mapping[Key, str], params: StoryParams
) -> dict[Key, Key]:
    """Story snapshots (``members`` kept) and each member's text -> member id -> story key.

    The key of a joined story is that of its larger part (equal sizes: the older)."""
    keys = [s.key for s in stories]
    members = [list(s.members) for s in stories]
    words = _word_profiles(members, texts)
    if len(stories) > 1 and words is not None:
        totals = np.array([s.centroid * s.size for s in stories], dtype=np.float64)
        sizes = np.array([s.size for s in stories], dtype=np.float64)
        for keep, gone in _joins(totals, sizes, words, params):
            members[keep].extend(members[gone])
            members[gone] = []
    return {m: keys[row] for row, group in enumerate(members) for m in group}


def _word_profiles(members: list[list[Key]], texts: Mapping[Key, str]) -> list[Any] | None:
    """Per story the sum of its articles' TF-IDF rows, a sparse row (None: no word repeats)."""
    from scipy import sparse  # loaded on first use: importing the core loads neither
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = [m for group in members for m in group]
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2)
    try:
        rows = vectorizer.fit_transform([_lead(texts.get(m, "")) for m in ids])
    except ValueError:  # an empty vocabulary
        return None
    owner = np.repeat(np.arange(len(members)), [len(g) for g in members])
    pick = sparse.csr_matrix(
        (np.ones(len(ids)), (owner, np.arange(len(ids)))), shape=(len(members), len(ids))
    )
    profiles = sparse.csr_matrix(pick @ rows)
    return [profiles.getrow(r) for r in range(len(members))]


def _lead(text: str) -> str:
    """The first ``LEAD_WORDS`` words: a title and lead; deep in a long article, related
    events share too many words (measured on NewsWCL50: whole articles joined its events)."""
    return " ".join(text.split()[:LEAD_WORDS])


def _unit_rows(rows: list[Any]) -> Any:
    from scipy import sparse

    matrix = sparse.vstack(rows, format="csr")
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sparse.csr_matrix(sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ matrix)


def _units(
    totals: NDArray[np.float64], sizes: NDArray[np.float64], cohesion: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    norms = np.linalg.norm(totals, axis=1)
    units = totals / np.maximum(norms, 1e-12)[:, None]
    return units, (norms / np.maximum(sizes, 1.0)) ** cohesion


def _joins(
    totals: NDArray[np.float64],
    sizes: NDArray[np.float64],
    words: list[Any],
    params: StoryParams,
) -> list[tuple[int, int]]:
    """The joins, in order: (row kept, row folded into it)."""
    from scipy import sparse

    alive = np.ones(len(sizes), dtype=bool)
    units, weights = _units(totals, sizes, params.cohesion)
    vec = (units @ units.T) * np.outer(weights, weights)
    word_units = _unit_rows(words)
    lex = np.asarray((word_units @ word_units.T).toarray(), dtype=np.float64)
    joins: list[tuple[int, int]] = []
    while True:
        ok = (vec >= params.regroup_similarity) & (lex >= params.regroup_words)
        few = np.minimum.outer(sizes, sizes) <= params.regroup_few
        ok |= few & (vec >= params.regroup_few_similarity)
        ok &= alive[:, None] & alive[None, :]
        np.fill_diagonal(ok, False)
        if not ok.any():
            return joins
        i, j = np.unravel_index(int(np.argmax(np.where(ok, vec, -np.inf))), vec.shape)
        keep, gone = (int(i), int(j)) if (sizes[i], -i) >= (sizes[j], -j) else (int(j), int(i))
        totals[keep] += totals[gone]
        sizes[keep] += sizes[gone]
        alive[gone] = False
        unit, weight = _units(totals[keep : keep + 1], sizes[keep : keep + 1], params.cohesion)
        units[keep], weights[keep] = unit[0], weight[0]
        vec[keep] = vec[:, keep] = (units @ units[keep]) * weights * weights[keep]
        words[keep] = words[keep] + words[gone]
        kept = _unit_rows([words[keep]])
        word_units = sparse.vstack([word_units[:keep], kept, word_units[keep + 1 :]], format="csr")
        lex[keep] = lex[:, keep] = np.asarray((word_units @ kept.T).toarray()).ravel()
        joins.append((keep, gone))

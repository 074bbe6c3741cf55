"""Related stories: the nearest other stories to a centroid, never the story itself."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from newsstand.core.stories.signals import Key, StorySnapshot


def related_stories(
    centroid: NDArray[np.floating],
    candidates: Sequence[StorySnapshot],
    k: int,
    exclude: Key | None = None,
) -> list[tuple[Key, float]]:
    """The ``k`` candidates nearest to ``centroid`` by cosine, nearest first.

    ``exclude`` (the story asked about) is never returned, nor is a candidate with no vector.
    Ties keep the order of ``candidates``.
    """
    kept = [c for c in candidates if c.key != exclude and np.any(c.centroid)]
    if not kept or k <= 0:
        return []
    matrix = np.stack([np.asarray(c.centroid, dtype=np.float32) for c in kept])
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    query = np.asarray(centroid, dtype=np.float32)
    norm = float(np.linalg.norm(query))
    if norm == 0:
        return []
    sims = matrix @ (query / norm)
    order = np.argsort(-sims, kind="stable")[:k]
    return [(kept[i].key, float(sims[i])) for i in order]

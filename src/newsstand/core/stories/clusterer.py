"""Online story clustering: each article joins the nearest open story or founds one.

The open stories live in one float32 matrix of unit centroids, so scoring an article against
every story of the window is one matrix-vector product; the best ``candidates`` are rescored
with shared entities and the gap in time. Decisions depend only on the input and its order
(ties go to the story that was opened first), so the same articles in the same order give
the same stories.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from newsstand.core.stories.encoder import TextEncoder, load_text_encoder
from newsstand.core.stories.regroup import regroup
from newsstand.core.stories.signals import (
    ArticleSignal,
    Assignment,
    Key,
    StoryParams,
    StorySnapshot,
)

DAY = 86400.0


@dataclass
class _Story:
    key: Key
    total: NDArray[np.float32]  # sum of the members' unit vectors
    size: int
    publishers: Counter[str]
    entities: Counter[str]
    first: datetime
    last: datetime
    members: list[Key] = field(default_factory=list)

    def snapshot(self) -> StorySnapshot:
        return StorySnapshot(
            key=self.key,
            centroid=(self.total / self.size).astype(np.float32),
            size=self.size,
            publishers=dict(self.publishers),
            entities=dict(self.entities),
            first_published=self.first,
            last_published=self.last,
            members=list(self.members),
        )


class StoryClusterer:
    """The open window of stories, to which articles are assigned one by one, in order."""

    def __init__(
        self,
        params: StoryParams | None = None,
        stories: Iterable[StorySnapshot] = (),
        encoder: TextEncoder | None = None,
        *,
        keep_members: bool = False,
    ) -> None:
        self.params = params if params is not None else StoryParams()
        self._encoder = encoder
        self._keep_members = keep_members
        self._stories: list[_Story | None] = []  # by row; None once merged away or closed
        self._rows: dict[Key, int] = {}
        self._units = np.zeros((64, 0), dtype=np.float32)
        self._last = np.zeros(64, dtype=np.float64)  # last published, seconds; -inf when gone
        self._sizes = np.zeros(64, dtype=np.int64)
        self._weights = np.zeros(64, dtype=np.float32)
        for snapshot in stories:
            self._restore(snapshot)

    # -- public API -------------------------------------------------------------------------

    def assign(self, article: ArticleSignal) -> Assignment:
        """Put ``article`` into the best open story, or found a new one."""
        vector = article.vector if article.vector is not None else self._encode([article])[0]
        return self._assign(article, np.asarray(vector, dtype=np.float32))

    def assign_many(self, articles: Sequence[ArticleSignal]) -> list[Assignment]:
        """Assign ``articles`` in the order given, encoding the missing vectors in one batch."""
        missing = [a for a in articles if a.vector is None]
        encoded = iter(self._encode(missing)) if missing else iter(())
        result = []
        for article in articles:
            vector = article.vector if article.vector is not None else next(encoded)
            result.append(self._assign(article, np.asarray(vector, dtype=np.float32)))
        return result

    def close_quiet(self, now: datetime) -> list[Key]:
        """Close the stories with no article for ``quiet_period`` before ``now``; their keys."""
        limit = (now - self.params.quiet_period).timestamp()
        closed = []
        for row in np.flatnonzero(self._last[: len(self._stories)] < limit):
            story = self._stories[row]
            if story is not None:
                closed.append(story.key)
                self._drop(int(row))
        return closed

    def snapshot(self, key: Key) -> StorySnapshot:
        """The open story ``key``. Raises KeyError when it is not open."""
        story = self._stories[self._rows[key]]
        assert story is not None
        return story.snapshot()

    def snapshots(self) -> list[StorySnapshot]:
        """Every open story, oldest first."""
        return [s.snapshot() for s in self._stories if s is not None]

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def related(self, key: Key, k: int) -> list[tuple[Key, float]]:
        """The ``k`` open stories nearest to story ``key`` (never itself), nearest first."""
        row = self._rows[key]
        sims = self._units[: len(self._stories)] @ self._units[row]
        sims[row] = -np.inf
        sims[self._last[: len(self._stories)] == -np.inf] = -np.inf
        order = np.argsort(-sims, kind="stable")[:k]
        found = []
        for i in order:
            story = self._stories[i]
            if story is not None and np.isfinite(sims[i]):
                found.append((story.key, float(sims[i])))
        return found

    # -- assignment -------------------------------------------------------------------------

    def _encode(self, articles: Sequence[ArticleSignal]) -> NDArray[np.float32]:
        if self._encoder is None:
            self._encoder = load_text_encoder()
        return self._encoder.encode([a.encoder_text() for a in articles])

    def _assign(self, article: ArticleSignal, vector: NDArray[np.float32]) -> Assignment:
        best, score, near = self._best_story(article, vector)
        if best is None:
            self._found(article, vector)
            return Assignment(article.id, article.id, created=True, similarity=1.0)
        self._join(best, article, vector)
        survivor, merged = self._merge_converging(best, near)
        return Assignment(article.id, survivor, created=False, similarity=score, merged=merged)

    def _key(self, row: int) -> Key:
        story = self._stories[row]
        assert story is not None
        return story.key

    def _open_rows(self, published: datetime) -> NDArray[np.bool_]:
        limit = (published - self.params.window).timestamp()
        return np.asarray(self._last[: len(self._stories)] >= limit)

    def _best_story(
        self, article: ArticleSignal, vector: NDArray[np.float32]
    ) -> tuple[int | None, float, list[int]]:
        """The story to join (None: found one), its score, and the open stories nearest the
        article (the only ones a join can bring close enough to merge)."""
        count = len(self._stories)
        if not self._rows:
            return None, 0.0, []
        sims = (self._units[:count] @ vector) * self._weights[:count]
        sims[~self._open_rows(article.published)] = -np.inf
        take = min(self.params.candidates, count)
        top = np.argpartition(-sims, take - 1)[:take] if take < count else np.arange(count)
        near = sorted(int(r) for r in top if np.isfinite(sims[r]))
        best: int | None = None
        best_score = -np.inf
        for row in near:
            score = float(sims[row]) + self._adjustment(row, article)
            if score > best_score:
                best, best_score = row, score
        if best is None or best_score < self.params.join_threshold:
            return None, best_score, near
        return best, best_score, near

    def _adjustment(self, row: int, article: ArticleSignal) -> float:
        story = self._stories[row]
        assert story is not None
        params = self.params
        bonus = 0.0
        if article.entities and params.entity_weight:
            shared = sum(min(1.0, 2 * story.entities[e] / story.size) for e in article.entities)
            bonus = params.entity_weight * min(1.0, shared / max(1, len(article.entities)) * 2)
        gap = 0.0
        if article.published > story.last:
            gap = (article.published - story.last).total_seconds() / DAY
        elif article.published < story.first:
            gap = (story.first - article.published).total_seconds() / DAY
        return bonus - params.time_weight * gap

    # -- story bookkeeping ------------------------------------------------------------------

    def _found(self, article: ArticleSignal, vector: NDArray[np.float32]) -> None:
        story = _Story(
            key=article.id,
            total=vector.astype(np.float32).copy(),
            size=1,
            publishers=Counter([article.publisher] if article.publisher else []),
            entities=Counter(article.entities),
            first=article.published,
            last=article.published,
            members=[article.id] if self._keep_members else [],
        )
        self._add_row(story)

    def _restore(self, snapshot: StorySnapshot) -> None:
        story = _Story(
            key=snapshot.key,
            total=np.asarray(snapshot.centroid, dtype=np.float32) * snapshot.size,
            size=snapshot.size,
            publishers=Counter(snapshot.publishers),
            entities=Counter(snapshot.entities),
            first=snapshot.first_published,
            last=snapshot.last_published,
            members=list(snapshot.members),
        )
        self._add_row(story)

    def _add_row(self, story: _Story) -> None:
        if story.key in self._rows:
            raise ValueError(f"story {story.key!r} is already open")
        if self._units.shape[1] != story.total.shape[0]:
            if self._rows:
                raise ValueError("vectors of another size than the open stories'")
            self._stories = []
            self._last = np.full(64, -np.inf)
            self._sizes = np.zeros(64, dtype=np.int64)
            self._weights = np.zeros(64, dtype=np.float32)
            self._units = np.zeros((64, story.total.shape[0]), dtype=np.float32)
        if len(self._stories) == self._units.shape[0]:
            self._grow()
        row = len(self._stories)
        self._stories.append(story)
        self._rows[story.key] = row
        self._refresh(row)

    def _grow(self) -> None:
        live = [s for s in self._stories if s is not None]
        if len(live) < len(self._stories) // 2:
            self._compact(live)
            return
        size = self._units.shape[0] * 2
        self._units = np.resize(self._units, (size, self._units.shape[1]))
        self._last = np.resize(self._last, size)
        self._sizes = np.resize(self._sizes, size)
        self._weights = np.resize(self._weights, size)

    def _compact(self, live: list[_Story]) -> None:
        self._stories = []
        self._rows = {}
        self._units[:] = 0
        self._last[:] = -np.inf
        for story in live:
            self._rows[story.key] = len(self._stories)
            self._stories.append(story)
            self._refresh(len(self._stories) - 1)

    def _refresh(self, row: int) -> None:
        story = self._stories[row]
        assert story is not None
        norm = float(np.linalg.norm(story.total))
        self._units[row] = story.total / norm if norm > 0 else story.total
        self._last[row] = story.last.timestamp()
        self._sizes[row] = story.size
        self._weights[row] = (norm / story.size) ** self.params.cohesion if norm > 0 else 0.0

    def _join(self, row: int, article: ArticleSignal, vector: NDArray[np.float32]) -> None:
        story = self._stories[row]
        assert story is not None
        story.total += vector
        story.size += 1
        if article.publisher:
            story.publishers[article.publisher] += 1
        story.entities.update(article.entities)
        story.first = min(story.first, article.published)
        story.last = max(story.last, article.published)
        if self._keep_members:
            story.members.append(article.id)
        self._refresh(row)

    def _drop(self, row: int) -> None:
        story = self._stories[row]
        assert story is not None
        del self._rows[story.key]
        self._stories[row] = None
        self._units[row] = 0
        self._last[row] = -np.inf

    def _merge_converging(self, row: int, near: list[int]) -> tuple[Key, tuple[Key, ...]]:
        """Fold into story ``row`` the stories of ``near`` whose centroid came within
        ``merge_threshold`` of its own; the surviving key and the keys folded."""
        merged: list[Key] = []
        others = [r for r in near if r != row]
        while others:
            sims = (self._units[others] @ self._units[row]) * self._weights[others]
            sims *= self._weights[row]
            best = int(np.argmax(sims))
            if not sims[best] >= self.params.merge_threshold:
                break
            row, gone = self._merge_pair(row, others[best])
            merged.append(gone)
            others = [r for r in others if self._stories[r] is not None and r != row]
        return self._key(row), tuple(merged)

    def _merge_pair(self, a: int, b: int) -> tuple[int, Key]:
        """Merge rows a and b into the larger (then the older); its row and the other's key."""
        sa, sb = self._stories[a], self._stories[b]
        assert sa is not None and sb is not None
        keep, gone = (a, b) if (sa.size, -a) >= (sb.size, -b) else (b, a)
        kept, lost = self._stories[keep], self._stories[gone]
        assert kept is not None and lost is not None
        kept.total += lost.total
        kept.size += lost.size
        kept.publishers.update(lost.publishers)
        kept.entities.update(lost.entities)
        kept.first = min(kept.first, lost.first)
        kept.last = max(kept.last, lost.last)
        kept.members.extend(lost.members)
        self._drop(gone)
        self._refresh(keep)
        return keep, lost.key


def recluster(
    articles: Sequence[ArticleSignal],
    params: StoryParams | None = None,
    encoder: TextEncoder | None = None,
) -> dict[Key, Key]:
    """Cluster a window afresh: article id -> story key, articles taken by published time;
    then stories that converged in words and vectors are joined (``regroup``)."""
    ordered = sorted(enumerate(articles), key=lambda pair: (pair[1].published, pair[0]))
    clusterer = StoryClusterer(params, encoder=encoder, keep_members=True)
    clusterer.assign_many([a for _, a in ordered])
    texts = {a.id: a.encoder_text() for a in articles}
    return regroup(clusterer.snapshots(), texts, clusterer.params)

"""Writing stories: the clusterer's window read back, its decisions written down.

The use case (``newsstand.usecases.stories``) runs the clusterer; this module turns stored
stories into ``StorySnapshot``s and writes back what changed: new links of articles to
their stories, stories created, stories grown, stories merged into others (their links
move, their editorial flags join the survivor's, their rows go). Called inside the
caller's transaction.

A story's headline is the title of the article nearest its centroid, among its current
headline article and the articles that just joined (so choosing it costs nothing per
member); its section is the most common section of its articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db import connection

from newsstand.articles.models import Article
from newsstand.core.stories import StorySnapshot, pack_vector, unpack_vector
from newsstand.stories.models import Story, StoryArticle, StoryState

LINK_CHUNK = 500


@dataclass(frozen=True, slots=True)
class NewLink:
    """An article's place in a story, as decided by the clusterer."""

    article_id: int
    story_key: int  # the story it ended in (after every merge of the batch)
    publisher_id: int
    published_at: datetime
    section_id: int | None
    similarity: float
    vector: bytes
    signature: bytes | None = None  # MinHash of its text, when long enough to tell
    duplicate_of: int | None = None


def snapshot_of(story: Story) -> StorySnapshot:
    return StorySnapshot(
        key=story.key,
        centroid=unpack_vector(bytes(story.centroid)),
        size=story.article_count,
        publishers={str(k): int(v) for k, v in story.publishers.items()},
        entities={str(k): int(v) for k, v in story.entities.items()},
        first_published=story.first_published,
        last_published=story.last_published,
    )


def open_window(since: datetime) -> list[StorySnapshot]:
    """The open stories with an article since ``since``, oldest first (key order on ties)."""
    stories = Story.objects.filter(state=StoryState.OPEN, last_published__gte=since)
    return [snapshot_of(s) for s in stories.order_by("first_published", "key").iterator(2000)]


def linked(article_ids: Iterable[int]) -> set[int]:
    """Which of these articles already have a story."""
    ids = list(article_ids)
    return set(StoryArticle.objects.filter(article_id__in=ids).values_list("article_id", flat=True))


def save_assignments(
    snapshots: Mapping[int, StorySnapshot],
    links: Sequence[NewLink],
    merged: Mapping[int, int],
    *,
    now: datetime,
) -> dict[int, Story]:
    """Write one batch of the clusterer's decisions; returns the stories touched, by key.

    ``snapshots``: the final state of every story the batch touched; ``merged``: stories
    (by key) folded into another story (key) by the batch.
    """
    existing = {s.key: s for s in Story.objects.filter(key__in=[*snapshots, *merged])}
    stories = {key: _story_from(existing.get(key), snapshot) for key, snapshot in snapshots.items()}
    gone = [existing[key] for key in merged if key in existing and key not in snapshots]
    for old in gone:
        _fold_editorial(stories[merged[old.key]], old)
    _update_sections(stories, gone, merged, links)
    for story in stories.values():
        story.save()
    for old in gone:
        StoryArticle.objects.filter(story=old).update(story=stories[merged[old.key]])
        old.delete()
    StoryArticle.objects.bulk_create(
        [_link_row(link, stories[link.story_key], now) for link in links], batch_size=LINK_CHUNK
    )
    _choose_headlines(stories, gone, merged, links)
    return stories


def _story_from(story: Story | None, snapshot: StorySnapshot) -> Story:
    if story is None:
        story = Story(key=int(snapshot.key))
    story.centroid = pack_vector(snapshot.centroid)
    story.article_count = snapshot.size
    story.publishers = dict(snapshot.publishers)
    story.publisher_count = len(snapshot.publishers)
    story.entities = dict(snapshot.entities)
    story.first_published = snapshot.first_published
    story.last_published = snapshot.last_published
    story.state = StoryState.OPEN
    return story


def _fold_editorial(survivor: Story, old: Story) -> None:
    """What editors said of a story merged away carries over to the story it joined."""
    survivor.pinned = survivor.pinned or old.pinned
    survivor.buried = survivor.buried or old.buried
    survivor.boost = max(survivor.boost, old.boost)
    if old.pick and not survivor.pick:
        survivor.pick, survivor.pick_note, survivor.picked_at = True, old.pick_note, old.picked_at


def _update_sections(
    stories: Mapping[int, Story],
    gone: Sequence[Story],
    merged: Mapping[int, int],
    links: Sequence[NewLink],
) -> None:
    counts: dict[int, Counter[str]] = {key: Counter(s.sections) for key, s in stories.items()}
    for old in gone:
        counts[merged[old.key]].update(old.sections)
    for link in links:
        if link.section_id is not None:
            counts[link.story_key][str(link.section_id)] += 1
    for key, story in stories.items():
        story.sections = dict(counts[key])
        story.section_id = most_common_section(counts[key])


def most_common_section(counts: Mapping[str, int]) -> int | None:
    """The section with most articles (the lowest id on ties), or None."""
    if not counts:
        return None
    best = min(counts.items(), key=lambda item: (-item[1], int(item[0])))
    return int(best[0])


def _link_row(link: NewLink, story: Story, now: datetime) -> StoryArticle:
    return StoryArticle(
        article_id=link.article_id,
        story=story,
        publisher_id=link.publisher_id,
        published_at=link.published_at,
        similarity=link.similarity,
        vector=link.vector,
        signature=link.signature,
        duplicate_of_id=link.duplicate_of,
        assigned_at=now,
    )


def _choose_headlines(
    stories: Mapping[int, Story],
    gone: Sequence[Story],
    merged: Mapping[int, int],
    links: Sequence[NewLink],
) -> None:
    """Each touched story's headline: the candidate nearest its centroid (earliest on ties)."""
    candidates: dict[int, set[int]] = {key: set() for key in stories}
    for key, story in stories.items():
        if story.headline_article_id:
            candidates[key].add(story.headline_article_id)
    for old in gone:
        if old.headline_article_id:
            candidates[merged[old.key]].add(old.headline_article_id)
    for link in links:
        if link.duplicate_of is None:
            candidates[link.story_key].add(link.article_id)
    wanted = {a for ids in candidates.values() for a in ids}
    rows = StoryArticle.objects.filter(article_id__in=wanted).values_list(
        "article_id", "published_at", "vector"
    )
    known = {a: (published, unpack_vector(bytes(v))) for a, published, v in rows}
    titles = dict(Article.objects.filter(pk__in=wanted).values_list("id", "title"))
    for key, story in stories.items():
        best = _nearest(unpack_vector(bytes(story.centroid)), candidates[key], known, titles)
        if best is not None and best != story.headline_article_id:
            Story.objects.filter(pk=story.pk).update(
                headline_article_id=best, headline=titles.get(best, "")
            )
            story.headline_article_id, story.headline = best, titles.get(best, "")


def _nearest(
    centroid: np.ndarray,
    ids: Iterable[int],
    known: Mapping[int, tuple[datetime, np.ndarray]],
    titles: Mapping[int, str],
) -> int | None:
    """The article whose vector is nearest the centroid, a whole title before a cut one
    ("Could App Revolutionize ..."), the earliest on ties."""
    scored = []
    for article_id in ids:
        if article_id in known:
            published, vector = known[article_id]
            cut = _is_cut(titles.get(article_id, ""))
            scored.append((cut, -float(vector @ centroid), published, article_id))
    return min(scored)[3] if scored else None


def _is_cut(title: str) -> bool:
    """A title the feed shortened: it ends in an ellipsis."""
    return title.rstrip().endswith(("...", "\u2026"))


def close_quiet(before: datetime) -> int:
    """Close the open stories with no article since ``before``; how many were closed."""
    quiet = Story.objects.filter(state=StoryState.OPEN, last_published__lt=before)
    return quiet.update(state=StoryState.CLOSED)


# Any constant shared by every process that assigns stories (PostgreSQL advisory lock).
ASSIGNMENT_LOCK = 0x5707_1E5


def lock_assignment() -> None:
    """Hold the assignment lock until the current transaction ends.

    On PostgreSQL a transaction-level advisory lock; SQLite needs none, since every
    transaction takes the database's write lock when it begins (``transaction_mode``
    IMMEDIATE in the settings), which serialises assigners already.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ASSIGNMENT_LOCK])


def signatures_of(keys: Iterable[int]) -> list[tuple[int, int, np.ndarray, int | None]]:
    """(article, story key, MinHash signature, canonical article) of the stored members of
    these stories that have a signature, oldest first."""
    rows = (
        StoryArticle.objects.filter(story__key__in=list(keys), signature__isnull=False)
        .order_by("published_at", "article_id")
        .values_list("article_id", "story__key", "signature", "duplicate_of_id")
    )
    return [
        (article_id, key, np.frombuffer(bytes(signature or b""), dtype=np.uint32), duplicate_of)
        for article_id, key, signature, duplicate_of in rows
    ]


@dataclass(frozen=True, slots=True)
class Member:
    """A stored member of a story, as reclustering needs it."""

    article_id: int
    story_id: int
    publisher_id: int
    published_at: datetime
    section_id: int | None
    vector: np.ndarray
    duplicate_of: int | None


def members_of(stories: Sequence[Story]) -> list[Member]:
    """The members of these stories, oldest first."""
    rows = (
        StoryArticle.objects.filter(story__in=stories)
        .order_by("published_at", "article_id")
        .values_list(
            "article_id", "story_id", "publisher_id", "published_at", "article__section_id",
            "vector", "duplicate_of_id",
        )
    )  # fmt: skip
    return [
        Member(a, s, p, published, section, unpack_vector(bytes(vector)), dup)
        for a, s, p, published, section, vector, dup in rows
    ]


def replace_stories(
    old: Sequence[Story],
    groups: Mapping[int, Sequence[Member]],
    entities: Mapping[int, frozenset[str]],
) -> None:
    """Replace the stories ``old`` by one story per group (keyed by its founding article).

    A new story whose key an old story had is that old row, updated (editors' flags kept);
    the flags of an old story whose key is gone pass to the new story holding most of its
    articles. Headlines are chosen among all members.
    """
    by_key = {s.key: s for s in old}
    stories: dict[int, Story] = {}
    for key, members in groups.items():
        stories[key] = _story_from(by_key.get(key), _snapshot_of_members(key, members, entities))
        counts = Counter(str(m.section_id) for m in members if m.section_id is not None)
        stories[key].sections = dict(counts)
        stories[key].section_id = most_common_section(counts)
    for story in old:
        if story.key not in groups:
            _fold_editorial(stories[_heir(story, groups)], story)
    for story in stories.values():
        story.save()
    for key, members in groups.items():
        StoryArticle.objects.filter(article_id__in=[m.article_id for m in members]).update(
            story=stories[key]
        )
    Story.objects.filter(pk__in=[s.pk for s in old if s.key not in groups]).delete()
    titles = dict(
        Article.objects.filter(
            pk__in=[m.article_id for ms in groups.values() for m in ms]
        ).values_list("id", "title")
    )
    for key, members in groups.items():
        known = {
            m.article_id: (m.published_at, m.vector) for m in members if m.duplicate_of is None
        }
        best = _nearest(unpack_vector(bytes(stories[key].centroid)), known, known, titles)
        Story.objects.filter(pk=stories[key].pk).update(
            headline_article_id=best, headline=titles.get(best or 0, "")
        )


def _heir(story: Story, groups: Mapping[int, Sequence[Member]]) -> int:
    """The new story (key) holding most of ``story``'s articles (the lowest key on ties)."""
    held = Counter(key for key, ms in groups.items() for m in ms if m.story_id == story.pk)
    return min(held.items(), key=lambda item: (-item[1], item[0]))[0]


def _snapshot_of_members(
    key: int, members: Sequence[Member], entities: Mapping[int, frozenset[str]]
) -> StorySnapshot:
    publishers = Counter(str(m.publisher_id) for m in members)
    names: Counter[str] = Counter()
    for m in members:
        names.update(entities.get(m.article_id, frozenset()))
    return StorySnapshot(
        key=key,
        centroid=np.mean([m.vector for m in members], axis=0).astype(np.float32),
        size=len(members),
        publishers=dict(publishers),
        entities=dict(names),
        first_published=min(m.published_at for m in members),
        last_published=max(m.published_at for m in members),
    )

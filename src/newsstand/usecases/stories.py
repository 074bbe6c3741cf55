"""Stories: each new article joins the story of its event, or starts one.

``assign_stories(ids)`` runs after enrichment (entities are known then), as its own task
on the enrich queue (``assign_pending``):

1. outside any transaction, the articles' text vectors are encoded (the slow part: about
   30 ms a headline with MiniLM on one core) and their MinHash signatures computed;
2. in one transaction, holding the assignment lock (on PostgreSQL an advisory lock; on
   SQLite the write lock every transaction takes up front), the articles that meanwhile
   got a story are dropped, the open window is read back from the database as
   ``StorySnapshot``s, ``core.stories.StoryClusterer`` assigns the articles in arrival
   (id) order, and the decisions are written: links, new stories, grown stories, merges.

So two workers never assign one article twice (the second finds it linked) and never
decide against a window the other is changing. An article that is a near-duplicate of an
earlier article of the same story (a wire copy: MinHash of its text, ``core.stories``) is
linked with ``duplicate_of`` its canonical article.

``close_quiet_stories(now)`` closes stories quiet for ``StoryParams.quiet_period`` (the
scheduler's tick); ``recluster_window(start, end)`` clusters afresh the stories founded in
a time window.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from newsstand.articles.models import Article, ArticleEntity
from newsstand.core.sanitize import text_of_clean_html
from newsstand.core.stories import (
    ArticleSignal,
    Assignment,
    Key,
    NearDuplicateIndex,
    StoryClusterer,
    StoryParams,
    TextEncoder,
    load_text_encoder,
    near_duplicate_signature,
    pack_vector,
    recluster,
    regroup,
)
from newsstand.stories import store
from newsstand.stories.models import Story, StoryState

ASSIGN_BATCH = 200  # articles one assignment task takes
PENDING_HORIZON = timedelta(days=2)  # enriched longer ago than this: never assigned
REGROUP_MAX_STORIES = 2000  # open stories the regroup pass compares, most recent first
TEXT_CHARS = 600  # of an article's text given to the encoder (it reads 128 tokens)


@dataclass
class AssignReport:
    articles: int = 0  # assigned by this call
    created: int = 0  # stories founded
    joined: int = 0  # articles that joined an existing story
    merged: int = 0  # stories folded into others
    duplicates: int = 0  # articles linked as near-copies of another
    skipped: int = 0  # already had a story (another worker was first)


@dataclass(frozen=True)
class _Prepared:
    """An article ready for the clusterer: its signal and what is stored beside it."""

    signal: ArticleSignal
    publisher_id: int
    section_id: int | None
    signature: np.ndarray


def _params(params: StoryParams | None) -> StoryParams:
    return params if params is not None else StoryParams()


# --- preparing articles (outside the transaction) -----------------------------------------


def _entities_of(ids: Sequence[int]) -> dict[int, frozenset[str]]:
    found: defaultdict[int, set[str]] = defaultdict(set)
    rows = ArticleEntity.objects.filter(article_id__in=ids).values_list(
        "article_id", "entity__slug"
    )
    for article_id, slug in rows:
        found[article_id].add(slug)
    return {article_id: frozenset(slugs) for article_id, slugs in found.items()}


def _prepare(ids: Sequence[int], encoder: TextEncoder | None) -> list[_Prepared]:
    """Signals of the articles, in id (arrival) order, vectors encoded in one batch."""
    articles = list(
        Article.objects.filter(pk__in=ids)
        .order_by("id")
        .only("id", "title", "summary", "content", "published_at", "publisher_id", "section_id")
    )
    if not articles:
        return []
    entities = _entities_of([a.pk for a in articles])
    signals = [
        ArticleSignal(
            id=a.pk,
            title=a.title,
            text=text_of_clean_html(a.content or a.summary)[:TEXT_CHARS],
            published=a.published_at,
            publisher=str(a.publisher_id),
            entities=entities.get(a.pk, frozenset()),
        )
        for a in articles
    ]
    vectors = (encoder or load_text_encoder()).encode([s.encoder_text() for s in signals])
    return [
        _Prepared(
            signal=dataclasses.replace(signal, vector=vector),
            publisher_id=article.publisher_id,
            section_id=article.section_id,
            signature=near_duplicate_signature(f"{signal.title} {signal.text}"),
        )
        for signal, vector, article in zip(signals, vectors, articles, strict=True)
    ]


# --- assigning ------------------------------------------------------------------------------


def assign_stories(
    article_ids: Iterable[int],
    *,
    now: datetime | None = None,
    params: StoryParams | None = None,
    encoder: TextEncoder | None = None,
) -> AssignReport:
    """Put each of these articles into its story (see the module doc). Articles that
    already have one are left as they are. A database error is raised; the batch is then
    retried whole (nothing of it was written). ``encoder``: the composition root's, with
    its model cache (``compute.text_model``); by default one built in this process."""
    params = _params(params)
    now = now or timezone.now()
    ids = set(article_ids)
    wanted = sorted(ids - store.linked(ids))
    report = AssignReport()
    prepared = _prepare(wanted, encoder) if wanted else []
    if not prepared:
        return report
    with transaction.atomic():
        store.lock_assignment()
        done = store.linked(int(p.signal.id) for p in prepared)
        report.skipped = len(done)
        prepared = [p for p in prepared if p.signal.id not in done]
        if prepared:
            _assign_and_save(prepared, params, now, report)
    return report


def _assign_and_save(
    prepared: Sequence[_Prepared], params: StoryParams, now: datetime, report: AssignReport
) -> None:
    since = min(p.signal.published for p in prepared) - params.window
    clusterer = StoryClusterer(params, store.open_window(since))
    assignments = clusterer.assign_many([p.signal for p in prepared])
    merged = _merges(assignments)
    final = {int(a.article_id): _follow(int(a.story), merged) for a in assignments}
    snapshots = {key: clusterer.snapshot(key) for key in set(final.values())}
    duplicates = _near_duplicates(prepared, final)
    links = [
        store.NewLink(
            article_id=int(p.signal.id),
            story_key=final[int(p.signal.id)],
            publisher_id=p.publisher_id,
            published_at=p.signal.published,
            section_id=p.section_id,
            similarity=a.similarity,
            vector=pack_vector(p.signal.vector) if p.signal.vector is not None else b"",
            signature=p.signature.tobytes() if p.signature.any() else None,
            duplicate_of=duplicates.get(int(p.signal.id)),
        )
        for p, a in zip(prepared, assignments, strict=True)
    ]
    store.save_assignments(snapshots, links, {k: _follow(k, merged) for k in merged}, now=now)
    report.articles = len(links)
    report.created = sum(a.created for a in assignments)
    report.joined = report.articles - report.created
    report.merged = len(merged)
    report.duplicates = len(duplicates)


def _merges(assignments: Sequence[Assignment]) -> dict[int, int]:
    """Story key → the key of the story it was merged into (one step)."""
    return {int(gone): int(a.story) for a in assignments for gone in a.merged}


def _follow(key: int, merged: dict[int, int]) -> int:
    """Where story ``key`` ended after every merge of the batch."""
    seen = set()
    while key in merged and key not in seen:
        seen.add(key)
        key = merged[key]
    return key


def _near_duplicates(prepared: Sequence[_Prepared], final: dict[int, int]) -> dict[int, int]:
    """Article id → its canonical article, for the new articles that near-copy an earlier
    article of the same story (earlier members first, then the batch in order)."""
    batch = [p for p in prepared if p.signature.any()]
    if not batch:
        return {}
    keys = {final[int(p.signal.id)] for p in batch}
    indexes: defaultdict[int, NearDuplicateIndex] = defaultdict(NearDuplicateIndex)
    canonical: dict[int, int] = {}
    for article_id, key, signature, duplicate_of in store.signatures_of(keys):
        indexes[key].add(article_id, signature)
        canonical[article_id] = duplicate_of or article_id
    found: dict[int, int] = {}
    for p in batch:
        article_id = int(p.signal.id)
        earlier = indexes[final[article_id]].add(article_id, p.signature)
        if earlier is not None:
            found[article_id] = canonical.get(int(str(earlier)), int(str(earlier)))
        canonical[article_id] = found.get(article_id, article_id)
    return found


def pending_ids(limit: int, *, now: datetime | None = None) -> list[int]:
    """Enriched articles without a story, oldest first (enriched within PENDING_HORIZON)."""
    now = now or timezone.now()
    # Sorted here: an ORDER BY id lets SQLite walk the whole table in id order instead of
    # the recent articles by the enriched_at index.
    return sorted(_pending(now).order_by().values_list("id", flat=True))[:limit]


def has_pending(now: datetime | None = None) -> bool:
    return _pending(now or timezone.now()).exists()


def has_stories_to_regroup() -> bool:
    """Whether two open stories exist (else the regroup pass has nothing to compare)."""
    return Story.objects.filter(state=StoryState.OPEN)[:2].count() == 2


def _pending(now: datetime) -> QuerySet[Article]:
    return Article.objects.filter(enriched_at__gte=now - PENDING_HORIZON, story_link__isnull=True)


def assign_pending(
    limit: int = ASSIGN_BATCH,
    *,
    now: datetime | None = None,
    params: StoryParams | None = None,
    encoder: TextEncoder | None = None,
) -> AssignReport:
    """Assign one batch of enriched articles that have no story yet (the background step)."""
    return assign_stories(pending_ids(limit, now=now), now=now, params=params, encoder=encoder)


def close_quiet_stories(now: datetime, params: StoryParams | None = None) -> int:
    """Close the stories with nothing new for the quiet period; how many were closed."""
    return store.close_quiet(now - _params(params).quiet_period)


# --- reclustering ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReclusterReport:
    articles: int
    stories_before: int
    stories_after: int


def recluster_window(
    start: datetime, end: datetime, *, params: StoryParams | None = None
) -> ReclusterReport:
    """Cluster afresh the articles of the stories founded in ``[start, end)``, from their
    stored vectors (no encoding), and replace those stories by the new ones. A story whose
    founding article founds a story again keeps its row (and editors' flags); the flags of
    a story that disappears pass to the new story holding most of its articles."""
    with transaction.atomic():
        store.lock_assignment()
        stories = list(Story.objects.filter(first_published__gte=start, first_published__lt=end))
        members = store.members_of(stories)
        entities = _entities_of([m.article_id for m in members])
        words = _words_of([m.article_id for m in members])
        signals = [
            ArticleSignal(
                id=m.article_id,
                title=words.get(m.article_id, ("", ""))[0],
                text=words.get(m.article_id, ("", ""))[1],
                published=m.published_at,
                publisher=str(m.publisher_id),
                entities=entities.get(m.article_id, frozenset()),
                vector=m.vector,
            )
            for m in members
        ]
        mapping = recluster(signals, _params(params))
        groups: defaultdict[int, list[store.Member]] = defaultdict(list)
        for member in members:
            groups[int(mapping[member.article_id])].append(member)
        store.replace_stories(stories, groups, entities)
    return ReclusterReport(len(members), len(stories), len(groups))


def regroup_open_stories(now: datetime, *, params: StoryParams | None = None) -> ReclusterReport:
    """Join the open stories that turned out to tell one event (``core.stories.regroup``:
    close in vectors and sharing rare words), as ``recluster`` and ``newsstand cluster`` do
    at the end of a window. Runs every few minutes; looks at the ``REGROUP_MAX_STORIES``
    open stories most recently added to (its cost grows with the square of their number).
    A joined story keeps the row of its larger part, with the editors' flags of both."""
    p = _params(params)
    with transaction.atomic():
        store.lock_assignment()
        stories = list(
            Story.objects.filter(
                state=StoryState.OPEN, last_published__gte=now - p.window
            ).order_by("-last_published", "key")[:REGROUP_MAX_STORIES]
        )
        members = store.members_of(stories)
        held: defaultdict[int, list[Key]] = defaultdict(list)
        for member in members:
            held[member.story_id].append(member.article_id)
        snapshots = [dataclasses.replace(store.snapshot_of(s), members=held[s.pk]) for s in stories]
        words = _words_of([m.article_id for m in members])
        texts: dict[Key, str] = {a: f"{title}. {text}" for a, (title, text) in words.items()}
        mapping = regroup(snapshots, texts, p)
        # regroup joins whole stories: each story goes to the key its members went to
        target = {s.key: int(mapping[held[s.pk][0]]) for s in stories if held[s.pk]}
        receivers = {t for key, t in target.items() if t != key}
        joined = [s for s in stories if target.get(s.key, s.key) != s.key or s.key in receivers]
        groups: defaultdict[int, list[store.Member]] = defaultdict(list)
        for member in members:
            if int(mapping[member.article_id]) in receivers:
                groups[int(mapping[member.article_id])].append(member)
        if joined:
            entities = _entities_of([m.article_id for ms in groups.values() for m in ms])
            store.replace_stories(joined, groups, entities)
    return ReclusterReport(len(members), len(stories), len(stories) - len(joined) + len(groups))


def _words_of(ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Each article's title and the start of its text, as the encoder read them."""
    rows = Article.objects.filter(pk__in=ids).values_list("id", "title", "summary", "content")
    return {
        a: (title, text_of_clean_html(content or summary)[:TEXT_CHARS])
        for a, title, summary, content in rows
    }

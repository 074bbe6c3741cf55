"""Storing normalised entries: each article once per publisher, linked to every feed.

Called inside the caller's transaction (the refresh use case commits the entries and the
feed's HTTP validators together). An entry matches an existing article of the same
publisher by identity, then by canonical URL, then by content hash: so the same article
in two feeds of a publisher, or re-sent with a new GUID, stays one article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from newsstand.articles.models import Article, ArticleFeed
from newsstand.core.entries import EntryCandidate
from newsstand.sources.models import Feed


@dataclass(frozen=True, slots=True)
class StoreReport:
    new: int
    seen: int  # matched an article we already had


def _existing(
    publisher_id: int, candidates: Sequence[EntryCandidate]
) -> list[tuple[int, str, str, str]]:
    identities = {c.identity for c in candidates}
    urls = {c.url for c in candidates if c.url}
    hashes = {c.content_hash for c in candidates}
    query = Q(identity__in=identities) | Q(content_hash__in=hashes)
    if urls:
        query |= Q(url__in=urls)
    return list(
        Article.objects.filter(publisher_id=publisher_id)
        .filter(query)
        .values_list("id", "identity", "url", "content_hash")
    )


class _Index:
    """Looks up already-stored (or just-added) articles of one publisher."""

    def __init__(self, rows: list[tuple[int, str, str, str]]) -> None:
        self.by_identity: dict[str, int] = {}
        self.by_url: dict[str, int] = {}
        self.by_hash: dict[str, int] = {}
        for row in rows:
            self.add(*row)

    def add(self, article_id: int, identity: str, url: str, content_hash: str) -> None:
        self.by_identity.setdefault(identity, article_id)
        if url:
            self.by_url.setdefault(url, article_id)
        self.by_hash.setdefault(content_hash, article_id)

    def match(self, c: EntryCandidate) -> int | None:
        found = self.by_identity.get(c.identity)
        if found is None and c.url:
            found = self.by_url.get(c.url)
        if found is None:
            found = self.by_hash.get(c.content_hash)
        return found


def _article(feed: Feed, c: EntryCandidate, now: datetime, section_id: int | None) -> Article:
    return Article(
        publisher_id=feed.publisher_id,
        identity=c.identity,
        guid=c.guid[:1000],
        url=c.url,
        title=c.title,
        authors=list(c.authors),
        summary=c.summary_html,
        content=c.content_html,
        image=c.image,
        comments_url=c.comments,
        published_at=c.published,
        updated_at=c.updated,
        first_seen_at=now,
        language=c.language,
        section_id=section_id,
        categories=list(c.categories),
        content_hash=c.content_hash,
    )


def store_entries(
    feed: Feed,
    candidates: Sequence[EntryCandidate],
    *,
    now: datetime,
    section_for: dict[str, int | None],
) -> StoreReport:
    """Insert new articles and link every entry's article to ``feed``.

    ``section_for`` maps a candidate's identity to its section id (decided by the caller).
    Must run inside a transaction that holds the publisher's lock (see the caller).
    """
    if not candidates:
        return StoreReport(new=0, seen=0)
    index = _Index(_existing(feed.publisher_id, candidates))
    fresh: list[Article] = []
    linked: set[int] = set()
    for c in candidates:
        found = index.match(c)
        if found is None:
            # Not stored yet; later entries of this same batch may still match it.
            article = _article(feed, c, now, section_for.get(c.identity))
            fresh.append(article)
            index.add(-len(fresh), c.identity, c.url, c.content_hash)
        elif found > 0:
            linked.add(found)
    if fresh:
        Article.objects.bulk_create(fresh)
    links = [ArticleFeed(article_id=a_id, feed_id=feed.pk, first_seen_at=now) for a_id in linked]
    links += [ArticleFeed(article_id=a.pk, feed_id=feed.pk, first_seen_at=now) for a in fresh]
    ArticleFeed.objects.bulk_create(links, ignore_conflicts=True)
    return StoreReport(new=len(fresh), seen=len(linked))

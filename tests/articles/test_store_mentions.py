"""Storing an article's entities: get-or-create of Entity rows, replacement of the article's
links, and many workers naming the same new entities at once (real database, real threads)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from newsstand.articles.entities import entity_slugs, store_mentions
from newsstand.articles.models import Article, ArticleEntity, Entity
from newsstand.core.entities import Mention
from newsstand.sources.models import Publisher


def _article(n: int, publisher: Publisher | None = None) -> Article:
    publisher = publisher or Publisher.objects.create(name=f"P{n}", host=f"p{n}.example")
    now = timezone.now()
    return Article.objects.create(
        publisher=publisher,
        identity=f"guid:{n}",
        title=f"Article {n}",
        published_at=now - timedelta(minutes=n),
        first_seen_at=now,
        content_hash=f"{n:064x}",
    )


def _links(article: Article) -> dict[tuple[str, str], int]:
    return {
        (link.entity.kind, link.entity.name): link.mentions
        for link in ArticleEntity.objects.filter(article=article).select_related("entity")
    }


@pytest.mark.django_db
def test_store_creates_entities_once_and_links_them() -> None:
    first, second = _article(1), _article(2)
    store_mentions(first.id, [Mention("person", "Hu Jintao", 3), Mention("place", "Brazil", 1)])
    store_mentions(second.id, [Mention("place", "Brazil", 2)])

    assert Entity.objects.count() == 2
    brazil = Entity.objects.get(kind="place", name="Brazil")
    assert brazil.slug == "brazil"
    assert Entity.objects.get(name="Hu Jintao").slug == "hu-jintao"
    assert _links(first) == {("person", "Hu Jintao"): 3, ("place", "Brazil"): 1}
    assert _links(second) == {("place", "Brazil"): 2}


@pytest.mark.django_db
def test_store_again_replaces_the_articles_entities() -> None:
    article = _article(1)
    store_mentions(article.id, [Mention("org", "NATO", 1), Mention("place", "Riga", 2)])
    store_mentions(article.id, [Mention("place", "Riga", 5), Mention("person", "Ada Byron", 1)])
    store_mentions(article.id, [Mention("place", "Riga", 5), Mention("person", "Ada Byron", 1)])

    assert _links(article) == {("place", "Riga"): 5, ("person", "Ada Byron"): 1}
    assert Entity.objects.filter(name="NATO").exists()  # entities outlive their articles


@pytest.mark.django_db
def test_same_name_of_two_kinds_gets_two_slugs() -> None:
    article = _article(1)
    store_mentions(article.id, [Mention("place", "Georgia", 1), Mention("person", "Georgia", 1)])
    store_mentions(_article(2).id, [Mention("person", "Georgia", 1)])

    slugs = dict(Entity.objects.values_list("kind", "slug"))
    assert sorted(slugs.values()) == ["georgia", "georgia-person"] or sorted(slugs.values()) == [
        "georgia",
        "georgia-place",
    ]
    assert Entity.objects.count() == 2


@pytest.mark.django_db
def test_bad_mentions_are_skipped_and_duplicates_added() -> None:
    article = _article(1)
    store_mentions(
        article.id,
        [
            Mention("planet", "Mars", 1),
            Mention("person", "   ", 1),
            Mention("person", "Zero Count", 0),
            Mention("org", "Acme  Corp", 2),
            Mention("org", "Acme Corp", 1),
            Mention("person", "Long " * 100, 40000),
        ],
    )
    links = _links(article)
    assert links[("org", "Acme Corp")] == 3
    long_name = next(name for kind, name in links if name.startswith("Long"))
    assert len(long_name) <= 200
    assert links[("person", long_name)] == 32767
    assert len(links) == 2


@pytest.mark.django_db
def test_names_slugify_drops_still_get_a_slug() -> None:
    article = _article(1)
    store_mentions(article.id, [Mention("person", "习近平", 1)])
    slug = Entity.objects.get().slug
    assert slug.startswith("person-") and slug == entity_slugs("person", "习近平")[0]


@pytest.mark.django_db(transaction=True)
def test_many_workers_naming_the_same_new_entities() -> None:
    publisher = Publisher.objects.create(name="P", host="p.example")
    articles = [_article(n, publisher) for n in range(8)]
    mentions = [Mention("place", f"Town {n}", 1) for n in range(20)] + [
        Mention("person", "Shared Person", 2)
    ]
    barrier = threading.Barrier(len(articles))
    errors: list[BaseException] = []

    def work(article_id: int) -> None:
        try:
            barrier.wait()
            store_mentions(article_id, mentions)
        except BaseException as exc:  # noqa: BLE001 (reported below, in the test's thread)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(a.id,)) for a in articles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Entity.objects.count() == 21
    assert ArticleEntity.objects.count() == 21 * len(articles)
    assert Entity.objects.get(name="Shared Person").articles.count() == len(articles)

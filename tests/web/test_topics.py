"""Topic pages: the latest articles that name an entity, and the entities named beside it."""

from __future__ import annotations

from datetime import timedelta

import html5lib
import pytest
from django.test import Client

from newsstand.articles.entities import store_mentions
from newsstand.articles.models import Entity
from newsstand.core.entities import Mention, extract_entities

pytestmark = pytest.mark.django_db


def _headlines(html: str) -> list[str]:
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    return ["".join(a.itertext()) for a in doc.iter("a") if a.get("class") == "headline"]


def _entity_links(html: str, container: str) -> list[tuple[str, str]]:
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    box = doc.find(f".//*[@class='{container}']")
    if box is None:
        return []
    return [("".join(a.itertext()), a.get("href")) for a in box.iter("a")]


def test_topic_page_lists_articles_naming_the_entity(client: Client, make_article) -> None:
    older = make_article(title="Old Lula story", age=timedelta(days=2))
    newer = make_article(title="New Lula story", age=timedelta(hours=1))
    other = make_article(title="Unrelated story")
    store_mentions(older.id, [Mention("person", "Lula", 2), Mention("place", "Brazil", 1)])
    store_mentions(newer.id, [Mention("person", "Lula", 1), Mention("place", "Brazil", 3)])
    store_mentions(other.id, [Mention("place", "Brazil", 1), Mention("org", "FIFA", 1)])
    store_mentions(newer.id, [Mention("person", "Lula", 1), Mention("place", "Brazil", 3)])

    response = client.get("/topic/lula/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Lula</h1>" in html
    assert ">Person</p>" in html
    assert _headlines(html) == ["New Lula story", "Old Lula story"]
    assert _entity_links(html, "related") == [("Brazil", "/topic/brazil/")]


def test_related_entities_most_often_named_together_first(client: Client, make_article) -> None:
    for n in range(3):
        article = make_article(title=f"Story {n}")
        mentions = [Mention("org", "NATO", 1), Mention("place", "Latvia", 1)]
        if n < 2:
            mentions.append(Mention("place", "Estonia", 1))
        if n < 1:
            mentions.append(Mention("person", "Ann Example", 1))
        store_mentions(article.id, mentions)

    html = client.get("/topic/nato/").content.decode()

    assert [name for name, _ in _entity_links(html, "related")] == [
        "Latvia",
        "Estonia",
        "Ann Example",
    ]
    assert ">Organisation</p>" in html


def test_topic_page_pages_by_keyset(client: Client, make_article) -> None:
    titles = []
    for n in range(35):
        article = make_article(title=f"Mars report {n}", age=timedelta(minutes=n))
        store_mentions(article.id, [Mention("place", "Mars", 1)])
        titles.append(article.title)

    first = client.get("/topic/mars/")
    assert _headlines(first.content.decode()) == titles[:30]
    cursor = first.context["page"].next_before
    second = client.get(f"/topic/mars/?before={cursor}").content.decode()
    assert _headlines(second) == titles[30:]
    assert "Older articles" not in second


def test_topic_page_queries_do_not_grow(
    client: Client, make_article, make_publisher, django_assert_max_num_queries
) -> None:
    publishers = [make_publisher() for _ in range(5)]
    for n in range(60):
        article = make_article(
            publisher=publishers[n % 5], section="world", age=timedelta(minutes=n)
        )
        store_mentions(
            article.id,
            [Mention("place", "Kyiv", 1), Mention("person", f"Person {n % 7}", 1)],
        )

    # sections in use, entity, page, its stories, related, two counts
    with django_assert_max_num_queries(7):
        response = client.get("/topic/kyiv/")
    assert len(_headlines(response.content.decode())) == 30
    assert len(_entity_links(response.content.decode(), "related")) == 7


def test_article_page_links_its_entities_to_topics(
    client: Client, make_article, django_assert_max_num_queries
) -> None:
    text = (
        "Alfred Gusenbauer was reelected as leader of the Austrian Social Democrat Party "
        "at the party's convention in Vienna. Gusenbauer received 88.93% of the vote."
    )
    article = make_article(title="Gusenbauer reelected", content=f"<p>{text}</p>")
    store_mentions(article.id, extract_entities(article.title, text))

    # sections in use, article, entities, its story (none here), two counts (cached after
    # the first view); the visitor's first view also counts a free read in the shared
    # cache, so the second view is the one measured
    client.get(f"/article/{article.id}/")
    with django_assert_max_num_queries(6):
        response = client.get(f"/article/{article.id}/")

    links = _entity_links(response.content.decode(), "entity-list")
    assert links[0] == ("Alfred Gusenbauer", "/topic/alfred-gusenbauer/")
    assert set(links) == {
        ("Alfred Gusenbauer", "/topic/alfred-gusenbauer/"),
        ("Austrian Social Democrat Party", "/topic/austrian-social-democrat-party/"),
        ("Vienna", "/topic/vienna/"),
    }
    assert client.get(links[0][1]).status_code == 200


def test_article_without_entities_has_no_list(client: Client, make_article) -> None:
    article = make_article(content="<p>nothing named here</p>")
    html = client.get(f"/article/{article.id}/").content.decode()
    assert "In this article" not in html


@pytest.mark.parametrize("path", ["/topic/nobody/", "/topic/%3Cscript%3E/"])
def test_unknown_topic_is_404(client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_entity_names_are_escaped(client: Client, make_article) -> None:
    article = make_article(content="<p>x</p>")
    store_mentions(article.id, [Mention("org", "<b>Acme</b> & Co", 1)])
    slug = Entity.objects.get().slug
    html = client.get(f"/topic/{slug}/").content.decode()
    assert "<h1>&lt;b&gt;Acme&lt;/b&gt; &amp; Co</h1>" in html
    article_html = client.get(f"/article/{article.id}/").content.decode()
    assert "&lt;b&gt;Acme&lt;/b&gt; &amp; Co</a>" in article_html

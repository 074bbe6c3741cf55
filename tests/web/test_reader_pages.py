"""The reader pages, rendered by the test client over rows made with the ORM."""

from __future__ import annotations

from datetime import timedelta

import html5lib
import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsstand.articles import queries as article_queries
from newsstand.articles.queries import keyset_page
from newsstand.sources.models import Section

pytestmark = pytest.mark.django_db
QUERY_BOUND = 16  # the front page's queries, however many articles there are


def _text(response) -> str:
    return response.content.decode()


def _ids_in(html: str, element_id: str) -> list[str]:
    """Headline texts inside the element with ``element_id``'s enclosing section."""
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    for section in doc.iter("section"):
        heading = section.find(f".//*[@id='{element_id}']")
        if heading is not None:
            return [
                "".join(a.itertext()) for a in section.iter("a") if a.get("class") == "headline"
            ]
    raise AssertionError(f"no section with #{element_id}")


def test_front_page_groups_latest_articles_by_section(client: Client, make_article) -> None:
    old_world = make_article(section="world", title="Old world news", age=timedelta(days=3))
    new_world = make_article(section="world", title="New world news", age=timedelta(minutes=5))
    business = make_article(section="business", title="Markets rally", age=timedelta(hours=2))
    make_article(section=None, title="Unsorted item", age=timedelta(hours=4))

    response = client.get("/")

    assert response.status_code == 200
    html = _text(response)
    assert '<a class="site-name"' in html
    assert ">Newsstand</a>" in html
    world = _ids_in(html, "section-world")
    assert world == [new_world.title, old_world.title]  # newest first
    assert _ids_in(html, "section-business") == [business.title]
    # Empty sections get no block and no place in the navigation.
    assert 'id="section-science"' not in html
    assert reverse("web:section", args=["science"]) not in html
    assert reverse("web:section", args=["world"]) in html
    # Before any story is ranked, the newest articles lead, unsorted ones included.
    top = _ids_in(html, "top-heading")
    assert top == [new_world.title, business.title, "Unsorted item", old_world.title]
    assert "4 articles · 4 publishers" in html


def test_a_section_appears_in_the_navigation_once_it_holds_an_article(
    client: Client, make_article
) -> None:
    make_article(section="world", title="Only world news")
    assert reverse("web:section", args=["sport"]) not in _text(client.get("/"))
    caches["local"].clear()  # the sections in use are cached for a minute
    make_article(section="sport", title="A match")
    assert reverse("web:section", args=["sport"]) in _text(client.get("/"))


def test_front_page_limits_each_block(client: Client, make_article) -> None:
    for hours in range(10):
        make_article(section="sport", title=f"Match {hours}", age=timedelta(hours=hours))

    html = _text(client.get("/"))

    assert _ids_in(html, "section-sport") == [f"Match {h}" for h in range(4)]
    assert len(_ids_in(html, "top-heading")) == 9


def test_empty_front_page_says_so(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "No articles yet" in _text(response)


def test_front_page_queries_do_not_grow_with_articles(
    client: Client, make_article, make_publisher, django_assert_max_num_queries
) -> None:
    sections = list(Section.objects.all())
    assert len(sections) == 10
    publishers = [make_publisher() for _ in range(20)]
    for n in range(200):
        make_article(
            publisher=publishers[n % 20], section=sections[n % 10], age=timedelta(minutes=n)
        )

    # sections in use, story candidates (pinned, recent), latest, section-block ids and
    # rows, their stories, the archive window, picks, pictures, languages, two counts
    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get("/")

    html = _text(response)
    assert all(len(_ids_in(html, f"section-{s.slug}")) == 4 for s in sections)


def test_section_page_pages_by_keyset(client: Client, make_article) -> None:
    titles = [
        make_article(section="science", title=f"Discovery {n}", age=timedelta(minutes=n)).title
        for n in range(45)
    ]
    make_article(section="health", title="Not science")

    first = client.get("/section/science/")
    html = _text(first)
    assert first.status_code == 200
    assert "<h1>Science</h1>" in html
    shown = [t for t in titles if f">{t}</a>" in html]
    assert shown == titles[:30]
    assert "Not science" not in html

    older = first.context["page"].next_before
    second = _text(client.get(f"/section/science/?before={older}"))
    assert [t for t in titles if f">{t}</a>" in second] == titles[30:]
    assert "Older stories" not in second


def test_keyset_breaks_ties_on_equal_times(client: Client, make_article, now) -> None:
    same = [
        make_article(section="culture", title=f"Same time {n}", age=timedelta(0)) for n in range(35)
    ]
    first = client.get("/section/culture/")
    second = client.get(f"/section/culture/?before={first.context['page'].next_before}")

    lines = first.context["page"].lines + second.context["page"].lines
    seen = [line.lead.id for line in lines]
    assert sorted(seen) == sorted(a.id for a in same)
    assert len(set(seen)) == 35


@pytest.mark.parametrize("before", ["abc", "-1", "999999999999999999999999", ""])
def test_bad_cursor_is_harmless(client: Client, make_article, before: str) -> None:
    make_article(section="opinion", title="A view")
    response = client.get(f"/section/opinion/?before={before}")
    assert response.status_code == 200


def test_publisher_page(client: Client, make_publisher, make_feed, make_article) -> None:
    publisher = make_publisher(
        name="The Daily Example",
        homepage="https://daily.example/",
        host="daily.example",
        favicon="https://daily.example/favicon.ico",
        country="GB",
        language="en",
    )
    make_feed(publisher=publisher, url="https://daily.example/feed.xml", title="Top stories")
    make_feed(publisher=publisher, url="https://daily.example/gone.xml", state="gone")
    mine = make_article(publisher=publisher, section="world", title="Our scoop")
    make_article(title="Somebody else's scoop")

    response = client.get(f"/publisher/{publisher.id}/")

    html = _text(response)
    assert response.status_code == 200
    assert "<h1>" in html
    assert "The Daily Example</h1>" in html
    assert 'href="https://daily.example/"' in html
    assert "https://daily.example/favicon.ico" not in html  # not fetched: not shown
    assert "<dd>United Kingdom</dd>" in html
    assert "<dd>English</dd>" in html
    assert "https://daily.example/feed.xml" in html
    assert "Top stories" in html
    assert "gone" in html
    assert f'href="/article/{mine.id}/"' in html
    assert "Somebody else" not in html


def test_article_page_shows_content_and_original(
    client: Client, make_publisher, make_article
) -> None:
    publisher = make_publisher(name="Example Times", favicon="https://t.example/icon.png")
    article = make_article(
        publisher=publisher,
        section="technology",
        title="Chips get smaller",
        url="https://t.example/2024/chips",
        authors=["Ada Lovelace", "Alan Turing"],
        summary="<p>Short summary.</p>",
        content="<p>The <strong>full</strong> text.</p>",
        image="https://t.example/chip.jpg",
        comments_url="https://t.example/2024/chips#comments",
        age=timedelta(hours=3),
    )

    response = client.get(f"/article/{article.id}/")

    html = _text(response)
    assert response.status_code == 200
    assert "<h1>Chips get smaller</h1>" in html
    assert "<p>The <strong>full</strong> text.</p>" in html  # sanitised at ingest, rendered
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    body = doc.find(".//div[@class='body']")
    assert "Short summary" not in "".join(body.itertext())  # content wins over summary
    standfirst = doc.find(".//p[@class='standfirst']")
    assert "".join(standfirst.itertext()) == "Short summary."  # the summary stands first
    assert "By Ada Lovelace and Alan Turing" in html
    assert "3\xa0hours ago" in html
    assert f'datetime="{article.published_at.isoformat()}"' in html
    # Pictures not fetched by the images task are not shown: a reader's browser never
    # asks the publisher (test_pictures.py shows fetched ones).
    assert "t.example/chip.jpg" not in html.split("</head>")[1]
    assert "t.example/icon.png" not in html
    assert f'href="/publisher/{publisher.id}/"' in html
    assert 'href="/section/technology/"' in html
    original = doc.find(".//a[@class='original']")
    assert original is not None
    assert original.get("href") == "https://t.example/2024/chips"
    assert original.get("rel") == "noopener noreferrer"
    assert original.get("target") == "_blank"
    assert "".join(original.itertext()) == "Read the original at Example Times"


def test_article_page_falls_back_to_summary(client: Client, make_article) -> None:
    article = make_article(summary="<p>Only a <em>summary</em>.</p>", content="", image="")
    html = _text(client.get(f"/article/{article.id}/"))
    assert "<p>Only a <em>summary</em>.</p>" in html
    assert "<figure" not in html


@pytest.mark.parametrize(
    "path",
    [
        "/article/987654/",
        "/publisher/987654/",
        "/section/no-such-section/",
        "/article/99999999999999999999999999/",
        "/article/abc/",
    ],
)
def test_unknown_ids_are_404(client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("with_cursor", [False, True])
def test_list_queries_walk_the_latest_indexes(make_article, make_publisher, with_cursor) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the query plan checked here is SQLite's")
    publisher = make_publisher()
    articles = [
        make_article(publisher=publisher, section="world", age=timedelta(minutes=n))
        for n in range(5)
    ]
    section = Section.objects.get(slug="world")
    before = articles[1].id if with_cursor else None
    for run, index in [
        (
            lambda: keyset_page(article_queries.section_articles(section), before, 30),
            "article_section_latest",
        ),
        (
            lambda: keyset_page(article_queries.publisher_articles(publisher), before, 30),
            "article_publisher_latest",
        ),
    ]:
        with CaptureQueriesContext(connection) as queries:
            run()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[-1]["sql"])
            plan = " | ".join(row[-1] for row in cursor.fetchall())
        assert f"USING INDEX {index}" in plan, plan

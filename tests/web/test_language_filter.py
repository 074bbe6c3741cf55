"""Readers filter the front and section pages by language (?lang=xx)."""

from __future__ import annotations

from datetime import timedelta

import html5lib
import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from newsstand.articles import queries as article_queries

pytestmark = pytest.mark.django_db


def _headlines(html: str) -> list[str]:
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    return ["".join(a.itertext()) for a in doc.iter("a") if a.get("class") == "headline"]


def _switcher(html: str) -> list[tuple[str, str, bool]]:
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    nav = doc.find(".//nav[@class='languages']")
    if nav is None:
        return []
    return [
        ("".join(a.itertext()), a.get("href"), a.get("aria-current") == "page")
        for a in nav.iter("a")
    ]


@pytest.fixture
def mixed(make_article):
    make_article(section="world", title="English world", language="en")
    make_article(section="world", title="Monde en français", language="fr", age=timedelta(hours=2))
    make_article(section="sport", title="Deporte", language="es", age=timedelta(hours=3))
    make_article(section="sport", title="No language known", language="")


def test_section_page_filters_by_language(client: Client, mixed) -> None:
    assert _headlines(client.get("/section/world/").content.decode()) == [
        "English world",
        "Monde en français",
    ]
    french = client.get("/section/world/?lang=fr").content.decode()
    assert _headlines(french) == ["Monde en français"]
    assert _switcher(french) == [
        ("All languages", "?", False),
        ("English", "?lang=en", False),
        ("Spanish", "?lang=es", False),
        ("French", "?lang=fr", True),
    ]
    empty = client.get("/section/sport/?lang=fr").content.decode()
    assert _headlines(empty) == []
    assert "Nothing here yet." in empty


def test_front_page_filters_by_language(client: Client, mixed) -> None:
    html = client.get("/?lang=es").content.decode()
    assert _headlines(html) == ["Deporte", "Deporte"]  # the top list and the Sport block
    assert 'href="/section/sport/?lang=es"' in html
    assert _switcher(html)[0] == ("All languages", "?", False)
    everything = client.get("/").content.decode()
    assert "No language known" in everything
    assert _switcher(everything)[0] == ("All languages", "?", True)
    nothing = client.get("/?lang=de").content.decode()
    assert "No articles in this language" in nothing


@pytest.mark.parametrize("raw", ["FR", "x", "fr'--", "<script>", "f" * 40, "en-" + "x" * 20])
def test_malformed_language_means_every_language(client: Client, mixed, raw: str) -> None:
    response = client.get("/section/world/", {"lang": raw})
    assert response.status_code == 200
    assert len(_headlines(response.content.decode())) == 2


def test_language_kept_by_the_pager(client: Client, make_article) -> None:
    for n in range(35):
        make_article(
            section="science", title=f"Science fr {n}", language="fr", age=timedelta(minutes=n)
        )
    make_article(section="science", title="English science", language="en")
    first = client.get("/section/science/?lang=fr")
    cursor = first.context["page"].next_before
    assert f'href="?lang=fr&amp;before={cursor}"' in first.content.decode()
    second = client.get(f"/section/science/?lang=fr&before={cursor}").content.decode()
    assert _headlines(second) == [f"Science fr {n}" for n in range(30, 35)]
    assert 'href="?lang=fr">Latest' in second


def test_one_language_shows_no_switcher(client: Client, make_article) -> None:
    make_article(section="world", title="Only English", language="en")
    assert _switcher(client.get("/section/world/").content.decode()) == []


def test_languages_present_is_cached(make_article) -> None:
    make_article(language="en")
    make_article(language="fr")
    assert article_queries.languages_present() == ["en", "fr"]
    make_article(language="de")
    with CaptureQueriesContext(connection) as queries:
        assert article_queries.languages_present() == ["en", "fr"]  # from the cache
    assert len(queries) == 0
    caches["local"].clear()
    assert article_queries.languages_present() == ["de", "en", "fr"]


def test_language_lists_walk_the_language_index(make_article) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the query plan checked here is SQLite's")
    for n in range(5):
        make_article(language="fr" if n % 2 else "en", age=timedelta(minutes=n))
    with CaptureQueriesContext(connection) as queries:
        article_queries.latest_articles(10, "fr")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[-1]["sql"])
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    assert "article_language_latest" in plan, plan

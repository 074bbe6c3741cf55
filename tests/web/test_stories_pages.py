"""Story pages, top stories and the story-first front page, through Django's test client,
on stories made by the real assignment use case."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.utils import timezone

from newsstand.members.roles import Role, set_role
from newsstand.stories.models import PublisherWeight, Story, StoryArticle
from stories_app.headlines import DUNHAM as DUNHAM_ALL
from stories_app.headlines import IOS

pytestmark = pytest.mark.django_db

DUNHAM = DUNHAM_ALL[:2]
IPHONE = ["Apple iPhone 6 rumours: bigger screen, sapphire glass"]
WIRE = (
    "Apple released version 7.1 of its iOS software for iPhone and iPad on Monday, with "
    "CarPlay support for cars, a faster iPhone 4 and a fix for a crash of the home screen."
)


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_story_page_shows_full_coverage(client: Client, stories) -> None:
    ios = stories["ios"]
    assert ios.article_count == 4

    page = text(client.get(f"/story/{ios.pk}/"))

    assert f"<h1>{ios.headline}</h1>" in page
    assert "4 articles from 4 publishers" in page
    assert "First reported by" in page and "Tech 0" in page
    # top coverage: the first report leads, one article a publisher, no wire copy
    top = page[page.index('id="top-coverage-heading"') : page.index('id="counts-heading"')]
    headlines = re.findall(r'class="headline" href="/article/(\d+)/"', top)
    assert int(headlines[0]) == ios.headline_article_id or IOS[0] in top
    for title in IOS[:2] + IOS[3:]:
        assert title in top
    # the wire copy is folded under the article it copies, its publisher linked
    assert "Also carried by: " in top and "Tech 2" in top
    assert IOS[2] not in page
    # counts by publisher and by country, countries by name, unknown ones left out
    assert re.search(r">United States</th><td>2</td>", page)
    assert re.search(r">United Kingdom</th><td>1</td>", page)
    assert "not known" not in page
    # related stories: the nearest other stories, never this one
    related = page[page.index('id="related-stories-heading"') :]
    assert f'href="/story/{stories["iphone"].pk}/"' in related
    assert f'href="/story/{ios.pk}/"' not in related


def test_unknown_story_is_404(client: Client) -> None:
    assert client.get("/story/999999/").status_code == 404


def test_article_page_links_its_story_and_related_stories(client: Client, stories) -> None:
    ios = stories["ios"]
    article = ios.headline_article

    page = text(client.get(f"/article/{article.pk}/"))

    assert f'href="/story/{ios.pk}/"' in page
    assert "Full coverage: 4 articles from 4 publishers" in page
    related = page[page.index('id="related-stories-heading"') :]
    assert f'href="/story/{ios.pk}/"' not in related
    assert "/story/" in related


def test_front_page_puts_top_stories_first(client: Client, stories) -> None:
    page = text(client.get("/"))

    top = page[page.index('id="top-heading"') :]
    ios = stories["ios"]
    # the broadest story leads, with its lead article and "N more from ..."
    first = re.search(r'<a class="headline" href="/article/(\d+)/">', top)
    assert first and int(first.group(1)) == ios.headline_article_id
    assert "3 more from Tech" in top
    assert top.index(f"/story/{ios.pk}/") < top.index(f"/story/{stories['dunham'].pk}/")
    # a story appears once on the page: its articles do not come back in the sections
    shown = re.findall(r'data-story="(\d+)"', page)
    assert len(shown) == len(set(shown)) == 3
    assert 'id="latest-heading"' not in page


def test_our_picks_follow_the_top_stories(client: Client, stories) -> None:
    pick = stories["dunham"]
    pick.pick, pick.pick_note, pick.picked_at = True, "A careful apology", timezone.now()
    pick.save()

    page = text(client.get("/"))

    picks = page[page.index('id="picks-heading"') :]
    assert page.index('id="top-heading"') < page.index('id="picks-heading"')
    assert f'href="/story/{pick.pk}/"' in picks and "A careful apology" in picks


def test_editors_pin_bury_and_weight_stories(client: Client, stories) -> None:
    def order() -> list[int]:
        page = text(client.get("/top/"))
        found = re.findall(r'data-story="(\d+)"', page)
        return [int(n) for n in found]

    ios, dunham, iphone = stories["ios"], stories["dunham"], stories["iphone"]
    assert order()[0] == ios.pk
    Story.objects.filter(pk=iphone.pk).update(pinned=True)
    assert order()[0] == iphone.pk
    Story.objects.filter(pk=ios.pk).update(buried=True)
    assert ios.pk not in order()
    Story.objects.filter(pk__in=[ios.pk, iphone.pk]).update(buried=False, pinned=False)
    # a publisher editors weigh heavily lifts its story above a broader one
    dunham_publishers = StoryArticle.objects.filter(story=dunham).values_list(
        "publisher_id", flat=True
    )
    for publisher_id in dunham_publishers:
        PublisherWeight.objects.create(publisher_id=publisher_id, weight=5.0)
    assert order()[0] == dunham.pk


def test_top_stories_per_section(client: Client, stories) -> None:
    assert 'href="/top/technology/"' in text(client.get("/section/technology/"))
    page = text(client.get("/top/technology/"))
    assert f"/story/{stories['ios'].pk}/" in page
    assert f"/story/{stories['dunham'].pk}/" not in page
    assert client.get("/top/no-such-section/").status_code == 404


def test_score_components_shown_to_editors_only(client: Client, stories, django_user_model):
    assert "breadth" not in text(client.get("/top/"))
    editor = django_user_model.objects.create_user("editor", password="x")
    set_role(editor, Role.EDITOR)  # the editor role, not staff alone
    client.force_login(editor)
    page = text(client.get("/top/"))
    assert re.search(r"2\.32 breadth x \d\.\d\d velocity x 0\.\d\d recency x 1\.00 weight", page)


def test_front_page_queries_stay_bounded_with_stories(
    client: Client, stories, django_assert_max_num_queries
) -> None:
    # sections in use; ranking: pinned and recent candidates, activity counts, weights;
    # section-block ids and rows and their stories; chosen stories, leads, publisher
    # names, pictures of their stories; other publishers' takes (two); the archive
    # window; picks; pictures; languages; two counts
    with django_assert_max_num_queries(22):
        client.get("/")


def test_story_and_article_page_queries_stay_bounded(
    client: Client, stories, django_assert_max_num_queries
) -> None:
    ios = stories["ios"]
    # sections, story, takes, by publisher (two), by country, latest, related (two)
    with django_assert_max_num_queries(9):
        client.get(f"/story/{ios.pk}/")
    # A visitor's first view of an article also counts a free read for their address in
    # the shared cache (tests/members/test_wall.py); a second view costs only the page:
    # sections, article, entities, its story, related (two)
    client.get(f"/article/{ios.headline_article_id}/")
    with django_assert_max_num_queries(6):
        client.get(f"/article/{ios.headline_article_id}/")

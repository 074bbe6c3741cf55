"""The wall on the article page, over HTTP with the test client."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from newsstand.web.wall import METER_COOKIE

pytestmark = pytest.mark.django_db

SECRET_SENTENCE = "The committee's final vote was held behind closed doors at midnight."


@pytest.fixture
def articles(make_article, make_publisher):
    publisher = make_publisher("Daily Ledger")
    body = "<p>The opening paragraph sets the scene.</p>" + "<p>Filler words here.</p>" * 40
    return [
        make_article(
            publisher=publisher,
            title=f"Article {n}",
            summary="<p>A short summary of the story.</p>",
            content=f"{body}<p>{SECRET_SENTENCE} ({n})</p>",
        )
        for n in range(6)
    ]


def _page(client: Client, article) -> str:
    response = client.get(f"/article/{article.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _full(html: str) -> bool:
    return SECRET_SENTENCE in html


def test_a_visitor_reads_three_articles_and_the_fourth_is_walled(client, articles) -> None:
    pages = [_page(client, a) for a in articles[:4]]
    assert [_full(p) for p in pages] == [True, True, True, False]
    walled = pages[3]
    assert "Article 3" in walled and "Daily Ledger" in walled
    assert "A short summary of the story." in walled  # the teaser
    assert "Sign up to read this article" in walled
    assert "14 days free" in walled
    assert re.search(r"Already a member\?\s*<a href=\"/accounts/login/", walled)
    # The text is absent, not hidden: not one paragraph of the body is in the page.
    assert "Filler words here." not in walled
    assert 'class="body"' not in walled


def test_free_articles_open_again_and_the_meter_counts_down(client, articles) -> None:
    first = _page(client, articles[0])
    assert "2 free articles left this month" in first
    _page(client, articles[1])
    _page(client, articles[2])
    assert _full(_page(client, articles[0]))  # already read: opens, counts nothing
    assert not _full(_page(client, articles[4]))


def test_the_trial_offer_follows_the_setting(client, articles, settings, wall) -> None:
    import dataclasses

    settings.NEWSSTAND_MEMBERS = dataclasses.replace(settings.NEWSSTAND_MEMBERS, trial_days=30)
    wall(allowance=0)
    assert "30 days free" in _page(client, articles[0])


def test_zero_walls_every_article_and_minus_one_turns_the_wall_off(client, articles, wall) -> None:
    wall(allowance=0)
    assert not _full(_page(client, articles[0]))
    wall(allowance=-1)
    assert all(_full(_page(client, a)) for a in articles)
    assert METER_COOKIE not in client.cookies


def test_an_edited_meter_cookie_is_ignored(client, articles) -> None:
    for a in articles[:3]:
        _page(client, a)
    value = client.cookies[METER_COOKIE].value
    client.cookies[METER_COOKIE] = value.replace(str(articles[0].pk), str(articles[5].pk), 1)
    # A broken signature is an empty meter: not a way to read the forged article for free
    # past the allowance, only what a fresh visitor gets (and the address cap still holds).
    html = _page(client, articles[5])
    assert _full(html)
    assert "2 free articles left" in html


def test_throwing_cookies_away_meets_the_per_address_cap(articles, wall) -> None:
    wall(allowance=3, address_cap=4)
    fresh_visitors = [Client() for _ in range(3)]  # same address (127.0.0.1), no cookies kept
    results = [_full(_page(c, a)) for c, a in zip(fresh_visitors * 2, articles, strict=False)]
    assert results == [True, True, True, True, False, False]


def test_a_visitor_behind_a_capped_address_still_rereads_their_articles(
    client, articles, wall
) -> None:
    wall(allowance=3, address_cap=1)
    assert _full(_page(client, articles[0]))
    assert not _full(_page(client, articles[1]))
    assert _full(_page(client, articles[0]))


def test_search_engines_get_the_teaser_and_the_page_says_it_is_not_free(articles) -> None:
    crawler = Client(
        HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    )
    html = _page(crawler, articles[0])
    assert not _full(html)
    assert "A short summary of the story." in html
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert data and json.loads(data.group(1))["isAccessibleForFree"] is False
    assert METER_COOKIE not in crawler.cookies


def test_members_with_a_trial_or_a_plan_read_everything(client, articles, make_member) -> None:
    for status in ("trial", "active"):
        member = make_member(status=status)
        client.force_login(member)
        assert all(_full(_page(client, a)) for a in articles), status


def test_lapsed_members_and_members_without_a_trial_read_as_visitors(articles, make_member) -> None:
    for status in ("lapsed", "none"):
        client = Client()
        client.force_login(make_member(status=status))
        assert [_full(_page(client, a)) for a in articles[:4]] == [True, True, True, False], status


def test_staff_read_everything(client, articles, django_user_model, wall) -> None:
    wall(allowance=0)
    editor = django_user_model.objects.create_user("ed", "ed@example.org", "x", is_staff=True)
    client.force_login(editor)
    assert _full(_page(client, articles[0]))


def test_story_section_and_front_pages_stay_open_past_the_allowance(client, articles, wall) -> None:
    wall(allowance=0)
    assert client.get("/").status_code == 200
    assert client.get(f"/publisher/{articles[0].publisher_id}/").status_code == 200
    assert "Article 1" in client.get("/").content.decode()


def test_walled_and_member_pages_are_never_kept_by_shared_caches(
    client, articles, make_member
) -> None:
    assert "private" in client.get(f"/article/{articles[0].pk}/")["Cache-Control"]
    client.force_login(make_member())
    assert "private" in client.get(f"/article/{articles[0].pk}/")["Cache-Control"]
    assert client.get("/account/")["Cache-Control"] == "private, no-store"

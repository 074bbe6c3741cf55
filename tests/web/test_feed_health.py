"""The operators' feed-health page: staff only, broken feeds first, errors escaped."""

from __future__ import annotations

from datetime import timedelta

import html5lib
import pytest
from django.contrib.auth.models import User
from django.test import Client

from web.scripts import foreign_scripts

pytestmark = pytest.mark.django_db

PATH = "/health/feeds/"


def _feed_rows(html: str) -> list[list[str]]:
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    return [
        [" ".join("".join(td.itertext()).split()) for td in tr.iter("td")]
        for tr in doc.iter("tr")
        if tr.find("td") is not None
    ]


@pytest.fixture
def feeds(make_publisher, make_feed, make_article, now):
    acme = make_publisher(name="Acme News")
    healthy = make_feed(
        publisher=acme,
        url="https://acme.example/rss",
        last_fetched_at=now - timedelta(minutes=10),
        last_status=200,
        next_fetch_at=now + timedelta(minutes=50),
    )
    article = make_article(publisher=acme)
    article.feeds.add(healthy, through_defaults={"first_seen_at": now})
    failing = make_feed(
        publisher=make_publisher(name="Broken Gazette"),
        url="https://broken.example/feed",
        state="failing",
        last_fetched_at=now - timedelta(hours=2),
        last_status=503,
        last_error_code="http_status",
        last_error="Service <b>Unavailable</b> <script>alert(1)</script>",
        error_streak=4,
        next_fetch_at=now + timedelta(hours=3),
    )
    gone = make_feed(
        publisher=make_publisher(name="Closed Courier"),
        url="https://closed.example/feed",
        state="gone",
        last_status=410,
        last_error_code="gone",
        last_error="410 Gone",
    )
    return {"healthy": healthy, "failing": failing, "gone": gone}


def test_anonymous_visitors_go_to_the_admin_login(client: Client, feeds) -> None:
    response = client.get(PATH)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={PATH}"


def test_members_who_are_not_staff_are_refused(client: Client, feeds) -> None:
    user = User.objects.create_user("reader", password="pw-reader-123")
    client.force_login(user)
    response = client.get(PATH)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_see_failing_feeds_first_with_their_errors(admin_client: Client, feeds) -> None:
    response = admin_client.get(PATH)

    html = response.content.decode()
    assert response.status_code == 200
    rows = _feed_rows(html)
    assert [r[1] for r in rows] == [
        "https://broken.example/feed",
        "https://closed.example/feed",
        "https://acme.example/rss",
    ]
    failing = rows[0]
    assert failing[0] == "Broken Gazette"
    assert failing[2] == "failing"
    assert failing[3] == "2 hours ago"
    assert failing[4] == "503"
    assert failing[5] == "http_status Service <b>Unavailable</b> <script>alert(1)</script>"
    assert failing[6] == "4"
    assert failing[7].startswith("in ")
    assert rows[1][3] == "never"
    assert rows[2][8] == "1"  # the healthy feed carried one article
    # The error text is shown, never run.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert foreign_scripts(html5lib.parse(html, namespaceHTMLElements=False)) == []
    # Summary counts by state.
    assert "active: 1" in html
    assert "failing: 1" in html
    assert "gone: 1" in html


def test_filter_by_state(admin_client: Client, feeds) -> None:
    rows = _feed_rows(admin_client.get(f"{PATH}?state=failing").content.decode())
    assert [r[1] for r in rows] == ["https://broken.example/feed"]


def test_unknown_state_filter_shows_everything(admin_client: Client, feeds) -> None:
    rows = _feed_rows(admin_client.get(f"{PATH}?state=<x>").content.decode())
    assert len(rows) == 3


def test_no_feeds(admin_client: Client) -> None:
    response = admin_client.get(PATH)
    assert response.status_code == 200
    assert "No feeds" in response.content.decode()

"""The Django admin for sections, publishers, feeds and articles, and its "Refresh now"."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from newsstand.articles.models import Article
from newsstand.sources.models import Feed, Section

pytestmark = pytest.mark.django_db

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Loopback Ledger</title><link>https://ledger.example/</link>
<description>d</description>
<item><title>Harbour reopens after storm</title><link>https://ledger.example/harbour</link>
<guid>https://ledger.example/harbour</guid><description>Boats are back.</description>
<pubDate>Mon, 03 Mar 2014 10:00:00 GMT</pubDate></item>
<item><title>Council approves budget</title><link>https://ledger.example/budget</link>
<guid>https://ledger.example/budget</guid><description>A vote.</description>
<pubDate>Mon, 03 Mar 2014 09:00:00 GMT</pubDate></item>
</channel></rss>"""


def test_changelists_load(admin_client: Client, make_feed, make_article) -> None:
    feed = make_feed(url="https://listed.example/rss", last_error_code="timeout", error_streak=2)
    make_article(publisher=feed.publisher, section="world", title="Listed headline")
    for model in ["sources/publisher", "sources/feed", "sources/section", "articles/article"]:
        response = admin_client.get(f"/admin/{model}/")
        assert response.status_code == 200, model
    feeds = admin_client.get("/admin/sources/feed/").content.decode()
    assert "https://listed.example/rss" in feeds
    assert "timeout" in feeds
    assert "Refresh now" in feeds
    articles = admin_client.get("/admin/articles/article/?q=Listed").content.decode()
    assert "Listed headline" in articles


def test_search_publishers_and_feeds(admin_client: Client, make_publisher, make_feed) -> None:
    make_publisher(name="Findable Times", host="findable.example")
    make_publisher(name="Other Post", host="other.example")
    make_feed(url="https://needle.example/rss")
    pubs = admin_client.get("/admin/sources/publisher/?q=findable.example").content.decode()
    assert "Findable Times" in pubs
    assert "Other Post" not in pubs
    feeds = admin_client.get("/admin/sources/feed/?q=needle").content.decode()
    assert "https://needle.example/rss" in feeds


def test_section_positions_are_editable_in_the_list(admin_client: Client) -> None:
    html = admin_client.get("/admin/sources/section/").content.decode()
    assert 'name="form-0-position"' in html


def test_publisher_page_shows_feeds_inline_read_only(
    admin_client: Client, make_publisher, make_feed
) -> None:
    publisher = make_publisher(name="Inline Daily")
    make_feed(publisher=publisher, url="https://inline.example/rss", last_error_code="parse")
    html = admin_client.get(f"/admin/sources/publisher/{publisher.id}/change/").content.decode()
    assert "https://inline.example/rss" in html
    assert 'name="feeds-0-url"' not in html  # shown, not editable


def test_article_change_page_loads(admin_client: Client, make_article) -> None:
    article = make_article(title="Editable story")
    response = admin_client.get(f"/admin/articles/article/{article.id}/change/")
    assert response.status_code == 200
    assert "Editable story" in response.content.decode()


@pytest.fixture
def feed_server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(RSS)))
            self.end_headers()
            self.wfile.write(RSS)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when done
def test_refresh_now_queues_the_chosen_feeds_for_a_worker(
    admin_client: Client, settings, make_feed, feed_server: str
) -> None:
    settings.NEWSSTAND = dataclasses.replace(settings.NEWSSTAND, allow_networks=("127.0.0.1/32",))
    feed = make_feed(url=feed_server)
    untouched = make_feed(url="https://not-chosen.example/rss")
    sections = Section.objects.count()

    response = admin_client.post(
        "/admin/sources/feed/",
        {"action": "refresh_now", "_selected_action": [feed.id]},
        follow=True,
    )

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Queued a refresh of 1 feed: a worker fetches them shortly; "
        "the feed-health page shows the outcome."
    ]
    feed.refresh_from_db()
    assert feed.last_fetched_at is None  # nothing fetched inside the request
    queued = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert queued.task_path.endswith("refresh_listed_feeds")
    assert queued.args_kwargs["args"] == [[feed.id]]

    call_command("db_worker", batch=True, queue_name="*", interval=0, verbosity=0)

    feed.refresh_from_db()
    untouched.refresh_from_db()
    assert feed.last_status == 200
    assert untouched.last_fetched_at is None
    titles = set(Article.objects.filter(publisher=feed.publisher).values_list("title", flat=True))
    assert titles == {"Harbour reopens after storm", "Council approves budget"}
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert Section.objects.count() == sections  # nothing else disturbed
    assert Feed.objects.count() == 2

"""Bad article pages end with a reason and the summary kept, and never block the others.

Every page is served by a real local server and goes through the whole full-text step
(robots.txt, guarded fetch, extraction, store) in one batch beside a good page.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsstand.articles.models import Article, FullTextState
from newsstand.usecases.fulltext import FullTextConfig, RobotsCache, extract_pending

from .fulltext_pages import (
    ENRICHMENT,
    TEASER,
    article_page,
    make_article,
    make_feed,
    make_publisher,
)
from .publisher import Route

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 12, 5, tzinfo=UTC)
HTML = "text/html; charset=utf-8"


def _page(body: str) -> bytes:
    return f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>News</title></head><body>{body}</body></html>'.encode()


PAYWALL = _page(
    "<header><a href='/'>The Daily Ledger</a></header><article><h1>Bank profits rise</h1>"
    "<p>Profits at the country's largest banks rose sharply in the first quarter.</p>"
    "<div class='paywall'><p>Subscribe now to continue reading. Already a subscriber? "
    "Sign in to read the full article.</p></div></article>"
)
COOKIE_WALL = _page(
    "<div class='consent'><h2>We value your privacy</h2><p>We and our partners store and "
    "access information on your device, such as cookies, for personalised ads and content, "
    "and to measure them. You can accept all, reject all or manage your privacy settings "
    "at any time in the cookie policy.</p><button>Accept all</button>"
    "<button>Reject all</button></div>"
)
SCRIPT_SHELL = _page(
    '<div id="root"></div><noscript>You need to enable JavaScript to run this app.</noscript>'
    '<script src="/static/js/main.4f2a.js"></script>'
)
UNKNOWN_META = (
    b'<!doctype html><html><head><meta charset="x-klingon"><title>Nuq</title></head><body>'
    + b"<p>" + bytes(range(0x80, 0x100)) * 20 + b"</p></body></html>"
)  # fmt: skip
HUGE = _page("<p>" + "Words without end. " * 120_000 + "</p>")  # about 2.3 MB

# path → (route, the error code it must end with)
BAD_PAGES: dict[str, tuple[Route, str]] = {
    "/huge": (Route(HUGE, content_type=HTML), "too_large"),
    "/report.pdf": (Route(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", content_type="application/pdf"), "not_html"),
    "/image-as-html": (Route(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", content_type=HTML), "not_html"),
    "/paywall": (Route(PAYWALL, content_type=HTML), "paywall"),
    "/cookie-wall": (Route(COOKIE_WALL, content_type=HTML), "cookie_wall"),
    "/app-shell": (Route(SCRIPT_SHELL, content_type=HTML), "script_shell"),
    "/loop-a": (Route(b"", 302, HTML, {"Location": "/loop-b"}), "too_many_redirects"),
    "/loop-b": (Route(b"", 302, HTML, {"Location": "/loop-a"}), "too_many_redirects"),
    "/unknown-meta-charset": (Route(UNKNOWN_META, content_type="text/html"), "unknown_encoding"),
    "/unknown-header-charset": (
        Route(bytes(range(0x80, 0x100)) * 20, content_type="text/html; charset=x-klingon"),
        "unknown_encoding",
    ),
    "/server-error": (Route(b"oops", 500, "text/plain"), "http_status"),
}  # fmt: skip


@pytest.mark.parametrize("max_attempts", [4, 1])
def test_bad_pages_end_with_a_reason_and_the_good_page_is_extracted(
    publisher, config, max_attempts
):
    for path, (route, _code) in BAD_PAGES.items():
        publisher.routes[path] = route
    publisher.routes["/good"] = Route(article_page(), content_type=HTML)
    feed = make_feed(make_publisher(), publisher.url("/feed.xml"))
    paths = [p for p in BAD_PAGES if p != "/loop-b"] + ["/good"]
    ids = {}
    for path in paths:
        article = make_article(feed, publisher.url(path), title=f"Article at {path}")
        ids[path] = article.pk
    Article.objects.update(full_text_state=FullTextState.PENDING, full_text_next_at=NOW)
    ft_config = FullTextConfig(
        policy=config.policy, batch=50, per_host=50, max_attempts=max_attempts
    )

    report = extract_pending(config=ft_config, enrichment=ENRICHMENT, now=NOW, robots=RobotsCache())

    assert report.claimed == len(paths)
    assert report.extracted == 1
    assert report.failed + report.retrying == len(paths) - 1
    assert report.failed == (len(paths) - 1 if max_attempts == 1 else 0)
    good = Article.objects.get(pk=ids["/good"])
    assert good.full_text_state == FullTextState.DONE and good.word_count > 150
    ended = {}
    for path in paths[:-1]:
        article = Article.objects.get(pk=ids[path])
        ended[path] = article.full_text_error.split(":", 1)[0]
        assert article.summary == f"<p>{TEASER}</p>" and article.content == "", path
        assert article.word_count == 0, path
        assert article.full_text_state == (
            FullTextState.FAILED if max_attempts == 1 else FullTextState.PENDING
        ), path
    assert ended == {path: BAD_PAGES[path][1] for path in paths[:-1]}


def test_an_article_url_that_is_not_http_ends_with_a_reason(publisher, config):
    publisher.routes["/good"] = Route(article_page(), content_type=HTML)
    feed = make_feed(make_publisher(), publisher.url("/feed.xml"))
    odd = make_article(feed, "ftp://files.example/story.txt", title="Odd link")
    good = make_article(feed, publisher.url("/good"))
    Article.objects.update(full_text_state=FullTextState.PENDING, full_text_next_at=NOW)
    ft_config = FullTextConfig(policy=config.policy, max_attempts=1)
    report = extract_pending(config=ft_config, enrichment=ENRICHMENT, now=NOW, robots=RobotsCache())
    assert (report.extracted, report.failed) == (1, 1)
    odd.refresh_from_db()
    good.refresh_from_db()
    assert odd.full_text_state == FullTextState.FAILED
    assert odd.full_text_error.startswith("invalid_url: ")
    assert good.full_text_state == FullTextState.DONE

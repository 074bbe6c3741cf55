"""Fetching from a real local origin: headers, validators, statuses and redirects."""

from __future__ import annotations

import asyncio
import email.utils

import pytest

from net.servers import Origin, Reply, redirect
from newsstand import __version__
from newsstand.core.errors import (
    FetchError,
    Gone,
    HTTPStatusError,
    InvalidURL,
    RateLimited,
    TLSError,
    TooManyRedirects,
)
from newsstand.net import Fetcher, FetchPolicy, FetchRequest, FetchResult, fetch_many_sync
from newsstand.net.fetch import USER_AGENT, FetchSession

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


def fetch_one(policy: FetchPolicy, url: str, **fields: str) -> FetchResult | FetchError:
    (outcome,) = fetch_many_sync(policy, [FetchRequest(url, **fields)])
    return outcome


def test_200_returns_body_headers_and_validators(policy: FetchPolicy, origin: Origin) -> None:
    origin.route(
        "/feed",
        Reply(
            body=FEED,
            headers={
                "Content-Type": "application/rss+xml; charset=utf-8",
                "ETag": '"v1"',
                "Last-Modified": "Sun, 01 Mar 2026 10:00:00 GMT",
                "X-Extra": "yes",
            },
        ),
    )
    result = fetch_one(policy, origin.url("/feed", host="public.test"))
    assert isinstance(result, FetchResult)
    assert result.status == 200
    assert result.body == FEED
    assert result.final_url == origin.url("/feed", host="public.test")
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert result.etag == '"v1"'
    assert result.last_modified == "Sun, 01 Mar 2026 10:00:00 GMT"
    assert result.permanent_redirect == ""
    assert result.headers["x-extra"] == "yes"


def test_request_headers_are_honest_and_minimal(policy: FetchPolicy, origin: Origin) -> None:
    origin.route("/feed", Reply(body=FEED))
    fetch_one(policy, origin.url("/feed", host="public.test"))
    (seen,) = origin.requests
    assert seen.headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith(f"Newsstand/{__version__} (") and "+https://" in USER_AGENT
    assert seen.headers["accept-encoding"] == "gzip, deflate"
    assert "application/rss+xml" in seen.headers["accept"]
    assert seen.headers["host"] == f"public.test:{origin.port}"
    for absent in ("authorization", "cookie", "if-none-match", "if-modified-since"):
        assert absent not in seen.headers


def test_conditional_get_sends_validators_and_maps_304(policy: FetchPolicy, origin: Origin) -> None:
    def conditional(seen):  # type: ignore[no-untyped-def]
        if seen.headers.get("if-none-match") == '"v1"':
            return Reply(status=304, headers={"ETag": '"v1"'})
        return Reply(body=FEED)

    origin.route("/feed", conditional)
    result = fetch_one(
        policy,
        origin.url("/feed", host="public.test"),
        etag='"v1"',
        last_modified="Sun, 01 Mar 2026 10:00:00 GMT",
    )
    assert isinstance(result, FetchResult)
    assert (result.status, result.body) == (304, b"")
    assert result.etag == '"v1"'
    # The server sent no Last-Modified: the request's one is kept.
    assert result.last_modified == "Sun, 01 Mar 2026 10:00:00 GMT"
    (seen,) = origin.requests
    assert seen.headers["if-none-match"] == '"v1"'
    assert seen.headers["if-modified-since"] == "Sun, 01 Mar 2026 10:00:00 GMT"


def test_410_is_gone(policy: FetchPolicy, origin: Origin) -> None:
    origin.route("/feed", Reply(status=410))
    error = fetch_one(policy, origin.url("/feed", host="public.test"))
    assert isinstance(error, Gone)
    assert error.status == 410


@pytest.mark.parametrize(
    "retry_after",
    ["120", email.utils.format_datetime(email.utils.localtime(), usegmt=True)],
)
def test_429_carries_the_raw_retry_after(
    policy: FetchPolicy, origin: Origin, retry_after: str
) -> None:
    origin.route("/feed", Reply(status=429, headers={"Retry-After": retry_after}))
    error = fetch_one(policy, origin.url("/feed", host="public.test"))
    assert isinstance(error, RateLimited)
    assert (error.status, error.retry_after) == (429, retry_after)


def test_503_is_rate_limited_without_retry_after(policy: FetchPolicy, origin: Origin) -> None:
    origin.route("/feed", Reply(status=503))
    error = fetch_one(policy, origin.url("/feed", host="public.test"))
    assert isinstance(error, RateLimited)
    assert (error.status, error.retry_after) == (503, None)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 500, 502])
def test_other_errors_are_http_status_errors(
    policy: FetchPolicy, origin: Origin, status: int
) -> None:
    origin.route("/feed", Reply(status=status))
    error = fetch_one(policy, origin.url("/feed", host="public.test"))
    assert type(error) is HTTPStatusError
    assert error.status == status


def test_permanent_redirects_report_the_final_url(policy: FetchPolicy, origin: Origin) -> None:
    origin.route("/old", redirect("/older", 301))
    origin.route("/older", redirect(origin.url("/new", host="public.test"), 308))
    origin.route("/new", Reply(body=FEED))
    result = fetch_one(policy, origin.url("/old", host="public.test"))
    assert isinstance(result, FetchResult)
    assert result.final_url == origin.url("/new", host="public.test")
    assert result.permanent_redirect == result.final_url
    assert result.body == FEED


def test_a_temporary_hop_cancels_the_permanent_redirect(
    policy: FetchPolicy, origin: Origin
) -> None:
    origin.route("/old", redirect("/temp", 301))
    origin.route("/temp", redirect("/new", 302))
    origin.route("/new", Reply(body=FEED))
    result = fetch_one(policy, origin.url("/old", host="public.test"))
    assert isinstance(result, FetchResult)
    assert result.final_url.endswith("/new")
    assert result.permanent_redirect == ""


def test_redirect_loop_is_detected(policy: FetchPolicy, origin: Origin) -> None:
    origin.route("/a", redirect("/b"))
    origin.route("/b", redirect("/a"))
    error = fetch_one(policy, origin.url("/a", host="public.test"))
    assert isinstance(error, TooManyRedirects)
    assert origin.paths() == ["/a", "/b"]


def test_long_redirect_chain_stops_after_five_hops(policy: FetchPolicy, origin: Origin) -> None:
    for hop in range(30):
        origin.route(f"/{hop}", redirect(f"/{hop + 1}", 307))
    error = fetch_one(policy, origin.url("/0", host="public.test"))
    assert isinstance(error, TooManyRedirects)
    assert len(origin.requests) == 6


def test_five_hops_are_allowed(policy: FetchPolicy, origin: Origin) -> None:
    for hop in range(5):
        origin.route(f"/{hop}", redirect(f"/{hop + 1}", 302))
    origin.route("/5", Reply(body=FEED))
    result = fetch_one(policy, origin.url("/0", host="public.test"))
    assert isinstance(result, FetchResult)
    assert result.final_url.endswith("/5")


def test_redirect_without_location_is_an_error(policy: FetchPolicy, origin: Origin) -> None:
    origin.route("/feed", Reply(status=302))
    error = fetch_one(policy, origin.url("/feed", host="public.test"))
    assert isinstance(error, HTTPStatusError)
    assert error.status == 302


def test_cookies_are_never_stored_or_sent(policy: FetchPolicy, origin: Origin) -> None:
    origin.route("/a", Reply(status=302, headers={"Location": "/b", "Set-Cookie": "s=1; Path=/"}))
    origin.route("/b", Reply(body=FEED, headers={"Set-Cookie": "t=2; Path=/"}))
    url = origin.url("/a", host="public.test")
    fetch_many_sync(policy, [FetchRequest(url)])
    fetch_many_sync(policy, [FetchRequest(url)])
    assert [r.path for r in origin.requests] == ["/a", "/b", "/a", "/b"]
    assert all("cookie" not in r.headers for r in origin.requests)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://public.test/feed",
        "file:///etc/passwd",
        "gopher://public.test/",
        "javascript:alert(1)",
        "data:text/plain,hi",
        "/relative/feed",
        "public.test/feed",
        "http:///nohost",
        "http://user:pass@public.test/feed",
        "http://user@public.test/feed",
        "",
    ],
)
def test_invalid_urls_are_refused(policy: FetchPolicy, url: str) -> None:
    assert isinstance(fetch_one(policy, url), InvalidURL)


def test_fetch_many_keeps_order_and_isolates_failures(policy: FetchPolicy, origin: Origin) -> None:
    origin.route("/ok", Reply(body=b"ok"))
    origin.route("/missing", Reply(status=404))
    urls = [
        origin.url("/ok", host="public.test"),
        "file:///etc/passwd",
        origin.url("/missing", host="public.test"),
        "http://internal.test/",
        origin.url("/ok", host="public.test"),
    ]
    outcomes = fetch_many_sync(policy, [FetchRequest(u) for u in urls])
    kinds = [type(o).__name__ for o in outcomes]
    assert kinds == [
        "FetchResult",
        "InvalidURL",
        "HTTPStatusError",
        "BlockedAddress",
        "FetchResult",
    ]
    assert [o.request.url for o in outcomes if isinstance(o, FetchResult)] == [urls[0], urls[4]]


def test_fetcher_reuses_keep_alive_connections(policy: FetchPolicy, origin: Origin) -> None:
    origin.route("/feed", Reply(body=FEED))

    async def sequential() -> list[FetchResult]:
        async with Fetcher(policy) as fetcher:
            request = FetchRequest(origin.url("/feed", host="public.test"))
            return [await fetcher.fetch(request) for _ in range(10)]

    results = asyncio.run(sequential())
    assert all(r.body == FEED for r in results)
    assert origin.accepts == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://public.test:99999/",
        "http://public.test:abc/",
        "http://[::1/",
        "http://a b/",
        "http://" + "a" * 300 + ".test/",
        "http://%00/",
        "http://[v1.x]/",
        "http://.../",
    ],
)
def test_odd_urls_give_fetch_errors_only(policy: FetchPolicy, url: str) -> None:
    assert isinstance(fetch_one(policy, url), FetchError)


@pytest.mark.parametrize("location", ["http://[::1", "http://public.test:99999/", "http://a:b:c/"])
def test_bad_redirect_targets_are_invalid_urls(
    policy: FetchPolicy, origin: Origin, location: str
) -> None:
    origin.route("/feed", redirect(location))
    assert isinstance(fetch_one(policy, origin.url("/feed", host="public.test")), InvalidURL)


def test_validators_with_control_characters_are_not_sent(
    policy: FetchPolicy, origin: Origin
) -> None:
    origin.route("/feed", Reply(body=FEED))
    result = fetch_one(
        policy,
        origin.url("/feed", host="public.test"),
        etag='"a"\r\nX-Injected: 1',
        last_modified="Sun, 01 Mar 2026 10:00:00 GMT",
    )
    assert isinstance(result, FetchResult)
    (seen,) = origin.requests
    assert "x-injected" not in seen.headers
    assert "if-none-match" not in seen.headers
    assert seen.headers["if-modified-since"] == "Sun, 01 Mar 2026 10:00:00 GMT"


def test_https_to_a_plain_http_port_is_a_tls_error(policy: FetchPolicy, origin: Origin) -> None:
    error = fetch_one(policy, f"https://public.test:{origin.port}/feed")
    assert isinstance(error, TLSError), error


@pytest.mark.parametrize(
    "field", ["timeout", "connect_timeout", "max_bytes", "per_host", "concurrency"]
)
def test_policy_refuses_non_positive_limits(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        FetchPolicy(**{field: 0})


def test_a_session_keeps_its_connections_from_one_batch_to_the_next(
    policy: FetchPolicy, origin: Origin
) -> None:
    origin.route("/feed", Reply(body=FEED))
    batch = [FetchRequest(origin.url("/feed", host="public.test"))]
    session = FetchSession(policy)
    try:
        outcomes = [session.fetch_many(batch)[0] for _ in range(3)]
    finally:
        session.close()
    assert all(isinstance(o, FetchResult) and o.status == 200 for o in outcomes)
    assert (len(origin.requests), origin.accepts) == (3, 1)  # one connection, kept alive
    for _ in range(2):
        assert isinstance(fetch_one(policy, batch[0].url), FetchResult)
    assert origin.accepts == 3  # a session of their own each: a connection each
    session.close()  # closing twice is harmless

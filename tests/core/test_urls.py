"""URL checks: scheme allow-list after WHATWG-style cleanup, canonical form."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsstand.core.urls import (
    _canonical_url_general,
    _safe_url_general,
    canonical_url,
    safe_url,
)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "\x0ejavascript:alert(1)",
        "jav\tascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "&#14;javascript:alert(1)",
        "java\nscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "ftp://example.com/x",
        "mailto:a@example.com",
        "http://",
        "http://[::1",
        "https://example.com:99999/",
        "",
    ],
)
def test_safe_url_refuses_non_http(url):
    assert safe_url(url) == ""
    # Against a base, what is left can only be a link on the publisher's own site.
    resolved = safe_url(url, "https://example.com/feed")
    assert resolved == "" or resolved.startswith("https://example.com/")


def test_safe_url_keeps_and_resolves_http():
    assert safe_url("https://example.com/a?b=1#c") == "https://example.com/a?b=1#c"
    assert safe_url("/story/1", "https://example.com/feed.xml") == "https://example.com/story/1"
    assert safe_url("story/1", "https://example.com/news/feed.xml") == (
        "https://example.com/news/story/1"
    )
    assert safe_url("//cdn.example.com/x.png", "https://example.com/") == (
        "https://cdn.example.com/x.png"
    )
    assert safe_url("  \x01https://example.com/x") == "https://example.com/x"
    # URL fields arrive decoded; character references in them are not decoded again.
    assert (
        safe_url("https://x.example/a?b=1&copy=2&not=3") == "https://x.example/a?b=1&copy=2&not=3"
    )


def test_safe_url_relative_without_usable_base_is_refused():
    assert safe_url("/story/1") == ""
    assert safe_url("/story/1", "javascript:alert(1)") == ""


def test_canonical_url_removes_tracking_and_fragment():
    url = (
        "HTTPS://News.Example.COM:443/economy/fed?utm_source=rss&id=42&fbclid=x"
        "&gclid=y&mc_cid=1&mc_eid=2&igshid=3&utm_campaign=c#comments"
    )
    assert canonical_url(url) == "https://news.example.com/economy/fed?id=42"


def test_canonical_url_keeps_non_default_port_and_order():
    assert canonical_url("http://example.com:8080/a?z=1&a=2") == "http://example.com:8080/a?z=1&a=2"
    assert canonical_url("http://example.com:80") == "http://example.com/"


def test_canonical_url_drops_credentials_and_refuses_other_schemes():
    assert canonical_url("https://user:pw@example.com/a") == "https://example.com/a"
    assert canonical_url("javascript:alert(1)") == ""
    assert canonical_url("/a", "https://example.com/feed") == "https://example.com/a"


# The plain-URL shortcut must give exactly what the general path (cleanup, urljoin,
# urlsplit) gives. URLs built from the characters that decide its shape: host letters,
# ports in and out of range, credentials, brackets, spaces and controls, tracking names.
_URL_PIECES = st.sampled_from(
    [
        *"aZ09.-:/?#@[]%&=_ \t\n\x00\x1f\x7fé\\",
        *("utm_source=x", "fbclid=1", "id=4", "80", "443", "65535", "65536", "00443", ".."),
        *("www.example.com", "UTM_Medium=y", "&&"),
    ]
)
_URLS = st.one_of(
    st.builds(
        lambda start, pieces: start + "".join(pieces),
        st.sampled_from(["http://", "https://", "HTTP://", "", "//", "/", " http://"]),
        st.lists(_URL_PIECES, max_size=12),
    ),
    st.builds(
        lambda scheme, host, port, pieces: f"{scheme}://{host}{port}{''.join(pieces)}",
        st.sampled_from(["http", "https", "Https"]),
        st.text(alphabet="aZ09.-", max_size=8),
        st.sampled_from(["", ":", ":80", ":443", ":8080", ":65535", ":65536", ":00443", ":1x"]),
        st.lists(_URL_PIECES, max_size=8),
    ),
)
_BASES = st.sampled_from(["", "https://example.com/news/feed", "http://127.0.0.1:8080/f.rss"])


@settings(max_examples=2000, deadline=None)
@given(_URLS, _BASES)
def test_plain_url_shortcut_agrees_with_the_general_path(url, base):
    assert safe_url(url, base) == _safe_url_general.__wrapped__(url, base)
    assert canonical_url(url, base) == _canonical_url_general.__wrapped__(url, base)


def test_plain_url_shortcut_cases():
    assert canonical_url("https://News.Example.com.:8443/a/b?c=1&utm_x=2#f") == (
        "https://news.example.com:8443/a/b?c=1"
    )
    assert canonical_url("http://example.com:0080?b") == "http://example.com/?b"
    # A host of dots only is left to the general path (which keeps its own answer).
    assert canonical_url("http://...") == _canonical_url_general("http://...", "")
    assert safe_url("https://example.com:65536/") == ""
    assert safe_url("http://example.com:/x") == "http://example.com:/x"

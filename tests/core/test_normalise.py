"""normalise_entry / normalise_entries: identity, URLs, dates, titles, HTML, caps, dedupe."""

import hashlib
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from newsstand.core.entries import Content, Enclosure, ParsedEntry, ParsedFeed
from newsstand.core.normalise import (
    MAX_CONTENT_CHARS,
    MAX_TITLE_CHARS,
    content_hash,
    normalise_entries,
    normalise_entry,
)
from newsstand.core.sanitize import text_of_clean_html

NOW = datetime(2024, 5, 1, 12, tzinfo=UTC)
FEED_URL = "https://news.example.com/feeds/main.xml"


def _norm(**fields):
    return normalise_entry(ParsedEntry(**fields), feed_url=FEED_URL, now=NOW)


def test_identity_prefers_guid_even_when_it_looks_like_a_url():
    assert _norm(guid="abc-1", link="/a").identity == "guid:abc-1"
    assert _norm(guid="https://x.example/a", link="/b").identity == "guid:https://x.example/a"


def test_identity_falls_back_to_canonical_url_then_hash():
    candidate = _norm(link="/story?utm_source=x&id=3#top")
    assert candidate.url == "https://news.example.com/story?id=3"
    assert candidate.identity == "url:https://news.example.com/story?id=3"
    hashed = _norm(title="Only a title", summary=Content("and text"))
    assert hashed.identity == "hash:" + hashed.content_hash
    assert hashed.url == ""


def test_content_hash_is_normalised_title_and_text():
    candidate = _norm(title="  Big   NEWS ", content=Content("<p>Some <b>Text</b></p>"))
    expected = hashlib.sha256(b"big news some text").hexdigest()
    assert candidate.content_hash == expected
    same = _norm(title="big news", summary=Content("some   text", "text"))
    assert same.content_hash == expected


def _hash_as_specified(entry: ParsedEntry, candidate) -> str:
    """The content hash by its definition: the content's text (text as given, HTML as
    sanitised), else the summary's, hashed with the title by ``content_hash``."""

    def text_of(part, html_text):
        if part is None:
            return ""
        return part.value if part.type == "text" else text_of_clean_html(html_text)

    text = text_of(entry.content, candidate.content_html) or text_of(
        entry.summary, candidate.summary_html
    )
    return content_hash(candidate.title, text)


_WORDY = st.lists(
    st.sampled_from([*"aZé<>&;/p b", " ", "\n", "\xa0", "\u2003", "&amp;", "<p>", "</b>"]),
    max_size=40,
).map("".join)
_PARTS = st.one_of(st.none(), st.builds(Content, _WORDY, st.sampled_from(["html", "text"])))


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(  # titles past the length cap, cut after a word or after a space
        _WORDY,
        st.builds(
            lambda word, n: (word + " ") * n, st.sampled_from(["a", "ab"]), st.integers(330, 520)
        ),
    ),
    st.sampled_from(["html", "text"]),
    _PARTS,
    _PARTS,
)
def test_content_hash_matches_its_definition(title, title_type, summary, content):
    entry = ParsedEntry(title=title, title_type=title_type, summary=summary, content=content)
    candidate = normalise_entry(entry, feed_url=FEED_URL, now=NOW)
    assert candidate.content_hash == _hash_as_specified(entry, candidate)


def test_missing_date_is_first_seen_and_future_dates_are_clamped():
    assert _norm(title="t").published == NOW
    future = NOW + timedelta(days=400)
    candidate = _norm(title="t", published=future, updated=future)
    assert candidate.published == NOW
    assert candidate.updated == NOW
    past = NOW - timedelta(days=1)
    assert _norm(title="t", published=past).published == past
    assert _norm(title="t", updated=past).published == past


def test_url_fields_keep_only_http():
    candidate = _norm(
        link="javascript:alert(1)",
        image="data:image/png;base64,AAAA",
        comments="vbscript:x",
        enclosures=(
            Enclosure("javascript:alert(1)"),
            Enclosure("/audio.mp3", "audio/mpeg", 5),
        ),
    )
    assert (candidate.url, candidate.image, candidate.comments) == ("", "", "")
    assert candidate.enclosures == (
        Enclosure("https://news.example.com/audio.mp3", "audio/mpeg", 5),
    )


def test_enclosures_without_url_are_dropped_and_long_types_cut():
    kept = Enclosure("https://cdn.example.com/a.mp3", "audio/mpeg", 7)
    candidate = _norm(
        enclosures=(Enclosure(""), kept, Enclosure("https://cdn.example.com/b.ogg", "x" * 300))
    )
    assert candidate.enclosures == (kept, Enclosure("https://cdn.example.com/b.ogg", "x" * 200))


def test_text_titles_stay_literal_and_html_titles_are_stripped():
    assert _norm(title="Why <b> matters", title_type="text").title == "Why <b> matters"
    assert _norm(title="An <em>html</em> &amp; title", title_type="html").title == "An html & title"
    assert _norm(title="x" * 5000).title == "x" * MAX_TITLE_CHARS


def test_html_is_sanitised_and_text_is_escaped():
    candidate = _norm(
        summary=Content("<p onclick=x>Hi <a href='/a'>a</a></p><script>bad()</script>"),
        content=Content("<b>not bold</b>\nnext", "text"),
    )
    assert candidate.summary_html == (
        '<p>Hi <a href="https://news.example.com/a" rel="noopener noreferrer">a</a></p>'
    )
    assert candidate.content_html == "<p>&lt;b&gt;not bold&lt;/b&gt;<br>next</p>"


def test_content_is_capped_not_refused():
    huge = "<p>" + ("word " * 100) + "</p>"
    candidate = _norm(content=Content(huge * 5_000))
    assert 0 < len(candidate.content_html) <= MAX_CONTENT_CHARS
    assert candidate.content_html.endswith("</p>")


def test_authors_and_categories_are_plain_and_unique():
    candidate = _norm(
        authors=("<b>Ann</b>", "Ann", " Bob "), categories=("World", "World", "A&amp;B")
    )
    assert candidate.authors == ("Ann", "Bob")
    assert candidate.categories == ("World", "A&B")


def test_normalise_entries_removes_duplicates_and_uses_feed_language():
    feed = ParsedFeed(
        format="rss20",
        language="de",
        entries=(
            ParsedEntry(guid="1", title="first"),
            ParsedEntry(guid="1", title="repeat"),
            ParsedEntry(link="/a?utm_medium=x", title="a"),
            ParsedEntry(link="/a", title="a again"),
            ParsedEntry(title="no ids", language="fr"),
        ),
    )
    candidates = normalise_entries(feed, feed_url=FEED_URL, now=NOW)
    assert [c.title for c in candidates] == ["first", "a", "no ids"]
    assert [c.language for c in candidates] == ["de", "de", "fr"]


def test_feed_meta_is_plain_text_with_http_urls_only():
    from newsstand.core.entries import ParsedFeed
    from newsstand.core.normalise import normalise_feed_meta

    meta = normalise_feed_meta(
        ParsedFeed(
            format="rss20",
            title="Active <script>alert('x')</script> News &amp; Views",
            link="javascript:alert(1)",
            icon="/favicon.png",
            language=" en-GB ",
        ),
        feed_url="https://news.example/feed.xml",
    )
    assert "<" not in meta.title and meta.title.startswith("Active")
    assert "News & Views" in meta.title
    assert meta.homepage == ""
    assert meta.icon == "https://news.example/favicon.png"
    assert meta.language == "en-GB"

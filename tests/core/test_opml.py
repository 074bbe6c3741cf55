"""OPML reading and writing (newsstand.core.opml), hostile input included."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsstand.core.errors import OPMLError, ParseError
from newsstand.core.opml import OpmlOutline, parse_opml, render_opml

DATA = Path(__file__).parent.parent / "data" / "opml"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def opml(body: str, head: str = "<head><title>t</title></head>") -> bytes:
    return f'<?xml version="1.0"?><opml version="2.0">{head}<body>{body}</body></opml>'.encode()


# --- real-world shapes --------------------------------------------------------------


def test_nested_folders_give_the_category_path_and_the_outermost_category() -> None:
    doc = parse_opml((DATA / "nested-categories.opml").read_bytes())

    assert doc.title == "Subscriptions exported from a reader"
    by_url = {o.xml_url: o for o in doc.outlines}
    assert list(by_url) == [
        "https://feeds.bbci.co.uk/news/world/rss.xml",
        "https://rss.dw.com/rdf/rss-en-all",
        "https://lwn.net/headlines/rss",
        "https://feeds.arstechnica.com/arstechnica/index",
        "http://example.org/feed",
    ]
    dw = by_url["https://rss.dw.com/rdf/rss-en-all"]
    assert dw.category_path == ("News", "Europe")
    assert dw.category == "News"
    assert dw.html_url == "https://www.dw.com/en/"  # lower-case attribute names are read
    assert by_url["https://lwn.net/headlines/rss"].category == "Tech"  # folder with title only
    assert by_url["https://lwn.net/headlines/rss"].title == ""  # missing title stays empty
    assert by_url["https://feeds.arstechnica.com/arstechnica/index"].title == "Ars Technica"
    loose = by_url["http://example.org/feed"]
    assert loose.category_path == ("Science", "Space")  # from the category attribute
    assert doc.skipped == ()
    assert doc.truncated is False


def test_outline_text_is_preferred_to_title() -> None:
    doc = parse_opml(opml('<outline text="Shown" title="Other" xmlUrl="https://a.example/f"/>'))
    assert doc.outlines[0].title == "Shown"


def test_opml_without_head_is_read() -> None:
    doc = parse_opml(opml('<outline text="A" xmlUrl="https://a.example/f"/>', head=""))
    assert doc.title == ""
    assert [o.xml_url for o in doc.outlines] == ["https://a.example/f"]


def test_utf16_and_byte_order_mark_are_read() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><opml version="2.0"><body>'
    text += '<outline text="Süddeutsche" xmlUrl="https://rss.sueddeutsche.de/rss/Topthemen"/>'
    text += "</body></opml>"
    doc = parse_opml(text.encode("utf-16"))
    assert doc.outlines[0].title == "Süddeutsche"
    bom = b"\xef\xbb\xbf" + opml('<outline text="A" xmlUrl="https://a.example/f"/>')
    assert len(parse_opml(bom).outlines) == 1


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not xml at all",
        b"<opml><body><outline></body></opml>",
        b"<html><body>a web page</body></html>",
        b'<?xml version="1.0"?><opml version="2.0"><head/></opml>',
    ],
)
def test_documents_that_are_not_opml_raise_opml_error(data: bytes) -> None:
    with pytest.raises(OPMLError):
        parse_opml(data)


def test_opml_error_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_opml(b"<rss/>")


# --- hostile input --------------------------------------------------------------------


def test_billion_laughs_is_refused_before_expansion() -> None:
    with pytest.raises(OPMLError, match="DTD"):
        parse_opml((DATA / "billion-laughs.opml").read_bytes())


def test_internal_entity_without_dtd_keyword_is_refused() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "x">]><opml><body/></opml>'
    with pytest.raises(OPMLError):
        parse_opml(data)


def test_external_entity_does_not_read_the_canary_file(tmp_path: Path) -> None:
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-SECRET-7731")
    template = (DATA / "xxe-file.opml.template").read_text()
    data = template.replace("CANARY", str(canary)).encode()

    with pytest.raises(OPMLError) as caught:
        parse_opml(data)
    assert "CANARY-SECRET-7731" not in str(caught.value)


def test_parameter_entity_is_refused(tmp_path: Path) -> None:
    canary = tmp_path / "canary.dtd"
    canary.write_text('<!ENTITY leak "CANARY-SECRET">')
    data = (
        f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY % ext SYSTEM "file://{canary}"> %ext;]>'
        '<opml><body><outline text="&leak;" xmlUrl="https://a.example/f"/></body></opml>'
    ).encode()
    with pytest.raises(OPMLError):
        parse_opml(data)


def test_external_dtd_is_never_fetched() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        port = listener.getsockname()[1]
        template = (DATA / "external-dtd.opml.template").read_text()
        data = template.replace("PORT", str(port)).encode()

        with pytest.raises(OPMLError, match="DTD"):
            parse_opml(data)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected


def test_hostile_attributes_are_skipped_or_ignored() -> None:
    doc = parse_opml((DATA / "hostile-attributes.opml").read_bytes())

    assert [o.xml_url for o in doc.outlines] == [
        "https://example.com/feed.xml",
        "https://example.net/feed.xml",
        "https://example.org/private.xml",  # credentials stripped
        "https://example.com/other.xml",
    ]
    by_url = {o.xml_url: o for o in doc.outlines}
    assert by_url["https://example.com/feed.xml"].html_url == ""  # javascript: dropped
    assert by_url["https://example.net/feed.xml"].html_url == ""  # data: dropped
    vendor = by_url["https://example.com/other.xml"]
    assert vendor == OpmlOutline("https://example.com/other.xml", "", "Vendor options", ())

    reasons = {s.title: s.reason for s in doc.skipped}
    assert reasons["Shell"] == "xmlUrl scheme 'exec' is not http(s)"
    assert reasons["Filter"] == "xmlUrl scheme 'filter' is not http(s)"
    assert reasons["Local file"] == "xmlUrl scheme 'file' is not http(s)"
    assert reasons["No host"] == "xmlUrl has no host"
    assert reasons["Relative"] == "xmlUrl scheme '(none)' is not http(s)"
    assert reasons["Duplicate"] == "duplicate xmlUrl"
    assert "hunter2" not in repr(doc)
    assert "s3cret" not in repr(doc)


def test_ten_thousand_outlines_stop_at_the_cap() -> None:
    body = "".join(
        f'<outline text="f{i}" type="rss" xmlUrl="https://example.com/{i}.xml"/>'
        for i in range(10_000)
    )
    doc = parse_opml(opml(body))

    assert len(doc.outlines) == 2000
    assert doc.outlines[-1].xml_url == "https://example.com/1999.xml"
    assert doc.truncated is True


def test_invalid_outlines_count_toward_the_cap() -> None:
    body = "".join(f'<outline text="x" xmlUrl="exec:{i}"/>' for i in range(50))
    doc = parse_opml(opml(body), max_outlines=10)
    assert len(doc.skipped) == 10
    assert doc.truncated is True


def test_exactly_the_cap_is_not_truncated() -> None:
    body = "".join(f'<outline xmlUrl="https://example.com/{i}"/>' for i in range(10))
    doc = parse_opml(opml(body), max_outlines=10)
    assert len(doc.outlines) == 10
    assert doc.truncated is False


def test_deep_nesting_does_not_exhaust_the_stack() -> None:
    depth = 5000
    body = '<outline text="d">' * depth
    body += '<outline text="deep" xmlUrl="https://example.com/deep.xml"/>'
    body += "</outline>" * depth
    doc = parse_opml(opml(body))
    assert doc.outlines[0].xml_url == "https://example.com/deep.xml"
    assert len(doc.outlines[0].category_path) == 8


@pytest.mark.parametrize(
    "url",
    [
        "https://exa mple.com/feed",
        "https://example.com/\nfeed",
        "https://example.com:99999/feed",
        "https://[::1/feed",
        "https://example.com/" + "a" * 3000,
    ],
)
def test_malformed_xml_urls_are_skipped(url: str) -> None:
    from xml.sax.saxutils import quoteattr

    doc = parse_opml(opml(f'<outline text="bad" xmlUrl={quoteattr(url)}/>'))
    assert doc.outlines == ()
    assert len(doc.skipped) == 1


# --- writing --------------------------------------------------------------------------


def test_round_trip_keeps_every_field() -> None:
    outlines = [
        OpmlOutline(
            "https://feeds.bbci.co.uk/news/world/rss.xml",
            "https://www.bbc.co.uk/news",
            'BBC <World> & "more"',
            ("World",),
        ),
        OpmlOutline(
            "https://rss.dw.com/xml/rss-de-all",
            "https://www.dw.com/de/",
            "DW Deutsch",
            ("World", "Deutsch"),
        ),
        OpmlOutline("http://example.com/untitled.xml"),
        OpmlOutline("https://www3.nhk.or.jp/rss/news/cat0.xml", "", "NHK ニュース", ("World",)),
    ]
    data = render_opml("Mine", outlines, now=NOW)
    doc = parse_opml(data)

    assert doc.title == "Mine"
    assert set(doc.outlines) == set(outlines)
    assert doc.skipped == ()
    assert b"<dateCreated>Sun, 01 Mar 2026 12:00:00 GMT</dateCreated>" in data
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")


def test_render_strips_credentials_and_unsafe_urls() -> None:
    outlines = [
        OpmlOutline("https://user:pass@example.com/feed.xml", "https://u:p@example.com/", "A"),
        OpmlOutline("https://example.org/feed.xml", "javascript:alert(1)", "B"),
        OpmlOutline("file:///etc/passwd", "", "C"),
    ]
    data = render_opml("x", outlines, now=NOW)

    assert b"user" not in data
    assert b"pass" not in data
    assert b"javascript" not in data
    assert b"file:" not in data
    doc = parse_opml(data)
    assert [(o.xml_url, o.html_url) for o in doc.outlines] == [
        ("https://example.com/feed.xml", "https://example.com/"),
        ("https://example.org/feed.xml", ""),
    ]


_titles = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(
    lambda s: " ".join(s.split())
)
_folders = st.lists(_titles.filter(bool).map(lambda s: s.replace("/", "-")), max_size=3)


@given(
    st.lists(
        st.tuples(st.integers(0, 10_000), _titles, _folders),
        max_size=20,
        unique_by=lambda t: t[0],
    )
)
def test_round_trip_property(rows: list[tuple[int, str, list[str]]]) -> None:
    outlines = [
        OpmlOutline(f"https://example.com/{n}.xml", f"https://example.com/{n}", title, tuple(path))
        for n, title, path in rows
    ]
    doc = parse_opml(render_opml("p", outlines, now=NOW))
    assert set(doc.outlines) == set(outlines)

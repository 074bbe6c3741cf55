"""Bad pages end with a typed ExtractionError carrying a code, never another exception.

Huge pages, deep nesting, non-HTML payloads (PDF, images, archives, JSON, feeds, plain
text, binary), unknown encodings, paywall stubs, cookie walls and JavaScript shells.
"""

import contextlib
import gzip
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsstand.core.errors import (
    CookieWall,
    ExtractionError,
    NewsstandError,
    NotAnArticle,
    NotHTML,
    PageTooDeep,
    PageTooLarge,
    PaywallStub,
    ScriptShell,
    TooLittleText,
    UnknownEncoding,
)
from newsstand.core.extract import extract_article
from newsstand.core.extraction.decode import MAX_PAGE_BYTES, decode_page
from newsstand.core.extraction.page import MAX_DEPTH

PAGES = Path(__file__).resolve().parent.parent / "data" / "pages"
URL = "https://news.example/2025/05/article"
PARAGRAPH = (
    "The ferry operator said on Friday that crossings to the outer islands would resume on "
    "Monday after engineers replaced a damaged propeller shaft on its largest vessel. "
)
ARTICLE = f"<html><body><article><h1>Ferry returns</h1><p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 2}</p></article></body></html>"


def _refusal(page: bytes | str) -> ExtractionError:
    with pytest.raises(ExtractionError) as caught:
        extract_article(page, url=URL)
    return caught.value


def test_a_plain_article_is_extracted():
    article = extract_article(ARTICLE.encode(), url=URL)
    assert "propeller shaft" in article.text


@pytest.mark.parametrize("kind", [bytes, str])
def test_huge_page_is_refused_before_parsing(kind):
    filler = "<p>" + "word " * 20 + "</p>"
    page = ARTICLE.replace("</body>", filler * (MAX_PAGE_BYTES // len(filler) + 1) + "</body>")
    error = _refusal(page.encode() if kind is bytes else page)
    assert isinstance(error, PageTooLarge)
    assert error.code == "page_too_large"


def test_deep_page_is_refused():
    depth = MAX_DEPTH + 20
    page = "<html><body>" + "<div>" * depth + PARAGRAPH * 5 + "</div>" * depth + "</body></html>"
    error = _refusal(page)
    assert isinstance(error, PageTooDeep)
    assert error.code == "page_too_deep"


def test_moderately_deep_page_is_read():
    depth = 60
    page = (
        "<html><body>"
        + "<div>" * depth
        + f"<p>{PARAGRAPH * 4}</p>"
        + "</div>" * depth
        + "</body></html>"
    )
    assert "propeller" in extract_article(page, url=URL).text


@pytest.mark.parametrize(
    "payload",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"\x00\x01binary" * 50,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64,
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64,
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 16,
        b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32,
        b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 32,
        gzip.compress(ARTICLE.encode()),
        b'{"title": "Ferry returns", "body": "<p>The ferry is back.</p>"}',
        b'  [{"id": 1, "html": "<p>x</p>"}]',
        b"Just some plain text, with no markup at all, as a text/plain page would be.\n" * 5,
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
        b"\x00\x13\x07garbage\x00with\x00nuls" * 20,
        b"",
    ],
    ids=[
        "pdf",
        "png",
        "jpeg",
        "gif",
        "webp",
        "zip",
        "gzip",
        "json",
        "json-list",
        "text",
        "rss",
        "binary",
        "empty",
    ],
)
def test_not_html_is_refused(payload):
    error = _refusal(payload)
    assert isinstance(error, NotHTML)
    assert error.code == "not_html"


def test_unknown_declared_encoding_is_refused():
    page = (
        b'<html><head><meta charset="x-klingon-8"></head><body><p>'
        + bytes(range(0x80, 0x100)) * 4
        + b"</p></body></html>"
    )
    error = _refusal(page)
    assert isinstance(error, UnknownEncoding)
    assert error.code == "unknown_encoding"


def test_utf7_is_never_decoded():
    page = ARTICLE.replace("<html>", '<html><head><meta charset="utf-7"></head>')
    page = page.replace("<p>The ferry", "<p>+ADw-script+AD4-alert(1)+ADw-/script+AD4- The ferry", 1)
    assert "+ADw-script+AD4-" in decode_page(page.encode())
    non_utf8 = page.encode() + b"<p>\xff\xfe\xfd</p>"
    assert isinstance(_refusal(non_utf8), UnknownEncoding)


def test_bytes_that_decode_to_controls_are_refused():
    undecodable = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 200  # undefined in windows-1252
    error = _refusal(b"<html><body><p>" + undecodable + b"</p></body></html>")
    assert isinstance(error, UnknownEncoding)


def test_unknown_label_on_utf8_bytes_is_read_as_utf8():
    page = ARTICLE.replace("<html>", '<html><head><meta charset="utf8mb4-typo"></head>')
    page = page.replace("Ferry returns", "Färja återvänder")
    article = extract_article(page.encode(), url=URL)
    assert "propeller" in article.text


@pytest.mark.parametrize(
    ("declared", "encoding"),
    [
        ("iso-8859-1", "cp1252"),
        ("windows-1252", "cp1252"),
        ("shift_jis", "shift_jis"),
        ("koi8-r", "koi8-r"),
    ],
)
def test_declared_encodings_are_honoured(declared, encoding):
    word = {"cp1252": "caf\u00e9 \u2013 na\u00efve", "shift_jis": "東京の天気", "koi8-r": "Москва"}[
        encoding
    ]
    page = ARTICLE.replace("<html>", f'<html><head><meta charset="{declared}"></head>')
    page = page.replace("<p>The ferry", f"<p>{word}. The ferry", 1)
    assert word in decode_page(page.encode(encoding))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_boms_are_read(encoding):
    article = extract_article(ARTICLE.encode(encoding), url=URL)
    assert "propeller shaft" in article.text


def test_undeclared_windows_1252_is_read():
    page = ARTICLE.replace("The ferry operator", "The caf\u00e9\u2019s ferry operator")
    assert "caf\u00e9\u2019s" in extract_article(page.encode("cp1252"), url=URL).text


def test_paywall_stub():
    error = _refusal((PAGES / "refused" / "paywall-stub.html").read_bytes())
    assert isinstance(error, PaywallStub)
    assert error.code == "paywall"
    assert "second container terminal" in error.partial_text


def test_paywall_stub_named_only_in_its_text():
    page = ARTICLE.replace(
        f"<p>{PARAGRAPH * 2}</p>",
        "<p>This article is for subscribers only. Subscribe to continue reading.</p>",
    ).replace(PARAGRAPH * 3, PARAGRAPH * 2)
    assert isinstance(_refusal(page), PaywallStub)


def test_cookie_wall():
    error = _refusal((PAGES / "refused" / "cookie-wall.html").read_bytes())
    assert isinstance(error, CookieWall)
    assert error.code == "cookie_wall"


def test_script_shell():
    error = _refusal((PAGES / "refused" / "script-shell.html").read_bytes())
    assert isinstance(error, ScriptShell)
    assert error.code == "script_shell"


def test_next_js_style_shell():
    page = (
        '<!DOCTYPE html><html><head><script src="/_next/static/chunks/main.js" defer></script></head>'
        '<body><div id="__next"></div><script id="__NEXT_DATA__" type="application/json">'
        '{"props": {"pageProps": {}}}</script></body></html>'
    )
    assert isinstance(_refusal(page), ScriptShell)


@pytest.mark.parametrize(
    "page",
    [
        "<html><body></body></html>",
        "<html><body><p>Short note.</p></body></html>",
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
    ],
)
def test_too_little_text(page):
    error = _refusal(page)
    assert isinstance(error, TooLittleText)
    assert error.code == "too_little_text"


JAPANESE = (
    "フェリー会社は金曜日、技術者が最大の船のプロペラ軸を交換したため、月曜日から離島への運航を再開すると発表した。"
    "運航は朝の便から始まり、週末には通常の時刻表に戻る見込みだという。"
)


def test_a_short_article_in_a_script_without_spaces_is_extracted():
    # 88 characters a paragraph: one "word" when split on spaces, 44 when read.
    page = (
        f"<html lang='ja'><body><article><p>{JAPANESE}</p><p>{JAPANESE}</p></article></body></html>"
    )
    article = extract_article(page, url=URL)
    assert "プロペラ軸" in article.text
    assert article.word_count > 80


def test_a_note_in_a_script_without_spaces_is_too_little_text():
    error = _refusal("<html lang='ja'><body><p>運航は月曜日に再開します。</p></body></html>")
    assert isinstance(error, TooLittleText)


def test_error_codes_are_distinct_and_specific():
    classes = [PageTooLarge, PageTooDeep, NotHTML, UnknownEncoding, NotAnArticle, TooLittleText,
               ScriptShell, CookieWall, PaywallStub]  # fmt: skip
    codes = [c.code for c in classes]
    assert len(set(codes)) == len(codes)
    assert all(issubclass(c, ExtractionError) and issubclass(c, NewsstandError) for c in classes)


_GOLDEN = (PAGES / "aggregator-app-chrome.html").read_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_end_in_an_article_or_a_typed_error(payload):
    try:
        extract_article(payload, url=URL)
    except ExtractionError as error:
        code = error.code
    else:
        code = "ok"
    assert code not in ("error", "extraction", "")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(_GOLDEN)), st.integers(0, len(_GOLDEN)), st.binary(max_size=200))
def test_damaged_pages_end_in_an_article_or_a_typed_error(cut, splice_at, junk):
    page = _GOLDEN[:cut]
    page = page[:splice_at] + junk + page[splice_at:]
    try:
        article = extract_article(page, url=URL)
    except ExtractionError:
        return
    assert "<script" not in article.html


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdivpscriptbodyhtml&#;\n")), max_size=2000))
def test_tag_soup_ends_in_an_article_or_a_typed_error(soup):
    with contextlib.suppress(ExtractionError):
        extract_article(soup, url=URL)

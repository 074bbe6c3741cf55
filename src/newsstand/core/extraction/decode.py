"""From the bytes of a fetched page to HTML text, refusing what is not an HTML page.

``page_of`` takes an HTTP response's body and ``Content-Type``: a media type that is not
HTML ends there, the header's charset is the first guess. ``decode_page`` caps the size, recognises non-HTML payloads by their first bytes (PDF,
images, archives, JSON, NUL-filled binary) and finds the character encoding the way a
browser does, in order: a byte-order mark, a ``<meta charset>`` (or ``http-equiv``) or XML
declaration in the first 2 KB, then UTF-8, then windows-1252. A declared encoding that
Python does not know, or bytes that decode to control characters, end as
``UnknownEncoding``.
"""

from __future__ import annotations

import codecs
import re

from newsstand.core.errors import NotHTML, PageTooLarge, UnknownEncoding

MAX_PAGE_BYTES = 5_000_000
_SNIFF_BYTES = 2048

_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"OggS", "an Ogg file"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:\-]+)""",
    re.IGNORECASE,
)
# Labels browsers read as windows-1252 (a superset that decodes more real pages).
_AS_WINDOWS_1252 = frozenset({"latin1", "latin-1", "iso-8859-1", "iso8859-1", "ascii", "us-ascii"})
# Encodings a page may not declare: they decode bytes into markup that is not there.
_REFUSED = frozenset({"utf_7", "utf_16", "utf_32", "rot_13", "base64_codec", "hex_codec"})
_HTML_MEDIA = frozenset({"text/html", "application/xhtml+xml"})
# Media types servers send for HTML by mistake: the decoder sniffs these.
_SNIFFED_MEDIA = frozenset(
    {"", "text/plain", "application/octet-stream", "binary/octet-stream", "text/xml"}
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_MAX_CONTROL_SHARE = 0.01


def _media_of_magic(head: bytes) -> str:
    """Name the non-HTML format ``head`` starts with, or ``""``."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "a RIFF media file"
    if head[4:8] == b"ftyp":
        return "an MP4 or HEIF file"
    return ""


def _utf16_without_bom(head: bytes) -> str:
    """``utf-16-le``/``-be`` when every other byte of ``head`` is NUL, else ``""``."""
    sample = head[:512]
    if len(sample) < 8:
        return ""
    odd, even = sample[1::2], sample[0::2]
    if odd.count(0) == len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) == len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return ""


def _codec_name(label: str) -> str:
    """Python's codec for an encoding label; raises ``UnknownEncoding``."""
    lowered = label.strip().lower()
    if lowered in _AS_WINDOWS_1252:
        return "cp1252"
    try:
        name = codecs.lookup(lowered).name
    except LookupError:
        raise UnknownEncoding(f"unknown character encoding {label[:40]!r}") from None
    if name.replace("-", "_") in _REFUSED:
        raise UnknownEncoding(f"refused character encoding {label[:40]!r}")
    return name


def _check_text(text: str, encoding: str) -> str:
    if text and len(_CONTROL.findall(text, 0, 100_000)) > _MAX_CONTROL_SHARE * min(
        len(text), 100_000
    ):
        raise UnknownEncoding(f"the page does not decode as {encoding}")
    return text


def _decode_undeclared(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _check_text(data.decode("cp1252", errors="replace"), "windows-1252")


def _decode_declared(data: bytes, label: str) -> str:
    try:
        codec = _codec_name(label)
    except UnknownEncoding:
        # An unknown label on bytes that are plainly UTF-8 is a typo, not a mystery.
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise UnknownEncoding(f"unknown character encoding {label[:40]!r}") from None
    if codec == "utf-8":
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            # Commonly a windows-1252 page mislabelled as UTF-8.
            return _check_text(data.decode("cp1252", errors="replace"), "windows-1252")
    return _check_text(data.decode(codec, errors="replace"), codec)


def _decode(data: bytes, charset: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _check_text(data[len(bom) :].decode(encoding, errors="replace"), encoding)
    if charset:  # the HTTP header's charset comes before the page's own declaration
        return _decode_declared(data, charset)
    head = data[:_SNIFF_BYTES]
    utf16 = _utf16_without_bom(head)
    if utf16:
        return _check_text(data.decode(utf16, errors="replace"), utf16)
    if b"\x00" in head:
        raise NotHTML("the page is binary data")
    declared = _DECLARED.search(head)
    if declared:
        label = (declared.group(1) or declared.group(2)).decode("ascii")
        return _decode_declared(data, label)
    return _decode_undeclared(data)


def _check_markup(text: str) -> None:
    """Raise ``NotHTML`` unless ``text`` starts like markup."""
    start = text[:_SNIFF_BYTES].lstrip("\ufeff \t\r\n")
    if start[:1] in ("{", "["):
        raise NotHTML("the page is JSON, not HTML")
    if "<" not in start:
        raise NotHTML("the page is plain text, not HTML")
    lowered = start.lower()
    if "<html" not in lowered and ("<rss" in lowered or "<feed" in lowered):
        raise NotHTML("the page is a feed, not HTML")


def decode_page(page: bytes | str, *, charset: str = "") -> str:
    """Return the page as text; ``charset`` is the one the HTTP header names, if any
    (a byte-order mark wins over it, and it wins over the page's own declaration).

    Raises ``PageTooLarge`` past ``MAX_PAGE_BYTES``, ``NotHTML`` for other formats and
    ``UnknownEncoding`` when the bytes cannot be read as text.
    """
    if isinstance(page, str):
        if len(page) > MAX_PAGE_BYTES:
            raise PageTooLarge(f"the page has more than {MAX_PAGE_BYTES:,} characters")
        text = page
    else:
        if len(page) > MAX_PAGE_BYTES:
            raise PageTooLarge(f"the page has more than {MAX_PAGE_BYTES:,} bytes")
        what = _media_of_magic(page[:16].lstrip())
        if what:
            raise NotHTML(f"the page is {what}")
        text = _decode(page, charset)
    _check_markup(text)
    return text


def _media_and_charset(content_type: str) -> tuple[str, str]:
    media, _, params = content_type.partition(";")
    charset = ""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    return media.strip().lower(), charset


def page_of(body: bytes, content_type: str) -> str:
    """The page to extract, decoded: the HTTP header's media type and charset first (as in
    browsers), then the page's own declaration, then sniffing.

    Raises ``NotHTML`` for a media type that is not HTML, ``UnknownEncoding`` for a charset
    that is unknown and does not fit, ``PageTooLarge``.
    """
    media, charset = _media_and_charset(content_type)
    if media not in _HTML_MEDIA and media not in _SNIFFED_MEDIA:
        raise NotHTML(f"the page is {media[:100]}, not HTML")
    return decode_page(body, charset=charset)

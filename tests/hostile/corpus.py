"""The hostile-feed corpus: each vector is a route on a local server and its expected end.

Small documents live in ``tests/hostile/feeds/`` (``*.template`` ones get the canary path
and the internal origin's address filled in at run time); the large ones (50,000 items,
5,000-deep nesting, the gzip bomb) are generated here, never committed.

A vector ends either as ``Fails(code)``, a typed error recorded on its feed, or as
``Stores(...)``, articles stored after normalising and sanitising.
"""

from __future__ import annotations

import gzip
import socket
import threading
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from net.servers import Reply, read_request_head, redirect, response_head

FEEDS = Path(__file__).resolve().parent / "feeds"
CANARY = "CANARY-5e1f0c-local-file-content"
RSS_TYPE = "application/rss+xml; charset=utf-8"

# Sizes of the generated vectors.
MANY_ITEMS = 50_000
DEEP = 5_000
BOMB_MEMBER_BYTES = 64 * 1024 * 1024  # each gzip member inflates to 64 MiB of spaces
BOMB_MEMBERS = 16  # 1 GiB decoded in all, about 1 MiB on the wire
TRICKLE_PAUSE = 0.5  # seconds between two bytes; the test deadline is 2 s
TRICKLE_BYTES = 40  # at most 20 s of trickling, ended early when the client hangs up


@dataclass(frozen=True)
class Fails:
    """The feed ends with this ``last_error_code`` and no article."""

    code: str


@dataclass(frozen=True)
class Stores:
    """The feed is stored: these titles among its articles, and at most ``most`` articles.

    ``feed_title`` is the feed title learnt from the document, when the vector checks it.
    """

    titles: frozenset[str] = frozenset()
    least: int = 1
    most: int = 500
    feed_title: str | None = None


@dataclass(frozen=True)
class Vector:
    name: str
    expect: Fails | Stores
    reply: Reply | None = None  # served by the public origin at /<name>
    trickle: bool = False  # served by the raw trickling server instead
    note: str = field(default="", compare=False)

    @property
    def path(self) -> str:
        return f"/{self.name}"


def _file(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def _template(name: str, canary_path: Path, internal_base: str) -> bytes:
    text = (FEEDS / name).read_text(encoding="utf-8")
    return text.replace("{canary}", str(canary_path)).replace("{internal}", internal_base).encode()


def _xml(body: bytes, content_type: str = RSS_TYPE) -> Reply:
    return Reply(body=body, headers={"Content-Type": content_type})


def _rss(title: bytes, items: list[bytes], declaration: bytes, host: bytes) -> bytes:
    """An RSS 2.0 document with raw (already encoded) title bytes."""
    head = b'<?xml version="1.0" encoding="' + declaration + b'"?>'
    body = head + b'<rss version="2.0"><channel><title>' + title + b"</title>"
    body += b"<link>https://" + host + b"/</link><description>d</description>"
    for number, item in enumerate(items):
        body += b"<item><title>" + item + b"</title>"
        link = b"https://%s/%d" % (host, number)
        body += b"<link>" + link + b"</link><guid>" + link + b"</guid></item>"
    return body + b"</channel></rss>"


@cache
def many_items(count: int = MANY_ITEMS) -> bytes:
    """RSS with ``count`` items, one second apart (the last is the newest)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Fifty thousand</title><link>https://many.example/</link><description>d</description>"
    ]
    for n in range(count):
        stamp = f"{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}"
        parts.append(
            f"<item><title>Item {n}</title><link>https://many.example/{n}</link>"
            f"<guid>many-{n}</guid><pubDate>Sun, 01 Mar 2026 {stamp} GMT</pubDate></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def deep_elements(depth: int = DEEP) -> bytes:
    """An item holding ``depth`` nested unknown elements, after a plain item."""
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Deep</title>'
        "<link>https://deep.example/</link><description>d</description>"
        "<item><title>Before the deep part</title><link>https://deep.example/1</link>"
        "<guid>deep-1</guid></item>"
        "<item><title>Deep item</title><link>https://deep.example/2</link><guid>deep-2</guid>"
        + "<x>" * depth
        + "deep"
        + "</x>" * depth
        + "</item></channel></rss>"
    ).encode()


def deep_html(depth: int = DEEP) -> bytes:
    """An item whose description is ``depth`` nested divs (escaped HTML)."""
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Deep HTML</title>'
        "<link>https://deep-html.example/</link><description>d</description>"
        "<item><title>Nested divs</title><link>https://deep-html.example/1</link>"
        "<guid>deep-html-1</guid><description>"
        + "&lt;div&gt;" * depth
        + "deep text"
        + "&lt;/div&gt;" * depth
        + "</description></item></channel></rss>"
    ).encode()


def deep_json(depth: int = DEEP) -> bytes:
    """A JSON Feed with an extension value of ``depth`` nested arrays."""
    nested = "[" * depth + "]" * depth
    return (
        '{"version":"https://jsonfeed.org/version/1.1","title":"Deep JSON",'
        '"home_page_url":"https://deep-json.example/","items":[{"id":"deep-json-1",'
        '"url":"https://deep-json.example/1","title":"Nested","content_text":"x",'
        '"_ext":' + nested + "}]}"
    ).encode()


def quadratic_blowup() -> bytes:
    """One 8 KB entity used 5,000 times: 40 MB once expanded (no nesting)."""
    big = "A" * 8_000
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{big}">]>'
        '<rss version="2.0"><channel><title>Quadratic</title><item><title>'
        + "&a;" * 5_000
        + "</title></item></channel></rss>"
    ).encode()


def _gzip_member(start: bytes, size: int) -> bytes:
    """One gzip member of ``start`` then spaces, ``size`` bytes decoded, built in 1 MiB steps."""
    step = b" " * (1024 * 1024)
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = [packer.compress(start)]
    left = size - len(start)
    while left > 0:
        out.append(packer.compress(step[: min(left, len(step))]))
        left -= len(step)
    out.append(packer.flush())
    return b"".join(out)


@cache
def gzip_bomb(
    member_bytes: int = BOMB_MEMBER_BYTES, members: int = BOMB_MEMBERS
) -> tuple[bytes, int]:
    """A multi-member gzip body of an RSS start and spaces; returns (body, decoded size)."""
    start = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Bomb</title>'
    first = _gzip_member(start, member_bytes)
    rest = _gzip_member(b"", member_bytes)
    return first + rest * (members - 1), member_bytes * members


def trickle(conn: socket.socket, stop: threading.Event) -> None:
    """Answer 200 with a promised body, then drip it one byte every TRICKLE_PAUSE s."""
    read_request_head(conn)
    conn.sendall(response_head(200, {"Content-Type": RSS_TYPE, "Content-Length": "1000"}))
    for byte in b"<rss version='2.0'><channel><title>slow"[:TRICKLE_BYTES]:
        if stop.wait(TRICKLE_PAUSE):
            return
        conn.sendall(bytes([byte]))


def good_feed(name: str) -> bytes:
    items = "".join(
        f"<item><title>{name} story {n}</title><link>https://{name}.example/{n}</link>"
        f"<guid>{name}-{n}</guid><description>&lt;p&gt;Body {n}&lt;/p&gt;</description>"
        f"<pubDate>Sun, 01 Mar 2026 1{n}:00:00 GMT</pubDate></item>"
        for n in range(3)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{name}</title><link>https://{name}.example/</link><description>d</description>"
        f"{items}</channel></rss>"
    ).encode()


GOOD_FEEDS = ("good-one", "good-two")
GOOD_TITLES = {name: {f"{name} story {n}" for n in range(3)} for name in GOOD_FEEDS}


def vectors(canary_path: Path, internal_base: str, redirect_target: str) -> list[Vector]:
    """Every vector; ``internal_base`` is the 127.0.0.2 origin (``http://127.0.0.2:P``)."""
    bomb, _ = gzip_bomb()
    bomb_headers = {"Content-Type": RSS_TYPE, "Content-Encoding": "gzip"}
    stacked = gzip.compress(gzip.compress(good_feed("stacked")))
    return [
        # --- XML entity attacks (catalogue §1C) ---
        Vector("billion-laughs", Fails("unsafe_xml"), _xml(_file("billion_laughs.xml"))),
        Vector("quadratic-blowup", Fails("unsafe_xml"), _xml(quadratic_blowup())),
        Vector(
            "xxe-local-file",
            Fails("unsafe_xml"),
            _xml(_template("xxe_file.xml.template", canary_path, internal_base)),
        ),
        Vector(
            "xxe-internal-http",
            Fails("unsafe_xml"),
            _xml(_template("xxe_http.xml.template", canary_path, internal_base)),
        ),
        Vector(
            "external-dtd-internal-http",
            Stores(frozenset({"Entity from the DTD: &fromdtd;"})),
            _xml(_template("external_dtd.xml.template", canary_path, internal_base)),
            note="the DTD is never fetched; the undefined entity stays as text",
        ),
        Vector(
            "xinclude",
            Stores(frozenset({"Include attempt"})),
            _xml(_template("xinclude.xml.template", canary_path, internal_base)),
            note="XInclude is never processed",
        ),
        # --- broken documents ---
        Vector(
            "truncated",
            Stores(frozenset({"Complete item one", "Complete item two"}), least=2, most=3),
            _xml(_file("truncated.xml")),
        ),
        Vector(
            "html-page",
            Fails("not_a_feed"),
            _xml(_file("html_page.html"), "text/html; charset=utf-8"),
        ),
        Vector("empty-body", Fails("not_a_feed"), _xml(b"")),
        Vector("binary-body", Fails("not_a_feed"), _xml(bytes(range(256)) * 16)),
        # --- size and shape ---
        Vector(
            "fifty-thousand-items",
            Stores(frozenset({"Item 49999", "Item 49500"}), least=500, most=500),
            _xml(many_items()),
            note="only the newest 500 entries are kept",
        ),
        Vector(
            "deep-elements",
            Stores(frozenset({"Before the deep part"}), most=2),
            _xml(deep_elements()),
        ),
        Vector("deep-html", Stores(frozenset({"Nested divs"})), _xml(deep_html())),
        Vector(
            "deep-json",
            Fails("parse"),
            _xml(deep_json(), "application/feed+json"),
        ),
        # --- transport (catalogue §1H) ---
        Vector("gzip-bomb", Fails("too_large"), Reply(body=bomb, headers=bomb_headers)),
        Vector(
            "stacked-gzip",
            Fails("bad_encoding"),
            Reply(body=stacked, headers={**bomb_headers, "Content-Encoding": "gzip, gzip"}),
        ),
        Vector("trickle", Fails("timeout"), trickle=True),
        Vector(
            "redirect-to-internal",
            Fails("blocked_address"),
            redirect(redirect_target),
        ),
        # --- URL schemes in every URL field, and active content (catalogue §1B) ---
        Vector(
            "rss-url-fields",
            Stores(
                frozenset({"Link is javascript", "Obfuscated schemes", "Data image thumbnail"}),
                least=3,
                most=3,
            ),
            _xml(_file("rss_urls.xml")),
        ),
        Vector(
            "atom-url-fields",
            Stores(frozenset({"Alternate is javascript", "Alternate is data"}), least=2, most=2),
            _xml(_file("atom_urls.xml"), "application/atom+xml"),
        ),
        Vector(
            "json-url-fields",
            Stores(
                frozenset({"Item url is javascript", "Item url is obfuscated"}), least=2, most=2
            ),
            _xml(_file("json_urls.json"), "application/feed+json"),
        ),
        Vector(
            "active-content",
            Stores(frozenset({"Title with markup", "Second hostile item"}), least=2, most=2),
            _xml(_file("hostile_content.xml")),
        ),
        # --- encodings (catalogue §1C): readable titles wherever the bytes allow ---
        Vector(
            "latin1-declared-utf8",
            Stores(frozenset({"Naïve résumé"}), feed_title="Café crème"),
            _xml(_rss(b"Caf\xe9 cr\xe8me", [b"Na\xefve r\xe9sum\xe9"], b"utf-8", b"l1u8.example")),
        ),
        Vector(
            "utf8-declared-latin1",
            Stores(frozenset({"Naïve résumé"}), feed_title="Café crème"),
            _xml(
                _rss("Café crème".encode(), ["Naïve résumé".encode()], b"iso-8859-1", b"u8l1.test"),
                "application/rss+xml",
            ),
        ),
        Vector(
            "header-charset-wrong",
            Stores(frozenset({"Naïve résumé"}), feed_title="Café crème"),
            _xml(
                _rss("Café crème".encode(), ["Naïve résumé".encode()], b"utf-8", b"hdr.example"),
                "application/rss+xml; charset=iso-8859-1",
            ),
        ),
        Vector(
            "utf16-bom",
            Stores(frozenset({"Naïve résumé 日本"}), feed_title="Café UTF-16"),
            _xml(
                (
                    '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel>'
                    "<title>Café UTF-16</title><link>https://utf16.example/</link>"
                    "<item><title>Naïve résumé 日本</title><link>https://utf16.example/1</link>"
                    "<guid>u16-1</guid></item></channel></rss>"
                ).encode("utf-16"),
                "application/rss+xml",
            ),
        ),
        Vector(
            "invalid-utf8",
            Stores(
                frozenset({"Café then \ufffd broken", "Ünïcödé fine"}),
                feed_title="Crème brûlée",
            ),
            _xml(
                _rss(
                    "Crème brûlée".encode(),
                    ["Café then ".encode() + b"\xff" + b" broken", "Ünïcödé fine".encode()],
                    b"utf-8",
                    b"bad-utf8.example",
                )
            ),
        ),
        Vector(
            "unknown-charset",
            Stores(frozenset({"Naïve résumé"}), feed_title="Café crème"),
            _xml(
                _rss("Café crème".encode(), ["Naïve résumé".encode()], b"x-klingon-42", b"kl.test"),
                "application/rss+xml",
            ),
        ),
    ]

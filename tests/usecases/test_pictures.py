"""The images task end to end: real local origins, the real guarded fetcher, Pillow, a
real picture cache on disk and the database; then the path that serves the files.

The "public" origin listens on 127.0.0.1 (allowed by the test policy), the "internal"
one on 127.0.0.2 (blocked as any private address is in production)."""

from __future__ import annotations

import io
import itertools
import struct
import zlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from net.servers import Origin, Reply, redirect
from newsstand.articles.models import Article, Picture, PictureKind, PictureState
from newsstand.articles.pictures import picture_key, register_pictures
from newsstand.core.addresses import parse_networks
from newsstand.net.fetch import FetchPolicy
from newsstand.usecases.pictures import PictureConfig, fetch_pending_pictures, picture_path
from newsstand.usecases.refresh import refresh_feeds
from newsstand.usecases.subscribe import add_feed

from .publisher import Route, rfc822, rss

pytestmark = pytest.mark.django_db


def _jpeg(width: int = 1200, height: int = 800) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 60)).save(out, "JPEG")
    return out.getvalue()


def _png_bomb() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def public() -> Iterator[Origin]:
    with Origin("127.0.0.1") as origin:
        yield origin


@pytest.fixture
def internal() -> Iterator[Origin]:
    with Origin("127.0.0.2", default=Reply(200, _jpeg(), {"Content-Type": "image/jpeg"})) as origin:
        yield origin


@pytest.fixture
def picture_config(tmp_path: Path) -> PictureConfig:
    policy = FetchPolicy(
        allow_networks=parse_networks(["127.0.0.1/32"]),
        timeout=2.0,
        connect_timeout=1.0,
        max_bytes=512 * 1024,
    )
    return PictureConfig(mode="proxy", cache_dir=tmp_path / "pictures", policy=policy)


def _fetch(urls: list[str], config: PictureConfig, kind=PictureKind.LEAD) -> dict[str, Picture]:
    now = timezone.now()
    register_pictures(urls, now=now, kind=kind)
    fetch_pending_pictures(config, now=now)
    return {p.url: p for p in Picture.objects.filter(url__in=urls)}


def test_a_publishers_picture_is_fetched_checked_resized_and_kept(public, picture_config):
    # The server calls it HTML: the bytes decide.
    public.route("/photo", Reply(200, _jpeg(), {"Content-Type": "text/html"}))
    url = public.url("/photo")

    picture = _fetch([url], picture_config)[url]

    assert picture.state == PictureState.READY
    assert (picture.width, picture.height, picture.width_list) == (960, 640, [240, 480, 960])
    for width in picture.width_list:
        data = picture_path(picture_config.cache_dir, picture.key, width).read_bytes()
        assert data[8:12] == b"WEBP"
    assert picture.stored_bytes == sum(
        picture_path(picture_config.cache_dir, picture.key, w).stat().st_size
        for w in picture.width_list
    )
    assert public.requests[0].headers["accept"].startswith("image/webp")


@pytest.mark.parametrize(
    ("route", "code"),
    [
        (
            Reply(
                200,
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                {"Content-Type": "image/svg+xml"},
            ),
            "image_refused",
        ),
        (Reply(200, _png_bomb(), {"Content-Type": "image/png"}), "picture_too_large"),
        (
            Reply(200, b"<html><body>Sign in</body></html>", {"Content-Type": "image/jpeg"}),
            "not_an_image",
        ),
        (Reply(200, b"\x00" * (600 * 1024), {"Content-Type": "image/jpeg"}), "too_large"),
        (
            Reply(
                200,
                chunks=itertools.repeat(b"\xff" * 65536),
                headers={"Content-Type": "image/jpeg"},
            ),
            "too_large",
        ),
        (Reply(404, b"gone"), "http_status"),
    ],
    ids=["svg-with-script", "decompression-bomb", "html", "huge", "endless", "404"],
)
def test_hostile_and_broken_pictures_fail_for_good(public, picture_config, route, code):
    public.route("/p", route)
    url = public.url("/p")

    picture = _fetch([url], picture_config)[url]

    assert (picture.state, picture.error_code) == (PictureState.FAILED, code)
    assert not picture_config.cache_dir.exists() or not any(
        picture_config.cache_dir.rglob("*.webp")
    )


def test_internal_addresses_are_never_asked(public, internal, picture_config):
    public.route("/hop", redirect(internal.url("/secret.jpg")))
    direct, hop = internal.url("/secret.jpg"), public.url("/hop")

    pictures = _fetch([direct, hop], picture_config)

    assert pictures[direct].error_code == pictures[hop].error_code == "blocked_address"
    assert internal.accepts == 0


def test_a_server_error_is_tried_again_then_given_up(public, picture_config):
    public.route("/busy", Reply(503, b"busy"))
    url = public.url("/busy")
    now = timezone.now()
    register_pictures([url], now=now)
    for attempt in range(1, 4):
        fetch_pending_pictures(picture_config, now=now)
        picture = Picture.objects.get(url=url)
        assert picture.attempts == attempt
        now = picture.next_attempt_at
    assert picture.state == PictureState.FAILED
    assert fetch_pending_pictures(picture_config, now=now + timedelta(days=1)).claimed == 0


def test_the_cache_keeps_to_its_size_newest_pictures_kept(public, picture_config):
    for n in range(4):
        public.route(f"/{n}", Reply(200, _jpeg(1200 + n, 800), {"Content-Type": "image/jpeg"}))
    first = _fetch([public.url("/0"), public.url("/1")], picture_config)
    size = sum(p.stored_bytes for p in first.values())
    small = replace(picture_config, cache_bytes=size)  # room for about two pictures

    report_now = timezone.now() + timedelta(seconds=5)
    register_pictures([public.url("/2"), public.url("/3")], now=report_now)
    report = fetch_pending_pictures(small, now=report_now)

    assert report.evicted >= 1
    kept = Picture.objects.filter(state=PictureState.READY)
    assert sum(p.stored_bytes for p in kept) <= size
    evicted = Picture.objects.get(url=public.url("/0"))
    assert (evicted.state, evicted.error_code) == (PictureState.FAILED, "evicted")
    assert not any(picture_config.cache_dir.rglob(f"{evicted.key}-*.webp"))


def test_nothing_is_fetched_when_pictures_are_linked_directly_or_off(public, picture_config):
    public.route("/photo", Reply(200, _jpeg(), {"Content-Type": "image/jpeg"}))
    register_pictures([public.url("/photo")], now=timezone.now())
    for mode in ("direct", "off"):
        report = fetch_pending_pictures(replace(picture_config, mode=mode), now=timezone.now())
        assert report.claimed == 0
    assert public.requests == []


def test_a_publishers_icon_is_kept_small(public, picture_config):
    out = io.BytesIO()
    Image.new("RGBA", (48, 48), (200, 0, 0, 255)).save(out, "ICO", sizes=[(48, 48)])
    public.route("/favicon.ico", Reply(200, out.getvalue(), {"Content-Type": "image/x-icon"}))
    url = public.url("/favicon.ico")
    picture = _fetch([url], picture_config, kind=PictureKind.ICON)[url]
    assert (picture.state, picture.width_list) == (PictureState.READY, [32])


def test_a_refresh_registers_the_lead_pictures_and_the_feeds_icon(publisher, config):
    items = [
        {
            "title": "Harbour at dawn",
            "link": "https://news.example/harbour",
            "guid": "h",
            "description": '<p>Text <img src="https://cdn.example/inline.jpg" width="800" height="600"></p>',
            "date": rfc822(2026, 3, 1, 1),
        }
    ]
    body = rss("Example News", items).replace(
        b"<channel>",
        b"<channel><image><url>https://news.example/icon.png</url><title>x</title>"
        b"<link>https://news.example/</link></image>",
    )
    publisher.routes["/feed.xml"] = Route(body)
    add_feed(publisher.url("/feed.xml"))

    refresh_feeds(config=config)

    article = Article.objects.get(guid="h")
    assert article.image == "https://cdn.example/inline.jpg"  # the first figure leads
    registered = dict(Picture.objects.values_list("url", "kind"))
    assert registered == {
        "https://cdn.example/inline.jpg": PictureKind.LEAD,
        "https://news.example/icon.png": PictureKind.ICON,
    }


def test_the_picture_path_serves_files_of_the_cache_only(
    public, picture_config, settings, tmp_path
):
    settings.DATA_DIR = tmp_path  # the web's picture cache is DATA_DIR/pictures
    public.route("/photo", Reply(200, _jpeg(), {"Content-Type": "image/jpeg"}))
    picture = _fetch([public.url("/photo")], picture_config)[public.url("/photo")]
    from newsstand.web.pictures import picture_config as web_config

    web_config.cache_clear()
    client = Client()
    response = client.get(f"/img/{picture.key}/480.webp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content)[8:12] == b"WEBP"
    for close in response._resource_closers:  # the file; response.close() would also
        close()  # end the request, and with it the test's database connection
    for path in (
        f"/img/{picture.key}/123.webp",  # a width not kept
        f"/img/{picture_key('https://elsewhere.example/x.jpg')}/480.webp",  # never fetched
        "/img/..%2F..%2Fsecret_key/480.webp",
        f"/img/{picture.key.upper()}/480.webp",
    ):
        assert client.get(path).status_code == 404, path
    web_config.cache_clear()

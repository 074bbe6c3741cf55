"""Publishers' pictures on reader pages, and the path that serves them.

With ``NEWSSTAND_IMAGES=proxy`` (the default) a page shows only pictures the images task
has fetched and resized: ``<img src="/img/<key>/<width>.webp" srcset=…>`` with their
width and height, lazy. The path serves files of the picture cache and nothing else: it
fetches nothing, so it cannot be turned into an open proxy or pointed at an internal
address. With ``direct`` pages link the publishers' own addresses (the readers' browsers
then ask the publishers); with ``off`` they show none.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from newsstand.articles.models import Picture
from newsstand.articles.pictures import ready_pictures
from newsstand.core.urls import safe_url
from newsstand.usecases.pictures import PictureConfig, picture_path

_KEY = re.compile(r"[0-9a-f]{64}")
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
# Attribute values of sanitised HTML are double-quoted with their quotes escaped.
_ATTRIBUTE = re.compile(r'\b(src|alt)="([^"]*)"', re.IGNORECASE)
CONTENT_SIZES = "(min-width: 46rem) 42rem, 100vw"
YEAR = 365 * 24 * 3600


@cache
def picture_config() -> PictureConfig:
    """The pictures' configuration (the web reads the settings once: a test that
    changes them clears this)."""
    from newsstand.configuration import build_picture_config

    return build_picture_config()


@dataclass(frozen=True)
class Shown:
    """A picture as a page draws it: the address, the srcset, and its shape."""

    src: str
    srcset: str = ""
    width: int = 0
    height: int = 0


class PictureSet:
    """The pictures a page may show, looked up once for all its addresses."""

    def __init__(self, mode: str, ready: dict[str, Picture]) -> None:
        self.mode = mode
        self.ready = ready

    def first(self, urls: Iterable[str]) -> Shown | None:
        """The first of ``urls`` that can be shown, or None (the page shows a
        placeholder, or nothing)."""
        for url in urls:
            shown = self.get(url)
            if shown is not None:
                return shown
        return None

    def get(self, url: str) -> Shown | None:
        if not url or self.mode == "off":
            return None
        if self.mode == "direct":
            checked = safe_url(url)
            return Shown(checked) if checked else None
        picture = self.ready.get(url)
        if picture is None or not picture.width_list:
            return None
        widths = picture.width_list
        srcset = ", ".join(f"{_url(picture.key, w)} {w}w" for w in widths)
        middle = widths[len(widths) // 2]
        return Shown(_url(picture.key, middle), srcset, picture.width, picture.height)

    def icon(self, url: str) -> Shown | None:
        """A publisher's icon: its smallest file (twice the size it is drawn at)."""
        shown = self.get(url)
        if shown is None or not shown.srcset:
            return shown
        picture = self.ready[url]
        return Shown(_url(picture.key, picture.width_list[0]), "", 16, 16)

    def largest(self, url: str) -> str:
        """The address of ``url``'s largest file (or the publisher's, linked directly)."""
        shown = self.get(url)
        if shown is None:
            return ""
        if not shown.srcset:
            return shown.src
        picture = self.ready[url]
        return _url(picture.key, picture.width_list[-1])

    def rewrite_html(self, sanitised_html: str) -> str:
        """Sanitised HTML with every ``<img>`` drawn from the picture cache, or dropped
        when its picture is not ready; a picture inlined as ``data:`` stays (it asks no
        one for anything). With ``direct`` the HTML is left as the publisher gave it."""
        if self.mode == "direct" or "<img" not in sanitised_html:
            return sanitised_html
        return _IMG_TAG.sub(self._img, sanitised_html)

    def _img(self, match: re.Match[str]) -> str:
        attributes = dict(_ATTRIBUTE.findall(match.group(0)))
        src = html.unescape(attributes.get("src", ""))
        if src.startswith("data:image/") and self.mode == "proxy":
            return match.group(0)  # inline in the page (the sanitiser's raster types only)
        shown = self.get(src) if self.mode == "proxy" else None
        if shown is None:
            return ""
        return (
            f'<img src="{shown.src}" srcset="{shown.srcset}" sizes="{CONTENT_SIZES}" '
            f'width="{shown.width}" height="{shown.height}" alt="{attributes.get("alt", "")}" '
            'loading="lazy" decoding="async">'
        )


def _url(key: str, width: int) -> str:
    return f"/img/{key}/{width}.webp"


def pictures_for(urls: Iterable[str]) -> PictureSet:
    """The ready pictures among ``urls`` (one query in proxy mode, none otherwise)."""
    mode = picture_config().mode
    wanted = [url for url in urls if url]
    return PictureSet(mode, ready_pictures(wanted) if mode == "proxy" and wanted else {})


@require_GET
def picture(request: HttpRequest, key: str, width: int) -> FileResponse:
    """A file of the picture cache, cached by browsers for a year (a key names one
    address's picture; its files never change)."""
    if not _KEY.fullmatch(key):
        raise Http404("no such picture")
    path = picture_path(picture_config().cache_dir, key, width)
    try:
        file = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except (FileNotFoundError, NotADirectoryError):
        raise Http404("no such picture") from None
    response = FileResponse(file, content_type="image/webp")
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response

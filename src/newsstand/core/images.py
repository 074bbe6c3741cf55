"""Which picture leads an article: chosen among what the feed and the page offer.

Candidates come from the feed (``media:content``, ``media:thumbnail``, image enclosures,
JSON Feed ``image``/``banner_image``, the first figure of the entry's HTML) and from the
article page (``og:image``, ``twitter:image``, the extracted lead figure). Logos, icons,
tracking pixels, spacers, avatars and banners are never chosen: by their declared size
and shape where the source gives one, and by the words publishers use in such files'
addresses. Among the rest the largest known picture of a sane shape wins; pictures of
unknown size are ranked by how reliable their source is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

Origin = Literal[
    "media_content",
    "jsonfeed",
    "og_image",
    "enclosure",
    "twitter_image",
    "media_thumbnail",
    "page_figure",
    "content_figure",
    "feed",
]
# How much a source of unknown size is trusted to carry the article's own picture.
ORIGIN_RANK: dict[str, int] = {
    "media_content": 0,
    "jsonfeed": 1,
    "og_image": 2,
    "enclosure": 3,
    "twitter_image": 4,
    "feed": 5,  # the parser's single pick, source not known
    "media_thumbnail": 6,
    "page_figure": 7,
    "content_figure": 8,
}
MAX_URL = 2048
MIN_SIDE = 120  # a known side shorter than this: an icon or a pixel, not a picture
MAX_ASPECT = 3.2  # wider than this (or taller than its inverse): a banner or a strip
# Words in a file's address that mark decoration rather than a news picture.
_DECORATION = re.compile(
    r"(?:^|[^a-z])(?:logo|logos|favicon|icon|icons|sprite|spacer|blank|pixel|tracking|"
    r"tracker|beacon|1x1|avatar|avatars|gravatar|badge|button|emoji|emoticon|smiley|"
    r"placeholder|default-?image|no-?image|share-?default|social-?default|ad|ads|banner|"
    r"feedburner|doubleclick)(?:$|[^a-z])",
    re.IGNORECASE,
)
_TRACKING_HOSTS = (
    "feeds.feedburner.com",
    "pixel.wp.com",
    "stats.wordpress.com",
    "www.google-analytics.com",
    "pixel.quantserve.com",
    "b.scorecardresearch.com",
    "ad.doubleclick.net",
    "feeds.wordpress.com",
)
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'\b(src|width|height)\s*=\s*"([^"]*)"', re.IGNORECASE)
_VECTOR_OR_ICON = re.compile(r"\.(?:svg|svgz|ico)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ImageCandidate:
    """A picture some source offers for the article; sizes 0 when the source gave none."""

    url: str
    origin: Origin
    width: int = 0
    height: int = 0
    mime_type: str = ""


def looks_decorative(candidate: ImageCandidate) -> bool:
    """True for what is not an article's picture: a pixel, icon, logo, avatar, banner or
    vector drawing, judged by the declared size, shape, type and address."""
    width, height = candidate.width, candidate.height
    if (width and width < MIN_SIDE) or (height and height < MIN_SIDE):
        return True
    if width and height and not (1 / MAX_ASPECT <= width / height <= MAX_ASPECT):
        return True
    mime = candidate.mime_type.lower()
    if mime and (not mime.startswith("image/") or "svg" in mime or "icon" in mime):
        return True
    parts = urlsplit(candidate.url)
    if (parts.hostname or "").lower() in _TRACKING_HOSTS:
        return True
    path = unquote(parts.path)
    if _VECTOR_OR_ICON.search(path):
        return True
    name = path.rsplit("/", 1)[-1]
    # The file's own name, and the folder it sits in ("/logos/bbc.png", "/icons/x.png").
    folder = path.rsplit("/", 2)[-2] if path.count("/") >= 2 else ""
    return bool(_DECORATION.search(name) or _DECORATION.search(folder))


def _preference(candidate: ImageCandidate) -> tuple[int, int, int]:
    """Sort key: pictures of known size first, the largest first; then by source."""
    area = candidate.width * candidate.height
    return (0 if area else 1, -area, ORIGIN_RANK.get(candidate.origin, len(ORIGIN_RANK)))


def choose_image(candidates: Iterable[ImageCandidate]) -> str:
    """The URL of the article's lead picture among ``candidates``, or "" when every one
    is decorative (or there are none). Candidates must already be checked http(s) URLs."""
    usable = [c for c in candidates if c.url and not looks_decorative(c)]
    if not usable:
        return ""
    return min(usable, key=_preference).url


def better_lead_image(feed_image: str, page_image: str) -> str:
    """The lead picture once the article page is read: the feed's when it gave one that
    is not decoration (what the feed gave is kept), else the page's (``og:image``, else
    its extracted lead figure) unless that is decoration. Both must be checked http(s)
    URLs or ""."""
    if feed_image and not looks_decorative(ImageCandidate(feed_image, "feed")):
        return feed_image
    chosen = choose_image([ImageCandidate(page_image, "og_image")])
    return chosen if len(chosen) <= MAX_URL else ""


def _int(value: str) -> int:
    digits = value.strip().removesuffix("px")
    return int(digits) if digits.isdigit() and len(digits) < 6 else 0


def html_images(html: str, origin: Origin = "content_figure") -> list[ImageCandidate]:
    """The ``<img>`` elements of an HTML fragment (sanitised: attributes double-quoted),
    in document order, with the sizes their attributes declare."""
    found = []
    for tag in _IMG_TAG.findall(html or ""):
        attributes = {name.lower(): value for name, value in _ATTRIBUTE.findall(tag)}
        src = attributes.get("src", "").strip()
        if src:
            found.append(
                ImageCandidate(
                    src.replace("&amp;", "&"),
                    origin,
                    _int(attributes.get("width", "")),
                    _int(attributes.get("height", "")),
                )
            )
    return found

"""A publisher's picture made safe and small: bytes in, resized WebP files out (Pillow).

The bytes decide what a file is, never the server's Content-Type: only JPEG, PNG, GIF,
WebP (and ICO for publishers' icons) are opened, each by its own decoder. SVG is refused
(it is a document that can carry script, not a picture), and so is any picture whose
header declares more than ``max_pixels`` (a decompression bomb: a few kilobytes that
decode into gigabytes) before a single pixel is decoded. What is kept is re-encoded from
the decoded pixels, so nothing of the original file (metadata, trailing data, a second
format hidden behind the first) reaches a reader.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageOps, PngImagePlugin, UnidentifiedImageError

from newsstand.core.errors import ImageRefused, NotAnImage, PictureTooLarge

Kind = Literal["lead", "icon"]
LEAD_WIDTHS = (240, 480, 960)
ICON_WIDTHS = (32, 64)
MAX_PIXELS = 40_000_000  # 8,000 x 5,000: larger pictures are refused unopened
MIN_LEAD_SIDE = 100  # a decoded lead picture smaller than this is a pixel or an icon
MAX_LEAD_ASPECT = 4.0
QUALITY = 78
# PNG text chunks are capped far below Pillow's defaults (a text chunk can be a zlib bomb).
PngImagePlugin.MAX_TEXT_CHUNK = 256 * 1024
PngImagePlugin.MAX_TEXT_MEMORY = 1024 * 1024

_FORMATS: dict[Kind, tuple[str, ...]] = {
    "lead": ("JPEG", "PNG", "GIF", "WEBP"),
    "icon": ("JPEG", "PNG", "GIF", "WEBP", "ICO"),
}
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\x00\x00\x01\x00", "ICO"),
)


@dataclass(frozen=True, slots=True)
class PreparedPicture:
    """A picture decoded and re-encoded: one WebP file per width, and the size of the
    largest (what a page gives as ``width``/``height``, for its shape)."""

    width: int
    height: int
    variants: dict[int, bytes]  # width → WebP bytes


def sniff(data: bytes) -> str:
    """The picture format the bytes begin with ("JPEG", "PNG", "GIF", "WEBP", "ICO").

    Raises ``ImageRefused`` for SVG (and other XML or HTML), ``NotAnImage`` for anything
    else that is not one of those formats.
    """
    head = data[:512]
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in text:
        raise ImageRefused("an SVG drawing (refused: it can carry script)")
    if text.startswith((b"<!doctype html", b"<html", b"<")):
        raise NotAnImage("an HTML or XML document, not a picture")
    raise NotAnImage("not a JPEG, PNG, GIF or WebP picture")


def prepare_picture(
    data: bytes,
    kind: Kind = "lead",
    *,
    widths: Sequence[int] | None = None,
    max_pixels: int = MAX_PIXELS,
) -> PreparedPicture:
    """Decode ``data`` and re-encode it as WebP at each width of ``widths`` no larger than
    the picture (the picture's own width when it is narrower than them all).

    Raises ``ImageRefused`` (SVG; a lead picture that is a pixel, an icon or a strip),
    ``NotAnImage`` (not a supported format, or broken) or ``PictureTooLarge`` (more than
    ``max_pixels``, judged from the header before decoding).
    """
    declared = sniff(data)
    if declared not in _FORMATS[kind]:
        raise ImageRefused(f"a {declared} file is not accepted as a {kind} picture")
    widths = tuple(widths or (LEAD_WIDTHS if kind == "lead" else ICON_WIDTHS))
    with _opened(data, kind) as image:
        width, height = image.size
        if width <= 0 or height <= 0 or width * height > max_pixels:
            raise PictureTooLarge(f"{width} x {height} pixels is more than {max_pixels:,}")
        if kind == "lead":
            _refuse_decoration(width, height)
        if getattr(image, "n_frames", 1) > 1:
            image.seek(0)  # an animation: its first frame
        largest = min(width, max(widths))
        image.draft("RGB", (largest, largest * height // width + 1))  # JPEG: decode smaller
        pixels = ImageOps.exif_transpose(_decoded(image))
    chosen = [w for w in widths if w <= pixels.width] or [pixels.width]
    variants = {w: _webp(pixels, w) for w in chosen}
    top = max(chosen)
    return PreparedPicture(top, max(1, round(pixels.height * top / pixels.width)), variants)


class _opened:
    """``Image.open`` restricted to the kind's formats, with Pillow's own warnings and
    errors translated into the error tree."""

    def __init__(self, data: bytes, kind: Kind) -> None:
        self.data, self.kind = data, kind
        self.image: Image.Image | None = None

    def __enter__(self) -> Image.Image:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                self.image = Image.open(io.BytesIO(self.data), formats=_FORMATS[self.kind])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PictureTooLarge(str(exc)[:300]) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise NotAnImage(f"a broken picture ({type(exc).__name__})") from exc
        return self.image

    def __exit__(self, *exc: object) -> None:
        if self.image is not None:
            self.image.close()


def _refuse_decoration(width: int, height: int) -> None:
    if min(width, height) < MIN_LEAD_SIDE:
        raise ImageRefused(f"{width} x {height} pixels: an icon or a tracking pixel")
    if max(width, height) / min(width, height) > MAX_LEAD_ASPECT:
        raise ImageRefused(f"{width} x {height} pixels: a banner or a strip")


def _decoded(image: Image.Image) -> Image.Image:
    """The decoded pixels in RGB (RGBA when the picture has transparency)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            alpha = image.mode in ("RGBA", "LA", "PA") or (
                image.mode == "P" and "transparency" in image.info
            )
            return image.convert("RGBA" if alpha else "RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PictureTooLarge(str(exc)[:300]) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise NotAnImage(f"a broken picture ({type(exc).__name__}: {exc})"[:300]) from exc


def _webp(pixels: Image.Image, width: int) -> bytes:
    height = max(1, round(pixels.height * width / pixels.width))
    resized = (
        pixels
        if pixels.width == width
        else pixels.resize((width, height), Image.Resampling.LANCZOS)
    )
    out = io.BytesIO()
    resized.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()

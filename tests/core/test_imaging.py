"""Pictures made safe and small: hostile files refused, good ones re-encoded."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zlib

import pytest
from PIL import Image

from newsstand.core.errors import ImageRefused, NotAnImage, PictureTooLarge
from newsstand.core.imaging import prepare_picture, sniff


def _encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _photo(width: int = 1600, height: int = 900, fmt: str = "JPEG", **options: object) -> bytes:
    image = Image.new("RGB", (width, height), (30, 90, 160))
    for x in range(0, width, 50):  # some detail, so the encoder has work
        image.paste((200, 40, 40), (x, 0, x + 10, height))
    return _encoded(image, fmt, **options)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_declaring(width: int, height: int, extra: bytes = b"") -> bytes:
    """A tiny PNG whose header declares ``width`` x ``height`` (its data is a sliver)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + extra
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _gif_declaring(width: int, height: int) -> bytes:
    """A small GIF whose logical screen declares ``width`` x ``height``."""
    data = bytearray(_encoded(Image.new("P", (16, 16)), "GIF"))
    data[6:10] = struct.pack("<HH", width, height)
    return bytes(data)


def test_a_photo_is_re_encoded_as_webp_at_each_width_it_can_fill() -> None:
    prepared = prepare_picture(_photo(1600, 900))
    assert sorted(prepared.variants) == [240, 480, 960]
    assert (prepared.width, prepared.height) == (960, 540)
    for width, data in prepared.variants.items():
        assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
        with Image.open(io.BytesIO(data)) as out:
            assert out.size == (width, round(900 * width / 1600))


def test_a_narrow_picture_keeps_its_own_width() -> None:
    prepared = prepare_picture(_photo(400, 300, "PNG"))
    assert sorted(prepared.variants) == [240]
    small = prepare_picture(_photo(200, 150, "PNG"))
    assert sorted(small.variants) == [200]


def test_metadata_and_trailing_bytes_never_reach_the_reader() -> None:
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    exif[0x0112] = 6  # rotated: the picture is turned upright
    polyglot = _photo(800, 600, exif=exif.tobytes()) + b"<html><script>alert(1)</script></html>"
    prepared = prepare_picture(polyglot)
    for data in prepared.variants.values():
        assert b"secret" not in data and b"<script" not in data
    assert prepared.height > prepared.width  # 800 x 600 turned upright: 600 x 800


def test_an_animation_gives_its_first_frame() -> None:
    frames = [Image.new("RGB", (320, 200), colour) for colour in ("red", "blue", "green")]
    gif = _encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    prepared = prepare_picture(gif)
    with Image.open(io.BytesIO(prepared.variants[240])) as out:
        red, green, blue = out.convert("RGB").getpixel((10, 10))
        assert red > 200 and green < 60 and blue < 60


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
        b"<!DOCTYPE svg><svg onload=alert(1)></svg>",
        b'  \n<?xml version="1.0"?><!-- a comment --><svg xmlns="http://www.w3.org/2000/svg"/>',
    ],
)
def test_svg_is_refused_however_it_starts(svg: bytes) -> None:
    with pytest.raises(ImageRefused, match="SVG"):
        prepare_picture(svg)


@pytest.mark.parametrize(
    "data",
    [
        b"<!doctype html><html><body>not a picture</body></html>",
        b"%PDF-1.7 not a picture",
        b"\x00" * 100,
        b"",
        b"GIF89a" + b"\xff" * 20,  # a GIF header and nothing sensible after it
        _photo(800, 600)[:300],  # a JPEG cut short
    ],
)
def test_what_is_not_a_picture_is_refused(data: bytes) -> None:
    with pytest.raises(NotAnImage):
        prepare_picture(data)


@pytest.mark.parametrize(
    "bomb",
    [
        _png_declaring(50_000, 50_000),  # 2.5 gigapixels in a few hundred bytes
        _png_declaring(8_000, 6_000),  # 48 MP: over the 40 MP limit
        _gif_declaring(65_535, 65_535),
    ],
)
def test_decompression_bombs_are_refused_before_decoding(bomb: bytes) -> None:
    with pytest.raises(PictureTooLarge):
        prepare_picture(bomb)


def test_a_png_text_chunk_bomb_is_refused() -> None:
    ztxt = _png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"a" * 50_000_000, 9))
    with pytest.raises(NotAnImage):
        prepare_picture(_png_declaring(320, 200, extra=ztxt))


def test_a_bomb_is_refused_within_bounded_memory() -> None:
    """In a child limited to 512 MiB of address space beyond its start: a 2.5-gigapixel
    PNG (7.5 GB decoded) is refused, not decoded."""
    code = (
        "import resource, struct, sys, zlib\n"
        "from newsstand.core.imaging import prepare_picture\n"
        "from newsstand.core.errors import PictureError\n"
        f"data = bytes.fromhex({_png_declaring(50_000, 50_000).hex()!r})\n"
        "used = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (used * 4 + 512 * 2**20,) * 2)\n"
        "try:\n    prepare_picture(data)\nexcept PictureError as e:\n    print(e.code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "picture_too_large"


def test_small_pictures_and_strips_are_not_leads_but_icons_are_icons() -> None:
    with pytest.raises(ImageRefused, match="icon or a tracking pixel"):
        prepare_picture(_photo(64, 64, "PNG"))
    with pytest.raises(ImageRefused, match="banner"):
        prepare_picture(_photo(1200, 150, "PNG"))
    icon = _encoded(Image.new("RGBA", (48, 48), (0, 0, 0, 0)), "ICO", sizes=[(48, 48)])
    with pytest.raises(ImageRefused):
        prepare_picture(icon, "lead")
    assert sorted(prepare_picture(icon, "icon").variants) == [32]


def test_sniffing_reads_the_bytes_not_the_name() -> None:
    assert sniff(_photo(200, 200)) == "JPEG"
    assert sniff(_photo(200, 200, "PNG")) == "PNG"
    assert sniff(_photo(200, 200, "WEBP")) == "WEBP"

"""Weight and time of the reader's pages on the demo: HTML, CSS, script and pictures.

Starts a fresh `newsstand demo` (bench/demo_start.py), waits until its front page shows
stories covered by several publishers, then fetches each kind of page a reader opens
(front, a section, a story, an article, search and the account pages when they exist):
the HTML as served and gzipped, the stylesheet and script it links, the pictures it
loads eagerly and lazily, and the server's time for the page (median of 7, wall clock).
The front page's HTML + CSS must stay under 60 KB (issue 16).

    cd bench && ../.venv/bin/python page_weight.py [--settle 180]
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from demo_start import running_demo, wait_for_stories

SRC = re.compile(r'<(?:img|script|link)\b[^>]*?(?:src|href)="(/[^"]+)"[^>]*>')


@dataclass
class Weight:
    page: str
    html: int
    html_gz: int
    css: int
    js: int
    eager_images: int
    lazy_images: int
    image_bytes: int
    median_ms: float


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def weigh(base: str, name: str, path: str) -> Weight | None:
    status, body = _get(base + path)
    if status != 200:
        return None
    html = body.decode()
    times = []
    for _ in range(7):
        start = time.perf_counter()
        _get(base + path)
        times.append((time.perf_counter() - start) * 1000)
    css = js = image_bytes = eager = lazy = 0
    for tag in re.finditer(r"<(img|script|link)\b[^>]*>", html):
        element = tag.group(0)
        source = re.search(r'(?:src|href)="(/[^"]+)"', element)
        if not source:
            continue
        if tag.group(1) == "link" and 'rel="stylesheet"' in element:
            css += len(_get(base + source.group(1))[1])
        elif tag.group(1) == "script":
            js += len(_get(base + source.group(1))[1])
        elif tag.group(1) == "img":
            if 'loading="lazy"' in element:
                lazy += 1
            else:
                eager += 1
            image_bytes += len(_get(base + source.group(1))[1])
    return Weight(
        name,
        len(body),
        len(gzip.compress(body)),
        css,
        js,
        eager,
        lazy,
        image_bytes,
        statistics.median(times),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--settle", type=float, default=180.0, help="seconds to wait after the first story"
    )
    args = parser.parse_args()
    with running_demo() as demo:
        wait_for_stories(demo)
        time.sleep(args.settle)  # the front page fills up: every section's stories
        front = _get(demo.base + "/")[1].decode()
        story = re.search(r'href="(/story/\d+/)"', front)
        section = re.search(r'href="(/section/[a-z-]+/)"', front)
        article = re.search(r'href="(/article/\d+/)"', front)
        pages = {
            "front": "/",
            "section": section.group(1) if section else "/section/business/",
            "story": story.group(1) if story else "/",
            "article": article.group(1) if article else "/",
            "search": "/search/?q=apple",
            "sign in": "/accounts/login/",
            "sign up": "/accounts/signup/",
        }
        print(
            f"{'page':10} {'HTML':>8} {'gzip':>7} {'CSS':>7} {'JS':>6} {'img eager/lazy':>15} {'img bytes':>10} {'median':>8}"
        )
        for name, path in pages.items():
            weight = weigh(demo.base, name, path)
            if weight is None:
                print(f"{name:10} (not served: {path})")
                continue
            print(
                f"{name:10} {weight.html:8,} {weight.html_gz:7,} {weight.css:7,} {weight.js:6,} "
                f"{weight.eager_images:>7}/{weight.lazy_images:<7} {weight.image_bytes:10,} "
                f"{weight.median_ms:6.1f} ms"
            )
            if name == "front":
                total = weight.html + weight.css
                print(
                    f"{'':10} front HTML + CSS = {total:,} bytes ({'under' if total < 60_000 else 'OVER'} 60 KB)"
                )


if __name__ == "__main__":
    main()

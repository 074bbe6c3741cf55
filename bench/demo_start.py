"""How soon a fresh `newsstand demo` shows articles and stories, and how steadily news
arrives afterwards.

Starts `newsstand demo` in a new, empty data folder on a free loopback port (as
`make demo` on a fresh clone does: migrations, the 1,956 feeds, the section model built
at the first enrichment), then reads the front page every half second: the moment it
first links an article, the moment it first shows a story covered by several
publishers ("N more from ..."). Then it counts the articles stored in each 10-second
window for ``--minutes`` and reports the longest gap between two new articles. Prints
one line per run; the CPU is the whole process group's.

    cd bench && ../.venv/bin/python demo_start.py [--runs 1] [--minutes 5]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

STORY_LINE = re.compile(r'class="coverage-line"><a href="/story/\d+/">\d+ more from')


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _front(base: str) -> str:
    try:
        with urllib.request.urlopen(base + "/", timeout=10) as response:
            return response.read().decode()
    except OSError:
        return ""


def _count(database: Path) -> int:
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)) as db:
            return int(db.execute("select count(*) from articles_article").fetchone()[0])
    except sqlite3.Error:
        return 0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Demo:
    base: str
    database: Path
    started: float  # time.monotonic() at the start


@contextmanager
def running_demo() -> Iterator[Demo]:
    """A fresh `newsstand demo` in an empty folder on a free port, stopped at the end."""
    with tempfile.TemporaryDirectory(prefix="newsstand-demo-bench-") as folder:
        port = _free_port()
        env = dict(os.environ, NEWSSTAND_DATA_DIR=folder, NEWSSTAND_BIND=f"127.0.0.1:{port}")
        env.pop("DATABASE_URL", None)
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "newsstand.cli", "demo"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            yield Demo(f"http://127.0.0.1:{port}", Path(folder) / "newsstand.sqlite3", started)
        finally:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_for_stories(demo: Demo, times: dict[str, float] | None = None) -> str:
    """The front page once it shows a story of several publishers (at most ten minutes);
    ``times`` gets the seconds to the first article and to that story."""
    times = {} if times is None else times
    page = ""
    while time.monotonic() - demo.started < 600:
        page = _front(demo.base)
        now = time.monotonic() - demo.started
        if "first_article" not in times and 'href="/article/' in page:
            times["first_article"] = now
        if STORY_LINE.search(page):
            times["first_story"] = now
            return page
        time.sleep(0.5)
    return page


def arrivals(database: Path, minutes: float) -> dict[str, float]:
    """New articles in each 10-second window over ``minutes``, and the longest gap."""
    counts: list[int] = []
    gaps: list[float] = []
    last_new, previous = time.monotonic(), _count(database)
    until = time.monotonic() + minutes * 60
    window_start, in_window = time.monotonic(), 0
    while time.monotonic() < until:
        time.sleep(1)
        current = _count(database)
        if current > previous:
            gaps.append(time.monotonic() - last_new)
            last_new, in_window, previous = (
                time.monotonic(),
                in_window + current - previous,
                current,
            )
        if time.monotonic() - window_start >= 10:
            counts.append(in_window)
            window_start, in_window = time.monotonic(), 0
    return {
        "longest_gap_s": max(gaps, default=float("nan")),
        "windows_without_news": sum(1 for c in counts if c == 0),
        "windows": len(counts),
        "median_per_10s": sorted(counts)[len(counts) // 2] if counts else 0,
    }


def run(minutes: float) -> dict[str, float]:
    times: dict[str, float] = {}
    with running_demo() as demo:
        wait_for_stories(demo, times)
        flow = arrivals(demo.database, minutes)
    return {
        "first_article_s": times.get("first_article", float("nan")),
        "first_story_s": times.get("first_story", float("nan")),
        **flow,
        "cpu_s": _children_cpu(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--minutes", type=float, default=5.0)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    for n in range(args.runs):
        result = run(args.minutes)
        print(
            f"run {n + 1}: first article on the front page {result['first_article_s']:.1f} s, "
            f"first story of several publishers {result['first_story_s']:.1f} s; then over "
            f"{args.minutes:g} min: {result['median_per_10s']} new articles per 10 s (median), "
            f"{result['windows_without_news']} of {result['windows']} 10-s windows without "
            f"news, longest gap {result['longest_gap_s']:.1f} s; CPU {result['cpu_s']:.0f} s"
        )


if __name__ == "__main__":
    main()

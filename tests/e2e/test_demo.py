"""`newsstand demo` end to end: the real command, its publisher server, worker and web server.

The demo runs as a child process (its own session, so the granian worker is stopped with
it) on a free loopback port with an empty data folder. The test waits, bounded, until the
demo's SQLite database holds articles of at least 100 publishers and the failing demo
feeds carry their errors, then reads the pages a visitor would.
"""

from __future__ import annotations

import html
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

# The whole start (migrate, import 1,954 feeds, the first refreshes, the slow feed's 10 s
# deadline) took 25-50 s here; the bound leaves room for a busy machine.
WAIT_SECONDS = 120
MIN_PUBLISHERS = 100
# Stories are assigned after enrichment, in batches; the first ones hold the corpus's biggest
# stories, covered by dozens of publishers each.
STORY_WAIT_SECONDS = 150
MIN_STORY_PUBLISHERS = 5
FAILING_FEEDS = {
    "Demo: server error": "http_status",
    "Demo: gone feed": "gone",
    "Demo: slow feed": "timeout",
    "Demo: not a feed": "not_a_feed",
}


@dataclass
class Demo:
    process: subprocess.Popen[bytes]
    base: str
    database: Path
    log: Path

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGINT, then SIGTERM, then SIGKILL to the whole process group, each bounded."""
    for sig, grace in ((signal.SIGINT, 15), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    with suppress(ProcessLookupError):  # a worker that outlived its parent
        os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def running_demo(data_dir: Path) -> Iterator[Demo]:
    port = _free_port()
    env = dict(
        os.environ,
        NEWSSTAND_DATA_DIR=str(data_dir),
        NEWSSTAND_BIND=f"127.0.0.1:{port}",
        DATABASE_URL="",
    )
    log = data_dir / "demo.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "newsstand.cli", "demo"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        yield Demo(process, f"http://127.0.0.1:{port}", data_dir / "newsstand.sqlite3", log)
    finally:
        _stop(process)


def _query(database: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows of ``sql`` on the demo's database, opened read-only."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)) as db:
        return db.execute(sql).fetchall()


def _publishers_with_articles(demo: Demo) -> int:
    rows = _query(demo.database, "select count(distinct publisher_id) from articles_article")
    return int(str(rows[0][0]))


def _failing_feed_codes(demo: Demo) -> dict[str, str]:
    rows = _query(
        demo.database,
        "select title, last_error_code from sources_feed where title like 'Demo:%'",
    )
    return {str(title): str(code) for title, code in rows}


def _ready(demo: Demo) -> bool:
    if not demo.database.exists():
        return False
    try:
        codes = _failing_feed_codes(demo)
        enough = _publishers_with_articles(demo) >= MIN_PUBLISHERS
    except sqlite3.OperationalError:  # tables not migrated yet, or the file is being made
        return False
    return enough and all(codes.get(t) == c for t, c in FAILING_FEEDS.items())


def wait_until_ready(demo: Demo) -> None:
    for _ in range(WAIT_SECONDS):
        if demo.process.poll() is not None:
            pytest.fail(f"the demo exited with {demo.process.returncode}:\n{demo.log_tail()}")
        if _ready(demo):
            return
        time.sleep(1)
    pytest.fail(f"the demo was not ready within {WAIT_SECONDS} s:\n{demo.log_tail()}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(url: str) -> tuple[int, str, Message]:
    """Status, body and headers (case-insensitive) of a GET, redirects not followed."""
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(url, timeout=15) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), error.headers


def _busiest_section(demo: Demo) -> str:
    rows = _query(
        demo.database,
        "select s.slug from articles_article a join sources_section s on s.id = a.section_id"
        " group by s.slug order by count(*) desc limit 1",
    )
    return str(rows[0][0])


def _broad_stories(demo: Demo) -> list[tuple[int, int, str]]:
    """(id, publishers, headline) of the stories covered by several publishers."""
    rows = _query(
        demo.database,
        "select id, publisher_count, headline from stories_story"
        f" where publisher_count >= {MIN_STORY_PUBLISHERS} order by publisher_count desc",
    )
    return [(int(str(i)), int(str(n)), str(h)) for i, n, h in rows]


def wait_for_stories(demo: Demo) -> list[tuple[int, int, str]]:
    for _ in range(STORY_WAIT_SECONDS):
        if demo.process.poll() is not None:
            pytest.fail(f"the demo exited with {demo.process.returncode}:\n{demo.log_tail()}")
        with suppress(sqlite3.OperationalError):
            if stories := _broad_stories(demo):
                return stories
        time.sleep(1)
    pytest.fail(f"no story of several publishers within {STORY_WAIT_SECONDS} s:\n{demo.log_tail()}")


def wait_for_more_articles(demo: Demo, seconds: int = 120) -> None:
    """Bounded wait until the demo has stored one more article than now."""
    before = _query(demo.database, "select max(id) from articles_article")[0][0]
    for _ in range(seconds):
        now = _query(demo.database, "select max(id) from articles_article")[0][0]
        if now != before:
            return
        time.sleep(1)
    pytest.fail(f"no new article within {seconds} s of the stories:\n{demo.log_tail()}")


def _article_title(demo: Demo, article_id: int) -> str:
    rows = _query(demo.database, f"select title from articles_article where id = {article_id}")
    return str(rows[0][0])


@pytest.mark.slow
@pytest.mark.timeout(WAIT_SECONDS + STORY_WAIT_SECONDS + 210)
def test_demo_serves_the_corpus_and_records_the_failing_feeds(tmp_path: Path) -> None:
    with running_demo(tmp_path) as demo:
        wait_until_ready(demo)

        status, front, _ = get(demo.base + "/")
        assert status == 200
        article_ids = [int(n) for n in re.findall(r'href="/article/(\d+)/"', front)]
        section_path = f"/section/{_busiest_section(demo)}/"
        assert article_ids and f'href="{section_path}"' in front
        text = html.unescape(front)
        assert _article_title(demo, article_ids[0]) in text

        status, section, _ = get(demo.base + section_path)
        assert status == 200
        assert re.search(r'href="/article/\d+/"', section)

        status, article, _ = get(f"{demo.base}/article/{article_ids[0]}/")
        assert status == 200
        assert f"<h1>{html.escape(_article_title(demo, article_ids[0]))}</h1>" in article

        # Stories: the front page leads with multi-publisher stories, each with full coverage.
        stories = wait_for_stories(demo)
        status, front, _ = get(demo.base + "/")
        assert status == 200
        story_ids = [int(n) for n in re.findall(r'href="/story/(\d+)/"', front)]
        assert set(story_ids) & {story_id for story_id, _, _ in stories}
        story_id, publishers, headline = stories[0]
        status, story, _ = get(f"{demo.base}/story/{story_id}/")
        assert status == 200
        assert f"<h1>{html.escape(headline)}</h1>" in story
        assert f"from {publishers} publishers" in story
        assert len(set(re.findall(r'href="/publisher/(\d+)/"', story))) >= MIN_STORY_PUBLISHERS

        # Feed health is readable without an account in the demo, and says how to make one.
        status, health, _ = get(demo.base + "/health/feeds/")
        assert status == 200
        assert "newsstand createsuperuser" in health
        assert "<code>http_status</code>" in health  # the failing feeds come first

        # Archive articles (Wikinews, Global Voices) carry their own dates, labelled.
        archive = _query(
            demo.database,
            "select a.id, a.published_at from articles_article a join sources_publisher p"
            " on p.id = a.publisher_id where p.name = 'Wikinews' limit 1",
        )
        if archive:
            status, page, _ = get(f"{demo.base}/article/{archive[0][0]}/")
            assert status == 200 and "Archive" in page
            assert str(archive[0][1])[:4] < "2014"  # published 2004-2013, found today

        # News keeps arriving after the start: a new article within two minutes.
        wait_for_more_articles(demo)

        assert _publishers_with_articles(demo) >= MIN_PUBLISHERS
        codes = _failing_feed_codes(demo)
        assert {title: codes.get(title) for title in FAILING_FEEDS} == FAILING_FEEDS
    assert demo.process.poll() is not None

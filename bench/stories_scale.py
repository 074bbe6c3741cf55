"""Stories as the archive grows: the cost of ingest (store + assign) and of the front page
with 10k, 100k and 1M stored articles.

How the archive is made (real headlines, varied): articles arrive at a steady
``--per-day`` (5,000 a day: a few hundred publishers), so a bigger archive is a longer
past, while the open window (3 days) stays the same size. Half the articles are the 6,366
real UCI News Aggregator headlines (March 2014, 87 stories, 1,948 publishers) replayed in
crawl order: replay ``r`` is the whole corpus again, its MiniLM vectors turned by a random
rotation of its own (a rotation keeps every cosine within the replay, so each replay has
the real story structure, and makes replays unrelated, so their stories are different
events); its stories are stored as the clusterer would (key = founding article, centroid
= mean of members, publishers, first/last). The other half are one-article stories with
random unit vectors (most stories in real feeds have one article). Stories quiet for two
days are closed. Rows go in by raw SQL in large transactions; vectors are stored as the
pipeline stores them (float16, 768 bytes an article).

Measured on each archive, in a fresh process and database:

- ingest: ``--batches`` batches of 200 new articles (the next real UCI headlines, with
  their real publishers), stored (one ``bulk_create`` a batch: what grows with the archive
  is the indexes' upkeep; the refresh benches time the pipeline's own insert) and assigned by
  ``usecases.stories.assign_stories`` with the real encoder: CPU and wall time per
  article for storing, for encoding and for the rest of assignment (reading the open
  window from the database, clustering, writing);
- front page: ``GET /`` through Django's test client (ranking the top stories, picks and
  sections), median of 7 after one warm-up, with its query count; and the page of the
  biggest open story.

Run:
    .venv/bin/python bench/stories_scale.py --sizes 10000,100000,1000000 \\
        [--database sqlite|postgres://postgres@127.0.0.1:5432/bench] \\
        [--vectors /tmp/uci-vectors.npy] [--json out.json]

The UCI vectors are encoded once and cached in ``--vectors``. PostgreSQL: the named
database is dropped and created again for each size.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
UCI = ROOT.parent / "shared/data/demo/uci-news-aggregator/uci_news_prefix_6366.tsv"
CATEGORY_SECTION = {"b": "business", "t": "technology", "e": "entertainment", "m": "health"}
BATCH = 200
INGEST_RESERVE = 1000  # headlines kept for the ingest measurement (5 batches)
CHUNK = 5000
QUIET = timedelta(days=2)


def corpus() -> list[dict[str, str]]:
    with UCI.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def uci_vectors(cache: str, titles: list[str]) -> np.ndarray:
    from newsstand.core.stories import load_text_encoder

    encoder = load_text_encoder()
    if cache and Path(cache).exists():
        found = np.load(cache)
        # a cache made from other titles (or another order) is not used
        if found.shape == (len(titles), 384) and np.allclose(
            found[:8], encoder.encode(titles[:8]), atol=1e-3
        ):
            return found
    found = encoder.encode(titles)
    if cache:
        np.save(cache, found)
    return found


def rotation(seed: int, size: int = 384) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((size, size)))
    return (q * np.sign(np.diag(r))).astype(np.float32)


# --- building the archive ---------------------------------------------------------------


class Archive:
    """Writes the generated archive with raw SQL."""

    def __init__(self, rows: list[dict[str, str]], vectors: np.ndarray, now: datetime) -> None:
        from django.db import connection

        self.connection = connection
        self.rows = rows
        self.vectors = vectors
        self.now = now
        self.adapt = connection.ops.adapt_datetimefield_value
        self.publishers: dict[str, int] = {}
        self.sections: dict[str, int] = {}

    def execute_many(self, sql: str, params: list[tuple[object, ...]]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, params)

    def ids(self, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            return list(cursor.fetchall())

    def setup(self) -> None:
        from newsstand.sources.models import Publisher, Section

        names = sorted({row["PUBLISHER"] or row["HOSTNAME"] for row in self.rows})
        Publisher.objects.bulk_create(
            [Publisher(name=name[:300], host=f"p{n}.bench.example") for n, name in enumerate(names)]
        )
        self.publishers = {p.name: p.pk for p in Publisher.objects.all()}
        self.sections = dict(Section.objects.values_list("slug", "id"))
        self.singles = Publisher.objects.create(name="Single Stories", host="single.bench.example")

    def publisher_of(self, row: dict[str, str]) -> int:
        return self.publishers[(row["PUBLISHER"] or row["HOSTNAME"])[:300]]

    def build(self, total: int, per_day: int) -> None:
        """``total`` articles, the newest at ``now``, ``per_day`` a day: half UCI replays,
        half one-article stories."""
        from django.db import transaction

        step = timedelta(days=1) / per_day
        start = self.now - step * total
        uci_total = total // 2
        with transaction.atomic():
            self._singles(total - uci_total, start, step * 2)
        done = 0
        counts = self.replay_counts(uci_total)
        for replay, count in enumerate(counts):
            last = replay == len(counts) - 1
            with transaction.atomic():
                self._replay(replay, count, start + step * 2 * done, step * 2, turn=not last)
            done += count
        self.latest_count = counts[-1]

    def replay_counts(self, uci_total: int) -> list[int]:
        """How many headlines each replay has, oldest first: the newest stops short of the
        corpus's end by what the ingest measurement needs, which continues it."""
        last = min(uci_total, len(self.rows) - INGEST_RESERVE)
        remaining = uci_total - last
        full, partial = divmod(remaining, len(self.rows))
        return [c for c in [partial, *[len(self.rows)] * full, last] if c]

    def _article_rows(
        self, items: list[tuple[str, int, int | None, datetime, str]]
    ) -> list[tuple[object, ...]]:
        return [
            (publisher, identity, "", "", title, "[]", "", "", "", "", self.adapt(published),
             self.adapt(published), "en", section, "[]", hashlib.sha256(identity.encode()).hexdigest(), "",
             0, "", "", 0, self.adapt(published))
            for title, publisher, section, published, identity in items
        ]  # fmt: skip

    _ARTICLE_SQL = (
        "INSERT INTO articles_article (publisher_id, identity, guid, url, title, authors, "
        "summary, content, image, comments_url, published_at, first_seen_at, language, "
        "section_id, categories, content_hash, rights, word_count, full_text_state, "
        "full_text_error, full_text_attempts, enriched_at) VALUES "
        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    _STORY_SQL = (
        "INSERT INTO stories_story (key, headline, headline_article_id, first_published, "
        "last_published, article_count, publisher_count, section_id, state, centroid, "
        "publishers, entities, sections, updated_at, pinned, boost, buried, pick, pick_note) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, FALSE, 1.0, FALSE, "
        "FALSE, '')"
    )
    _LINK_SQL = (
        "INSERT INTO stories_storyarticle (article_id, story_id, publisher_id, published_at, "
        "similarity, vector, assigned_at) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )

    def _insert_articles(
        self, items: list[tuple[str, int, int | None, datetime, str]]
    ) -> list[int]:
        for n in range(0, len(items), CHUNK):
            self.execute_many(self._ARTICLE_SQL, self._article_rows(items[n : n + CHUNK]))
        first = items[0][4]
        found = self.ids("SELECT id FROM articles_article WHERE identity = %s", [first])
        base = int(str(found[0][0]))
        return list(range(base, base + len(items)))  # one writer: ids are consecutive

    def _state(self, last: datetime) -> str:
        return "open" if last >= self.now - QUIET else "closed"

    def _singles(self, count: int, start: datetime, step: timedelta) -> None:
        rng = np.random.default_rng(7)
        for n in range(0, count, CHUNK):
            size = min(CHUNK, count - n)
            times = [start + step * (n + i) for i in range(size)]
            items = [
                (f"Single story {n + i}", self.singles.pk, None, times[i], f"single:{n + i}")
                for i in range(size)
            ]
            ids = self._insert_articles(items)
            vectors = rng.standard_normal((size, 384)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            packed = [v.astype("<f2").tobytes() for v in vectors]
            stories = [
                (article_id, title, article_id, self.adapt(t), self.adapt(t), 1, 1, None,
                 self._state(t), packed[i], json.dumps({str(self.singles.pk): 1}), "{}", "{}",
                 self.adapt(self.now))
                for i, (article_id, (title, _, _, t, _)) in enumerate(zip(ids, items, strict=True))
            ]  # fmt: skip
            self.execute_many(self._STORY_SQL, stories)
            keys = {int(str(k)): int(str(i)) for k, i in self.ids(
                "SELECT key, id FROM stories_story WHERE key >= %s AND key <= %s", [ids[0], ids[-1]]
            )}  # fmt: skip
            links = [
                (article_id, keys[article_id], self.singles.pk, self.adapt(times[i]), 1.0,
                 packed[i], self.adapt(self.now))
                for i, article_id in enumerate(ids)
            ]  # fmt: skip
            self.execute_many(self._LINK_SQL, links)

    def _replay(
        self, replay: int, count: int, start: datetime, step: timedelta, *, turn: bool
    ) -> None:
        """One replay of the corpus's first ``count`` headlines; all but the newest replay
        are turned by their own rotation (the newest is left as encoded, so the ingest's
        real headlines continue its stories)."""
        rows = self.rows[:count]
        vectors = self.vectors[:count] @ rotation(1000 + replay) if turn else self.vectors[:count]
        times = [start + step * i for i in range(count)]
        items = [
            (row["TITLE"], self.publisher_of(row), self.sections.get(CATEGORY_SECTION[row["CATEGORY"]]),
             times[i], f"uci:{replay}:{row['ID']}")
            for i, row in enumerate(rows)
        ]  # fmt: skip
        ids = self._insert_articles(items)
        members: defaultdict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(rows):
            members[row["STORY"]].append(i)
        stories = []
        for indexes in members.values():
            centroid = vectors[indexes].mean(axis=0)
            publishers = Counter(str(items[i][1]) for i in indexes)
            sections = Counter(str(items[i][2]) for i in indexes if items[i][2])
            first, last = times[indexes[0]], times[indexes[-1]]
            section = int(sections.most_common(1)[0][0]) if sections else None
            stories.append(
                (ids[indexes[0]], items[indexes[0]][0], ids[indexes[0]], self.adapt(first),
                 self.adapt(last), len(indexes), len(publishers), section, self._state(last),
                 centroid.astype("<f2").tobytes(), json.dumps(publishers), "{}",
                 json.dumps(sections), self.adapt(self.now))
            )  # fmt: skip
        self.execute_many(self._STORY_SQL, stories)
        keys = {int(str(k)): int(str(i)) for k, i in self.ids(
            "SELECT key, id FROM stories_story WHERE key >= %s AND key <= %s", [ids[0], ids[-1]]
        )}  # fmt: skip
        links = []
        for indexes in members.values():
            story = keys[ids[indexes[0]]]
            for i in indexes:
                links.append(
                    (ids[i], story, items[i][1], self.adapt(times[i]), 1.0,
                     vectors[i].astype("<f2").tobytes(), self.adapt(self.now))
                )  # fmt: skip
        self.execute_many(self._LINK_SQL, links)


# --- measuring ----------------------------------------------------------------------------


class TimedEncoder:
    """The real encoder, with the time it spends counted (to split encoding from the rest)."""

    def __init__(self) -> None:
        from newsstand.core.stories import load_text_encoder

        self.inner = load_text_encoder()
        self.cpu = 0.0
        self.wall = 0.0

    @property
    def dimensions(self) -> int:
        return int(self.inner.dimensions)

    def encode(self, texts):  # type: ignore[no-untyped-def]
        cpu, wall = time.process_time(), time.perf_counter()
        found = self.inner.encode(texts)
        self.cpu += time.process_time() - cpu
        self.wall += time.perf_counter() - wall
        return found


def new_articles(archive: Archive, start: int, now: datetime) -> list[object]:
    """The next BATCH real headlines as unsaved articles, published in the last minutes."""
    from newsstand.articles.models import Article

    return [
        Article(
            publisher_id=archive.publisher_of(row),
            identity=f"guid:new:{start + n}",
            guid=f"new:{start + n}",
            url=f"https://bench.example/{start + n}",
            title=row["TITLE"],
            published_at=now - timedelta(seconds=BATCH - n),
            first_seen_at=now,
            enriched_at=now,
            language="en",
            section_id=archive.sections.get(CATEGORY_SECTION[row["CATEGORY"]]),
            content_hash=hashlib.sha256(f"new:{start + n}".encode()).hexdigest(),
        )
        for n, row in enumerate(archive.rows[start : start + BATCH])
    ]


def measure_ingest(archive: Archive, batches: int) -> dict[str, float]:
    from django.db import transaction
    from django.utils import timezone

    from newsstand.articles.models import Article
    from newsstand.usecases.stories import assign_stories

    encoder = TimedEncoder()
    encoder.encode(["warm up"])
    encoder.cpu = encoder.wall = 0.0
    store_cpu = store_wall = assign_cpu = assign_wall = 0.0
    articles = joined = 0
    start = archive.latest_count  # the headlines that follow the newest replay's
    for batch in range(batches):
        now = timezone.now()
        fresh = new_articles(archive, start + batch * BATCH, now)
        cpu, wall = time.process_time(), time.perf_counter()
        with transaction.atomic():
            stored = Article.objects.bulk_create(fresh)  # type: ignore[arg-type]
        store_cpu += time.process_time() - cpu
        store_wall += time.perf_counter() - wall
        cpu, wall = time.process_time(), time.perf_counter()
        report = assign_stories([a.pk for a in stored], now=now, encoder=encoder)
        joined += report.joined
        assign_cpu += time.process_time() - cpu
        assign_wall += time.perf_counter() - wall
        articles += len(stored)
    ms = 1000.0 / articles
    return {
        "articles": articles,
        "joined": joined,  # new articles that joined a stored story
        "store_cpu_ms": store_cpu * ms,
        "store_wall_ms": store_wall * ms,
        "encode_cpu_ms": encoder.cpu * ms,
        "encode_wall_ms": encoder.wall * ms,
        "assign_rest_cpu_ms": (assign_cpu - encoder.cpu) * ms,
        "assign_rest_wall_ms": (assign_wall - encoder.wall) * ms,
    }


def measure_page(path: str, repeat: int = 7) -> dict[str, float]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="localhost")  # an allowed host
    assert client.get(path).status_code == 200  # warm-up
    cpus, walls = [], []
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        assert response.status_code == 200
    return {
        "cpu_ms": statistics.median(cpus) * 1000,
        "wall_ms": statistics.median(walls) * 1000,
        "queries": len(queries),
    }


def measure_call(call, repeat: int = 7) -> float:  # type: ignore[no-untyped-def]
    """Median CPU milliseconds of ``call()``."""
    times = []
    for _ in range(repeat):
        cpu = time.process_time()
        call()
        times.append(time.process_time() - cpu)
    return statistics.median(times) * 1000


def run_one(size: int, per_day: int, batches: int, vectors_cache: str) -> dict[str, object]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from newsstand.articles.queries import article_count
    from newsstand.stories.models import Story, StoryState

    call_command("migrate", interactive=False, verbosity=0)
    rows = corpus()
    vectors = uci_vectors(vectors_cache, [row["TITLE"] for row in rows])
    archive = Archive(rows, vectors, timezone.now())
    archive.setup()
    cpu, wall = time.process_time(), time.perf_counter()
    archive.build(size, per_day)
    built = {"build_cpu_s": time.process_time() - cpu, "build_wall_s": time.perf_counter() - wall}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # both databases: statistics as a long-running one has them
    open_stories = Story.objects.filter(state=StoryState.OPEN).count()
    result: dict[str, object] = {
        "size": size,
        "database": connection.vendor,
        "stories": Story.objects.count(),
        "open_stories": open_stories,
        **built,
    }
    result["ingest"] = measure_ingest(archive, batches)
    result["front_page"] = measure_page("/")
    result["article_count_ms"] = measure_call(article_count)
    biggest = Story.objects.filter(state=StoryState.OPEN).order_by("-article_count").first()
    assert biggest is not None
    result["story_page"] = measure_page(f"/story/{biggest.pk}/")
    result["top_page"] = measure_page("/top/")
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        files = [name, name.with_name(name.name + "-wal")]  # WAL mode: recent pages are there
        result["database_mb"] = sum(f.stat().st_size for f in files if f.exists()) / 1e6
    return result


def reset_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--per-day", type=int, default=5000)
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--database", default="sqlite", help="sqlite or a postgres:// URL")
    parser.add_argument("--vectors", default="/tmp/uci-vectors.npy")
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.per_day, args.batches, args.vectors)))
        return
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}")  # fmt: skip
    print("$ " + " ".join([Path(sys.executable).name, *sys.argv]), flush=True)
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(prefix="stories-scale-") as folder:
            env = dict(os.environ, DJANGO_SETTINGS_MODULE="newsstand.settings",
                       NEWSSTAND_DATA_DIR=folder, OPENBLAS_NUM_THREADS="1",
                       OMP_NUM_THREADS="1")  # fmt: skip
            if args.database == "sqlite":
                env["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
            else:
                reset_postgres(args.database)
                env["DATABASE_URL"] = args.database
            command = [sys.executable, __file__, "--one", str(size), "--per-day",
                       str(args.per_day), "--batches", str(args.batches), "--vectors", args.vectors]  # fmt: skip
            out = subprocess.run(command, env=env, check=False, capture_output=True, text=True)
            if out.returncode:
                sys.exit(f"size {size} failed:\n{out.stderr[-4000:]}")
            result = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(result)
        report(result)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    failed = check(results)
    for problem in failed:
        print("CHECK FAILED:", problem)
    sys.exit(1 if failed else 0)


def check(results: list[dict[str, object]]) -> list[str]:
    """What must hold for the figures to mean anything."""
    problems = []
    for r in results:
        ingest = r["ingest"]
        assert isinstance(ingest, dict)
        if ingest["joined"] < ingest["articles"] / 2:
            problems.append(f"{r['size']}: only {ingest['joined']} new articles joined a story")
    if len({r["open_stories"] for r in results}) > 1:
        problems.append("the open window differs between sizes")
    return problems


def report(r: dict[str, object]) -> None:
    ingest, front, story, top = r["ingest"], r["front_page"], r["story_page"], r["top_page"]
    assert isinstance(ingest, dict) and isinstance(front, dict)
    assert isinstance(story, dict) and isinstance(top, dict)
    print(
        f"{r['size']:>9,} articles ({r['database']}, {r['stories']:,} stories, "
        f"{r['open_stories']:,} open; built in {r['build_wall_s']:.0f} s"
        + (f", {r['database_mb']:.0f} MB" if "database_mb" in r else "")
        + ")\n"
        f"  ingest of {ingest['articles']} articles ({ingest['joined']} joined stored stories), per article: store {ingest['store_cpu_ms']:.2f} ms CPU "
        f"({ingest['store_wall_ms']:.2f} wall), encode {ingest['encode_cpu_ms']:.1f} ms CPU "
        f"({ingest['encode_wall_ms']:.1f} wall), assign without encoding "
        f"{ingest['assign_rest_cpu_ms']:.2f} ms CPU ({ingest['assign_rest_wall_ms']:.2f} wall)\n"
        f"  front page {front['cpu_ms']:.1f} ms CPU ({front['wall_ms']:.1f} wall, "
        f"{front['queries']} queries, of which the footer's article count "
        f"{r['article_count_ms']:.1f} ms); top stories {top['cpu_ms']:.1f} ms CPU "
        f"({top['wall_ms']:.1f} wall); biggest story page {story['cpu_ms']:.1f} ms CPU "
        f"({story['wall_ms']:.1f} wall, {story['queries']} queries)",
        flush=True,
    )


if __name__ == "__main__":
    main()

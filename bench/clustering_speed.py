"""Story clustering speed and memory: assignment in a 50,000-article window, encoding, end to end.

1. Assignment, given the article's vector: median and p95 wall/CPU time of
   ``StoryClusterer.assign`` with 10,000 and 50,000 articles in the open window. The window
   is made of real headlines: the 6,366 UCI headlines' MiniLM vectors, copied 8 times, each
   copy turned by its own random rotation of the 384-d space (a rotation keeps every cosine
   within a copy, so each copy has the real story structure, and makes the copies unrelated
   to each other, so they are different stories), times spread over the 3-day window. The
   timed articles are 500 held-out rotated headlines. The worst case is timed too: a window
   of 50,000 open one-article stories.
2. Encoding: MiniLM int8 (ONNX Runtime, what the pipeline uses) and the numpy float32
   reference, on the UCI headlines, one at a time and in batches, 1 and 2 encoder threads,
   headlines per CPU second and per wall second.
3. End to end: ``newsstand cluster`` on the 6,366 UCI headlines (shuffled), wall and CPU,
   with an empty model cache and then with the cached int8 model.
4. Memory: peak traced memory (tracemalloc, numpy included) of the clusterer holding a
   window of 10,000 and 50,000 articles, and streaming 25 rotated copies (159,150 articles,
   one day each) with ``close_quiet``: memory follows the window, not the archive.

Run: ``.venv/bin/python bench/clustering_speed.py [--vectors /tmp/uci-vectors.npy]``
(the file caches the UCI vectors between runs).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from newsstand.core.stories import ArticleSignal, StoryClusterer, StorySnapshot
from newsstand.core.stories.encoder import MiniLMEncoder, load_text_encoder, model_dir

ROOT = Path(__file__).resolve().parents[1]
UCI = ROOT.parent / "shared/data/demo/uci-news-aggregator/uci_news_prefix_6366.tsv"
T0 = datetime(2014, 3, 10, tzinfo=UTC)
# `newsstand cluster` run through its entry point, then the process's own peak RSS (VmHWM:
# ru_maxrss of a child would count the memory of this process, forked before the exec)
PEAK_OF_CLUSTER = (
    "import sys\n"
    "from newsstand.cli import main\n"
    "code = main(['cluster'])\n"
    "status = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
    "print(f'{int(status) / 1024:.0f} MiB', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def headlines() -> list[dict[str, str]]:
    with UCI.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def vectors(cache: str | None, titles: list[str]) -> np.ndarray:
    if cache and Path(cache).exists():
        return np.load(cache)
    found = load_text_encoder().encode(titles)
    if cache:
        np.save(cache, found)
    return found


def rotation(seed: int, size: int = 384) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(size, size)))
    return (q * np.sign(np.diag(r))).astype(np.float32)


def window_articles(base: np.ndarray, copies: int, span: timedelta) -> list[ArticleSignal]:
    """``copies`` rotated copies of the headlines, in a shuffled order, times over ``span``."""
    rows = []
    for copy in range(copies):
        turned = base @ rotation(copy)
        rows.extend((copy, i, turned[i]) for i in range(len(base)))
    random.Random(1).shuffle(rows)
    step = span / len(rows)
    return [
        ArticleSignal(f"{c}-{i}", "", "", T0 + n * step, vector=v)
        for n, (c, i, v) in enumerate(rows)
    ]


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"median {statistics.median(ordered) * 1e3:.2f} ms, p95 {p95 * 1e3:.2f} ms"


def time_assignments(clusterer: StoryClusterer, probes: list[ArticleSignal]) -> str:
    walls, cpus, joined = [], [], 0
    for article in probes:
        w, c = time.perf_counter(), time.process_time()
        joined += not clusterer.assign(article).created
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return f"wall {percentiles(walls)}; CPU {percentiles(cpus)}; {joined} of {len(probes)} joined"


def bench_assignment(base: np.ndarray) -> None:
    chosen = np.zeros(len(base), dtype=bool)
    chosen[np.random.default_rng(2).choice(len(base), 500, replace=False)] = True
    held_out = base[chosen] @ rotation(0)  # headlines of copy 0's stories, not in the window
    for size in (10_000, 50_000):
        copies = -(-size // int((~chosen).sum()))
        articles = window_articles(base[~chosen], copies, timedelta(days=2))[:size]
        clusterer = StoryClusterer()
        clusterer.assign_many(articles)
        last = articles[-1].published
        probes = [
            ArticleSignal(f"p{i}", "", "", last + timedelta(seconds=i), vector=v)
            for i, v in enumerate(held_out)
        ]
        print(
            f"assign, {size:,} articles in {len(clusterer):,} open stories: "
            + time_assignments(clusterer, probes),
            flush=True,
        )
    rng = np.random.default_rng(5)
    singles = rng.normal(size=(50_000, 384)).astype(np.float32)
    singles /= np.linalg.norm(singles, axis=1, keepdims=True)
    snapshots = [
        StorySnapshot(i, v, 1, {}, {}, T0, T0 + timedelta(hours=1)) for i, v in enumerate(singles)
    ]
    worst = StoryClusterer(stories=snapshots)
    held_out = base[chosen] @ rotation(99)
    probes = [
        ArticleSignal(f"p{i}", "", "", T0 + timedelta(hours=2), vector=v)
        for i, v in enumerate(held_out)
    ]
    print(
        "assign, worst case 50,000 open one-article stories: " + time_assignments(worst, probes),
        flush=True,
    )


def bench_encoding(titles: list[str]) -> None:
    """The int8 encoder the pipeline uses against the numpy float32 reference."""
    sample = titles[:1000]
    kinds = {
        "int8 (ONNX Runtime)": lambda threads: load_text_encoder(threads),
        "float32 (numpy reference)": lambda threads: MiniLMEncoder(model_dir(), threads=threads),
    }
    for kind, make in kinds.items():
        single = make(1)
        walls, cpus = [], []
        for title in sample[:200]:
            w, c = time.perf_counter(), time.process_time()
            single.encode([title])
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
        print(
            f"{kind}: encode one headline at a time: wall {percentiles(walls)}; "
            f"CPU {percentiles(cpus)}",
            flush=True,
        )
        for threads in (1, 2):
            encoder = make(threads)
            w, c = time.perf_counter(), time.process_time()
            encoder.encode(sample)
            wall, cpu = time.perf_counter() - w, time.process_time() - c
            print(
                f"{kind}: encode 1,000 headlines in batches, {threads} thread(s): {wall:.2f} s "
                f"wall ({len(sample) / wall:.0f}/s), {cpu:.2f} s CPU ({len(sample) / cpu:.0f}/CPU-s)",
                flush=True,
            )


def bench_end_to_end(rows: list[dict[str, str]]) -> None:
    """Twice: first with an empty model cache (the int8 model is built and quantised, ~2 s),
    then with the cache that run left, as every later run finds it."""
    shuffled = rows[:]
    random.Random(0).shuffle(shuffled)
    lines = "".join(
        json.dumps({"id": int(r["ID"]), "title": r["TITLE"], "publisher": r["PUBLISHER"]}) + "\n"
        for r in shuffled
    )
    with tempfile.TemporaryDirectory(prefix="newsstand-cache-") as cache:
        for label in ("empty model cache", "model cached"):
            env = dict(os.environ, XDG_CACHE_HOME=cache)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            w = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-c", PEAK_OF_CLUSTER],
                input=lines,
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            wall = time.perf_counter() - w
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            stories = len({json.loads(line)["story"] for line in proc.stdout.splitlines()})
            peak = proc.stderr.strip().splitlines()[-1]
            print(
                f"newsstand cluster, 6,366 UCI headlines end to end ({label}): {wall:.1f} s wall, "
                f"{cpu:.1f} s CPU, {stories} stories, peak RSS {peak}",
                flush=True,
            )


def bench_memory(base: np.ndarray) -> None:
    """Traced memory (numpy included) that the clusterer holds once its input is gone."""
    for size in (10_000, 50_000):
        copies = -(-size // len(base))
        articles = window_articles(base, copies, timedelta(days=2))[:size]
        tracemalloc.start()
        clusterer = StoryClusterer()
        clusterer.assign_many(articles)
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"memory, window of {size:,} articles ({len(clusterer):,} stories): "
            f"held {held / 2**20:.1f} MiB, peak {peak / 2**20:.1f} MiB",
            flush=True,
        )
        del clusterer, articles
    tracemalloc.start()
    clusterer = StoryClusterer()
    total = held_most = stories_most = 0
    for day in range(25):
        turned = base @ rotation(1000 + day)
        start = T0 + timedelta(days=day)
        step = timedelta(days=1) / len(base)
        batch = [
            ArticleSignal(f"{day}-{i}", "", "", start + i * step, vector=turned[i])
            for i in range(len(base))
        ]
        clusterer.assign_many(batch)
        clusterer.close_quiet(start + timedelta(days=1))
        total += len(batch)
        del batch, turned
        held_most = max(held_most, tracemalloc.get_traced_memory()[0])
        stories_most = max(stories_most, len(clusterer))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"memory, {total:,} articles streamed, one rotated copy of the headlines a day for 25 "
        f"days, close_quiet daily (at most {stories_most:,} stories open): held at most "
        f"{held_most / 2**20:.1f} MiB, peak {peak / 2**20:.1f} MiB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", help="cache file (.npy) for the UCI headline vectors")
    parser.add_argument("--skip", default="", help="comma list: assign,encode,e2e,memory")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    rows = headlines()
    titles = [r["TITLE"] for r in rows]
    base = vectors(args.vectors, titles)
    if "assign" not in skip:
        bench_assignment(base)
    if "encode" not in skip:
        bench_encoding(titles)
    if "memory" not in skip:
        bench_memory(base)
    if "e2e" not in skip:
        bench_end_to_end(rows)


if __name__ == "__main__":
    main()

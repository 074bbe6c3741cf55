"""Parsing and normalising on every core: a process pool for the pure part of a refresh.

Parsing and normalising are pure CPU work (newsstand.core.ingest) and hold the GIL, so
a refresh batch of many changed feeds sends them to worker processes while this process
stores what comes back. Small batches stay inline (few documents, or few bytes in all:
a round of the demo's three-item feeds): a pool costs more than it saves there.
Workers are started with "spawn": they import only the core, never Django or a database
connection. They run at a lower CPU priority (``WORKER_NICENESS``): the process that stores
what they return is the refresh's critical path, and in the embedded ``newsstand run`` the
web server shares the machine with them.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from newsstand.core.errors import NewsstandError
from newsstand.core.ingest import PreparedFeed, PrepareJob, prepare_or_error

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
# Added to the workers' niceness (POSIX; 19 at most). With parsing at the writer's
# priority, three busy processes shared two cores evenly and the writer, which the others
# wait on, ran at two thirds of a core. Measured on round 1 of bench/refresh_throughput.py
# (`newsstand refresh`, 2 cores, runs taking turns): 5.4-6.0 s at 0, 5.2-5.6 s at 5,
# 5.05-5.25 s at 10, 5.1-5.3 s at 19; 10 won each of five pairs against 0.
WORKER_NICENESS = 10


def _lower_priority() -> None:
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)


def _shared_pool(workers: int) -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_lower_priority,
            )
            atexit.register(_pool.shutdown, cancel_futures=True)
        return _pool


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def prepare_all(
    jobs: Sequence[PrepareJob], *, workers: int, min_jobs: int = 16, min_bytes: int = 0
) -> Iterator[PreparedFeed | NewsstandError]:
    """Prepare every job, in order; in worker processes when there are enough of them.

    Enough: ``min_jobs`` documents or more, ``min_bytes`` or more in all. Below that the
    pool's start (each worker imports the parsers) and its memory (about 40 MiB a worker,
    kept while the process lives) cost more than parsing inline.
    """
    if workers <= 1 or len(jobs) < min_jobs or sum(len(j.body) for j in jobs) < min_bytes:
        return (prepare_or_error(job) for job in jobs)
    chunk = max(1, min(8, len(jobs) // (workers * 4)))
    return _shared_pool(workers).map(prepare_or_error, jobs, chunksize=chunk)

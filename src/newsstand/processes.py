"""The long-running parts a command starts: the web server, task workers, the scheduler.

Composition: the embedded ``newsstand run`` starts all three in one process (workers and
the scheduler as threads); ``newsstand web``, ``worker`` and ``scheduler`` start one each.
The task engine's own worker is named here only (django-tasks-db's ``Worker``), so another
engine changes this module and not the commands.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading

log = logging.getLogger("newsstand")


def serve_web(address: str, port: int) -> None:
    """Serve the WSGI app with granian until interrupted (blocks the main thread)."""
    from django.db import connections
    from granian import Granian
    from granian.constants import Interfaces

    connections.close_all()  # the web worker process opens its own connections
    # A new interpreter, not a fork: a fork inherits the SQLite connections of the embedded
    # worker threads, which SQLite forbids; the web worker's own connection then failed with
    # "database disk image is malformed" (seen in the demo while stories were assigned).
    multiprocessing.set_start_method("spawn", force=True)
    print(f"Newsstand is serving at http://{address}:{port}/", flush=True)
    Granian(
        "newsstand.wsgi:application",
        address=address,
        port=port,
        interface=Interfaces.WSGI,
        workers=1,
        blocking_threads=4,
        log_access=False,
    ).serve()


class Scheduler(threading.Thread):
    """Enqueues the tasks the due work needs every tick."""

    def __init__(self, tick: float) -> None:
        super().__init__(name="newsstand-scheduler", daemon=True)
        self.tick = tick
        self.stopping = threading.Event()

    def run(self) -> None:
        from django.db import close_old_connections
        from django.utils import timezone

        from newsstand.configuration import configuration
        from newsstand.tasks.queues import task_queue
        from newsstand.usecases.scheduling import schedule_tick

        config = configuration().scheduling
        queue = task_queue()
        while not self.stopping.is_set():
            close_old_connections()
            try:
                enqueued = schedule_tick(queue, now=timezone.now(), config=config)
                if enqueued:
                    log.info("scheduler: enqueued %d refresh task(s)", enqueued)
            except Exception:
                log.exception("scheduler tick failed; trying again next tick")
            self.stopping.wait(self.tick)


def run_scheduler(tick: float) -> None:
    """The scheduler in the foreground until interrupted (``newsstand scheduler``)."""
    scheduler = Scheduler(tick)
    scheduler.start()
    try:
        while scheduler.is_alive():
            scheduler.join(timeout=1)
    except KeyboardInterrupt:
        scheduler.stopping.set()


def run_task_worker() -> None:
    """A task worker in the foreground, taking every queue (``newsstand worker``)."""
    from django.core.management import call_command

    call_command("db_worker", queue_name="*", interval=1.0)  # a comma-separated list


def _task_worker_thread(worker_id: str, queues: list[str], excluded: list[str]) -> threading.Thread:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=queues,
        interval=1.0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=excluded,
    )
    return threading.Thread(target=worker.run, name=worker_id, daemon=True)


def start_background(threads: int, tick: float) -> None:
    """Task workers and the scheduler as threads of this process (the embedded mode).

    With two threads or more, the first serves the enrich queue alone (sections, stories)
    and the others every other queue, so fetching and making articles readable go on side
    by side: a first refresh of a thousand feeds no longer holds back the first stories
    (the demo on a 2-core machine: docs/demo.md). One thread serves every queue."""
    from newsstand.tasks import ENRICH_QUEUE

    for n in range(threads):
        excluded: list[str]
        if threads == 1:
            queues, excluded = ["*"], []
        elif n == 0:
            queues, excluded = [ENRICH_QUEUE], []
        else:
            queues, excluded = ["*"], [ENRICH_QUEUE]
        _task_worker_thread(f"embedded-{n + 1}", queues, excluded).start()
    Scheduler(tick).start()

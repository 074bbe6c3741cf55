"""What each `newsstand` command does (composition: wires use cases to processes)."""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

log = logging.getLogger("newsstand")


# --- processes ----------------------------------------------------------------------


def migrate() -> None:
    """Apply migrations: the server commands (run, web, demo) do this on every start."""
    call_command("migrate", interactive=False, verbosity=0)


def ensure_database() -> None:
    """For one-off commands: create the schema of a new database, else leave it to the
    servers' start (checking every migration costs half a second a command)."""
    from django.db import connection

    from newsstand.sources.models import Feed

    if Feed._meta.db_table not in connection.introspection.table_names():
        migrate()


def _bind(args: argparse.Namespace) -> tuple[str, int]:
    bind = getattr(args, "bind", None) or settings.NEWSSTAND.bind
    host, _, port = bind.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


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
    """Enqueues refresh tasks for due feeds every tick."""

    def __init__(self, tick: float) -> None:
        super().__init__(name="newsstand-scheduler", daemon=True)
        self.tick = tick
        self.stopping = threading.Event()

    def run(self) -> None:
        from django.db import close_old_connections

        from newsstand.usecases.scheduling import schedule_tick

        while not self.stopping.is_set():
            close_old_connections()
            try:
                enqueued = schedule_tick()
                if enqueued:
                    log.info("scheduler: enqueued %d refresh task(s)", enqueued)
            except Exception:
                log.exception("scheduler tick failed; trying again next tick")
            self.stopping.wait(self.tick)


def _task_worker(worker_id: str) -> threading.Thread:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=1.0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    return threading.Thread(target=worker.run, name=worker_id, daemon=True)


def start_background(threads: int) -> None:
    """Task workers and the scheduler as threads of this process (the embedded mode)."""
    for n in range(threads):
        _task_worker(f"embedded-{n + 1}").start()
    Scheduler(settings.NEWSSTAND.scheduler_tick).start()


def offer_default_feeds() -> None:
    from newsstand.sources.models import Feed
    from newsstand.usecases.subscribe import default_opml, import_opml

    if Feed.objects.exists():
        return
    if not sys.stdin.isatty():
        print(
            "No feeds yet. Subscribe to the curated list of public feeds with "
            "`newsstand import-opml --default`, or add your own with `newsstand add-feed URL`."
        )
        return
    answer = input("No feeds yet. Subscribe to the curated list of 100+ public feeds? [Y/n] ")
    if answer.strip().lower() in {"", "y", "yes"}:
        report = import_opml(default_opml())
        print(f"Subscribed to {report.added} feeds.")


# --- commands -----------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    migrate()
    offer_default_feeds()
    start_background(settings.NEWSSTAND.worker_threads)
    serve_web(*_bind(args))
    return 0


def web(args: argparse.Namespace) -> int:
    migrate()
    serve_web(*_bind(args))
    return 0


def worker(args: argparse.Namespace) -> int:
    call_command("db_worker", queue_name="*", interval=1.0)  # a comma-separated list
    return 0


def scheduler(args: argparse.Namespace) -> int:
    scheduler = Scheduler(settings.NEWSSTAND.scheduler_tick)
    scheduler.start()
    try:
        while scheduler.is_alive():
            time.sleep(1)
    except KeyboardInterrupt:
        scheduler.stopping.set()
    return 0


def add_feed(args: argparse.Namespace) -> int:
    from newsstand.core.errors import NewsstandError
    from newsstand.usecases.subscribe import add_feed as subscribe

    ensure_database()
    try:
        feed, created = subscribe(args.url, title=args.title, section=args.section)
    except NewsstandError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    print(f"{'Added' if created else 'Already subscribed:'} feed {feed.pk} {feed.url}")
    return 0


def import_opml(args: argparse.Namespace) -> int:
    from newsstand.core.errors import NewsstandError
    from newsstand.usecases import subscribe

    ensure_database()
    try:
        if args.default:
            report = subscribe.import_opml(subscribe.default_opml())
        elif args.source.startswith(("http://", "https://")):
            report = subscribe.import_opml_url(args.source)
        else:
            report = subscribe.import_opml(Path(args.source).read_bytes())
    except (NewsstandError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Added {report.added} feeds ({report.existing} already subscribed).")
    for reason in report.skipped:
        print(f"skipped: {reason}")
    if report.truncated:
        print("The document has more outlines than one import takes; the rest were ignored.")
    return 0


def export_opml(args: argparse.Namespace) -> int:
    from newsstand.usecases.subscribe import export_opml as render

    ensure_database()
    data = render()
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def refresh(args: argparse.Namespace) -> int:
    from newsstand.usecases.refresh import refresh_all, refresh_feeds

    ensure_database()
    report = refresh_feeds(args.feed) if args.feed else refresh_all()
    print(json.dumps(report.summary()))
    return 0


def recluster(args: argparse.Namespace) -> int:
    import dataclasses

    from django.utils import timezone

    from newsstand.usecases.stories import recluster_window

    ensure_database()
    report = recluster_window(args.since, args.until or timezone.now())
    print(json.dumps(dataclasses.asdict(report)))
    return 0


def extract(args: argparse.Namespace) -> int:
    from newsstand.usecases.extract_cli import extract_command

    return extract_command(args.source, args.url, sys.stdout)


def classify(args: argparse.Namespace) -> int:
    from newsstand.sources.models import Section
    from newsstand.usecases.classify_cli import classify_lines
    from newsstand.usecases.enrich import section_classifier

    ensure_database()
    slugs = set(Section.objects.values_list("slug", flat=True))
    return classify_lines(
        sys.stdin, sys.stdout, classifier=section_classifier(), sections=slugs or None
    )


def demo(args: argparse.Namespace) -> int:
    from newsstand.demo.launch import start_demo

    migrate()
    start_demo(speed=args.speed, pages=args.pages)
    start_background(settings.NEWSSTAND.worker_threads)
    serve_web(*_bind(args))
    return 0

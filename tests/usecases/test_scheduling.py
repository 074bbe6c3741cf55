"""The scheduler's tick enqueues enough tasks for the due work, and never more."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from newsstand.tasks.queues import task_queue
from newsstand.usecases.scheduling import Job, SchedulingConfig, schedule_tick
from newsstand.usecases.subscribe import add_feed

pytestmark = pytest.mark.django_db


def queued(name: str) -> int:
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path__endswith=name
    ).count()


def test_due_feeds_get_refresh_tasks_once(now):
    for n in range(5):
        add_feed(f"https://p{n}.example/feed.xml")
    small = SchedulingConfig(refresh_batch=2)
    # ceil(5 / 2) refresh tasks, the daily training
    assert schedule_tick(task_queue(), now=now, config=small) == 3 + 1
    assert queued("refresh_due_feeds") == 3
    assert schedule_tick(task_queue(), now=now, config=small) == 0  # already covered
    assert queued("refresh_due_feeds") == 3


def test_nothing_due_means_nothing_enqueued(now):
    feed, _ = add_feed("https://p.example/feed.xml")
    feed.next_fetch_at = timezone.now() + timezone.timedelta(hours=1)
    feed.save()
    # only the daily training of the section model
    assert schedule_tick(task_queue(), now=now, config=SchedulingConfig()) == 1
    assert queued("refresh_due_feeds") == 0


class FakeQueue:
    """Another engine, as the scheduler sees it: what waits, and when each job was enqueued."""

    def __init__(self) -> None:
        self.waiting_jobs: Counter[Job] = Counter()
        self.enqueued_at: dict[Job, datetime] = {}
        self.now = datetime(2026, 3, 1, tzinfo=UTC)

    def waiting(self, job: Job) -> int:
        return self.waiting_jobs[job]

    def enqueued_since(self, job: Job, since: datetime) -> bool:
        return job in self.enqueued_at and self.enqueued_at[job] >= since

    def enqueue(self, job: Job) -> None:
        self.waiting_jobs[job] += 1
        self.enqueued_at[job] = self.now


def test_any_engine_answering_three_questions_can_serve_the_scheduler():
    for n in range(5):
        add_feed(f"https://p{n}.example/feed.xml")
    queue = FakeQueue()
    config = SchedulingConfig(refresh_batch=2, train_every=timedelta(hours=1))
    assert schedule_tick(queue, now=queue.now, config=config) == 3 + 1
    assert queue.waiting_jobs == Counter({Job.REFRESH: 3, Job.TRAIN: 1})
    queue.waiting_jobs[Job.REFRESH] = 1  # two were taken by workers
    later = queue.now + timedelta(minutes=30)
    assert schedule_tick(queue, now=later, config=config) == 2  # training ran 30 min ago
    queue.now = later = queue.now + timedelta(hours=2)
    assert schedule_tick(queue, now=later, config=config) == 1  # training due again

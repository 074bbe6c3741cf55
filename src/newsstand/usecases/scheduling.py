"""The scheduler's tick: enqueue enough tasks to cover the work that is due.

Work is counted in the database (due feeds, due teaser articles, articles not yet
enriched) and covered by batch tasks, minus those already queued, so a tick that finds
the queue full enqueues nothing.

The tick names its background jobs (``Job``) and asks a ``TaskQueue`` how many of each
wait and whether one was enqueued lately: the task engine (django-tasks-db today, RQ as
the alternative) is the composition root's choice (``newsstand.tasks.queues``), and this
module knows none of its models.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from newsstand.articles.claims import pending_count as due_article_count
from newsstand.articles.models import Article
from newsstand.articles.pictures import pending_count as due_picture_count
from newsstand.sources.claims import pending_count as due_feed_count
from newsstand.usecases.stories import close_quiet_stories, has_pending, has_stories_to_regroup


class Job(StrEnum):
    """The background jobs the scheduler keeps covered (each one task of the engine)."""

    REFRESH = "refresh"  # fetch one batch of due feeds
    EXTRACT = "extract"  # full text of one batch of teaser articles
    ENRICH = "enrich"  # language, section, entities of one batch of articles
    ASSIGN = "assign"  # stories of one batch of enriched articles
    REGROUP = "regroup"  # join the open stories that tell one event
    TRAIN = "train"  # the operator's section model
    PICTURES = "pictures"  # fetch and resize one batch of publishers' pictures


class TaskQueue(Protocol):
    """What the scheduler asks of a task engine; one implementation per engine."""

    def waiting(self, job: Job) -> int:
        """How many tasks of ``job`` are enqueued and not started."""

    def enqueued_since(self, job: Job, since: datetime) -> bool:
        """Whether a task of ``job`` was enqueued at ``since`` or later."""

    def enqueue(self, job: Job) -> None:
        """Enqueue one task of ``job``."""


@dataclass(frozen=True)
class SchedulingConfig:
    """How much work one task of each job takes, and how often the periodic jobs run."""

    refresh_batch: int = 200
    extract_batch: int = 50
    enrich_batch: int = 500
    regroup_every: timedelta = timedelta(minutes=10)  # open stories compared for joining
    train_every: timedelta = timedelta(days=1)
    picture_batch: int = 40  # 0: pictures are not fetched (linked directly, or off)


def schedule_tick(queue: TaskQueue, *, now: datetime, config: SchedulingConfig) -> int:
    """Enqueue the tasks the due work needs; returns how many were enqueued. Closes the
    stories that went quiet on the way."""
    close_quiet_stories(now)
    return (
        _top_up(queue, Job.REFRESH, due=due_feed_count(now), batch=config.refresh_batch)
        + _top_up(queue, Job.EXTRACT, due=due_article_count(now), batch=config.extract_batch)
        + _top_up(
            queue,
            Job.ENRICH,
            due=Article.objects.filter(enriched_at__isnull=True).count(),
            batch=config.enrich_batch,
        )
        + (
            _top_up(queue, Job.PICTURES, due=due_picture_count(now), batch=config.picture_batch)
            if config.picture_batch
            else 0
        )
        # One assignment task at a time: assigners take turns on one lock anyway.
        + _top_up(queue, Job.ASSIGN, due=int(has_pending(now)), batch=1)
        + (
            _at_most_every(queue, Job.REGROUP, config.regroup_every, now)
            if has_stories_to_regroup()
            else 0
        )
        + _at_most_every(queue, Job.TRAIN, config.train_every, now)
    )


def _top_up(queue: TaskQueue, job: Job, *, due: int, batch: int) -> int:
    """Enqueue tasks of ``job`` until those waiting cover ``due`` items, ``batch`` a task."""
    missing = max(0, math.ceil(due / batch) - queue.waiting(job))
    for _ in range(missing):
        queue.enqueue(job)
    return missing


def _at_most_every(queue: TaskQueue, job: Job, period: timedelta, now: datetime) -> int:
    """Enqueue ``job`` unless it was enqueued in the last ``period``."""
    if queue.enqueued_since(job, now - period):
        return 0
    queue.enqueue(job)
    return 1

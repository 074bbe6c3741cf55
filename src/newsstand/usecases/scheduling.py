"""The scheduler's tick: enqueue enough tasks to cover the work that is due.

Work is counted in the database (due feeds, due teaser articles, articles not yet
enriched) and covered by batch tasks, minus those already queued, so a tick that finds
the queue full enqueues nothing.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from newsstand.articles.claims import pending_count as due_article_count
from newsstand.articles.models import Article
from newsstand.sources.claims import pending_count as due_feed_count
from newsstand.usecases.config import RefreshConfig
from newsstand.usecases.fulltext import FullTextConfig
from newsstand.usecases.stories import close_quiet_stories, has_pending, has_stories_to_regroup
from newsstand.usecases.tasks import (
    ENRICH_BATCH,
    assign_new_stories,
    enrich_new_articles,
    extract_pending_articles,
    refresh_due_feeds,
    regroup_stories,
    train_section_model,
)

REGROUP_EVERY = timedelta(minutes=10)  # how often open stories are compared for joining


def _queued(task: Task[Any, Any]) -> int:
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=_path(task)).count()


def _path(task: Task[Any, Any]) -> str:
    return f"{task.func.__module__}.{task.func.__qualname__}"


def _at_most_every(task: Task[Any, Any], period: timedelta, now: datetime) -> int:
    """Enqueue ``task`` unless it was enqueued in the last ``period``."""
    recent = DBTaskResult.objects.filter(task_path=_path(task), enqueued_at__gte=now - period)
    if recent.exists():
        return 0
    task.enqueue()
    return 1


def _top_up(task: Task[Any, Any], *, due: int, batch: int) -> int:
    missing = max(0, math.ceil(due / batch) - _queued(task))
    for _ in range(missing):
        task.enqueue()
    return missing


def schedule_tick(*, now: datetime | None = None, config: RefreshConfig | None = None) -> int:
    """Enqueue the tasks the due work needs; returns how many were enqueued. Closes the
    stories that went quiet on the way."""
    now = now or timezone.now()
    config = config or RefreshConfig.from_settings()
    close_quiet_stories(now)
    return (
        _top_up(refresh_due_feeds, due=due_feed_count(now), batch=config.batch)
        + _top_up(
            extract_pending_articles,
            due=due_article_count(now),
            batch=FullTextConfig.from_settings().batch,
        )
        + _top_up(
            enrich_new_articles,
            due=Article.objects.filter(enriched_at__isnull=True).count(),
            batch=ENRICH_BATCH,
        )
        # One assignment task at a time: assigners take turns on one lock anyway.
        + _top_up(assign_new_stories, due=int(has_pending(now)), batch=1)
        + (_at_most_every(regroup_stories, REGROUP_EVERY, now) if has_stories_to_regroup() else 0)
        + _at_most_every(train_section_model, timedelta(days=1), now)
    )

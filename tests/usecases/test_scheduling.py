"""The scheduler's tick enqueues enough tasks for the due work, and never more."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from newsstand.usecases.scheduling import schedule_tick
from newsstand.usecases.subscribe import add_feed

pytestmark = pytest.mark.django_db


def queued(name: str) -> int:
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path__endswith=name
    ).count()


def test_due_feeds_get_refresh_tasks_once(config):
    for n in range(5):
        add_feed(f"https://p{n}.example/feed.xml")
    small = replace(config, batch=2)
    assert schedule_tick(config=small) == 3 + 1  # ceil(5 / 2) refresh tasks, daily training
    assert queued("refresh_due_feeds") == 3
    assert schedule_tick(config=small) == 0  # already covered
    assert queued("refresh_due_feeds") == 3


def test_nothing_due_means_nothing_enqueued(config):
    feed, _ = add_feed("https://p.example/feed.xml")
    feed.next_fetch_at = timezone.now() + timezone.timedelta(hours=1)
    feed.save()
    assert schedule_tick(config=config) == 1  # only the daily training of the section model
    assert queued("refresh_due_feeds") == 0

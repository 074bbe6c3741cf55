"""The scheduler's tick: enqueue enough refresh tasks for the feeds that are due."""

from __future__ import annotations

import math
from datetime import datetime

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from newsstand.sources.claims import pending_count
from newsstand.usecases.config import RefreshConfig
from newsstand.usecases.tasks import refresh_due_feeds


def _queued_refreshes() -> int:
    path = f"{refresh_due_feeds.func.__module__}.{refresh_due_feeds.func.__qualname__}"
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=path).count()


def schedule_tick(*, now: datetime | None = None, config: RefreshConfig | None = None) -> int:
    """Enqueue refresh tasks for due feeds not yet covered by queued tasks; returns how many."""
    config = config or RefreshConfig.from_settings()
    due = pending_count(now or timezone.now())
    wanted = math.ceil(due / config.batch)
    missing = max(0, wanted - _queued_refreshes())
    for _ in range(missing):
        refresh_due_feeds.enqueue()
    return missing

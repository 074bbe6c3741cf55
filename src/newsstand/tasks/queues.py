"""The scheduler's view of the task engine (``usecases.scheduling.TaskQueue``), per engine.

django-tasks-db keeps its tasks in the database (``DBTaskResult``); another engine (RQ on
Redis) answers the same three questions from its own queues, and ``task_queue`` picks it
by the configured backend.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django_tasks import task_backends
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.backend import DatabaseBackend

from newsstand.tasks import JOBS
from newsstand.usecases.scheduling import Job, TaskQueue


def task_path(task: Task[Any, Any]) -> str:
    """The name the engine stores a task under (its function's module and name)."""
    return f"{task.func.__module__}.{task.func.__qualname__}"


class DatabaseQueue:
    """django-tasks-db: tasks are rows of ``DBTaskResult``."""

    def __init__(self, jobs: dict[Job, Task[Any, Any]]) -> None:
        self.jobs = jobs

    def waiting(self, job: Job) -> int:
        from django_tasks_db.models import DBTaskResult

        path = task_path(self.jobs[job])
        return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=path).count()

    def enqueued_since(self, job: Job, since: datetime) -> bool:
        from django_tasks_db.models import DBTaskResult

        path = task_path(self.jobs[job])
        return DBTaskResult.objects.filter(task_path=path, enqueued_at__gte=since).exists()

    def enqueue(self, job: Job) -> None:
        self.jobs[job].enqueue()


def task_queue(backend: str = "default") -> TaskQueue:
    """The queue of the configured task backend. Raises ``ImproperlyConfigured`` for an
    engine the scheduler cannot ask yet."""
    engine = task_backends[backend]
    if isinstance(engine, DatabaseBackend):
        return DatabaseQueue(JOBS)
    raise ImproperlyConfigured(f"the scheduler cannot count the tasks of {type(engine).__name__}")

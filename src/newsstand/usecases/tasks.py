"""Background work, declared with Django's tasks API (the django-tasks backport).

The scheduler enqueues ``refresh_due_feeds``; any worker, in any process or machine,
runs it. A task claims its feeds itself (see newsstand.sources.claims), so two tasks
running at once never fetch the same feed.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from newsstand.usecases.refresh import RefreshReport, refresh_feeds

FETCH_QUEUE = "fetch"


def _summary(report: RefreshReport) -> dict[str, Any]:
    return {
        "feeds": report.feeds,
        "updated": report.updated,
        "not_modified": report.not_modified,
        "failed": report.failed,
        "new_articles": report.new_articles,
        "errors": dict(report.errors),
    }


@task(queue_name=FETCH_QUEUE)
def refresh_due_feeds() -> dict[str, Any]:
    """Fetch one batch of the most overdue feeds."""
    return _summary(refresh_feeds())


@task(queue_name=FETCH_QUEUE)
def refresh_listed_feeds(feed_ids: list[int]) -> dict[str, Any]:
    """Fetch the given feeds now, due or not (the admin's "refresh now")."""
    return _summary(refresh_feeds(feed_ids))

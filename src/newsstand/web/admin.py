"""Admin actions that call use cases (the data apps below may not import them)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from newsstand.sources.admin import FeedAdmin
from newsstand.sources.models import Feed


@admin.action(description="Refresh now")
def refresh_now(modeladmin: FeedAdmin, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
    """Fetch the chosen feeds now, through the use case the worker runs.

    Runs in the request (bounded by the fetch deadline); feeds a worker holds are skipped.
    """
    from newsstand.usecases.refresh import refresh_feeds  # loaded on use only

    feed_ids = list(queryset.values_list("id", flat=True))
    report = refresh_feeds(feed_ids)
    modeladmin.message_user(
        request,
        f"Refreshed {report.feeds} of {len(feed_ids)} feeds: {report.updated} updated, "
        f"{report.not_modified} not modified, {report.failed} failed, "
        f"{report.new_articles} new articles.",
        messages.WARNING if report.failed else messages.SUCCESS,
    )


class OperatorFeedAdmin(FeedAdmin):
    actions = (refresh_now,)


admin.site.unregister(Feed)
admin.site.register(Feed, OperatorFeedAdmin)

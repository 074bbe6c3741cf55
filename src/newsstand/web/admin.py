"""Admin actions that call use cases (the data apps below may not import them)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from newsstand.sources.admin import FeedAdmin
from newsstand.sources.models import Feed


@admin.action(description="Refresh now")
def refresh_now(modeladmin: FeedAdmin, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
    """Queue a refresh of the chosen feeds for a worker (never fetched inside the request).

    The worker runs the same use case as for due feeds; feeds another worker holds when it
    runs are skipped.
    """
    from newsstand.tasks import refresh_listed_feeds  # loaded on use only

    feed_ids = list(queryset.values_list("id", flat=True))
    refresh_listed_feeds.enqueue(feed_ids)
    count = f"{len(feed_ids)} feed{'s' if len(feed_ids) != 1 else ''}"
    modeladmin.message_user(
        request,
        f"Queued a refresh of {count}: a worker fetches them shortly; "
        "the feed-health page shows the outcome.",
        messages.SUCCESS,
    )


class OperatorFeedAdmin(FeedAdmin):
    actions = (refresh_now,)


admin.site.unregister(Feed)
admin.site.register(Feed, OperatorFeedAdmin)

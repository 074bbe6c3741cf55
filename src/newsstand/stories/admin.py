"""Django admin for stories: editors see each story's score and its parts, and pin,
boost, bury or pick stories with actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from newsstand.core.ranking import StoryScore
from newsstand.stories import queries
from newsstand.stories.models import PublisherWeight, Story

NO_SCORE = "-"
BOOST = 2.0  # what the "boost" action multiplies a story's score by


class ScoredChangeList(ChangeList):
    """The admin's list of stories, each row given its score at the time of the request."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        stories = list(self.result_list)
        scores = queries.scores_of(stories, timezone.now())
        for story in stories:
            story.ranking = scores.get(story.pk)


def _score(story: Story) -> StoryScore | None:
    return getattr(story, "ranking", None)


@admin.action(description="Pin to the top", permissions=["change"])
def pin(modeladmin: StoryAdmin, request: HttpRequest, queryset: QuerySet[Story]) -> None:
    modeladmin.message_user(request, f"Pinned {queryset.update(pinned=True)} stories.")


@admin.action(description="Unpin", permissions=["change"])
def unpin(modeladmin: StoryAdmin, request: HttpRequest, queryset: QuerySet[Story]) -> None:
    modeladmin.message_user(request, f"Unpinned {queryset.update(pinned=False)} stories.")


@admin.action(description=f"Boost (score x {BOOST:g})", permissions=["change"])
def boost(modeladmin: StoryAdmin, request: HttpRequest, queryset: QuerySet[Story]) -> None:
    count = queryset.update(boost=BOOST, buried=False)
    modeladmin.message_user(request, f"Boosted {count} stories.")


@admin.action(description="Bury (never a top story)", permissions=["change"])
def bury(modeladmin: StoryAdmin, request: HttpRequest, queryset: QuerySet[Story]) -> None:
    count = queryset.update(buried=True, pinned=False, boost=1.0)
    modeladmin.message_user(request, f"Buried {count} stories.")


@admin.action(
    description="Back to normal ranking (no pin, boost or burial)", permissions=["change"]
)
def unrank(modeladmin: StoryAdmin, request: HttpRequest, queryset: QuerySet[Story]) -> None:
    count = queryset.update(buried=False, pinned=False, boost=1.0)
    modeladmin.message_user(request, f"{count} stories ranked normally again.")


@admin.action(description="Mark as Our Pick", permissions=["change"])
def mark_pick(modeladmin: StoryAdmin, request: HttpRequest, queryset: QuerySet[Story]) -> None:
    count = queryset.filter(pick=False).update(pick=True, picked_at=timezone.now())
    modeladmin.message_user(request, f"{count} stories added to Our Picks.")


@admin.action(description="Remove from Our Picks", permissions=["change"])
def unmark_pick(modeladmin: StoryAdmin, request: HttpRequest, queryset: QuerySet[Story]) -> None:
    count = queryset.update(pick=False, picked_at=None)
    modeladmin.message_user(request, f"{count} stories removed from Our Picks.")


def _score_column(part: str, description: str, digits: int = 2) -> Callable[[Any, Story], str]:
    """A list column showing one part of a story's score (NO_SCORE when it has none)."""

    @admin.display(description=description)
    def column(admin_: Any, story: Story) -> str:
        scored = _score(story)
        return f"{getattr(scored, part):.{digits}f}" if scored else NO_SCORE

    return column


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "headline",
        "publisher_count",
        "article_count",
        "last_published",
        "score",
        "breadth",
        "velocity",
        "recency",
        "weight",
        "pinned",
        "boost",
        "buried",
        "pick",
        "state",
    )
    list_filter = ("state", "pinned", "buried", "pick", "section")
    list_select_related = ("section",)
    search_fields = ("headline",)
    date_hierarchy = "last_published"
    actions = (pin, unpin, boost, bury, unrank, mark_pick, unmark_pick)
    fields = (
        "headline",
        "headline_article",
        "section",
        "state",
        ("first_published", "last_published"),
        ("article_count", "publisher_count"),
        ("pinned", "boost", "buried"),
        ("pick", "picked_at"),
        "pick_note",
        "components",
    )
    readonly_fields = (
        "headline",
        "headline_article",
        "section",
        "state",
        "first_published",
        "last_published",
        "article_count",
        "publisher_count",
        "components",
    )

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return ScoredChangeList

    score = _score_column("score", "score", digits=3)
    breadth = _score_column("breadth", "breadth")
    velocity = _score_column("velocity", "velocity")
    recency = _score_column("recency", "recency")
    weight = _score_column("weight", "publisher weight")

    @admin.display(description="score now")
    def components(self, story: Story) -> str:
        scored = queries.scores_of([story], timezone.now()).get(story.pk)
        return scored.components() if scored else NO_SCORE

    def save_model(self, request: HttpRequest, obj: Story, form: Any, change: bool) -> None:
        if obj.pick and obj.picked_at is None:
            obj.picked_at = timezone.now()
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # stories come from the clusterer


@admin.register(PublisherWeight)
class PublisherWeightAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("publisher", "weight")
    list_editable = ("weight",)
    raw_id_fields = ("publisher",)
    search_fields = ("publisher__name",)

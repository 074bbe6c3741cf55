"""Django admin for sections, publishers and feeds.

The "Refresh now" action on feeds calls a use case, which this data app may not import;
``newsstand.web.admin`` adds it to the feed admin defined here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models

from newsstand.sources.models import Feed, Publisher, Section

# Typed-in URLs without a scheme mean https (Django 6's default; silences its warning).
URL_FORM_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}

# Written by the fetcher, never by hand: shown, not edited.
FEED_FETCH_STATE = (
    "etag",
    "last_modified",
    "last_fetched_at",
    "last_new_entry_at",
    "last_status",
    "last_error_code",
    "last_error",
    "error_streak",
    "redirect_target",
    "redirect_streak",
    "claimed_until",
    "claim_token",
    "created_at",
)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")


class FeedInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Feed
    fields = ("url", "title", "state", "last_status", "last_error_code", "next_fetch_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    formfield_overrides = URL_FORM_FIELDS
    list_display = ("name", "host", "country", "language", "created_at")
    list_filter = ("country", "language")
    search_fields = ("name", "host")
    inlines = (FeedInline,)


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    formfield_overrides = URL_FORM_FIELDS
    list_display = (
        "url",
        "publisher",
        "state",
        "last_status",
        "last_error_code",
        "error_streak",
        "next_fetch_at",
    )
    list_filter = ("state",)
    list_select_related = ("publisher",)
    search_fields = ("url",)
    autocomplete_fields = ("publisher",)
    readonly_fields = (*FEED_FETCH_STATE, "section_votes", "section_agreements")
    fieldsets = (
        (None, {"fields": ("url", "publisher", "title", "section_hint")}),
        ("Section checked by the classifier", {"fields": ("section_votes", "section_agreements")}),
        ("Schedule", {"fields": ("state", "interval_seconds", "next_fetch_at")}),
        ("Last fetch", {"fields": FEED_FETCH_STATE}),
    )

"""Django admin for articles (mostly for looking things up: articles come from feeds)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models

from newsstand.articles.models import Article

# Typed-in URLs without a scheme mean https (Django 6's default; silences its warning).
URL_FORM_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    formfield_overrides = URL_FORM_FIELDS
    list_display = ("title", "publisher", "section", "published_at")
    list_filter = ("section",)
    list_select_related = ("publisher", "section")
    search_fields = ("title",)
    raw_id_fields = ("publisher",)
    date_hierarchy = "published_at"
    readonly_fields = ("identity", "content_hash", "first_seen_at")

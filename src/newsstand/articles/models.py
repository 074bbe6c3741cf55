"""Articles: one row per piece of journalism, however many feeds carried it."""

from __future__ import annotations

from django.db import models

from newsstand.sources.models import Feed, Publisher, Section


class Article(models.Model):
    publisher = models.ForeignKey(Publisher, on_delete=models.CASCADE, related_name="articles")
    feeds = models.ManyToManyField(Feed, through="ArticleFeed", related_name="articles")
    # Stable key within the publisher: "guid:…", "url:…" or "hash:…" (see core.normalise).
    identity = models.CharField(max_length=600)
    guid = models.CharField(max_length=1000, blank=True)
    url = models.URLField(max_length=2048, blank=True)
    title = models.TextField()
    authors = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True, help_text="sanitised HTML")
    content = models.TextField(blank=True, help_text="sanitised HTML")
    image = models.URLField(max_length=2048, blank=True)
    comments_url = models.URLField(max_length=2048, blank=True)
    published_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField()
    language = models.CharField(max_length=16, blank=True)
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    categories = models.JSONField(default=list, blank=True)
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["publisher", "identity"], name="article_unique_publisher_identity"
            )
        ]
        indexes = [
            models.Index(fields=["publisher", "url"], name="article_publisher_url"),
            models.Index(fields=["publisher", "content_hash"], name="article_publisher_hash"),
            models.Index(fields=["section", "-published_at"], name="article_section_latest"),
            models.Index(fields=["publisher", "-published_at"], name="article_publisher_latest"),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleFeed(models.Model):
    """Which feeds carried an article (an article is stored once, linked to every feed)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE)
    first_seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "feed"], name="articlefeed_unique")
        ]

"""Articles: one row per piece of journalism, however many feeds carried it."""

from __future__ import annotations

from django.db import models

from newsstand.sources.models import Feed, Publisher, Section


class FullTextState(models.TextChoices):
    NOT_NEEDED = "", "not needed"
    PENDING = "pending", "pending"
    DONE = "done", "extracted"
    FAILED = "failed", "failed (summary kept)"


class Article(models.Model):
    # No index of their own on publisher and section: the composite indexes below start
    # with them and serve their look-ups (each extra index cost ~1.5 µs per article stored).
    publisher = models.ForeignKey(
        Publisher, on_delete=models.CASCADE, related_name="articles", db_index=False
    )
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
        Section,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        db_index=False,
    )
    categories = models.JSONField(default=list, blank=True)
    content_hash = models.CharField(max_length=64)
    rights = models.CharField(
        max_length=1000, blank=True, help_text="licence or copyright line, shown with the text"
    )
    word_count = models.PositiveIntegerField(default=0)
    # Full text: fetched from the article page when the feed carries only a teaser.
    full_text_state = models.CharField(
        max_length=8, choices=FullTextState.choices, default=FullTextState.NOT_NEEDED, blank=True
    )
    full_text_error = models.TextField(blank=True)
    full_text_attempts = models.PositiveSmallIntegerField(default=0)
    full_text_next_at = models.DateTimeField(null=True, blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    # Language, section and entities are filled in by background work after storing.
    enriched_at = models.DateTimeField(null=True, blank=True)
    entities: models.ManyToManyField[Entity, ArticleEntity] = models.ManyToManyField(
        "Entity", through="ArticleEntity", related_name="articles"
    )

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
            models.Index(
                fields=["full_text_state", "full_text_next_at"], name="article_full_text_due"
            ),
            models.Index(fields=["language", "-published_at"], name="article_language_latest"),
            models.Index(fields=["enriched_at"], name="article_enrichment_due"),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleFeed(models.Model):
    """Which feeds carried an article (an article is stored once, linked to every feed)."""

    # The unique (article, feed) constraint serves look-ups by article: no index of its own.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, db_index=False)
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE)
    first_seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "feed"], name="articlefeed_unique")
        ]


class EntityKind(models.TextChoices):
    PERSON = "person", "person"
    ORGANISATION = "org", "organisation"
    PLACE = "place", "place"


class Entity(models.Model):
    """A person, organisation or place that articles mention: what members can follow."""

    kind = models.CharField(max_length=8, choices=EntityKind.choices)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="entity_unique")]

    def __str__(self) -> str:
        return self.name


class ArticleEntity(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE)
    mentions = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="articleentity_unique")
        ]
        indexes = [models.Index(fields=["entity", "article"], name="articleentity_by_entity")]


class PictureKind(models.TextChoices):
    LEAD = "lead", "an article's lead picture"
    ICON = "icon", "a publisher's icon"


class PictureState(models.TextChoices):
    PENDING = "pending", "waiting to be fetched"
    READY = "ready", "fetched and resized"
    FAILED = "failed", "failed"


class Picture(models.Model):
    """A publisher's picture (an article's lead picture, a publisher's icon), fetched once
    by the images task through the guarded fetcher and kept resized in the picture cache
    on disk, so that readers' browsers load pictures from Newsstand, never from
    publishers. Keyed by the SHA-256 of its URL, which also names its files."""

    key = models.CharField(max_length=64, unique=True)
    url = models.URLField(max_length=2048)
    kind = models.CharField(max_length=8, choices=PictureKind.choices, default=PictureKind.LEAD)
    state = models.CharField(
        max_length=8, choices=PictureState.choices, default=PictureState.PENDING
    )
    width = models.PositiveIntegerField(default=0, help_text="of the largest file kept")
    height = models.PositiveIntegerField(default=0)
    widths = models.CharField(max_length=64, blank=True, help_text="widths kept on disk")
    stored_bytes = models.PositiveIntegerField(default=0)
    error_code = models.CharField(max_length=40, blank=True)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField()
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="picture_due"),
            models.Index(fields=["state", "fetched_at"], name="picture_oldest_ready"),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def width_list(self) -> list[int]:
        return [int(w) for w in self.widths.split(",") if w.isdigit()]

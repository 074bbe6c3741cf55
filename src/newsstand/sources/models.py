"""Publishers, their feeds and the fetch state of each feed."""

from __future__ import annotations

from django.db import models

from newsstand.core.feed_state import ETAG_CHARS, LAST_MODIFIED_CHARS, FeedStatus


class Section(models.Model):
    """A part of the paper: World, Business, Technology..."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Publisher(models.Model):
    name = models.CharField(max_length=300)
    homepage = models.URLField(max_length=2048, blank=True)
    host = models.CharField(max_length=255, blank=True, db_index=True)
    favicon = models.URLField(max_length=2048, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    language = models.CharField(max_length=16, blank=True, help_text="BCP 47")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "host"], name="publisher_unique_name_host")
        ]

    def __str__(self) -> str:
        return self.name


class FeedState(models.TextChoices):
    """``core.feed_state.FeedStatus``, as the model's choices."""

    ACTIVE = FeedStatus.ACTIVE.value, "active"
    FAILING = FeedStatus.FAILING.value, "failing"
    GONE = FeedStatus.GONE.value, "gone"


class FullTextMode(models.TextChoices):
    AUTO = "auto", "auto: when the feed carries only a teaser"
    ALWAYS = "always", "always fetch the article page"
    NEVER = "never", "never fetch the article page"


class Feed(models.Model):
    url = models.URLField(max_length=2048, unique=True)
    publisher = models.ForeignKey(Publisher, on_delete=models.CASCADE, related_name="feeds")
    title = models.CharField(max_length=500, blank=True)
    section_hint = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="feeds"
    )
    # How often the section classifier agreed with ``section_hint`` on this feed's articles:
    # a feed whose section it confirms is a true section feed, whose section then wins
    # (newsstand.core.classify.FeedVotes; decision 0020).
    section_votes = models.PositiveIntegerField(default=0)
    section_agreements = models.PositiveIntegerField(default=0)
    full_text = models.CharField(
        max_length=8, choices=FullTextMode.choices, default=FullTextMode.AUTO
    )
    # HTTP validators: saved only in the transaction that stores the entries they cover.
    etag = models.CharField(max_length=ETAG_CHARS, blank=True)
    last_modified = models.CharField(max_length=LAST_MODIFIED_CHARS, blank=True)
    # Scheduling.
    state = models.CharField(max_length=10, choices=FeedState.choices, default=FeedState.ACTIVE)
    interval_seconds = models.PositiveIntegerField(default=3600)
    next_fetch_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_new_entry_at = models.DateTimeField(null=True, blank=True)
    # Outcome of the last fetch.
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error_code = models.CharField(max_length=40, blank=True)
    last_error = models.TextField(blank=True)
    error_streak = models.PositiveIntegerField(default=0)
    # A permanent redirect is followed only once it was seen on consecutive fetches.
    redirect_target = models.URLField(max_length=2048, blank=True)
    redirect_streak = models.PositiveSmallIntegerField(default=0)
    # Lease: a worker owns the feed until claimed_until; no feed is fetched twice at once.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["state", "next_fetch_at"], name="feed_due")]

    def __str__(self) -> str:
        return self.title or self.url

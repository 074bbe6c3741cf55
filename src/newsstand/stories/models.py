"""Stories: one row per event, however many publishers covered it.

A story is keyed by its founding article's id (``key``), which is what the clusterer in
``newsstand.core.stories`` calls the story; the key outlives the founding article. Each
article belongs to at most one story (``StoryArticle``, keyed by the article). An article
that is a near-duplicate of another (a wire copy republished with small edits) keeps its
own row, publisher and link, and points at its canonical article through
``StoryArticle.duplicate_of``: it is folded under that article on story pages.

What the clusterer needs to rebuild its open window (centroid, size, publishers, entities,
first and last publication) is kept on the story, so assigning an article never reads the
story's members.
"""

from __future__ import annotations

from django.db import models

from newsstand.articles.models import Article
from newsstand.sources.models import Publisher, Section


class StoryState(models.TextChoices):
    OPEN = "open", "open"
    CLOSED = "closed", "closed (quiet)"


class Story(models.Model):
    key = models.BigIntegerField(unique=True, help_text="id of the founding article")
    headline = models.TextField(blank=True)
    headline_article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_published = models.DateTimeField()
    last_published = models.DateTimeField()
    article_count = models.PositiveIntegerField(default=0)
    publisher_count = models.PositiveIntegerField(default=0)
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="stories"
    )
    state = models.CharField(max_length=8, choices=StoryState.choices, default=StoryState.OPEN)
    # The clusterer's state of the story (core.stories.StorySnapshot).
    centroid = models.BinaryField()
    publishers = models.JSONField(default=dict, blank=True, help_text="publisher → articles")
    entities = models.JSONField(default=dict, blank=True, help_text="entity → articles")
    sections = models.JSONField(default=dict, blank=True, help_text="section id → articles")
    updated_at = models.DateTimeField(auto_now=True)
    # Editors' hands on the ranking.
    pinned = models.BooleanField(default=False, help_text="shown first among top stories")
    boost = models.FloatField(default=1.0, help_text="multiplies the score (1: none)")
    buried = models.BooleanField(default=False, help_text="never among top stories")
    pick = models.BooleanField(default=False, verbose_name="Our Pick")
    pick_note = models.TextField(blank=True, help_text="why the editors picked it")
    picked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_published", "-id"]
        verbose_name_plural = "stories"
        indexes = [
            models.Index(fields=["state", "last_published"], name="story_open_window"),
            models.Index(fields=["-last_published"], name="story_latest"),
            models.Index(fields=["section", "-last_published"], name="story_section_latest"),
            # Partial indexes: they hold only the few picked or pinned stories.
            models.Index(fields=["-picked_at"], name="story_picks", condition=models.Q(pick=True)),
            models.Index(fields=["pinned"], name="story_pinned", condition=models.Q(pinned=True)),
        ]

    def __str__(self) -> str:
        return self.headline or f"Story {self.key}"


class StoryArticle(models.Model):
    """An article's place in its story (one story per article)."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="story_link"
    )
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="links")
    # Copied from the article, so counts by time and publisher read this table alone.
    publisher = models.ForeignKey(Publisher, on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField()
    similarity = models.FloatField(default=0.0, help_text="to the story when assigned")
    vector = models.BinaryField(help_text="the article's text vector (core.stories.pack_vector)")
    signature = models.BinaryField(
        null=True, blank=True, help_text="MinHash of its text (core.stories), for near-copies"
    )
    duplicate_of = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        help_text="the canonical article this one is a near-copy of",
    )
    assigned_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["story", "published_at"], name="storyarticle_timeline"),
            models.Index(fields=["published_at"], name="storyarticle_published"),
        ]


class PublisherWeight(models.Model):
    """How much an editor trusts a publisher's say in the ranking (1: like everyone)."""

    publisher = models.OneToOneField(
        Publisher, primary_key=True, on_delete=models.CASCADE, related_name="story_weight"
    )
    weight = models.FloatField(default=1.0)

    def __str__(self) -> str:
        return f"{self.publisher} x {self.weight:g}"

"""Members: their membership (trial, plan, billing), their own things (saves, reading
history), and the anonymous count of full reads per publisher per day.

Everything personal hangs off the user with ``on_delete=CASCADE``: deleting an account
deletes it all (a test walks every model that points at the user). The read counts carry no
personal data and stay; ``TrialClaim`` keeps a keyed digest of a normalised address so that
deleting and re-creating an account gives no second trial (decision 0014).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from newsstand.core.membership import Status


class Period(models.TextChoices):
    MONTH = "month", "month"
    YEAR = "year", "year"


class Plan(models.Model):
    """What a member can buy: edited in the admin."""

    name = models.CharField(max_length=100, unique=True)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR", help_text="ISO 4217 code")
    period = models.CharField(max_length=5, choices=Period.choices, default=Period.MONTH)
    benefits = models.TextField(blank=True, help_text="what the plan gives, one line each")
    active = models.BooleanField(default=True, help_text="offered to members")
    provider_price = models.CharField(
        max_length=200, blank=True, help_text="the billing provider's price id (Stripe: price_…)"
    )
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "price", "name"]

    def __str__(self) -> str:
        return self.name

    def benefit_lines(self) -> list[str]:
        return [line.strip() for line in self.benefits.splitlines() if line.strip()]


class Membership(models.Model):
    """One member's membership: the stored ``core.membership.MembershipState`` and the
    billing provider's references."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="membership",
    )
    status = models.CharField(
        max_length=10, choices=[(s.value, s.value) for s in Status], default=Status.NONE.value
    )
    trial_ends_at = models.DateTimeField(null=True, blank=True)
    period_ends_at = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    trial_used = models.BooleanField(default=False)
    last_event_at = models.DateTimeField(null=True, blank=True)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL)
    provider = models.CharField(max_length=20, blank=True)
    customer_ref = models.CharField(max_length=255, blank=True, db_index=True)
    subscription_ref = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True, help_text="the operator's note on the last change")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [
            ("view_outbox", "Can read the mail outbox"),
            ("view_reads_report", "Can see reads by publisher"),
            ("grant_membership", "Can grant and end memberships"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.status})"


class TrialClaim(models.Model):
    """A trial was given to this address (a keyed digest of ``core.addressing.trial_identity``)."""

    digest = models.CharField(max_length=64, unique=True)
    claimed_at = models.DateTimeField()


class BillingEvent(models.Model):
    """A provider's event, kept once: a second delivery of the same id is not applied again."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="billing_events",
    )
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField()
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="billing_event_unique_id")
        ]


class Save(models.Model):
    """An article the member saved to read later."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saves", db_index=False
    )
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="save_unique_user_article")
        ]
        indexes = [models.Index(fields=["user", "-saved_at"], name="save_user_latest")]


class Reading(models.Model):
    """The member read this article in full (their reading history; they may clear it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="readings",
        db_index=False,
    )
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="reading_unique_user_article")
        ]
        indexes = [models.Index(fields=["user", "-read_at"], name="reading_user_latest")]


class CountedRead(models.Model):
    """Today's reads already counted: a keyed digest of (member, article, day), nothing else,
    so that a read counts once a day even after the member clears their history. Rows of
    past days are deleted as the count moves on."""

    digest = models.CharField(max_length=32, primary_key=True)
    day = models.DateField(db_index=True)


class PublisherReads(models.Model):
    """Full reads by members of one publisher's articles on one day (no personal data).

    ``PROTECT``: a publisher that has reads to pay for is not deleted by accident."""

    publisher = models.ForeignKey(
        "sources.Publisher", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    day = models.DateField()
    reads = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "publisher reads"
        constraints = [
            models.UniqueConstraint(fields=["publisher", "day"], name="reads_unique_publisher_day")
        ]
        indexes = [models.Index(fields=["day"], name="reads_day")]

"""Django admin for plans, memberships, billing events and the read counts.

Granting and ending a membership calls a use case, which this data app may not import:
``newsstand.web.admin`` adds those actions (and the monthly reads report)."""

from __future__ import annotations

from django.contrib import admin

from newsstand.members.models import BillingEvent, Membership, Plan, PublisherReads


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "price", "currency", "period", "active", "position")
    list_editable = ("active", "position")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "status", "plan", "trial_ends_at", "period_ends_at", "provider")
    list_filter = ("status", "provider", "plan")
    search_fields = ("user__email", "user__username")
    list_select_related = ("user", "plan")
    # The state is changed by events (trial, payments, grants), never typed in.
    readonly_fields = (
        "user",
        "status",
        "trial_ends_at",
        "period_ends_at",
        "cancel_at_period_end",
        "trial_used",
        "last_event_at",
        "provider",
        "customer_ref",
        "subscription_ref",
        "note",
        "updated_at",
    )

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(BillingEvent)
class BillingEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("received_at", "provider", "kind", "user", "outcome")
    list_filter = ("provider", "kind")
    readonly_fields = tuple(f.name for f in BillingEvent._meta.fields)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(PublisherReads)
class PublisherReadsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("day", "publisher", "reads")
    list_filter = ("day",)
    list_select_related = ("publisher",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

"""Applying a provider's event to a membership: once, in any order."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from newsstand.members import store
from newsstand.members.models import BillingEvent, Membership, Plan
from newsstand.usecases.billing.provider import ProviderEvent

DUPLICATE = "duplicate"


def apply_event(event: ProviderEvent, now: datetime) -> str:
    """Apply ``event`` (kept by its id: a second delivery changes nothing) and say what it
    did: "applied", "duplicate", "recorded: …" or "no member: …"."""
    with transaction.atomic():
        user_id = event.user_id or _member_of(event.customer_ref)
        kept = store.record_billing_event(
            provider=event.provider,
            event_id=event.event_id,
            kind=event.kind,
            user_id=user_id,
            occurred_at=event.occurred_at,
            received_at=now,
            outcome="",
        )
        if not kept:
            return DUPLICATE
        outcome = _apply(event, user_id)
        BillingEvent.objects.filter(provider=event.provider, event_id=event.event_id).update(
            outcome=outcome[:200]
        )
        return outcome


def _member_of(customer_ref: str) -> int | None:
    if not customer_ref:
        return None
    found = Membership.objects.filter(customer_ref=customer_ref).values_list("user_id", flat=True)
    return next(iter(found), None)


def _apply(event: ProviderEvent, user_id: int | None) -> str:
    if user_id is None:
        return f"no member: customer {event.customer_ref or '(none)'} is unknown"
    refs = _references(event)
    if event.change is None:
        if refs:
            store.locked(user_id)
            Membership.objects.filter(user_id=user_id).update(**refs)
        return f"recorded: {event.kind} changes no membership"
    store.transition(user_id, event.change, **refs)
    return "applied"


def _references(event: ProviderEvent) -> dict[str, object]:
    refs: dict[str, object] = {"provider": event.provider}
    if event.customer_ref:
        refs["customer_ref"] = event.customer_ref
    if event.subscription_ref:
        refs["subscription_ref"] = event.subscription_ref
    if event.price_ref:
        plan = Plan.objects.filter(provider_price=event.price_ref).first()
        if plan is not None:
            refs["plan"] = plan
    return refs

"""Writing memberships: a row locked, a ``core.membership`` event applied, the result saved.

The decision is the core's (``apply``); this module only reads the row into a
``MembershipState``, writes the state back and keeps billing events once.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from newsstand.core import membership as machine
from newsstand.core.addressing import trial_identity
from newsstand.core.errors import TrialAlreadyUsed
from newsstand.members.models import BillingEvent, Membership, TrialClaim

_STATE_FIELDS = tuple(asdict(machine.MembershipState()))


def state_of(row: Membership) -> machine.MembershipState:
    values = {name: getattr(row, name) for name in _STATE_FIELDS}
    values["status"] = machine.Status(row.status)
    return machine.MembershipState(**values)


def membership_of(user_id: int) -> Membership:
    """The member's row, not locked; an unsaved empty one when they have none (reading a
    page writes nothing)."""
    return Membership.objects.filter(user_id=user_id).first() or Membership(user_id=user_id)


def locked(user_id: int) -> Membership:
    """The member's row, made if missing and locked until the transaction ends (call inside
    ``transaction.atomic``)."""
    Membership.objects.get_or_create(user_id=user_id)
    return Membership.objects.select_for_update().get(user_id=user_id)


def save_state(row: Membership, state: machine.MembershipState, **fields: object) -> None:
    """Write ``state`` (and other fields of the row: plan, references, note) to ``row``."""
    for name in _STATE_FIELDS:
        setattr(row, name, getattr(state, name))
    row.status = state.status.value
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()


def transition(user_id: int, event: machine.Event, **fields: object) -> machine.MembershipState:
    """Apply ``event`` to the member's membership under a row lock; returns the new state."""
    with transaction.atomic():
        row = locked(user_id)
        state = machine.apply(state_of(row), event)
        save_state(row, state, **fields)
        return state


def _claim_digest(address: str) -> str:
    return salted_hmac("newsstand.members.trial", trial_identity(address)).hexdigest()


def start_trial(user_id: int, address: str, days: int, now: datetime) -> machine.MembershipState:
    """Start the member's trial, once per account and once per address (``trial_identity``).
    Raises ``TrialAlreadyUsed``; nothing is written then."""
    with transaction.atomic():
        row = locked(user_id)
        state = machine.apply(state_of(row), machine.TrialStarted(at=now, days=days))
        try:
            with transaction.atomic():
                TrialClaim.objects.create(digest=_claim_digest(address), claimed_at=now)
        except IntegrityError:
            raise TrialAlreadyUsed("This address has had its free trial.") from None
        save_state(row, state)
        return state


def trial_claimed(address: str) -> bool:
    return TrialClaim.objects.filter(digest=_claim_digest(address)).exists()


def record_billing_event(
    *,
    provider: str,
    event_id: str,
    kind: str,
    user_id: int | None,
    occurred_at: datetime,
    received_at: datetime,
    outcome: str,
) -> bool:
    """Keep a provider's event once (inside the caller's transaction); False when it was
    kept already (a second delivery), so the caller applies nothing."""
    try:
        with transaction.atomic():
            BillingEvent.objects.create(
                provider=provider,
                event_id=event_id,
                kind=kind[:100],
                user_id=user_id,
                occurred_at=occurred_at,
                received_at=received_at,
                outcome=outcome[:200],
            )
    except IntegrityError:
        return False
    return True

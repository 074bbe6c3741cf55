"""Memberships: the trial, an operator's grant or end, and who reads everything.

Callers pass ``now`` and the configured numbers; nothing here reads the settings or a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from newsstand.core import membership as machine
from newsstand.core.errors import TrialAlreadyUsed
from newsstand.members import store
from newsstand.members.models import Membership, Plan

MANUAL = "manual"


@dataclass(frozen=True)
class Access:
    """What a person reads: ``full`` (every article) or the visitor's allowance."""

    full: bool
    reason: str  # "staff", a membership status ("trial", "active", ...) or "visitor"
    state: machine.MembershipState | None = None  # the membership as of now, for members


VISITOR = Access(full=False, reason="visitor")


def access_of(user: AbstractBaseUser | AnonymousUser, now: datetime) -> Access:
    """Staff (editors, admins) and members with a trial, an active plan or in a payment's
    grace read everything; lapsed members and members without either read as visitors."""
    if not user.is_authenticated:
        return VISITOR
    if getattr(user, "is_staff", False):
        return Access(full=True, reason="staff")
    row = Membership.objects.filter(user_id=user.pk).first()
    if row is None:
        return Access(full=False, reason=machine.Status.NONE.value, state=machine.MembershipState())
    state = machine.current(store.state_of(row), now)
    return Access(full=state.status in machine.ACCESS, reason=state.status.value, state=state)


def start_trial(user_id: int, address: str, days: int, now: datetime) -> bool:
    """Start the member's trial (after their address is verified); False when this account
    or this address (by ``core.addressing.trial_identity``) had it already."""
    try:
        store.start_trial(user_id, address, days, now)
    except TrialAlreadyUsed:
        return False
    return True


def grant(
    user_id: int, *, until: datetime | None, now: datetime, note: str = "", plan: Plan | None = None
) -> machine.MembershipState:
    """An operator grants a membership to ``until`` (None: until ended), with a note."""
    fields: dict[str, object] = {"note": note, "provider": MANUAL}
    if plan is not None:
        fields["plan"] = plan
    return store.transition(user_id, machine.Granted(at=now, until=until), **fields)


def end(user_id: int, *, now: datetime, note: str = "") -> machine.MembershipState:
    """An operator ends a membership now, with a note."""
    return store.transition(user_id, machine.Ended(at=now), note=note)

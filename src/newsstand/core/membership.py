"""The membership state machine: whether a member reads everything, and how events change it.

A membership is a small frozen value (``MembershipState``); every change is an event that
carries its own time (``at``), and ``apply`` returns the next state. Time alone moves a
membership too (a trial ends, a period runs out): ``current`` says where a state stands at
``now``. Nothing here reads a clock, a database or a provider.

    none ──trial──▶ trial ──(ends)──▶ lapsed
                      │                  ▲
                    paid                 │ (period over and cancelled, grace over, ended)
                      ▼                  │
    (any) ──paid──▶ active ──failed──▶ past_due ──paid──▶ active
                      │ ▲
       cancel at period end / withdrawn (a flag: access to the end of the period)

Provider events (paid, failed, cancel, ended) are applied in any order and any number of
times: an event older than the last provider event applied is stale and changes no status (a late
payment still moves the paid period's end, which only ever moves later), and an event that
does not apply to the state leaves it as it is. Only a local command that cannot apply (a
second trial) raises.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from newsstand.core.errors import TrialAlreadyUsed

DEFAULT_GRACE = timedelta(days=7)


class Status(StrEnum):
    NONE = "none"  # an account without a trial or plan (not verified yet, or never started)
    TRIAL = "trial"
    ACTIVE = "active"
    PAST_DUE = "past_due"  # a payment failed; access continues through the grace period
    LAPSED = "lapsed"  # trial over, cancelled or unpaid: reads as a visitor


ACCESS = frozenset({Status.TRIAL, Status.ACTIVE, Status.PAST_DUE})


@dataclass(frozen=True)
class MembershipState:
    status: Status = Status.NONE
    trial_ends_at: datetime | None = None
    # The end of the paid (or granted) period; None with ACTIVE is open-ended.
    period_ends_at: datetime | None = None
    cancel_at_period_end: bool = False
    trial_used: bool = False
    last_event_at: datetime | None = None


# --- events ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrialStarted:
    at: datetime
    days: int


@dataclass(frozen=True)
class PaymentSucceeded:
    """A first payment or a renewal: paid up to ``period_ends_at``."""

    at: datetime
    period_ends_at: datetime


@dataclass(frozen=True)
class PaymentFailed:
    at: datetime


@dataclass(frozen=True)
class CancelScheduled:
    """The member cancelled: access to the end of the period, then no renewal."""

    at: datetime


@dataclass(frozen=True)
class CancelWithdrawn:
    at: datetime


@dataclass(frozen=True)
class Ended:
    """The membership ends now (the subscription was deleted, or an operator ended it)."""

    at: datetime


@dataclass(frozen=True)
class Granted:
    """An operator grants a membership up to ``until`` (None: until ended)."""

    at: datetime
    until: datetime | None


Event = (
    TrialStarted
    | PaymentSucceeded
    | PaymentFailed
    | CancelScheduled
    | CancelWithdrawn
    | Ended
    | Granted
)


# Events of our own making (the trial, an operator's grant), timed by our clock; the others
# come from the billing provider (or an operator's end) and order each other.
_LOCAL = (TrialStarted, Granted)


# --- decisions ---------------------------------------------------------------------


def current(
    state: MembershipState, now: datetime, grace: timedelta = DEFAULT_GRACE
) -> MembershipState:
    """``state`` as time has moved it by ``now``: a trial past its end and a period past its
    end (cancelled, or unpaid past the grace) are lapsed; a period over without a renewal
    yet is past due."""
    status, end = state.status, state.period_ends_at
    if status is Status.TRIAL and state.trial_ends_at is not None and now >= state.trial_ends_at:
        return replace(state, status=Status.LAPSED)
    if status is Status.ACTIVE and end is not None and now >= end:
        if state.cancel_at_period_end:
            return replace(state, status=Status.LAPSED, cancel_at_period_end=False)
        state, status = replace(state, status=Status.PAST_DUE), Status.PAST_DUE
    if status is Status.PAST_DUE and end is not None and now >= end + grace:
        return replace(state, status=Status.LAPSED, cancel_at_period_end=False)
    return state


def has_access(state: MembershipState, now: datetime, grace: timedelta = DEFAULT_GRACE) -> bool:
    """Whether the member reads every article at ``now`` (trial, active or in grace)."""
    return current(state, now, grace).status in ACCESS


def days_left(state: MembershipState, now: datetime) -> int | None:
    """Whole days (rounded up) until the trial or the period ends; None when open-ended."""
    end = state.trial_ends_at if state.status is Status.TRIAL else state.period_ends_at
    if end is None:
        return None
    return max(0, math.ceil((end - now) / timedelta(days=1)))


def apply(
    state: MembershipState, event: Event, grace: timedelta = DEFAULT_GRACE
) -> MembershipState:
    """The state after ``event``. Raises ``TrialAlreadyUsed`` for a trial that cannot start;
    every other event that does not apply, or is older than the last one applied, leaves
    the state unchanged."""
    if state.last_event_at is not None and event.at < state.last_event_at:
        return _stale(state, event)
    after = _transition(current(state, event.at, grace), event)
    if isinstance(event, _LOCAL):
        return after  # our own clock: not comparable with the provider's event times
    return replace(after, last_event_at=event.at)


def _transition(state: MembershipState, event: Event) -> MembershipState:
    match event:
        case TrialStarted(at=at, days=days):
            return _start_trial(state, at, days)
        case PaymentSucceeded(period_ends_at=end):
            kept = (
                state.period_ends_at if state.status in {Status.ACTIVE, Status.PAST_DUE} else None
            )
            return replace(state, status=Status.ACTIVE, period_ends_at=_later(kept, end))
        case PaymentFailed(at=at) if state.status in ACCESS:
            end = state.period_ends_at or state.trial_ends_at or at
            return replace(state, status=Status.PAST_DUE, period_ends_at=end)
        case CancelScheduled() if state.status in ACCESS and not state.cancel_at_period_end:
            return replace(state, cancel_at_period_end=True)
        case CancelWithdrawn() if state.status in ACCESS and state.cancel_at_period_end:
            return replace(state, cancel_at_period_end=False)
        case Ended(at=at) if state.status is not Status.LAPSED:
            end = at if state.period_ends_at is None else min(state.period_ends_at, at)
            return replace(
                state, status=Status.LAPSED, period_ends_at=end, cancel_at_period_end=False
            )
        case Granted(until=until):
            return replace(
                state,
                status=Status.ACTIVE,
                period_ends_at=until,
                cancel_at_period_end=until is not None,
            )
    return state


def _stale(state: MembershipState, event: Event) -> MembershipState:
    """An event delivered after a newer one: only a payment's period end still counts."""
    if isinstance(event, PaymentSucceeded) and state.status in {Status.ACTIVE, Status.PAST_DUE}:
        return replace(state, period_ends_at=_later(state.period_ends_at, event.period_ends_at))
    return state


def _start_trial(state: MembershipState, at: datetime, days: int) -> MembershipState:
    if state.trial_used or state.status is not Status.NONE:
        raise TrialAlreadyUsed("This account has had its trial or has a membership already.")
    return replace(
        state,
        status=Status.TRIAL,
        trial_ends_at=at + timedelta(days=days),
        trial_used=True,
    )


def _later(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b > a else a

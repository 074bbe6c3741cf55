"""The membership state machine: one test per transition, and order tolerance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsstand.core.errors import TrialAlreadyUsed
from newsstand.core.membership import (
    CancelScheduled,
    CancelWithdrawn,
    Ended,
    Granted,
    MembershipState,
    PaymentFailed,
    PaymentSucceeded,
    Status,
    TrialStarted,
    apply,
    current,
    days_left,
    has_access,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
GRACE = timedelta(days=7)
NEW = MembershipState()


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def trial() -> MembershipState:
    return apply(NEW, TrialStarted(at=T0, days=14))


def active(until_days: float = 30) -> MembershipState:
    return apply(NEW, PaymentSucceeded(at=T0, period_ends_at=at(until_days)))


# --- none → trial → lapsed ----------------------------------------------------------


def test_none_to_trial_for_the_configured_days() -> None:
    state = trial()
    assert state.status is Status.TRIAL
    assert state.trial_ends_at == at(14)
    assert state.trial_used
    assert has_access(state, at(13.99))


def test_trial_lapses_at_its_end() -> None:
    assert current(trial(), at(14) - timedelta(seconds=1)).status is Status.TRIAL
    assert current(trial(), at(14)).status is Status.LAPSED
    assert not has_access(trial(), at(14))


def test_a_second_trial_is_refused_even_after_lapsing() -> None:
    with pytest.raises(TrialAlreadyUsed):
        apply(trial(), TrialStarted(at=at(1), days=14))
    lapsed = current(trial(), at(20))
    with pytest.raises(TrialAlreadyUsed):
        apply(lapsed, TrialStarted(at=at(20), days=14))


def test_no_trial_for_a_paying_member() -> None:
    with pytest.raises(TrialAlreadyUsed):
        apply(active(), TrialStarted(at=at(1), days=14))


# --- payments -------------------------------------------------------------------------


def test_trial_to_active_when_paid() -> None:
    state = apply(trial(), PaymentSucceeded(at=at(3), period_ends_at=at(33)))
    assert state.status is Status.ACTIVE
    assert state.period_ends_at == at(33)


def test_lapsed_to_active_when_paid() -> None:
    lapsed = apply(trial(), Ended(at=at(2)))
    assert lapsed.status is Status.LAPSED
    state = apply(lapsed, PaymentSucceeded(at=at(5), period_ends_at=at(35)))
    assert state.status is Status.ACTIVE and state.period_ends_at == at(35)


def test_active_renewal_moves_the_period_end() -> None:
    state = apply(active(30), PaymentSucceeded(at=at(30), period_ends_at=at(60)))
    assert state.status is Status.ACTIVE and state.period_ends_at == at(60)


def test_active_to_past_due_when_a_payment_fails() -> None:
    state = apply(active(30), PaymentFailed(at=at(30)))
    assert state.status is Status.PAST_DUE
    assert has_access(state, at(30) + GRACE - timedelta(seconds=1))  # in the grace


def test_past_due_lapses_when_the_grace_ends() -> None:
    state = apply(active(30), PaymentFailed(at=at(30)))
    assert current(state, at(30) + GRACE).status is Status.LAPSED


def test_past_due_to_active_when_paid() -> None:
    state = apply(
        apply(active(30), PaymentFailed(at=at(30))),
        PaymentSucceeded(at=at(31), period_ends_at=at(61)),
    )
    assert state.status is Status.ACTIVE and state.period_ends_at == at(61)


def test_active_past_its_period_without_renewal_is_past_due_then_lapsed() -> None:
    assert current(active(30), at(30)).status is Status.PAST_DUE
    assert current(active(30), at(30) + GRACE).status is Status.LAPSED


def test_trial_to_past_due_when_the_first_payment_fails() -> None:
    state = apply(trial(), PaymentFailed(at=at(14) - timedelta(hours=1)))
    assert state.status is Status.PAST_DUE
    assert state.period_ends_at == at(14)


def test_a_failed_payment_changes_nothing_for_a_lapsed_member() -> None:
    lapsed = apply(active(), Ended(at=at(1)))
    assert apply(lapsed, PaymentFailed(at=at(2))).status is Status.LAPSED


# --- cancelling -----------------------------------------------------------------------


def test_cancel_at_period_end_keeps_access_to_the_end_then_lapses() -> None:
    state = apply(active(30), CancelScheduled(at=at(10)))
    assert state.status is Status.ACTIVE and state.cancel_at_period_end
    assert has_access(state, at(30) - timedelta(seconds=1))
    after = current(state, at(30))
    assert after.status is Status.LAPSED and not after.cancel_at_period_end


def test_cancel_withdrawn_renews_as_before() -> None:
    state = apply(apply(active(30), CancelScheduled(at=at(10))), CancelWithdrawn(at=at(11)))
    assert not state.cancel_at_period_end
    assert current(state, at(30)).status is Status.PAST_DUE  # a renewal is expected


def test_ended_lapses_at_once() -> None:
    state = apply(active(30), Ended(at=at(10)))
    assert state.status is Status.LAPSED
    assert state.period_ends_at == at(10)
    assert not has_access(state, at(10))


def test_cancelling_a_lapsed_membership_changes_nothing() -> None:
    lapsed = apply(active(), Ended(at=at(1)))
    after = apply(lapsed, CancelScheduled(at=at(2)))
    assert (after.status, after.cancel_at_period_end) == (Status.LAPSED, False)
    assert after.last_event_at == at(2)  # seen: an older event is stale from now on


# --- operators -----------------------------------------------------------------------


def test_granted_with_an_end_lapses_then_and_does_not_renew() -> None:
    state = apply(NEW, Granted(at=T0, until=at(90)))
    assert state.status is Status.ACTIVE and state.cancel_at_period_end
    assert current(state, at(90)).status is Status.LAPSED


def test_granted_without_an_end_lasts_until_ended() -> None:
    state = apply(NEW, Granted(at=T0, until=None))
    assert has_access(state, at(10_000))
    assert not has_access(apply(state, Ended(at=at(10_001))), at(10_001))


def test_days_left_rounds_up_and_is_none_when_open_ended() -> None:
    assert days_left(trial(), T0) == 14
    assert days_left(trial(), at(13.2)) == 1
    assert days_left(trial(), at(15)) == 0
    assert days_left(apply(NEW, Granted(at=T0, until=None)), T0) is None


# --- order and repetition --------------------------------------------------------------


def test_a_stale_failure_after_a_newer_payment_is_ignored() -> None:
    paid = apply(active(30), PaymentSucceeded(at=at(30), period_ends_at=at(60)))
    assert apply(paid, PaymentFailed(at=at(29))) == paid


def test_a_stale_payment_still_extends_the_period_but_changes_no_status() -> None:
    failed = apply(active(30), PaymentFailed(at=at(31)))
    late = apply(failed, PaymentSucceeded(at=at(30), period_ends_at=at(60)))
    assert late.status is Status.PAST_DUE
    assert late.period_ends_at == at(60)


def test_a_stale_payment_does_not_revive_an_ended_membership() -> None:
    ended = apply(active(30), Ended(at=at(40)))
    assert apply(ended, PaymentSucceeded(at=at(35), period_ends_at=at(65))) == ended


def test_the_period_end_never_moves_back() -> None:
    state = apply(active(60), PaymentSucceeded(at=at(1), period_ends_at=at(30)))
    assert state.period_ends_at == at(60)


_EVENTS = st.sampled_from(
    [
        lambda t: PaymentSucceeded(at=at(t), period_ends_at=at(t + 30)),
        lambda t: PaymentFailed(at=at(t)),
        lambda t: CancelScheduled(at=at(t)),
        lambda t: CancelWithdrawn(at=at(t)),
        lambda t: Ended(at=at(t)),
    ]
)


@given(st.lists(st.tuples(_EVENTS, st.integers(0, 100)), max_size=8))
def test_applying_every_event_twice_is_the_same_as_once(events) -> None:
    once = twice = trial()
    for make, t in events:
        event = make(t)
        once = apply(once, event)
        twice = apply(apply(twice, event), event)
    assert once == twice


def test_our_own_events_do_not_make_the_providers_stale() -> None:
    # The trial starts by our clock; the provider's first payment may carry an earlier time.
    state = apply(trial(), PaymentSucceeded(at=T0 - timedelta(seconds=5), period_ends_at=at(30)))
    assert state.status is Status.ACTIVE

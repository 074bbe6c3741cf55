"""Accounts made and deleted outside the sign-up form: operators' commands and deletion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AbstractUser, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction

from newsstand.core import membership as machine
from newsstand.core.errors import AccountError, UnknownPlan
from newsstand.members import queries, store
from newsstand.members.models import Membership, Plan
from newsstand.members.roles import Role, role_of, set_role
from newsstand.usecases import membership
from newsstand.usecases.billing import BillingProvider

TRIAL = "trial"
MAX_ADDRESS = 254  # RFC 5321's limit on a forward path


@dataclass(frozen=True)
class NewMember:
    email: str
    password: str | None = None  # None: the member sets one with a password reset
    role: Role = Role.READER
    plan: str | None = None  # "trial" or a plan's name
    verified: bool = False


def add_member(new: NewMember, *, trial_days: int, now: datetime) -> User:
    """Make an account as sign-up would, for operators and scripts. Raises ``AccountError``
    (bad or taken address, password refused by the validators) or ``UnknownPlan``; nothing
    is written then."""
    email = _checked_address(new.email)
    plan = _plan(new.plan)
    with transaction.atomic():
        if EmailAddress.objects.filter(email__iexact=email).exists():
            raise AccountError(f"{email} has an account already.")
        user = User(email=email)
        get_adapter().populate_username(None, user)
        _set_password(user, new.password)
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=new.verified)
        set_role(user, new.role)
        if new.plan == TRIAL:
            if not membership.start_trial(user.pk, email, trial_days, now):
                raise AccountError(f"{email} has had its free trial.")
        elif plan is not None:
            membership.grant(user.pk, until=None, now=now, note="newsstand add-member", plan=plan)
    return user


def _checked_address(address: str) -> str:
    email = address.strip()
    try:
        if len(email) > MAX_ADDRESS:
            raise ValidationError("too long")
        EmailValidator()(email)
    except ValidationError:
        raise AccountError(f"Not an e-mail address: {email[:80]!r}") from None
    return email


def _plan(name: str | None) -> Plan | None:
    if name is None or name == TRIAL:
        return None
    try:
        return queries.plan_by_name(name)
    except Plan.DoesNotExist:
        raise UnknownPlan(f"No plan is named {name!r} (see the admin's plans).") from None


def _set_password(user: User, password: str | None) -> None:
    if password is None:
        user.set_unusable_password()
        return
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from None
    user.set_password(password)


def delete_account(user: AbstractUser, billing: BillingProvider) -> None:
    """Cancel the member's paid subscription, then delete the account and everything
    personal that hangs off it (membership, saves, history, addresses, second factors,
    billing events); the anonymous read counts stay. Raises ``BillingError`` (nothing is
    deleted then) when the provider cannot cancel."""
    row = Membership.objects.filter(user_id=user.pk).first()
    if row is not None and row.subscription_ref:
        billing.cancel(subscription_ref=row.subscription_ref)
    with transaction.atomic():
        user.delete()


@dataclass(frozen=True)
class MemberRow:
    email: str
    role: str
    status: str
    ends: datetime | None  # the trial's or the period's end
    plan: str
    joined: datetime


def list_members(now: datetime) -> list[MemberRow]:
    """Every account, oldest first, with its role and its membership as of ``now``."""
    users = User.objects.order_by("date_joined", "id").prefetch_related("groups")
    rows = {m.user_id: m for m in Membership.objects.select_related("plan")}
    found = []
    for user in users:
        row = rows.get(user.pk)
        state = machine.current(store.state_of(row), now) if row else machine.MembershipState()
        ends = state.trial_ends_at if state.status is machine.Status.TRIAL else state.period_ends_at
        found.append(
            MemberRow(
                email=user.email,
                role=role_of(user).value,
                status=state.status.value,
                ends=ends,
                plan=row.plan.name if row and row.plan else "",
                joined=user.date_joined,
            )
        )
    return found

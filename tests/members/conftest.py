"""Members, their memberships and the wall's settings for the members tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from newsstand.core.meter import WallPolicy
from newsstand.usecases import membership

PASSWORD = "correct horse battery staple"
MakeMember = Callable[..., AbstractUser]


@pytest.fixture
def make_member(now: datetime) -> MakeMember:
    """A member with a verified address; ``status``: "trial", "active", "lapsed" or "none"."""

    def make(email: str = "", status: str = "trial", password: str = PASSWORD) -> AbstractUser:
        email = email or f"member{get_user_model().objects.count() + 1}@example.org"
        user = get_user_model().objects.create_user(
            username=email.split("@")[0] + str(now.timestamp()), email=email, password=password
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        if status == "trial":
            assert membership.start_trial(user.pk, email, 14, now)
        elif status == "active":
            membership.grant(user.pk, until=now + timedelta(days=30), now=now)
        elif status == "lapsed":
            membership.grant(user.pk, until=now - timedelta(days=1), now=now - timedelta(days=2))
        return user

    return make


@pytest.fixture
def wall(settings: Any) -> Callable[..., None]:
    """Set the wall's numbers for one test: ``wall(allowance=3, address_cap=-1)``."""

    def set_wall(**fields: int) -> None:
        members = settings.NEWSSTAND_MEMBERS
        settings.NEWSSTAND_MEMBERS = dataclasses.replace(
            members, wall=dataclasses.replace(members.wall, **fields)
        )

    return set_wall


__all__ = ["PASSWORD", "WallPolicy"]

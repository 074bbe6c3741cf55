"""The billing provider interface and the manual provider."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from newsstand.core import membership as machine
from newsstand.core.errors import BillingUnavailable
from newsstand.members.models import Plan


@dataclass(frozen=True)
class Checkout:
    url: str  # where to send the member's browser
    customer_ref: str  # the provider's customer, kept on the membership


@dataclass(frozen=True)
class ProviderEvent:
    """One webhook event, translated: ``change`` is the membership event it means (None:
    it is kept, but changes nothing)."""

    provider: str
    event_id: str
    kind: str
    occurred_at: datetime
    change: machine.Event | None = None
    customer_ref: str = ""
    subscription_ref: str = ""
    user_id: int | None = None  # when the event names our member (client_reference_id)
    price_ref: str = ""  # the provider's price, to find the plan


class BillingProvider(Protocol):
    name: str
    can_checkout: bool  # members can pay on their own
    can_manage: bool  # members can change card or cancel on the provider's page

    def checkout(
        self,
        *,
        user_id: int,
        email: str,
        customer_ref: str,
        plan: Plan,
        success_url: str,
        cancel_url: str,
    ) -> Checkout:
        """Raises ``BillingError``."""
        ...

    def portal(self, *, customer_ref: str, return_url: str) -> str:
        """The URL of the provider's page where the member manages payment; raises
        ``BillingError``."""
        ...

    def cancel(self, *, subscription_ref: str) -> None:
        """End the subscription now (the account is being deleted); raises ``BillingError``."""
        ...

    def events(self, payload: bytes, headers: Mapping[str, str]) -> list[ProviderEvent]:
        """The events of a webhook delivery, its signature checked; raises ``BadWebhook``."""
        ...


class ManualProvider:
    """No payments online: an operator grants and ends memberships in the admin."""

    name = "manual"
    can_checkout = False
    can_manage = False

    def checkout(self, **_: object) -> Checkout:
        raise BillingUnavailable("Memberships here are granted by the operators.")

    def portal(self, **_: object) -> str:
        raise BillingUnavailable("Memberships here are granted by the operators.")

    def cancel(self, *, subscription_ref: str) -> None:
        return None

    def events(self, payload: bytes, headers: Mapping[str, str]) -> list[ProviderEvent]:
        raise BillingUnavailable("The manual provider receives no webhooks.")

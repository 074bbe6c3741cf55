"""The Stripe adapter: Checkout for sign-up, the customer portal, and webhooks.

Requests go through the ``stripe`` package (its own HTTP client, to the configured API
address: tests point it at a local stand-in). Webhook deliveries are checked with Stripe's
signature scheme (``Stripe-Signature: t=…,v1=…``, HMAC-SHA256 of ``t.payload`` with the
endpoint's secret, five minutes' tolerance) before anything in them is read.

Events → membership:
    invoice.paid                      PaymentSucceeded (to the end of the invoice's period)
    invoice.payment_failed            PaymentFailed
    customer.subscription.updated     CancelScheduled / CancelWithdrawn, Ended when over
    customer.subscription.deleted     Ended
    checkout.session.completed        links the subscription to the member
    anything else                     kept, changes nothing
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import stripe as stripe_api

from newsstand.core import membership as machine
from newsstand.core.errors import BadWebhook, BillingError
from newsstand.members.models import Plan
from newsstand.usecases.billing.provider import Checkout, ProviderEvent

NAME = "stripe"
TOLERANCE_SECONDS = 300
MAX_PAYLOAD = 1024 * 1024
_ENDED_STATUSES = {"canceled", "unpaid", "incomplete_expired"}


@dataclass(frozen=True)
class StripeConfig:
    secret_key: str
    webhook_secret: str
    api_url: str = "https://api.stripe.com"


class StripeProvider:
    name = NAME
    can_checkout = True
    can_manage = True

    def __init__(self, config: StripeConfig) -> None:
        self.config = config
        self._client = stripe_api.StripeClient(
            config.secret_key,
            base_addresses={"api": config.api_url},
            max_network_retries=2,
        )

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
        if not plan.provider_price:
            raise BillingError(f"The plan {plan.name!r} has no Stripe price id.")
        with _translated():
            if not customer_ref:
                customer = self._client.v1.customers.create(
                    params={"email": email, "metadata": {"newsstand_user": str(user_id)}}
                )
                customer_ref = customer.id
            session = self._client.v1.checkout.sessions.create(
                params={
                    "mode": "subscription",
                    "customer": customer_ref,
                    "client_reference_id": str(user_id),
                    "line_items": [{"price": plan.provider_price, "quantity": 1}],
                    "success_url": success_url,
                    "cancel_url": cancel_url,
                }
            )
        if not session.url:
            raise BillingError("Stripe returned a checkout session without a URL.")
        return Checkout(url=session.url, customer_ref=customer_ref)

    def portal(self, *, customer_ref: str, return_url: str) -> str:
        with _translated():
            session = self._client.v1.billing_portal.sessions.create(
                params={"customer": customer_ref, "return_url": return_url}
            )
        return str(session.url)

    def cancel(self, *, subscription_ref: str) -> None:
        if subscription_ref:
            with _translated():
                self._client.v1.subscriptions.cancel(subscription_ref)

    def events(self, payload: bytes, headers: Mapping[str, str]) -> list[ProviderEvent]:
        if len(payload) > MAX_PAYLOAD:
            raise BadWebhook("The webhook payload is larger than 1 MiB.")
        signature = headers.get("Stripe-Signature")
        if not signature:
            raise BadWebhook("The delivery has no Stripe-Signature header.")
        try:
            text = payload.decode("utf-8")
            stripe_api.WebhookSignature.verify_header(
                text,
                signature,
                self.config.webhook_secret,
                TOLERANCE_SECONDS,
            )
        except (UnicodeDecodeError, stripe_api.SignatureVerificationError) as error:
            raise BadWebhook(f"Not a Stripe delivery: {error}") from None
        return [translate(_event_body(text))]


@contextmanager
def _translated() -> Iterator[None]:
    """The stripe package's errors, wrapped once into ``BillingError``."""
    try:
        yield
    except stripe_api.StripeError as error:
        raise BillingError(f"Stripe: {error.user_message or error}") from error


def _event_body(text: str) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except ValueError:
        raise BadWebhook("The webhook payload is not JSON.") from None
    if not isinstance(body, dict) or not isinstance(body.get("id"), str):
        raise BadWebhook("The webhook payload is not a Stripe event (no id).")
    if not isinstance(body.get("type"), str) or not isinstance(body.get("created"), int):
        raise BadWebhook("The webhook payload is not a Stripe event (no type or time).")
    data = body.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise BadWebhook("The webhook payload is not a Stripe event (no data.object).")
    return body


def translate(body: dict[str, Any]) -> ProviderEvent:
    """The membership meaning of one (verified) Stripe event."""
    kind: str = body["type"]
    at = _time(body["created"])
    obj: dict[str, Any] = body["data"]["object"]
    event = ProviderEvent(
        provider=NAME,
        event_id=body["id"],
        kind=kind,
        occurred_at=at,
        customer_ref=_text(obj.get("customer")),
    )
    if kind in {"invoice.paid", "invoice.payment_failed"}:
        return _invoice(event, obj, at)
    if kind.startswith("customer.subscription."):
        return _subscription(event, obj, at)
    if kind == "checkout.session.completed":
        user = _text(obj.get("client_reference_id"))
        return _with(
            event,
            subscription_ref=_text(obj.get("subscription")),
            user_id=int(user) if user.isdigit() else None,
        )
    return event


def _invoice(event: ProviderEvent, invoice: dict[str, Any], at: datetime) -> ProviderEvent:
    subscription = _text(invoice.get("subscription")) or _text(
        _dig(invoice, "parent", "subscription_details", "subscription")
    )
    if event.kind == "invoice.payment_failed":
        return _with(event, change=machine.PaymentFailed(at=at), subscription_ref=subscription)
    lines = _dig(invoice, "lines", "data")
    lines = lines if isinstance(lines, list) else []
    ends = [_dig(line, "period", "end") for line in lines if isinstance(line, dict)]
    ends = [end for end in ends if isinstance(end, int)]
    period_end = invoice.get("period_end")
    if not ends and isinstance(period_end, int):
        ends = [period_end]
    if not ends:
        return _with(event, subscription_ref=subscription)  # nothing says until when
    first = lines[0] if lines and isinstance(lines[0], dict) else {}
    price = _dig(first, "pricing", "price_details", "price") or _dig(first, "price", "id")
    return _with(
        event,
        change=machine.PaymentSucceeded(at=at, period_ends_at=_time(max(ends))),
        subscription_ref=subscription,
        price_ref=_text(price),
    )


def _subscription(event: ProviderEvent, sub: dict[str, Any], at: datetime) -> ProviderEvent:
    ref = _text(sub.get("id"))
    if event.kind == "customer.subscription.deleted" or sub.get("status") in _ENDED_STATUSES:
        return _with(event, change=machine.Ended(at=at), subscription_ref=ref)
    if event.kind != "customer.subscription.updated":
        return _with(event, subscription_ref=ref)
    change: machine.Event = (
        machine.CancelScheduled(at=at)
        if sub.get("cancel_at_period_end")
        else machine.CancelWithdrawn(at=at)
    )
    return _with(event, change=change, subscription_ref=ref)


def _with(event: ProviderEvent, **fields: Any) -> ProviderEvent:
    return replace(event, **fields)


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _time(seconds: int) -> datetime:
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise BadWebhook(f"The event's time {seconds!r} is out of range.") from None

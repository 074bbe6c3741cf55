"""The Stripe adapter: Checkout and the portal against a local stand-in for Stripe's API,
and webhooks as Stripe signs them: each applied once, in any order, the bad ones refused."""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime

import pytest
from django.test import Client

from members.stripe_standin import API_KEY, WEBHOOK_SECRET, event, sign, stripe_standin
from newsstand.members.models import BillingEvent, Membership, Plan
from newsstand.web.billing import billing_provider

pytestmark = pytest.mark.django_db
WEBHOOK = "/billing/webhook/"
NOW = int(time.time())


@pytest.fixture
def stripe(settings):
    with stripe_standin() as standin:
        settings.NEWSSTAND_MEMBERS = dataclasses.replace(
            settings.NEWSSTAND_MEMBERS,
            billing="stripe",
            stripe_secret_key=API_KEY,
            stripe_webhook_secret=WEBHOOK_SECRET,
            stripe_api_url=standin.url,
        )
        billing_provider.cache_clear()
        yield standin
    billing_provider.cache_clear()


@pytest.fixture
def plan():
    return Plan.objects.create(
        name="Monthly", price="9.99", currency="EUR", provider_price="price_monthly"
    )


@pytest.fixture
def customer(make_member):
    """A member whose Stripe customer is cus_1 (as after a checkout)."""
    member = make_member(email="payer@example.org")
    Membership.objects.filter(user=member).update(customer_ref="cus_1")
    return member


def _deliver(payload: bytes, signature: str | None = None) -> tuple[int, str]:
    headers = {} if signature == "" else {"HTTP_STRIPE_SIGNATURE": signature or sign(payload)}
    response = Client().post(WEBHOOK, payload, content_type="application/json", **headers)
    return response.status_code, response.content.decode()


def _paid(
    event_id: str,
    created: int,
    period_end: int,
    customer: str = "cus_1",
    subscription: str = "sub_1",
) -> bytes:
    invoice = {
        "id": f"in_{event_id}",
        "object": "invoice",
        "customer": customer,
        "subscription": subscription,
        "lines": {
            "data": [
                {"period": {"start": created, "end": period_end}, "price": {"id": "price_monthly"}}
            ]
        },
    }
    return event("invoice.paid", invoice, event_id=event_id, created=created)


def _membership(member) -> Membership:
    return Membership.objects.get(user=member)


def test_checkout_makes_a_customer_then_sends_the_member_to_stripe(
    client, stripe, plan, make_member
) -> None:
    member = make_member(email="buyer@example.org")
    client.force_login(member)
    assert "Choose this plan" in client.get("/account/").content.decode()
    response = client.post(f"/account/plans/{plan.pk}/checkout/")
    assert response.status_code == 302
    assert response["Location"] == "https://checkout.stripe.test/c/cs_1"
    (m1, p1, customer, auth), (m2, p2, session, _) = stripe.requests
    assert (m1, p1, m2, p2) == ("POST", "/v1/customers", "POST", "/v1/checkout/sessions")
    assert auth == f"Bearer {API_KEY}"
    assert customer["metadata[newsstand_user]"] == [str(member.pk)]
    assert session["customer"] == ["cus_standin1"]
    assert session["client_reference_id"] == [str(member.pk)]
    assert session["line_items[0][price]"] == ["price_monthly"]
    assert _membership(member).customer_ref == "cus_standin1"


def test_the_portal_opens_for_a_customer(client, stripe, customer) -> None:
    client.force_login(customer)
    response = client.post("/account/billing/")
    assert response["Location"] == "https://billing.stripe.test/p/1"
    assert stripe.requests[-1][2]["customer"] == ["cus_1"]


def test_a_paid_invoice_makes_the_member_active_to_the_period_end(stripe, customer, plan) -> None:
    status, body = _deliver(_paid("evt_1", NOW, NOW + 30 * 86400))
    assert (status, body) == (200, "evt_1: applied")
    row = _membership(customer)
    assert row.status == "active" and row.plan == plan
    assert row.period_ends_at == datetime.fromtimestamp(NOW + 30 * 86400, tz=UTC)
    assert row.subscription_ref == "sub_1"


def test_a_second_delivery_changes_nothing(stripe, customer) -> None:
    payload = _paid("evt_1", NOW, NOW + 30 * 86400)
    _deliver(payload)
    Membership.objects.filter(user=customer).update(status="lapsed")  # so a re-apply would show
    assert _deliver(payload) == (200, "evt_1: duplicate")
    assert _membership(customer).status == "lapsed"
    assert BillingEvent.objects.filter(event_id="evt_1").count() == 1


def test_events_out_of_order_end_in_the_right_state(stripe, customer) -> None:
    failed = event(
        "invoice.payment_failed",
        {"customer": "cus_1", "subscription": "sub_1"},
        event_id="evt_f",
        created=NOW - 60,
    )
    paid = _paid("evt_p", NOW, NOW + 30 * 86400)
    assert _deliver(paid)[0] == 200
    assert _deliver(failed) == (200, "evt_f: applied")  # delivered late: stale
    assert _membership(customer).status == "active"


def test_failed_payment_then_cancel_at_period_end_then_deleted(stripe, customer) -> None:
    _deliver(_paid("evt_1", NOW - 100, NOW + 30 * 86400))
    _deliver(
        event("invoice.payment_failed", {"customer": "cus_1"}, event_id="evt_2", created=NOW - 50)
    )
    assert _membership(customer).status == "past_due"
    sub = {"id": "sub_1", "customer": "cus_1", "status": "active", "cancel_at_period_end": True}
    _deliver(event("customer.subscription.updated", sub, event_id="evt_3", created=NOW - 20))
    assert _membership(customer).cancel_at_period_end
    _deliver(
        event(
            "customer.subscription.deleted",
            {**sub, "status": "canceled"},
            event_id="evt_4",
            created=NOW,
        )
    )
    assert _membership(customer).status == "lapsed"


BAD_SIGNATURES = {
    "missing": lambda payload: "",
    "wrong": lambda payload: "t=1,v1=00",
    "for another payload": lambda payload: sign(b"something else"),
    "with another secret": lambda payload: sign(payload, secret="whsec_other"),
    "garbage": lambda payload: "garbage",
}


@pytest.mark.parametrize("name", BAD_SIGNATURES)
def test_a_bad_signature_is_refused_and_nothing_kept(stripe, customer, name) -> None:
    payload = _paid("evt_bad", NOW, NOW + 86400)
    status, body = _deliver(payload, BAD_SIGNATURES[name](payload))
    assert status == 400 and body
    assert not BillingEvent.objects.exists()
    assert _membership(customer).status == "trial"


def test_an_old_signature_is_refused(stripe, customer) -> None:
    payload = _paid("evt_old", NOW, NOW + 86400)
    assert _deliver(payload, sign(payload, at=NOW - 3600))[0] == 400


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[]",
        b'{"id": "evt_x"}',
        b'{"id": 1, "type": "x", "created": 1, "data": {"object": {}}}',
        "\ud800".encode("utf-8", "surrogatepass"),
    ],
)
def test_a_signed_payload_that_is_no_event_is_refused(stripe, payload) -> None:
    assert _deliver(payload)[0] == 400
    assert not BillingEvent.objects.exists()


def test_an_unknown_event_is_kept_and_answered_200(stripe, customer) -> None:
    status, body = _deliver(
        event("customer.tax_id.created", {"customer": "cus_1"}, event_id="evt_u", created=NOW)
    )
    assert status == 200 and "changes no membership" in body
    assert BillingEvent.objects.get(event_id="evt_u").kind == "customer.tax_id.created"


def test_an_event_for_an_unknown_customer_is_kept_and_changes_nothing(stripe, customer) -> None:
    status, body = _deliver(_paid("evt_n", NOW, NOW + 86400, customer="cus_nobody"))
    assert status == 200 and "no member" in body
    assert _membership(customer).status == "trial"


def test_checkout_completed_links_the_subscription_whatever_came_first(stripe, make_member) -> None:
    member = make_member(email="new.payer@example.org")
    completed = {
        "id": "cs_1",
        "customer": "cus_9",
        "subscription": "sub_9",
        "client_reference_id": str(member.pk),
    }
    _deliver(event("checkout.session.completed", completed, event_id="evt_c", created=NOW))
    _deliver(_paid("evt_p", NOW + 1, NOW + 86400, customer="cus_9", subscription="sub_9"))
    row = _membership(member)
    assert (row.customer_ref, row.subscription_ref, row.status) == ("cus_9", "sub_9", "active")


def test_deleting_the_account_cancels_the_subscription(stripe, customer) -> None:
    _deliver(_paid("evt_1", NOW, NOW + 30 * 86400))
    from newsstand.usecases.accounts import delete_account

    delete_account(customer, billing_provider())
    assert ("DELETE", "/v1/subscriptions/sub_1") in [(m, p) for m, p, _, _ in stripe.requests]


def test_the_manual_provider_has_no_checkout_and_no_webhook(client, make_member) -> None:
    plan = Plan.objects.create(name="Yearly", price="99", period="year")
    client.force_login(make_member())
    page = client.get("/account/").content.decode()
    assert "Yearly" in page and "Choose this plan" not in page
    assert client.post(f"/account/plans/{plan.pk}/checkout/").status_code == 302
    assert Client().post(WEBHOOK, b"{}", content_type="application/json").status_code == 404

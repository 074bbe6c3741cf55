"""Billing pages: a plan's checkout, the provider's page for managing payment, and the
provider's webhook (no session, no CSRF token: its signature is its proof)."""

from __future__ import annotations

import logging
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from newsstand.core.errors import BadWebhook, BillingError
from newsstand.members import store
from newsstand.members.models import Membership, Plan
from newsstand.usecases.billing import BillingProvider, apply_event
from newsstand.usecases.billing.provider import ManualProvider
from newsstand.web.permissions import signed_in

log = logging.getLogger("newsstand.billing")


@cache
def billing_provider() -> BillingProvider:
    """The installation's provider (``NEWSSTAND_BILLING``), made once per process."""
    members = settings.NEWSSTAND_MEMBERS
    if members.billing == "stripe":
        from newsstand.usecases.billing.stripe import StripeConfig, StripeProvider

        return StripeProvider(
            StripeConfig(
                secret_key=members.stripe_secret_key,
                webhook_secret=members.stripe_webhook_secret,
                api_url=members.stripe_api_url,
            )
        )
    return ManualProvider()


@require_POST
@login_required
def checkout(request: HttpRequest, plan_id: int) -> HttpResponseRedirect:
    plan = get_object_or_404(Plan, pk=plan_id, active=True)
    account = request.build_absolute_uri(reverse("web:account"))
    row = store.membership_of(signed_in(request).pk)
    try:
        started = billing_provider().checkout(
            user_id=signed_in(request).pk,
            email=signed_in(request).email,
            customer_ref=row.customer_ref,
            plan=plan,
            success_url=f"{account}?checkout=done",
            cancel_url=account,
        )
    except BillingError as error:
        log.warning("checkout for member %s failed: %s", signed_in(request).pk, error.message)
        messages.error(request, _("The payment page could not be opened. Please try again later."))
        return redirect("web:account")
    if started.customer_ref != row.customer_ref:
        Membership.objects.update_or_create(
            user_id=row.user_id, defaults={"customer_ref": started.customer_ref}
        )
    return HttpResponseRedirect(started.url)


@require_POST
@login_required
def portal(request: HttpRequest) -> HttpResponseRedirect:
    row = store.membership_of(signed_in(request).pk)
    try:
        url = billing_provider().portal(
            customer_ref=row.customer_ref,
            return_url=request.build_absolute_uri(reverse("web:account")),
        )
    except BillingError as error:
        log.warning("billing portal for member %s failed: %s", signed_in(request).pk, error.message)
        messages.error(request, _("The billing page could not be opened. Please try again later."))
        return redirect("web:account")
    return HttpResponseRedirect(url)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    """The provider's events: 400 for anything not signed by it, else 200 with what each
    event did (a second delivery of one says "duplicate")."""
    provider = billing_provider()
    try:
        events = provider.events(request.body, request.headers)
    except BadWebhook as error:
        log.warning("refused a billing webhook: %s", error.message)
        return HttpResponseBadRequest(error.message, content_type="text/plain")
    except BillingError as error:
        return HttpResponse(error.message, status=404, content_type="text/plain")
    now = timezone.now()
    outcomes = [f"{event.event_id}: {apply_event(event, now)}" for event in events]
    return HttpResponse("\n".join(outcomes), content_type="text/plain")

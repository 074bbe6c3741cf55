"""A member's own pages: membership, saved articles, reading history, deleting the account."""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from newsstand.articles.models import Article
from newsstand.core import membership as machine
from newsstand.core.errors import BillingError
from newsstand.members import queries
from newsstand.members import store as membership_store
from newsstand.usecases import accounts, reading
from newsstand.usecases.membership import access_of
from newsstand.web import billing
from newsstand.web.permissions import signed_in

PAGE_SIZE = 50


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The member's membership: status, the trial's days left and what happens after, plans."""
    now = timezone.now()
    member = signed_in(request)
    access = access_of(member, now)
    state = access.state or machine.MembershipState()
    row = membership_store.membership_of(member.pk)
    context: dict[str, Any] = {
        "access": access,
        "state": state,
        "membership": row,
        "days_left": machine.days_left(state, now),
        "plans": queries.active_plans(),
        "free_articles": settings.NEWSSTAND_MEMBERS.wall.allowance,
        "trial_days": settings.NEWSSTAND_MEMBERS.trial_days,
        "verified": EmailAddress.objects.filter(user=member, verified=True).exists(),
        "trial_claimed": membership_store.trial_claimed(member.email),
        "billing": billing.billing_provider(),
    }
    return render(request, "web/account/account.html", context)


def _paged(request: HttpRequest, items: QuerySet[Any], template: str) -> HttpResponse:
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {"page": page})


@login_required
def saved(request: HttpRequest) -> HttpResponse:
    return _paged(request, queries.saved(signed_in(request).pk), "web/account/saved.html")


@require_POST
@login_required
def save_article(request: HttpRequest, article_id: int) -> HttpResponseRedirect:
    """Save (or, with ``action=unsave``, unsave) an article, then go back where asked."""
    if not Article.objects.filter(pk=article_id).exists():
        raise Http404("No such article")
    if request.POST.get("action") == "unsave":
        reading.unsave(signed_in(request).pk, article_id)
        messages.info(request, _("Removed from your saved articles."))
    else:
        reading.save(signed_in(request).pk, article_id, timezone.now())
        messages.success(request, _("Saved. Your saved articles are under “Saved”."))
    return _back(request, "web:saved")


@login_required
def history(request: HttpRequest) -> HttpResponse:
    return _paged(request, queries.history(signed_in(request).pk), "web/account/history.html")


@require_POST
@login_required
def clear_history(request: HttpRequest) -> HttpResponseRedirect:
    count = reading.clear_history(signed_in(request).pk)
    messages.success(
        request, _("Your reading history is cleared (%(count)d articles).") % {"count": count}
    )
    return redirect("web:history")


@login_required
@reauthentication_required  # type: ignore[untyped-decorator]
def delete_account(request: HttpRequest) -> HttpResponse:
    """Ask, then delete the account (the member signed in again within the last minutes)."""
    if request.method != "POST" or request.POST.get("confirm") != "delete":
        return render(request, "web/account/delete.html", {})
    user = signed_in(request)
    try:
        accounts.delete_account(user, billing.billing_provider())
    except BillingError:
        messages.error(
            request,
            _(
                "Your subscription could not be cancelled just now, so nothing was deleted. Please try again later."
            ),
        )
        return redirect("web:account")
    logout(request)
    messages.success(request, _("Your account and everything kept about you are deleted."))
    return redirect("web:front")


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """To the ``next`` page when it is a path on this site, else to ``default``."""
    target = request.POST.get("next", "")
    local = url_has_allowed_host_and_scheme(target, allowed_hosts=None)  # no host at all
    return HttpResponseRedirect(target) if local and target.startswith("/") else redirect(default)

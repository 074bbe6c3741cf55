"""Admin actions and pages that call use cases (the data apps below may not import them)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from newsstand.members.admin import MembershipAdmin, PublisherReadsAdmin
from newsstand.members.models import Membership, PublisherReads
from newsstand.sources.admin import FeedAdmin
from newsstand.sources.models import Feed


@admin.action(description="Refresh now", permissions=["change"])
def refresh_now(modeladmin: FeedAdmin, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
    """Queue a refresh of the chosen feeds for a worker (never fetched inside the request).

    The worker runs the same use case as for due feeds; feeds another worker holds when it
    runs are skipped.
    """
    from newsstand.tasks import refresh_listed_feeds  # loaded on use only

    feed_ids = list(queryset.values_list("id", flat=True))
    refresh_listed_feeds.enqueue(feed_ids)
    count = f"{len(feed_ids)} feed{'s' if len(feed_ids) != 1 else ''}"
    modeladmin.message_user(
        request,
        f"Queued a refresh of {count}: a worker fetches them shortly; "
        "the feed-health page shows the outcome.",
        messages.SUCCESS,
    )


class OperatorFeedAdmin(FeedAdmin):
    actions = (refresh_now,)


admin.site.unregister(Feed)
admin.site.register(Feed, OperatorFeedAdmin)


# --- members ----------------------------------------------------------------------------


class GrantFields(forms.Form):
    until = forms.DateField(
        required=False,
        label="until",
        help_text="YYYY-MM-DD; empty: until ended",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(required=False, max_length=500, label="note")


class MembershipActionForm(ActionForm, GrantFields):
    """The admin's action bar with the grant's end date and the operator's note."""


def _action_fields(request: HttpRequest) -> tuple[datetime | None, str] | None:
    """The end date (end of that day, UTC) and the note; None when the date is not one."""
    form = GrantFields(request.POST)
    if not form.is_valid():
        return None
    day = form.cleaned_data["until"]
    until = datetime.combine(day, time.max, tzinfo=UTC) if day else None
    return until, form.cleaned_data["note"]


@admin.action(
    description="Grant a membership (until the date given, else until ended)",
    permissions=["grant"],
)
def grant_membership(
    modeladmin: OperatorMembershipAdmin, request: HttpRequest, queryset: QuerySet[Membership]
) -> None:
    from newsstand.usecases import membership

    fields = _action_fields(request)
    if fields is None:
        modeladmin.message_user(request, "Nothing granted: the date is not a date.", messages.ERROR)
        return
    until, note = fields
    now = timezone.now()
    for row in queryset:
        membership.grant(row.user_id, until=until, now=now, note=note)
    modeladmin.message_user(request, f"Granted {queryset.count()} membership(s).", messages.SUCCESS)


@admin.action(description="End the membership now", permissions=["grant"])
def end_membership(
    modeladmin: OperatorMembershipAdmin, request: HttpRequest, queryset: QuerySet[Membership]
) -> None:
    from newsstand.usecases import membership

    note = (_action_fields(request) or (None, ""))[1]
    now = timezone.now()
    for row in queryset:
        membership.end(row.user_id, now=now, note=note)
    modeladmin.message_user(request, f"Ended {queryset.count()} membership(s).", messages.SUCCESS)


class OperatorMembershipAdmin(MembershipAdmin):
    action_form = MembershipActionForm
    actions = (grant_membership, end_membership)

    def has_grant_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("members.grant_membership")


class ReadsReportAdmin(PublisherReadsAdmin):
    """The list of read counts is the monthly statement (``?month=YYYY-MM``)."""

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        from newsstand.usecases.reads_report import BadMonth, as_csv, monthly_statement

        if not self.has_view_permission(request):
            raise PermissionDenied
        month = request.GET.get("month") or timezone.now().strftime("%Y-%m")
        try:
            statement = monthly_statement(month)
        except BadMonth as error:
            messages.error(request, error.message)
            statement = monthly_statement(timezone.now().strftime("%Y-%m"))
        if request.GET.get("format") == "csv":
            response = HttpResponse(as_csv(statement), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="reads-{statement.month}.csv"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": f"Reads by publisher, {statement.first:%B %Y}",
            "statement": statement,
            "lines": [(line, 100 * statement.share(line)) for line in statement.lines],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/members/reads_report.html", context)


admin.site.unregister(Membership)
admin.site.register(Membership, OperatorMembershipAdmin)
admin.site.unregister(PublisherReads)
admin.site.register(PublisherReads, ReadsReportAdmin)

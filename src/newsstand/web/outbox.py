"""The staff's page of the mail outbox: where mail goes, and what was written there."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from newsstand.usecases.outbox import read_outbox
from newsstand.web.permissions import staff_with


@staff_with("members.view_outbox")
def outbox(request: HttpRequest) -> HttpResponse:
    transport = settings.MAIL
    mails = read_outbox(Path(transport.folder)) if transport.kind == "file" else []
    response = render(
        request,
        "web/outbox.html",
        {"transport": transport.describe(), "is_file": transport.kind == "file", "mails": mails},
    )
    response["Cache-Control"] = "private, no-store"
    return response

"""Site-level answers: robots.txt, the favicon, the web app manifest, the service worker,
the offline page and the error pages (404 and 500 with the site's header)."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from functools import cache
from importlib import resources

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from newsstand import __version__

log = logging.getLogger(__name__)

ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /accounts/
Disallow: /health/
Disallow: /i18n/
Allow: /
"""
# What the service worker keeps for offline use from its first visit: the app shell.
SHELL_FILES = ("web/reader.css", "web/reader.js", "web/icon.svg", "web/icon-192.png")
DAY = 24 * 3600


@require_GET
@cache_control(public=True, max_age=DAY)
def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(ROBOTS, content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=7 * DAY)
def favicon(request: HttpRequest) -> FileResponse:
    path = finders.find("web/favicon.ico")
    if not path:
        raise Http404("no favicon")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


@require_GET
@cache_control(public=True, max_age=DAY)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: installable on phones, opening on the front page."""
    icons = [
        {"src": static("web/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("web/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("web/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
        {"src": static("web/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    body = {
        "name": "Newsstand",
        "short_name": "Newsstand",
        "description": _("The news of many publishers, read in one place."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("web:front"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#fcfcfa",
        "theme_color": "#1b1b1f",
        "icons": icons,
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the site's root so that its scope is the whole site. Its
    cache name changes whenever a shell file changes, so a new version replaces the old."""
    values = {
        "__VERSION__": json.dumps(_shell_version()),
        "__SHELL__": json.dumps([reverse("web:offline"), *(static(name) for name in SHELL_FILES)]),
        "__OFFLINE__": json.dumps(reverse("web:offline")),
    }
    script = _service_worker_source()
    for token, value in values.items():
        script = script.replace(token, value)
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@cache
def _service_worker_source() -> str:
    return resources.files("newsstand.web").joinpath("sw.js").read_text(encoding="utf-8")


@cache
def _shell_version() -> str:
    digest = hashlib.sha256(__version__.encode())
    for name in SHELL_FILES:
        path = finders.find(name)
        if path:
            with open(path, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Notice:
    """A page that says one thing and offers the way back to the front page."""

    title: str
    heading: str
    text: str
    action: str


def _offline() -> Notice:
    return Notice(
        _("Offline"),
        _("You are offline"),
        _(
            "This page was not kept for offline reading. The pages you read lately and the "
            "articles you saved open without a network; everything else returns when you "
            "are back online."
        ),
        _("Try the front page"),
    )


def _not_found() -> Notice:
    return Notice(
        _("Page not found"),
        _("This page is not here"),
        _("The address may be mistyped, or the page may have been removed."),
        _("Back to the front page"),
    )


def _server_error() -> Notice:
    return Notice(
        _("Something went wrong"),
        _("Something went wrong on our side"),
        _("The page could not be shown. Please try again in a moment."),
        _("Back to the front page"),
    )


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page it has not kept when there is no network.
    Drawn without the database (the sections would need it)."""
    return render(request, "web/notice.html", {"notice": _offline(), **_no_database()})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/notice.html", {"notice": _not_found()}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: the site's header and a way back, drawn without the database (it may
    be why the page failed)."""
    try:
        context = {"notice": _server_error(), **_no_database()}
        return render(request, "web/notice.html", context, status=500)
    except Exception:  # the template itself failed: plain words still tell the reader
        log.exception("the 500 page could not be drawn")
        return HttpResponse(
            _("Something went wrong on our side. Please try again in a moment."),
            content_type="text/plain; charset=utf-8",
            status=500,
        )


def _no_database() -> dict[str, object]:
    return {"nav_sections": [], "site_counts": None, "debug": settings.DEBUG}

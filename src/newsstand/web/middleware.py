"""Response headers for the reader pages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

# Publisher images may come from any web host; nothing else leaves the site.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src https: http: data:",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Sets ``Content-Security-Policy`` on every response except the Django admin's.

    The admin is left to its own defaults (it relies on inline styles). A view that set
    its own policy keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        match = request.resolver_match
        if match is not None and match.app_name == "admin":
            return response
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response


# Pages that show or change a member's own account: never stored by any cache.
ACCOUNT_PATHS = ("/accounts/", "/account/")


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` on the account pages, and ``private`` on every
    other page served to a signed-in member (it names them): a shared cache (a proxy, a
    CDN) never keeps one person's page for another. Pages that depend on a visitor's
    cookies (the article page's wall) say so themselves. A view that set its own
    ``Cache-Control`` keeps it, except on the account pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.path.startswith(ACCOUNT_PATHS):
            response["Cache-Control"] = "private, no-store"
        elif "Cache-Control" not in response and request.user.is_authenticated:
            response["Cache-Control"] = "private"
        return response

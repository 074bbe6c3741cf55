"""Sign-in limits and the client's address, shared with any other login surface.

django-allauth keeps its rate limits in the ``default`` cache, which every web process
shares (the database, or Redis): ``authenticate_limited`` is its sign-in with those limits
(``ACCOUNT_RATE_LIMITS["login_failed"]``: per address and per login name), so another
login form (the admin's) gets the very same limits by calling it from its ``clean``.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def authenticate_limited(request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
    """``django.contrib.auth.authenticate`` under the members' sign-in limits. Raises
    ``django.forms.ValidationError`` ("Too many failed login attempts") once the limit is
    reached, whether or not the password is right; a success does not count."""
    user: AbstractBaseUser | None = get_adapter(request).authenticate(request, **credentials)
    return user


def client_address(request: HttpRequest) -> str:
    """The client's IP address (from ``X-Forwarded-For`` only behind the number of trusted
    proxies set by ``NEWSSTAND_TRUSTED_PROXY_COUNT``); "unknown" when there is none."""
    try:
        return str(get_adapter(request).get_client_ip(request))
    except PermissionDenied:
        return "unknown"

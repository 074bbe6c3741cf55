"""django-allauth's hooks: the trial starts when an address is verified; an address that
already has an account costs the same time at sign-up as a new one; the failed sign-in
limit counts per address whatever host name the request used."""

from __future__ import annotations

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from django.utils import timezone

from newsstand.usecases.membership import start_trial


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        confirmed = bool(super().confirm_email(request, email_address))
        if confirmed:
            days = settings.NEWSSTAND_MEMBERS.trial_days
            start_trial(email_address.user_id, email_address.email, days, timezone.now())
        return confirmed

    def send_account_already_exists_mail(self, email: str) -> None:
        # A new account hashes its password (Argon2, tens of milliseconds); without the same
        # work here, the time of the answer would tell that the address has an account.
        make_password(secrets.token_urlsafe(16))
        super().send_account_already_exists_mail(email)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: str) -> str:
        # allauth prefixes the site's domain, which is the request's Host when the sites
        # framework is off: each allowed host name (localhost, 127.0.0.1, a port) would get
        # its own five attempts. The address alone is the account's key.
        return str(credentials.get("email", credentials.get("username", ""))).strip().lower()

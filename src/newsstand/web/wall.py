"""The wall on the article page: who reads the full text, decided on the server.

Members with a trial or an active plan, and staff, read everything. Everyone else is a
visitor: ``core.meter`` decides from the visitor's meter (a signed cookie, so it cannot be
edited) and from the count of free reads of their address today (in the shared cache, so
throwing the cookie away does not open every article). Search engines' crawlers get the
teaser. A walled page is rendered without the full text: it is not in the HTML at all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers

from newsstand.core import meter
from newsstand.usecases.membership import Access, access_of
from newsstand.web.accounts.limits import client_address

METER_COOKIE = "ns_meter"
_SALT = "newsstand.wall.meter"
_ADDRESS_KEY_SECONDS = 2 * 86_400


@dataclass(frozen=True)
class ArticleAccess:
    full: bool
    access: Access
    decision: meter.MeterDecision | None = None  # for visitors
    crawler: bool = False
    address_reads: int = 0  # the free reads of the visitor's address today, when looked up

    @property
    def remaining(self) -> int | None:
        """Free articles left to a visitor (None: not metered)."""
        return self.decision.remaining if self.decision and self.decision.remaining >= 0 else None


def article_access(request: HttpRequest, article_id: int, now: datetime) -> ArticleAccess:
    access = access_of(request.user, now)
    policy: meter.WallPolicy = settings.NEWSSTAND_MEMBERS.wall
    if access.full or policy.allowance < 0:
        return ArticleAccess(full=True, access=access)
    if meter.is_crawler(request.headers.get("User-Agent", "")):
        return ArticleAccess(full=False, access=access, crawler=True)
    visitor_meter = _read_meter(request, policy)
    at = int(now.timestamp())
    decision, reads = meter.decide(visitor_meter, article_id, at, policy), 0
    if decision.counted and policy.address_cap >= 0:  # a new free read: is the address capped?
        reads = int(cache.get(_address_key(request, now), 0))
        decision = meter.decide(visitor_meter, article_id, at, policy, reads)
    return ArticleAccess(decision.full, access, decision, address_reads=reads)


def remember(
    request: HttpRequest, response: HttpResponseBase, view: ArticleAccess, now: datetime
) -> None:
    """Keep a visitor's new free read (the meter cookie, the address's count today), and
    mark the page as one person's: what it shows depends on who asks."""
    patch_vary_headers(response, ("Cookie",))
    patch_cache_control(response, private=True)
    decision = view.decision
    if decision is None or not decision.counted:
        return
    policy: meter.WallPolicy = settings.NEWSSTAND_MEMBERS.wall
    response.set_signed_cookie(
        METER_COOKIE,
        meter.format_meter(decision.meter),
        salt=_SALT,
        max_age=policy.window_seconds,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    if policy.address_cap >= 0:
        # get and set, not incr: the database cache's incr would reset the expiry to the
        # default five minutes. Two visitors behind one address at the same instant may
        # count once: the cap is a backstop, not a ledger.
        cache.set(_address_key(request, now), view.address_reads + 1, _ADDRESS_KEY_SECONDS)


def _read_meter(request: HttpRequest, policy: meter.WallPolicy) -> meter.Meter:
    try:
        text = request.get_signed_cookie(
            METER_COOKIE, default="", salt=_SALT, max_age=policy.window_seconds
        )
    except signing.BadSignature:
        return ()
    return meter.parse_meter(text or "")


def _address_key(request: HttpRequest, now: datetime) -> str:
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:24]
    return f"wall:address:{now.date().isoformat()}:{address}"

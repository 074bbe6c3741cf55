"""Who asks: the signed-in member of a members' page; operators' pages for staff only (others
go to the admin's sign-in), and of the staff only those whose role has the page's
permission (an editor does not see the feeds' health)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def staff_with(permission: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return staff_member_required(checked)

    return decorate


def signed_in(request: HttpRequest) -> User:
    """The member of a view behind ``login_required`` (accounts are ``auth.User``)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user

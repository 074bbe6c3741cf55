"""`newsstand add-member EMAIL [--password-stdin] [--role R] [--plan trial|NAME] [--verified]`:
make a member account as sign-up would, for operators and scripts."""

from __future__ import annotations

import argparse
import sys

from newsstand.cli.command import Command
from newsstand.cli.database import ensure_database

ROLES = ("reader", "editor", "admin")


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("email")
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input "
        "(without it the member sets one with a password reset)",
    )
    parser.add_argument("--role", choices=ROLES, default="reader")
    parser.add_argument(
        "--plan", help="'trial' (the free trial now) or a plan's name (granted until ended)"
    )
    parser.add_argument(
        "--verified", action="store_true", help="the address is known to be the member's"
    )


def handle(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.utils import timezone

    from newsstand.core.errors import NewsstandError
    from newsstand.members.roles import Role
    from newsstand.usecases.accounts import NewMember, add_member

    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else None
    ensure_database()
    new = NewMember(
        email=args.email,
        password=password,
        role=Role(args.role),
        plan=args.plan,
        verified=args.verified,
    )
    try:
        user = add_member(new, trial_days=settings.NEWSSTAND_MEMBERS.trial_days, now=timezone.now())
    except NewsstandError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    print(f"Added member {user.email} ({args.role}{', ' + args.plan if args.plan else ''}).")
    return 0


COMMAND = Command(
    help="make a member account (for operators and scripts)", handle=handle, arguments=arguments
)

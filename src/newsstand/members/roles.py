"""Roles: reader (every member), editor (the paper: pins, boosts, burials, picks, sections)
and admin (everything: feeds, members, settings of the site).

A role is a Django group with its permissions; editors and admins are staff (they use the
admin). The groups are made by a migration; their permissions are set again after every
migrate, so models added later (by any app) are covered. ``createsuperuser`` still makes
a superuser, who has every permission without a group.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import transaction


class Role(StrEnum):
    READER = "reader"
    EDITOR = "editor"
    ADMIN = "admin"


GROUP_NAMES = {Role.READER: "Readers", Role.EDITOR: "Editors", Role.ADMIN: "Admins"}
# What an editor may do, as "app_label.codename" (the admin checks these).
EDITOR_PERMISSIONS = frozenset(
    {
        "stories.view_story",
        "stories.change_story",
        "stories.view_publisherweight",
        "stories.add_publisherweight",
        "stories.change_publisherweight",
        "stories.delete_publisherweight",
        "sources.view_section",
        "sources.add_section",
        "sources.change_section",
        "sources.delete_section",
        "sources.view_publisher",
        "articles.view_article",
        "articles.change_article",
    }
)


def sync_role_permissions(using: str = "default", **_: Any) -> None:
    """Give each role's group its permissions (a ``post_migrate`` receiver): editors the
    list above, admins every permission there is."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():  # models of apps migrated after this one
        create_permissions(app_config, verbosity=0, using=using)
    with transaction.atomic(using=using):
        groups = {
            role: Group.objects.using(using).get_or_create(name=name)[0]
            for role, name in GROUP_NAMES.items()
        }
        everything = Permission.objects.using(using).all()
        groups[Role.ADMIN].permissions.set(everything)
        groups[Role.EDITOR].permissions.set(
            [
                p
                for p in everything.select_related("content_type")
                if _label(p) in EDITOR_PERMISSIONS
            ]
        )
        groups[Role.READER].permissions.clear()


def _label(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def set_role(user: AbstractUser, role: Role) -> None:
    """Make ``user`` a reader, editor or admin: one role group, staff for editors and admins."""
    with transaction.atomic():
        group = Group.objects.get(name=GROUP_NAMES[role])
        others = Group.objects.filter(name__in=GROUP_NAMES.values()).exclude(pk=group.pk)
        user.groups.remove(*others)
        user.groups.add(group)
        user.is_staff = role is not Role.READER or user.is_superuser
        user.save(update_fields=["is_staff"])


def role_of(user: AbstractUser) -> Role:
    """The user's role: admin for superusers and the admin group, then editor, else reader."""
    if user.is_superuser:
        return Role.ADMIN
    names = {g.name for g in user.groups.all()}
    for role in (Role.ADMIN, Role.EDITOR):
        if GROUP_NAMES[role] in names:
            return role
    return Role.READER

"""The schema the commands need: servers migrate on start, one-off commands only create."""

from __future__ import annotations


def migrate() -> None:
    """Apply migrations: the server commands (run, web, demo) do this on every start."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def ensure_database() -> None:
    """For one-off commands: create the schema of a new database, else leave it to the
    servers' start (checking every migration costs half a second a command)."""
    from django.db import connection

    from newsstand.members.models import Membership
    from newsstand.sources.models import Feed

    tables = connection.introspection.table_names()
    if Feed._meta.db_table not in tables or Membership._meta.db_table not in tables:
        migrate()  # a new database, or one made before the members app

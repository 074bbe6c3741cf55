"""The table of the shared cache (``CACHES["default"]`` with the database backend, the
default): every web process reads and writes the same rate limits there. Made here so that
``newsstand migrate`` (which every server start runs) makes it; Django's
``createcachetable`` would make the same table."""

from django.core.management import call_command
from django.db import migrations

TABLE = "newsstand_cache"  # settings.CACHE_TABLE


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("members", "0002_roles")]

    operations = [migrations.RunPython(create_table, drop_table)]

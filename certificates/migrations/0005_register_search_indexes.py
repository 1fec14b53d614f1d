"""Trigram indexes for the register's search by number, holder or programme.

The search is Django's ``icontains`` (``UPPER(column::text) LIKE …``); these
indexes on the same expression serve it on PostgreSQL. SQLite scans.
"""

from django.db import migrations

TABLE = "certificates_certificate"
COLUMNS = ("number", "holder_name", "course_title")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TABLE}_{column}_trgm ON {TABLE} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {TABLE}_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("certificates", "0004_reviewer_permissions")]

    operations = [migrations.RunPython(create, drop)]

"""Trigram indexes for finding people by any part of a name or address.

Reviewers search 100,000 learners by a fragment of a surname or an e-mail;
Django's ``icontains`` is ``UPPER(column::text) LIKE UPPER('%…%')``, which a
plain index cannot serve and a trigram index on the same expression can.
PostgreSQL only; SQLite, the embedded default, scans.
"""

from django.db import migrations

TABLE = "lms_user"
COLUMNS = ("last_name", "first_name", "patronymic", "email")


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
    dependencies = [("lms", "0006_role_admin_access")]

    operations = [migrations.RunPython(create, drop)]

"""The Django admin is no longer installed (the Wagtail admin is the only one).

Its log table would otherwise stay behind in databases made before, holding
names of edited objects that account deletion could not reach.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("lms", "0003_account_confirmation_and_consent")]

    operations = [
        migrations.RunSQL(
            "DROP TABLE IF EXISTS django_admin_log", reverse_sql=migrations.RunSQL.noop
        ),
    ]

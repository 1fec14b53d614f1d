"""Running counts per quiz question, filled from the results graded so far.

The backfill groups the results as ``courses.quizzes.admin.stats.rebuild_tallies``
does, with the models as they are at this migration; the digest is the one of
``QuestionTally.digest``.
"""

import hashlib

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Q

BATCH = 1000


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def fill_tallies(apps, schema_editor):
    QuestionResult = apps.get_model("courses", "QuestionResult")
    QuestionTally = apps.get_model("courses", "QuestionTally")
    groups = (
        QuestionResult.objects.values("quiz_id", "question_id", "question_text")
        .annotate(
            drawn=Count("pk"),
            answered=Count("pk", filter=Q(answered=True)),
            correct=Count("pk", filter=Q(correct=True)),
        )
        .order_by()
    )
    tallies = [
        QuestionTally(text_digest=digest(group["question_text"]), **group)
        for group in groups.iterator()
    ]
    QuestionTally.objects.bulk_create(tallies, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_reviewer_permissions"),
    ]

    operations = [
        migrations.CreateModel(
            name="QuestionTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("question_text", models.TextField()),
                ("text_digest", models.CharField(max_length=32)),
                ("drawn", models.PositiveIntegerField(default=0)),
                ("answered", models.PositiveIntegerField(default=0)),
                ("correct", models.PositiveIntegerField(default=0)),
                (
                    "question",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="courses.question",
                    ),
                ),
                (
                    "quiz",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="courses.quizpage",
                    ),
                ),
            ],
            options={
                "verbose_name": "question tally",
                "verbose_name_plural": "question tallies",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("quiz", "question", "text_digest"),
                        name="courses_question_tally_key",
                    )
                ],
            },
        ),
        migrations.RunPython(fill_tallies, migrations.RunPython.noop, elidable=True),
    ]

"""Fills the new enrolment columns from what is already known.

Where the learner works comes from their profile as it is now (the best
record there is of enrolments completed before the columns existed); the first
step is the earliest completed step of the course.
"""

from django.db import migrations
from django.db.models import Min, OuterRef, Subquery

FIELDS = ("oblast_id", "hromada_id", "position_category_id", "organisation")


def backfill(apps, schema_editor):
    Enrolment = apps.get_model("courses", "Enrolment")
    Completion = apps.get_model("courses", "Completion")
    User = apps.get_model("lms", "User")
    profile = User.objects.filter(pk=OuterRef("learner_id"))
    Enrolment.objects.update(
        **{name: Subquery(profile.values(name)[:1]) for name in FIELDS}
    )
    first_step = (
        Completion.objects.filter(
            learner_id=OuterRef("learner_id"),
            course_id=OuterRef("course_id"),
            kind__in=["lesson", "quiz"],
        )
        .values("learner_id")
        .annotate(first=Min("completed_at"))
        .values("first")
    )
    Enrolment.objects.update(started_at=Subquery(first_step[:1]))


class Migration(migrations.Migration):
    dependencies = [("courses", "0006_enrolment_records_for_reviews")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

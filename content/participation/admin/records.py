"""What the listing, inspect view and export show of each application.

The applicant's course record *now* is read in SQL beside each row: the
enrolment in the application's course (status), the best closed attempt at the
course's final test (the last live ``QuizPage`` of the course in tree order)
and a valid certificate of the course. They are subqueries of the one query
that reads a page of the listing or a chunk of an export, so the cost does not
grow with the number of rows.
"""

from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certificates.models import Certificate
from content.participation.models import Application, Eligibility
from courses.models import Enrolment, QuizAttempt, QuizPage

CourseStatus = Application.CourseStatus

# The wording of the reviewers' completion report (certificates/reviewing/
# completions.py), with «not enrolled» for those who never enrolled.
COURSE_STATUS_LABELS = {
    CourseStatus.NONE: pgettext_lazy("enrolment status", "not enrolled"),
    CourseStatus.ENROLLED: pgettext_lazy("enrolment status", "enrolled"),
    CourseStatus.LEARNING: pgettext_lazy("enrolment status", "learning"),
    CourseStatus.COMPLETED: pgettext_lazy("enrolment status", "completed"),
}
COURSE_STATUS_CHOICES = list(COURSE_STATUS_LABELS.items())
COURSE_RANK = {
    CourseStatus.NONE: 0,
    CourseStatus.ENROLLED: 1,
    CourseStatus.LEARNING: 2,
    CourseStatus.COMPLETED: 3,
}

COMPLETED_SIGNAL = pgettext_lazy("eligibility signal", "Completed the course")
NOT_COMPLETED_SIGNAL = pgettext_lazy("eligibility signal", "Has not completed")


def _enrolment_state():
    enrolment = Enrolment.objects.filter(
        learner_id=OuterRef("applicant_id"), course_id=OuterRef("course_id")
    )
    return Subquery(
        enrolment.annotate(
            state=Case(
                When(completed_at__isnull=False, then=Value(CourseStatus.COMPLETED)),
                When(started_at__isnull=False, then=Value(CourseStatus.LEARNING)),
                default=Value(CourseStatus.ENROLLED),
                output_field=CharField(),
            )
        ).values("state")[:1],
        output_field=CharField(),
    )


def _final_quiz():
    """The last live quiz of the application's course, in tree order."""
    quizzes = QuizPage.objects.live().filter(
        path__startswith=OuterRef("course__path"),
        depth__gt=OuterRef("course__depth"),
    )
    return Subquery(quizzes.order_by("-path").values("pk")[:1])


def _best_percent():
    attempts = (
        QuizAttempt.objects.filter(
            learner_id=OuterRef("applicant_id"),
            quiz_id=OuterRef("final_quiz_id"),
            percent__isnull=False,
        )
        .exclude(status=QuizAttempt.Status.IN_PROGRESS)
        .order_by("-percent")
    )
    return Subquery(attempts.values("percent")[:1])


def _valid_certificate(field: str):
    certificates = Certificate.objects.valid().filter(
        learner_id=OuterRef("applicant_id"), course_id=OuterRef("course_id")
    )
    return Subquery(certificates.order_by("-issued_at", "-pk").values(field)[:1])


def with_records(queryset: QuerySet) -> QuerySet:
    """Applications with the applicant, the page and the course record now.

    Annotates ``course_now`` (a ``CourseStatus`` value, None without a
    course), ``course_rank`` (for sorting), ``best_percent``,
    ``certificate_now_id`` and ``certificate_now_number`` (a valid
    certificate of the course) and ``certificate_number`` (that one, else the
    certificate attached when applying).
    """
    return (
        queryset.select_related("applicant", "page", "certificate")
        .annotate(
            course_now=Case(
                When(course_id__isnull=True, then=Value(None)),
                default=Coalesce(_enrolment_state(), Value(CourseStatus.NONE)),
                output_field=CharField(),
            ),
            final_quiz_id=_final_quiz(),
            best_percent=_best_percent(),
            certificate_now_id=_valid_certificate("pk"),
            certificate_now_number=_valid_certificate("number"),
        )
        .annotate(
            course_rank=Case(
                *(
                    When(course_now=status, then=Value(rank))
                    for status, rank in COURSE_RANK.items()
                ),
                default=Value(-1),
                output_field=IntegerField(),
            ),
            certificate_number=Coalesce(
                F("certificate_now_number"), F("certificate__number")
            ),
        )
    )


# Values of one annotated application, as people read them --------------------


def full_name(application: Application) -> str:
    user = application.applicant
    if user.anonymised_at is not None:
        return str(_("(account deleted)"))
    return user.get_full_name() or user.email


def email(application: Application) -> str:
    user = application.applicant
    return "" if user.anonymised_at is not None else user.email


def course_now_label(application: Application) -> str:
    value = getattr(application, "course_now", None)
    return str(COURSE_STATUS_LABELS[value]) if value else ""


def course_then_label(application: Application) -> str:
    if application.course_id is None:
        return ""
    return str(COURSE_STATUS_LABELS[application.course_status])


def best_score(application: Application) -> str:
    """The best result at the final test, «85.5 %», or empty."""
    value = getattr(application, "best_percent", None)
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f} %"


def eligibility_signal(application: Application) -> str:
    """For «completion preferred» pages: whether the applicant completed it."""
    if application.page.eligibility != Eligibility.COMPLETION_PREFERRED:
        return ""
    if getattr(application, "course_now", None) == CourseStatus.COMPLETED:
        return str(COMPLETED_SIGNAL)
    return str(NOT_COMPLETED_SIGNAL)


def snapshot_certificate_status(application: Application) -> str:
    """The status of the certificate shown when it is not a valid one now."""
    if getattr(application, "certificate_now_id", None) is not None:
        return ""
    certificate = application.certificate
    if certificate is None or certificate.status == Certificate.Status.VALID:
        return ""
    return str(certificate.get_status_display())


def attended_label(application: Application) -> str:
    if application.attended is None:
        return ""
    return str(_("Yes") if application.attended else _("No"))

"""A learner's transcript: every step, attempt and certificate, for reviewers.

Read in a fixed number of queries whatever the learner did: the learner, the
enrolments in the reviewer's scope, their completed steps, quiz attempts and
certificates. Shown in the admin, printable without it, and downloadable as a
PDF made by the certificate renderer (fonts, escaping, signature). Every view
and download is written to the access log. A regional reviewer sees only the
enrolments of their oblasts, and a learner with none there is not found.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy

from certificates.models import Certificate
from certificates.pdf import render_document
from certificates.reviewing import extensions
from certificates.reviewing.access import record_access
from certificates.reviewing.completion_report import URL_NAME as REPORT_URL_NAME
from certificates.reviewing.completions import Status
from certificates.reviewing.models import ReviewAccess
from certificates.reviewing.scope import scope_of
from certificates.signing import sign_pdf
from courses.models import Completion, Enrolment, QuizAttempt
from courses.quizzes.attempts import Detail
from courses.quizzes.selectors import ResultItem, result_items

URL_NAME = "review_transcript"
PRINT_URL_NAME = "review_transcript_print"
PDF_URL_NAME = "review_transcript_pdf"


@dataclass
class StepDone:
    title: str
    kind: str
    completed_at: datetime


@dataclass
class AttemptRecord:
    attempt: QuizAttempt
    quiz_title: str
    items: list[ResultItem]


@dataclass
class CourseRecord:
    enrolment: Enrolment
    steps: list[StepDone] = field(default_factory=list)
    attempts: list[AttemptRecord] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        if self.enrolment.completed_at:
            return str(Status.LABELS[Status.COMPLETED])
        if self.enrolment.started_at:
            return str(Status.LABELS[Status.LEARNING])
        return str(Status.LABELS[Status.ENROLLED])


@dataclass
class Transcript:
    learner: object
    courses: list[CourseRecord]
    made_at: datetime
    # Sections other apps register (certificates.reviewing.extensions).
    sections: list[extensions.SectionContent] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        if self.learner.anonymised_at is not None:
            return str(_("(account deleted)"))
        return self.learner.get_full_name() or self.learner.email


def transcript_for(*, learner_id: int, user) -> Transcript:
    """The learner's records that ``user`` may see; Http404 when there are none."""
    learner = (
        get_user_model()
        .objects.select_related("oblast", "hromada", "position_category")
        .filter(pk=learner_id)
        .first()
    )
    if learner is None:
        raise Http404
    scope = scope_of(user)
    enrolments = list(
        scope.enrolments(Enrolment.objects.filter(learner=learner))
        .select_related("course", "oblast", "hromada", "position_category")
        .order_by("enrolled_at", "pk")
    )
    if not enrolments:
        raise Http404
    courses = {e.course_id: CourseRecord(e) for e in enrolments}
    _add_steps(learner, courses)
    _add_attempts(learner, courses)
    _add_certificates(enrolments, courses)
    return Transcript(
        learner,
        list(courses.values()),
        timezone.now(),
        sections=extensions.read_sections(learner, scope),
    )


def _add_steps(learner, courses: dict[int, CourseRecord]) -> None:
    rows = (
        Completion.objects.filter(learner=learner, course_id__in=courses)
        .order_by("completed_at", "pk")
        .values_list("course_id", "page__title", "kind", "completed_at")
    )
    labels = dict(Completion.Kind.choices)
    for course_id, title, kind, completed_at in rows:
        courses[course_id].steps.append(
            StepDone(title, str(labels.get(kind, kind)), completed_at)
        )


def _add_attempts(learner, courses: dict[int, CourseRecord]) -> None:
    attempts = (
        QuizAttempt.objects.filter(learner=learner)
        .select_related("quiz")
        .only(
            "pk",
            "number",
            "status",
            "started_at",
            "closed_at",
            "deadline",
            "questions",
            "answers",
            "results",
            "score",
            "max_score",
            "percent",
            "pass_mark",
            "passed",
            "late_answers_ignored",
            "quiz__title",
            "quiz__path",
            "quiz_id",
        )  # fmt: skip
        .order_by("quiz__path", "number")
    )
    by_path = defaultdict(list)
    for attempt in attempts:
        by_path[attempt.quiz.path].append(attempt)
    for course in courses.values():
        prefix = course.enrolment.course.path
        for quiz_path, quiz_attempts in sorted(by_path.items()):
            if not quiz_path.startswith(prefix):
                continue
            for attempt in quiz_attempts:
                # Reviewers see what was asked, answered and right: the snapshot.
                items = result_items(attempt, detail=Detail.FULL)
                course.attempts.append(
                    AttemptRecord(attempt, attempt.quiz.title, items)
                )


def _add_certificates(enrolments, courses: dict[int, CourseRecord]) -> None:
    certificates = Certificate.objects.filter(
        enrolment_id__in=[e.pk for e in enrolments]
    ).select_related("superseded_by", "supersedes")
    for certificate in certificates.order_by("issued_at", "pk"):
        courses[certificate.course_id].certificates.append(certificate)


# Views ------------------------------------------------------------------------


class TranscriptMixin(PermissionCheckedMixin):
    permission_required = "view"
    action = ReviewAccess.Action.TRANSCRIPT

    @cached_property
    def permission_policy(self):
        return ModelPermissionPolicy(Enrolment)

    @cached_property
    def transcript(self) -> Transcript:
        return transcript_for(learner_id=self.kwargs["pk"], user=self.request.user)

    def log_access(self) -> None:
        record_access(
            user=self.request.user,
            action=self.action,
            learner=self.transcript.learner,
            subject=self.transcript.full_name,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            transcript=self.transcript,
            pdf_url=reverse(PDF_URL_NAME, args=[self.kwargs["pk"]]),
            print_url=reverse(PRINT_URL_NAME, args=[self.kwargs["pk"]]),
            **kwargs,
        )


class TranscriptView(TranscriptMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "certificates/reviewing/transcript.html"
    page_title = _("Transcript")
    header_icon = "user"

    def get_page_subtitle(self):
        return self.transcript.full_name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(REPORT_URL_NAME), "label": _("Completion report")},
            {"url": "", "label": self.transcript.full_name},
        ]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        self.log_access()
        return response


class TranscriptPrintView(TranscriptMixin, TemplateView):
    """The transcript alone on the page, for the browser's print."""

    template_name = "certificates/reviewing/transcript_print.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(expanded=True, **kwargs)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        self.log_access()
        return response


class TranscriptPdfView(TranscriptMixin, TemplateView):
    action = ReviewAccess.Action.TRANSCRIPT_PDF

    def get(self, request, *args, **kwargs):
        transcript = self.transcript
        pdf = sign_pdf(
            render_document(
                "certificates/pdf/transcript.html",
                {"transcript": transcript},
                author=str(_("Smart Interaction")),
            )
        )
        self.log_access()
        stamp = timezone.localdate().isoformat()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="transcript-{transcript.learner.pk}-{stamp}.pdf"'
        )
        response["Cache-Control"] = "private, no-store"
        return response


@hooks.register("register_admin_urls")
def register_transcript_urls():
    return [
        path("reviews/learners/<int:pk>/", TranscriptView.as_view(), name=URL_NAME),
        path(
            "reviews/learners/<int:pk>/print/",
            TranscriptPrintView.as_view(),
            name=PRINT_URL_NAME,
        ),
        path(
            "reviews/learners/<int:pk>/pdf/",
            TranscriptPdfView.as_view(),
            name=PDF_URL_NAME,
        ),
    ]

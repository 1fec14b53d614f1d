"""Issuing certificates in bulk, e.g. for learners who completed before
certificates existed. Runs as a background task; progress is on the job row."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.issuing import IssuingError, NotPermitted, issue_certificate
from certificates.models import BulkIssueJob, Certificate, NameConfirmation
from courses.models import Enrolment

# Progress is written every few certificates: often enough for the page,
# rarely enough not to double the work of a run.
PROGRESS_EVERY = 10
CHUNK = 500


def start_bulk_issue(
    *, by, course=None, use_profile_names: bool = False
) -> BulkIssueJob:
    """Creates the job and queues the task once the job row is committed."""
    from certificates.tasks import bulk_issue_certificates

    if not by.has_perm("certificates.issue_certificates_in_bulk"):
        raise NotPermitted(_("You may not issue certificates in bulk."))
    job = BulkIssueJob.objects.create(
        created_by=by, course=course, use_profile_names=use_profile_names
    )
    transaction.on_commit(lambda: bulk_issue_certificates.enqueue(job_id=job.pk))
    return job


def pending_enrolments(*, course=None):
    """Completed enrolments with no certificate at all (a revoked one is final)."""
    # By the enrolment (its foreign key is indexed): one enrolment per
    # learner and course, so the same certificates as by learner and course.
    has_certificate = Certificate.objects.filter(enrolment_id=OuterRef("pk"))
    enrolments = Enrolment.objects.filter(completed_at__isnull=False).exclude(
        Exists(has_certificate)
    )
    if course is not None:
        enrolments = enrolments.filter(course=course)
    return enrolments.order_by("pk")


def run_bulk_issue(*, job_id: int) -> BulkIssueJob:
    """Works through the job; safe to call again for a finished job (no-op)."""
    job = BulkIssueJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != BulkIssueJob.Status.QUEUED:
        return job
    ids = list(pending_enrolments(course=job.course).values_list("pk", flat=True))
    job.total, job.status = len(ids), BulkIssueJob.Status.RUNNING
    job.save(update_fields=["total", "status"])
    try:
        for start in range(0, len(ids), CHUNK):
            _issue_chunk(job, ids[start : start + CHUNK])
    except Exception:
        job.status, job.finished_at = BulkIssueJob.Status.FAILED, timezone.now()
        _save_progress(job, final=True)
        raise
    job.status, job.finished_at = BulkIssueJob.Status.FINISHED, timezone.now()
    _save_progress(job, final=True)
    return job


def _issue_chunk(job: BulkIssueJob, ids: list[int]) -> None:
    enrolments = Enrolment.objects.filter(pk__in=ids).select_related("learner")
    learner_ids = {enrolment.learner_id for enrolment in enrolments}
    confirmed = set(
        NameConfirmation.objects.filter(user_id__in=learner_ids).values_list(
            "user_id", flat=True
        )
    )
    for enrolment in enrolments.order_by("pk"):
        _issue_one(job, enrolment, confirmed=enrolment.learner_id in confirmed)
        if job.done % PROGRESS_EVERY == 0:
            _save_progress(job)


def _issue_one(job: BulkIssueJob, enrolment: Enrolment, *, confirmed: bool) -> None:
    if not confirmed and not job.use_profile_names:
        job.waiting += 1
        job.waiting_enrolments.append(enrolment.pk)
        return
    holder_name = None if confirmed else enrolment.learner.get_full_name()
    try:
        issue_certificate(
            enrolment=enrolment, holder_name=holder_name, issued_by=job.created_by
        )
    except IssuingError as error:
        job.failed += 1
        job.failures.append({"enrolment": enrolment.pk, "error": str(error)})
    else:
        job.issued += 1


def _save_progress(job: BulkIssueJob, *, final: bool = False) -> None:
    fields = ["issued", "waiting", "failed", "waiting_enrolments", "failures"]
    if final:
        fields += ["status", "finished_at"]
    job.save(update_fields=fields)

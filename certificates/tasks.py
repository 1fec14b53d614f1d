"""Background tasks (django-tasks): immediate in development and tests, a
worker in production."""

from django_tasks import task

from certificates.bulk import run_bulk_issue


@task()
def bulk_issue_certificates(job_id: int) -> dict:
    """Runs one bulk issue job; the job row holds the progress."""
    job = run_bulk_issue(job_id=job_id)
    return {"issued": job.issued, "waiting": job.waiting, "failed": job.failed}

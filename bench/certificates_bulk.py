"""Bulk issue of certificates through the task backend, timed.

Usage: python bench/certificates_bulk.py [--learners N] [--sign] [--tracemalloc]

Builds a throwaway SQLite database under var/bench/ (or uses DATABASE_URL),
seeds the demo course, makes N learners who completed it and confirmed their
name, publishes a certificate design with a logo and a signature image, then
runs one bulk issue job through django-tasks (the immediate backend, as in
development). Reports the total time, the median and mean per certificate,
and peak memory: ru_maxrss for the whole process always, and with
``--tracemalloc`` the peak of Python allocations (tracing slows the run several
times over, so take times from a run without it).
``--sign`` signs every PDF with a throwaway test key, as production signs
with the provider's key.

``--worker`` (PostgreSQL: set DATABASE_URL) runs the job as production does:
the page only queues it in the database and a separate ``manage.py
run_worker`` process issues the certificates; the peak resident memory of
that worker process (VmHWM) is reported.
"""

import argparse
import io
import os
import resource
import shutil
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import BENCH_DIR  # noqa: E402


def _setup_django(worker: bool) -> None:
    if worker:
        os.environ["BENCH_TASKS"] = "database"
        os.environ["PRIVATE_MEDIA_ROOT"] = str(BENCH_DIR / "certificates-private")
        os.environ["BENCH_MEDIA_ROOT"] = str(BENCH_DIR / "certificates-media")
    for folder in ("certificates-private", "certificates-media"):
        shutil.rmtree(BENCH_DIR / folder, ignore_errors=True)
    from django.conf import settings

    from bench.environment import setup_django

    setup_django("certificates")
    settings.PRIVATE_MEDIA_ROOT = BENCH_DIR / "certificates-private"
    settings.MEDIA_ROOT = BENCH_DIR / "certificates-media"


def _image(title: str, colour: str):
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PILImage.new("RGBA", (300, 150), colour).save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="b.png"))


def _letters(number: int) -> str:
    """A distinct word of Ukrainian letters for each number (names take no digits)."""
    alphabet = "абвгдежзиклмнопрстуфхцчшщюя"
    word = ""
    while True:
        number, digit = divmod(number, len(alphabet))
        word = alphabet[digit] + word
        if number == 0:
            return word.capitalize()


def _prepare(learners: int):
    """The demo course, N learners who completed it, a design; returns an admin."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from certificates.models import CertificateDesign, NameConfirmation
    from courses.models import CoursePage, Enrolment

    call_command("migrate", verbosity=0)
    call_command("seed_demo", allow_production=True, verbosity=0)
    course = CoursePage.objects.live().first()
    User = get_user_model()
    users = User.objects.bulk_create(
        User(
            email=f"bulk-{n}@example.org",
            last_name="Коваленко",
            first_name="Марʼяна",
            patronymic=f"Тестова {_letters(n)}",
        )
        for n in range(learners)
    )
    now = timezone.now()
    Enrolment.objects.bulk_create(
        Enrolment(learner=user, course=course, completed_at=now) for user in users
    )
    NameConfirmation.objects.bulk_create(
        NameConfirmation(user=user, printed_name=user.get_full_name()) for user in users
    )
    design = CertificateDesign(
        name="Бенчмарк",
        heading="СЕРТИФІКАТ",
        statement="засвідчує, що",
        completion_text="успішно завершив(-ла) навчання за програмою",
        signer_name="Олена Коваленко",
        signer_position="Директорка",
        logo=_image("Logo", "navy"),
        signature_image=_image("Signature", "black"),
        live=False,
    )
    design.save()
    design.save_revision().publish()
    return User.objects.create_superuser(email="bench-admin@example.org")


def _use_test_key() -> None:
    from django.conf import settings
    from django.core.management import call_command

    path = BENCH_DIR / "bench-test-key.p12"
    password = "bench-only-test-key"  # noqa: S105 - a throwaway test key
    if not path.exists():
        call_command("make_test_signing_key", str(path), password=password)
    settings.CERTIFICATE_SIGNING_P12 = str(path)
    settings.CERTIFICATE_SIGNING_PASSWORD = password
    os.environ["CERTIFICATE_SIGNING_P12"] = str(path)
    os.environ["CERTIFICATE_SIGNING_PASSWORD"] = password


def _through_worker(job_id: int) -> tuple[float, int]:
    """Runs ``manage.py run_worker`` until the job is done.

    Returns the seconds it took and the worker's peak resident memory in KiB
    (VmHWM from /proc, read just before the worker is stopped).
    """
    import signal
    import subprocess

    from certificates.models import BulkIssueJob

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--sweep-every", "3600"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.bench"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    start = time.perf_counter()
    try:
        while True:
            time.sleep(1)
            job = BulkIssueJob.objects.get(pk=job_id)
            if job.status not in (job.Status.QUEUED, job.Status.RUNNING):
                break
            if worker.poll() is not None:
                raise SystemExit("The worker stopped before the job was done.")
        elapsed = time.perf_counter() - start
        status = Path(f"/proc/{worker.pid}/status").read_text()
        peak = next(
            int(line.split()[1]) for line in status.splitlines()
            if line.startswith("VmHWM:")
        )  # fmt: skip
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    return elapsed, peak


def _timed_issuing(samples: list[float]) -> None:
    """Wraps the issuing service the bulk run calls, to time each certificate."""
    from certificates import bulk

    original = bulk.issue_certificate

    def timed(**kwargs):
        start = time.perf_counter()
        try:
            return original(**kwargs)
        finally:
            samples.append(time.perf_counter() - start)

    bulk.issue_certificate = timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--sign", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args()
    if args.worker and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("--worker needs PostgreSQL: set DATABASE_URL.")
    _setup_django(args.worker)
    if args.sign:
        _use_test_key()
    admin = _prepare(args.learners)

    from certificates.bulk import start_bulk_issue
    from certificates.models import BulkIssueJob, Certificate
    from certificates.signing import signing_enabled

    samples: list[float] = []
    _timed_issuing(samples)
    if args.tracemalloc:
        tracemalloc.start()
    start = time.perf_counter()
    job = start_bulk_issue(by=admin)  # the immediate backend runs it on commit
    total = time.perf_counter() - start
    worker_peak_kib = None
    if args.worker:
        total, worker_peak_kib = _through_worker(job.pk)
    peak = tracemalloc.get_traced_memory()[1] if tracemalloc.is_tracing() else None
    tracemalloc.stop()
    job = BulkIssueJob.objects.get(pk=job.pk)
    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    print(f"database          {os.environ['DATABASE_URL'].split(':')[0]}")
    print(f"signed            {signing_enabled()}")
    print(f"job               {job.status}: issued {job.issued}, failed {job.failed}")
    print(f"certificates      {Certificate.objects.count()}")
    print(f"total             {total:.1f} s")
    if samples:
        print(f"per certificate   median {statistics.median(samples) * 1000:.1f} ms")
        print(f"                  mean {statistics.mean(samples) * 1000:.1f} ms")
    elif job.issued:
        print(f"per certificate   mean {total / job.issued * 1000:.1f} ms (wall clock)")
    if peak is not None:
        print(f"tracemalloc peak  {peak / 2**20:.1f} MiB (Python allocations;")
        print("                  times above are slowed down by tracing)")
    if worker_peak_kib is not None:
        peak = worker_peak_kib / 1024
        print(f"worker VmHWM      {peak:.1f} MiB (the run_worker process)")
    else:
        print(f"ru_maxrss         {maxrss_kib / 1024:.1f} MiB (whole process)")


if __name__ == "__main__":
    main()

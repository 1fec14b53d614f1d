"""Times the reviewers' workspace on a large database, against its targets.

Usage (PostgreSQL with bench data, e.g. after ``manage.py bench_data
--learners 100000``):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench_100k \\
        .venv/bin/python bench/reviewers.py [--runs 7] [--explain]

Each page is requested in this process through Django's test client (bench
settings: DEBUG off), after two warm-up requests, by a national reviewer and
by one limited to the oblast with most learners; the median and the slowest
run are printed beside the target. The plain Wagtail home page is timed in
the same run for scale. The full CSV export of the completion report runs in
a child process of its own, so that its peak memory (ru_maxrss) is the
export's. ``--explain`` prints EXPLAIN (ANALYZE, BUFFERS) of the report's
filtered count and page and of the register's search. The staff accounts it
needs are made once on the @bench-staff.invalid domain.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPORT = "/admin/reports/completions/"
TARGETS_MS = {
    "completion report, first page": 500,
    "completion report, filtered": 500,
    "completion report, searched": 500,
    "completion report, sorted by name": 500,
    "completion report, regional": 500,
    "transcript": 300,
    "bulk verification, 1,000 numbers": 2000,
    "statistics": 1000,
    "statistics, regional": 1000,
    "question statistics report": 1000,
    "register, first page": 100,
    "register, searched": 100,
    "register, filtered by oblast": 100,
    "register, certificate page": 100,
}


def setup_django() -> None:
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL to a database with bench data.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.bench")
    import django

    django.setup()


def staff():
    """A national and a regional reviewer, and an administrator."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import Count

    from courses.models import Enrolment
    from lms.roles import REVIEWERS

    users = get_user_model().objects
    reviewers = Group.objects.get(name=REVIEWERS)
    national, _ = users.get_or_create(
        email="national.reviewer@bench-staff.invalid",
        defaults={"last_name": "Рецензентка", "first_name": "Національна"},
    )
    national.groups.add(reviewers)
    busiest = (
        Enrolment.objects.values("oblast").annotate(n=Count("pk")).order_by("-n")[0]
    )
    regional, _ = users.get_or_create(
        email="regional.reviewer@bench-staff.invalid",
        defaults={"last_name": "Рецензент", "first_name": "Регіональний"},
    )
    regional.groups.add(reviewers)
    regional.review_oblasts.set([busiest["oblast"]])
    admin, _ = users.get_or_create(
        email="admin@bench-staff.invalid",
        defaults={"is_staff": True, "is_superuser": True, "last_name": "Адмін"},
    )
    return national, regional, admin, busiest["oblast"]


def client_for(user):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def timed(client, url, *, runs: int, data=None) -> list[float]:
    """Milliseconds of ``runs`` requests after two warm-up ones."""
    request = client.post if data is not None else client.get
    samples = []
    for number in range(runs + 2):
        start = time.perf_counter()
        response = request(url, data) if data is not None else request(url)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if number >= 2:
            samples.append(elapsed)
    return samples


def cases(national, regional, admin, oblast_id):
    from django.urls import reverse

    from certificates.models import Certificate
    from courses.models import Enrolment

    completed = (
        Enrolment.objects.filter(completed_at__isnull=False, oblast_id=oblast_id)
        .order_by("pk")
        .values_list("learner_id", flat=True)
        .first()
    )
    certificate = Certificate.objects.order_by("-pk").first()
    numbers = list(
        Certificate.objects.order_by("?").values_list("number", flat=True)[:950]
    )
    numbers += [f"РВ-2019-{n:06d}" for n in range(50)]  # never issued
    register = reverse("certificate_register:index")
    surname = certificate.holder_name.split()[0][:5]
    return [
        ("completion report, first page", national, REPORT, None),
        (
            "completion report, filtered",
            national,
            f"{REPORT}?oblast={oblast_id}&status=completed",
            None,
        ),
        ("completion report, searched", national, f"{REPORT}?q={surname}", None),
        (
            "completion report, sorted by name",
            national,
            f"{REPORT}?ordering=learner__last_name",
            None,
        ),
        ("completion report, regional", regional, REPORT, None),
        ("transcript", national, reverse("review_transcript", args=[completed]), None),
        (
            "bulk verification, 1,000 numbers",
            national,
            reverse("review_bulk_verify"),
            {"numbers": "\n".join(numbers)},
        ),
        ("statistics", national, reverse("review_statistics"), None),
        ("statistics, regional", regional, reverse("review_statistics"), None),
        ("question statistics report", admin, "/admin/reports/quiz-questions/", None),
        ("register, first page", national, register, None),
        ("register, searched", national, f"{register}?q={surname}", None),
        (
            "register, filtered by oblast",
            national,
            f"{register}?oblast={oblast_id}",
            None,
        ),
        (
            "register, certificate page",
            national,
            reverse("certificate_register:inspect", args=[certificate.pk]),
            None,
        ),
    ]


def export_in_child() -> None:
    """Streams the whole completion report as CSV; prints time, rows, peak RSS."""
    setup_django()
    national, *_rest = staff()
    client = client_for(national)
    start = time.perf_counter()
    response = client.get(f"{REPORT}?export=csv")
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.2f} {rows - 1} {size} {peak:.0f}")


def explain(national, oblast_id) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(national)
    for label, url in (
        (
            "completion report, filtered",
            f"{REPORT}?oblast={oblast_id}&status=completed",
        ),
        ("register, searched", "/admin/certificates/register/?q=Коваль"),
    ):
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        for query in captured.captured_queries:
            sql = query["sql"]
            big = any(
                table in sql
                for table in ('"courses_enrolment"', '"certificates_certificate"')
            )
            if not big or sql.startswith(("SAVEPOINT", "RELEASE")):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"\n--- {label}: {sql[:160]}…\n{plan}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--export-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        export_in_child()
        return
    setup_django()
    from django.db import connection

    from courses.models import Enrolment

    national, regional, admin, oblast_id = staff()
    print(
        f"Database: {connection.vendor}, {Enrolment.objects.count():,} enrolments; "
        f"{args.runs} runs after 2 warm-up requests each."
    )
    plain = timed(client_for(None), "/", runs=args.runs)
    print(
        f"{'plain Wagtail home page (anonymous)':42} {statistics.median(plain):8.1f} ms"
    )
    print(f"{'page':42} {'median':>8} {'slowest':>8} {'target':>8}")
    for label, user, url, data in cases(national, regional, admin, oblast_id):
        samples = timed(client_for(user), url, runs=args.runs, data=data)
        median = statistics.median(samples)
        target = TARGETS_MS[label]
        mark = "ok" if median <= target else "OVER"
        print(f"{label:42} {median:8.1f} {max(samples):8.1f} {target:8d} ms  {mark}")
    child = subprocess.run(  # noqa: S603 - this same script
        [sys.executable, __file__, "--export-child"],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    seconds, rows, size, peak = child.stdout.split()[-4:]
    print(
        f"full CSV export of the completion report: {float(seconds):.1f} s, "
        f"{int(rows):,} rows, {int(size) / 1e6:.1f} MB, peak memory {peak} MB "
        "(targets: 30 s, 200 MB)"
    )
    if args.explain:
        explain(national, oblast_id)


if __name__ == "__main__":
    main()

"""``manage.py bench_data``: realistic learners whose records keep every rule."""

import hashlib
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command, get_commands
from django.db import connection, transaction
from django.db.models import Max
from django.test import override_settings

from certificates.models import Certificate, CertificateCounter, NameConfirmation
from certificates.storage import private_storage
from content.benchdata import BENCH_DOMAIN
from content.benchdata import names as N
from content.benchdata.generator import bench_course, generate_bench_data
from content.benchdata.people import (
    SYNTHETIC_KINDS,
    SYNTHETIC_PREFIX,
    _ensure_hromadas,
)
from content.benchdata.removal import bench_learners, remove_bench_data
from courses.models import (
    QUESTION_TYPES,
    Completion,
    CoursePage,
    Enrolment,
    QuestionResult,
    QuizAttempt,
)
from courses.outline import build_outline
from courses.progress import REQUIRED_STEP_KINDS, get_progress
from lms.models import ConsentRecord
from lms.names import validate_name

pytestmark = pytest.mark.django_db

LEARNERS = 40
CENT = Decimal("0.01")


def bench(*args: str) -> str:
    out = StringIO()
    call_command("bench_data", *args, "--allow-production", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo course and 40 bench learners, once for the module, rolled back."""
    media = tmp_path_factory.mktemp("media")
    private = tmp_path_factory.mktemp("private")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PRIVATE_MEDIA_ROOT=private),
        transaction.atomic(),
    ):
        call_command("seed_demo", "--allow-production", stdout=StringIO())
        output = bench("--learners", str(LEARNERS), "--seed", "7")
        yield output
        transaction.set_rollback(True)


def required_steps(course) -> set[int]:
    outline = build_outline(course)
    return {
        step.page_id
        for step in outline.steps
        if step.kind in REQUIRED_STEP_KINDS and step.required
    }


def bench_enrolments():
    return Enrolment.objects.filter(learner__in=bench_learners()).select_related(
        "learner", "course"
    )


def test_makes_the_learners_and_their_records_in_the_first_live_course(generated):
    course = bench_course()
    learners = bench_learners()
    enrolments = bench_enrolments()

    assert learners.count() == LEARNERS
    assert ConsentRecord.objects.filter(user__in=learners).count() == LEARNERS
    assert 0.75 * LEARNERS <= enrolments.count() < LEARNERS
    assert set(enrolments.values_list("course_id", flat=True)) == {course.pk}
    assert Completion.objects.filter(learner__in=learners).count() > 5 * LEARNERS
    assert QuizAttempt.objects.filter(learner__in=learners).count() > LEARNERS
    assert QuestionResult.objects.filter(attempt__learner__in=learners).exists()
    assert f"користувачі: {LEARNERS}" in generated


def test_learners_are_active_confirmed_and_share_one_password(generated):
    learners = list(bench_learners())

    assert all(user.is_active and user.email_confirmed_at for user in learners)
    assert not any(user.is_staff or user.is_superuser for user in learners)
    assert len({user.password for user in learners}) == 1
    assert learners[0].check_password("bench-learner-2026")


def test_names_print_and_addresses_are_unique_on_the_reserved_domain(generated):
    learners = list(bench_learners())
    emails = [user.email for user in learners]

    assert len(set(emails)) == len(emails)
    assert all(email.endswith(f"@{BENCH_DOMAIN}") for email in emails)
    for user in learners:
        for name in (user.last_name, user.first_name, user.patronymic):
            validate_name(name)


def test_every_name_in_the_lists_passes_the_name_rules():
    names = [
        *(form for pair in N.SURNAMES for form in pair),
        *N.MALE_NAMES,
        *N.FEMALE_NAMES,
        *(form for pair in N.PATRONYMICS for form in pair),
    ]
    for name in names:
        validate_name(name)
    assert N.transliterate("Марʼяна") == "mariana"
    assert N.transliterate("Згурський") == "zghurskyi"


def test_learners_are_spread_over_oblasts_with_hromadas_of_their_own(generated):
    learners = bench_learners().select_related("hromada")
    oblasts = Counter(learners.values_list("oblast_id", flat=True))
    with_hromada = [user for user in learners if user.hromada_id]

    assert len(oblasts) >= 8
    assert max(oblasts.values()) < LEARNERS / 2
    assert with_hromada
    assert all(user.hromada.oblast_id == user.oblast_id for user in with_hromada)
    assert len(set(learners.values_list("position_category_id", flat=True))) >= 4
    assert all(user.organisation and user.position_title for user in learners)


def test_oblasts_without_hromadas_get_synthetic_ones_that_cannot_clash(generated):
    Hromada = apps.get_model("lms", "Hromada")
    synthetic = Hromada.objects.filter(code__startswith=SYNTHETIC_PREFIX)
    # seed_demo loads the whole codifier, so the bench made none of its own.
    assert not synthetic.exists()
    assert "Синтетичних громад" not in generated
    oblast = apps.get_model("lms", "Oblast").objects.create(
        code="UA97000000000000001", name="Тестова область", sort_order=99
    )

    assert _ensure_hromadas(oblast) == len(SYNTHETIC_KINDS)
    assert all(len(h.code) == 19 and h.name.startswith("Тестова-") for h in synthetic)


def test_enrolments_keep_where_the_learner_works(generated):
    for enrolment in bench_enrolments():
        learner = enrolment.learner
        assert enrolment.oblast_id == learner.oblast_id
        assert enrolment.hromada_id == learner.hromada_id
        assert enrolment.position_category_id == learner.position_category_id
        assert enrolment.organisation == learner.organisation


def test_every_completed_enrolment_has_every_required_step(generated):
    completed = bench_enrolments().filter(completed_at__isnull=False)
    course = bench_course()
    required = required_steps(course)
    modules = [m.page_id for m in build_outline(course).modules if not m.is_final_test]

    assert completed.count() >= LEARNERS / 5
    for enrolment in completed:
        done = set(
            Completion.objects.filter(learner=enrolment.learner).values_list(
                "page_id", flat=True
            )
        )
        assert required | set(modules) <= done
        progress = get_progress(learner=enrolment.learner, course=course)
        assert progress.percent == 100
        assert progress.required_done == progress.required_total


def test_learners_in_progress_are_below_full_progress(generated):
    in_progress = bench_enrolments().filter(
        started_at__isnull=False, completed_at__isnull=True
    )
    course = bench_course()

    assert in_progress.count() >= LEARNERS / 5
    for enrolment in in_progress:
        progress = get_progress(learner=enrolment.learner, course=course)
        assert 0 < progress.required_done < progress.required_total
        assert progress.percent < 100


def test_enrolled_only_learners_have_no_steps(generated):
    idle = bench_enrolments().filter(started_at__isnull=True)

    assert idle.exists()
    assert not Completion.objects.filter(learner__enrolments__in=idle).exists()
    assert not idle.filter(completed_at__isnull=False).exists()


def test_times_run_in_order_within_the_last_two_years(generated):
    now = datetime.now(UTC)
    two_years_ago = now - timedelta(days=731)
    for enrolment in bench_enrolments():
        learner = enrolment.learner
        assert two_years_ago < learner.date_joined < learner.email_confirmed_at
        assert learner.email_confirmed_at < enrolment.enrolled_at < now
        assert enrolment.enrolled_at <= learner.last_login <= now
        steps = Completion.objects.filter(learner=learner).order_by("completed_at")
        if enrolment.started_at is None:
            continue
        assert enrolment.enrolled_at < enrolment.started_at == steps[0].completed_at
        if enrolment.completed_at is not None:
            assert steps.last().completed_at < enrolment.completed_at < now


def test_attempts_are_graded_as_the_question_types_grade_them(generated):
    attempts = QuizAttempt.objects.filter(
        learner__in=bench_learners(), closed_at__isnull=False
    )
    for attempt in attempts:
        total = Decimal(0)
        for question in attempt.questions:
            answer = attempt.answers.get(question["key"])
            answered = answer not in (None, "", [], {})
            kind = QUESTION_TYPES[question["type"]]
            fraction = kind.score(question, answer) if answered else Decimal(0)
            awarded = (Decimal(question["points"]) * fraction).quantize(
                CENT, rounding=ROUND_HALF_UP
            )
            total += awarded
            assert attempt.results[question["key"]] == {
                "awarded": str(awarded),
                "correct": fraction == 1,
                "answered": answered,
            }
        percent = (total * 100 / attempt.max_score).quantize(CENT, ROUND_HALF_UP)
        assert (attempt.score, attempt.percent) == (total, percent)
        assert attempt.passed == (percent >= attempt.pass_mark)
        assert attempt.started_at < attempt.closed_at
        assert attempt.question_results.count() == len(attempt.questions)


def test_attempts_mix_right_and_wrong_answers_and_reuse_one_draw_per_quiz(generated):
    attempts = QuizAttempt.objects.filter(learner__in=bench_learners())
    results = QuestionResult.objects.filter(attempt__in=attempts)
    draws = {
        quiz_id: {str(a.questions) for a in attempts.filter(quiz_id=quiz_id)}
        for quiz_id in attempts.values_list("quiz_id", flat=True).distinct()
    }
    per_quiz = Counter(attempts.values_list("learner_id", "quiz_id"))

    assert results.filter(correct=True).exists()
    assert results.filter(correct=False).exists()
    assert attempts.filter(passed=True).exists() and attempts.filter(passed=False)
    assert all(len(snapshots) == 1 for snapshots in draws.values())
    assert set(per_quiz.values()) <= {1, 2, 3}


def test_a_quiz_is_a_completed_step_exactly_when_it_was_passed(generated):
    learners = bench_learners()
    passed = set(
        QuizAttempt.objects.filter(learner__in=learners, passed=True).values_list(
            "learner_id", "quiz_id"
        )
    )
    recorded = set(
        Completion.objects.filter(learner__in=learners, kind="quiz").values_list(
            "learner_id", "page_id"
        )
    )
    assert passed == recorded


def test_certificates_for_about_a_third_numbered_after_the_counter(generated):
    certificates = Certificate.objects.filter(learner__in=bench_learners())
    numbers = list(certificates.values_list("number", flat=True))
    codes = list(certificates.values_list("verification_code", flat=True))

    assert LEARNERS / 6 <= len(numbers) <= LEARNERS / 2
    assert len(set(numbers)) == len(numbers)
    assert len(set(codes)) == len(codes) and all(len(code) == 32 for code in codes)
    for year in set(certificates.values_list("year", flat=True)):
        counter = CertificateCounter.objects.get(year=year)
        highest = Certificate.objects.filter(year=year).aggregate(Max("serial"))
        assert counter.last_number == highest["serial__max"]


def test_certificates_are_issued_in_number_order_after_completion(generated):
    certificates = Certificate.objects.filter(
        learner__in=bench_learners()
    ).select_related("enrolment")
    by_number = sorted(certificates, key=lambda c: (c.year, c.serial))

    assert by_number == sorted(certificates, key=lambda c: c.issued_at)
    for certificate in certificates:
        enrolment = certificate.enrolment
        assert enrolment.completed_at < certificate.issued_at
        assert certificate.holder_name == enrolment.learner.get_full_name()
        assert certificate.status in ("valid", "revoked")
        if certificate.status == "revoked":
            assert certificate.revoked_at > certificate.issued_at
            assert certificate.revocation_reason
        confirmation = NameConfirmation.objects.get(user=enrolment.learner)
        assert confirmation.confirmed_at < certificate.issued_at


def test_every_certificate_points_to_one_stored_pdf_with_its_digest(generated):
    certificates = Certificate.objects.filter(learner__in=bench_learners())
    files = set(certificates.values_list("pdf", "pdf_sha256"))

    assert len(files) == 1
    name, digest = files.pop()
    path = Path(private_storage().path(name))
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    content = path.read_bytes()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == digest


@pytest.mark.skipif(
    "rebuild_question_stats" not in get_commands(),
    reason="the question statistics command is not installed",
)
def test_question_statistics_match_the_generated_results(generated):
    tally = apps.get_model("courses", "QuestionTally")
    drawn = Counter(QuestionResult.objects.values_list("quiz_id", "question_id"))

    counted = {(row.quiz_id, row.question_id): row.drawn for row in tally.objects.all()}
    assert counted == dict(drawn)


def test_the_same_seed_and_moment_give_the_same_data(generated):
    now = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)

    def snapshot() -> dict:
        learners = bench_learners()
        return {
            "users": list(
                learners.order_by("email").values_list(
                    "email",
                    "last_name",
                    "first_name",
                    "patronymic",
                    "oblast_id",
                    "hromada_id",
                    "organisation",
                    "date_joined",
                    "last_login",
                )
            ),
            "enrolments": sorted(
                bench_enrolments().values_list(
                    "learner__email", "enrolled_at", "started_at", "completed_at"
                )
            ),
            "steps": sorted(
                Completion.objects.filter(learner__in=learners).values_list(
                    "learner__email", "page_id", "kind", "completed_at"
                )
            ),
            "attempts": sorted(
                (
                    a.learner.email,
                    a.quiz_id,
                    a.number,
                    a.closed_at,
                    str(a.answers),
                    a.score,
                )  # fmt: skip
                for a in QuizAttempt.objects.filter(learner__in=learners)
            ),
            "certificates": sorted(
                Certificate.objects.filter(learner__in=learners).values_list(
                    "learner__email", "issued_at", "status"
                )
            ),
        }

    with transaction.atomic():
        remove_bench_data()
        generate_bench_data(learners=15, seed=3, now=now)
        first = snapshot()
        remove_bench_data()
        generate_bench_data(learners=15, seed=3, now=now)
        assert snapshot() == first
        remove_bench_data()
        generate_bench_data(learners=15, seed=4, now=now)
        assert snapshot() != first
        transaction.set_rollback(True)


def test_fresh_removes_earlier_bench_data_and_nothing_else(
    generated, django_capture_on_commit_callbacks
):
    User = get_user_model()
    lookalike = User.objects.create_user(email="real@bench.invalid.example.org")
    others = User.objects.exclude(pk__in=bench_learners())
    kept = {
        "users": set(others.values_list("pk", flat=True)),
        "enrolments": set(
            Enrolment.objects.filter(learner__in=others).values_list("pk", flat=True)
        ),
        "attempts": set(
            QuizAttempt.objects.filter(learner__in=others).values_list("pk", flat=True)
        ),
        "steps": Completion.objects.filter(learner__in=others).count(),
        "consents": ConsentRecord.objects.filter(user__in=others).count(),
    }
    old = set(bench_learners().values_list("pk", flat=True))
    old_pdf = Certificate.objects.filter(learner_id__in=old).first().pdf.name

    with django_capture_on_commit_callbacks(execute=True):
        output = bench("--learners", "5", "--fresh", "--seed", "11")

    assert bench_learners().count() == 5
    assert not old & set(bench_learners().values_list("pk", flat=True))
    assert not Certificate.objects.filter(learner_id__in=old).exists()
    assert not QuestionResult.objects.filter(attempt__learner_id__in=old).exists()
    others = User.objects.exclude(pk__in=bench_learners())
    assert set(others.values_list("pk", flat=True)) == kept["users"]
    assert lookalike.pk in kept["users"]
    assert kept["enrolments"] == set(
        Enrolment.objects.filter(learner__in=others).values_list("pk", flat=True)
    )
    assert kept["attempts"] == set(
        QuizAttempt.objects.filter(learner__in=others).values_list("pk", flat=True)
    )
    assert Completion.objects.filter(learner__in=others).count() == kept["steps"]
    assert ConsentRecord.objects.filter(user__in=others).count() == kept["consents"]
    assert "Видалено:" in output and f"користувачі: {LEARNERS}" in output
    assert not private_storage().exists(old_pdf)


def test_a_second_run_without_fresh_adds_learners_with_new_addresses(generated):
    bench("--learners", "3", "--seed", "7")

    emails = list(bench_learners().values_list("email", flat=True))
    assert len(emails) == LEARNERS + 3 == len(set(emails))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_foreign_keys_and_sequences_are_back_after_a_run_on_postgresql(generated):
    def foreign_keys() -> list:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2"
            )
            return cursor.fetchall()

    before = foreign_keys()
    bench("--learners", "3")

    assert foreign_keys() == before
    user = get_user_model().objects.create_user(email="after-bench@example.org")
    assert user.pk > bench_learners().aggregate(Max("pk"))["pk__max"]


def test_without_a_live_course_the_command_says_so(generated):
    CoursePage.objects.live().update(live=False)

    with pytest.raises(CommandError, match="опублікованого курсу"):
        bench("--learners", "2")


def test_command_refuses_to_run_without_debug_unless_allowed(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--allow-production"):
        call_command("bench_data", "--learners", "1", stdout=StringIO())

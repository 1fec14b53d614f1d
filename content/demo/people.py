"""Demo accounts, one per role; existing accounts are never changed."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from content.demo import DemoSeedError
from content.demo.accounts import DEMO_ACCOUNTS, DEMO_LEARNER_PROFILE
from content.demo.quizzes import submit_demo_attempt
from courses.models import CoursePage, LessonPage, QuizPage
from courses.progress import complete_lesson, enrol
from lms.models import ConsentRecord, Hromada, Oblast, PositionCategory


def learner_profile() -> dict:
    """The learner's profile fields, with reference data looked up by code."""
    profile = dict(DEMO_LEARNER_PROFILE)
    codes = {
        "position_category": (PositionCategory, profile.pop("position_category")),
        "oblast": (Oblast, profile.pop("oblast")),
        "hromada": (Hromada, profile.pop("hromada")),
    }
    for field, (model, code) in codes.items():
        try:
            profile[field] = model.objects.get(code=code)
        except model.DoesNotExist as error:
            raise DemoSeedError(
                f"Немає запису {model._meta.verbose_name} з кодом «{code}»: "
                "спершу застосуйте міграції та імпорт громад."
            ) from error
    return profile


def create_account(*, spec: dict, profile: dict):
    """An active account with a confirmed address, as if registered long ago."""
    user_model = get_user_model()
    create = (
        user_model.objects.create_superuser
        if spec.get("superuser")
        else user_model.objects.create_user
    )
    user = create(
        email=spec["email"],
        password=spec["password"],
        email_confirmed_at=timezone.now(),
        **profile,
    )
    for name in spec.get("groups", ()):
        user.groups.add(Group.objects.get(name=name))
    return user


def start_learning(*, learner, course: CoursePage) -> None:
    """Consent, enrolment, a finished lesson and a quiz attempt, for every screen."""
    ConsentRecord.objects.create(
        user=learner,
        purpose=ConsentRecord.Purpose.LEARNING,
        notice_version=settings.PRIVACY_NOTICE_VERSION,
    )
    enrol(learner=learner, course=course)
    first_lesson = LessonPage.objects.descendant_of(course).live().order_by("path")
    complete_lesson(learner=learner, lesson=first_lesson.first())
    first_quiz = QuizPage.objects.descendant_of(course).live().order_by("path")
    submit_demo_attempt(learner=learner, quiz=first_quiz.first())


def ensure_demo_accounts(*, course: CoursePage) -> int:
    """Creates the missing demo accounts; returns how many were created."""
    user_model = get_user_model()
    created = 0
    for role, spec in DEMO_ACCOUNTS.items():
        if user_model.objects.filter(email__iexact=spec["email"]).exists():
            continue
        if role == "learner":
            user = create_account(spec=spec, profile=learner_profile())
            start_learning(learner=user, course=course)
        else:
            create_account(spec=spec, profile=spec.get("profile", {}))
        created += 1
    return created

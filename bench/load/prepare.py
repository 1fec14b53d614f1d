"""Prepares the load-test database and the plan the simulated learners follow.

Run by bench/load/run.sh under the production settings, after the demo
content is in place: ``python -m bench.load.prepare --learners 200 --plan FILE``.

- ``--background N`` bench learners (``bench_data``) fill the tables the
  pages read, so that the load runs against realistic row counts.
- N load learners (``load-NNN@load.test``) are enrolled in the demo course
  with no progress yet; each gets a session made here directly, since signing
  in 200 people would measure the password hash and nothing else (the mix has
  no sign-ins).
- In this throw-away database the course's modules are opened in any order
  and its quizzes allow unlimited attempts, so that every request of the mix
  is one a learner may make for the whole run.

The plan (JSON) lists the sessions, the lesson, quiz and dashboard URLs and
the CSRF secret each simulated learner sends.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

LOAD_DOMAIN = "load.test"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--background", type=int, default=2000)
    parser.add_argument("--plan", required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")
    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.cache import cache
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils.crypto import get_random_string

    from content.benchdata.generator import bench_course
    from courses.models import CoursePage, LessonPage, QuizPage
    from courses.progress import enrol
    from lms.models import User

    if args.background:
        call_command(
            "bench_data",
            learners=args.background,
            fresh=True,
            allow_production=True,
            verbosity=0,
        )
    course = bench_course()
    CoursePage.objects.filter(pk=course.pk).update(sequential=False)
    quizzes = QuizPage.objects.live().descendant_of(course)
    quizzes.update(max_attempts=0)
    lessons = LessonPage.objects.live().descendant_of(course)
    cache.clear()  # the outline and pages cached before the changes above

    backend = "django.contrib.auth.backends.ModelBackend"
    assert backend in settings.AUTHENTICATION_BACKENDS
    template = User.objects.filter(email__endswith="@bench.test").first()
    profile = {}
    if template is not None:
        profile = {
            name: getattr(template, name)
            for name in ("position_category", "oblast", "hromada")
        }
    users = []
    for number in range(args.learners):
        email = f"load-{number:04d}@{LOAD_DOMAIN}"
        user, _created = User.objects.get_or_create(
            email=email,
            defaults={
                "last_name": "Навантаженко",
                "first_name": "Олена",
                "position_title": "Спеціалістка",
                "organisation": "Виконавчий комітет",
                "is_active": True,
                **profile,
            },
        )
        user.set_unusable_password()
        user.save()
        enrol(learner=user, course=course)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(24 * 3600)
        session.create()
        users.append({"id": user.pk, "session": session.session_key})

    plan = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf_secret": get_random_string(32),
        "users": users,
        "dashboard": reverse("courses:dashboard"),
        "lessons": [
            {
                "id": lesson.pk,
                "url": lesson.url,
                "complete": reverse("courses:complete_lesson", args=[lesson.pk]),
            }
            for lesson in lessons
        ],
        "quizzes": [{"id": quiz.pk, "url": quiz.url} for quiz in quizzes],
    }
    Path(args.plan).write_text(json.dumps(plan, ensure_ascii=False, indent=1))
    print(
        f"Plan: {len(users)} learners, {len(plan['lessons'])} lessons, "
        f"{len(plan['quizzes'])} quizzes → {args.plan}"
    )


if __name__ == "__main__":
    main()

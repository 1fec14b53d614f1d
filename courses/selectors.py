"""Reads of a learner's own records, for the personal-data export."""

from courses.models import Completion, Enrolment, QuizAttempt


def enrolments_for_export(user) -> list[dict]:
    return [
        {
            "course": title,
            "enrolled_at": enrolled_at,
            "completed_at": completed_at,
        }
        for title, enrolled_at, completed_at in Enrolment.objects.filter(
            learner=user
        ).values_list("course__title", "enrolled_at", "completed_at")
    ]


def completions_for_export(user) -> list[dict]:
    return [
        {"step": title, "kind": kind, "completed_at": completed_at}
        for title, kind, completed_at in Completion.objects.filter(learner=user)
        .order_by("completed_at")
        .values_list("page__title", "kind", "completed_at")
    ]


def attempts_for_export(user) -> list[dict]:
    rows = QuizAttempt.objects.filter(learner=user).order_by("started_at")
    return [
        {
            "quiz": title,
            "number": number,
            "status": status,
            "started_at": started_at,
            "closed_at": closed_at,
            "percent": percent,
            "passed": passed,
            "answers": answers,
        }
        for (
            title,
            number,
            status,
            started_at,
            closed_at,
            percent,
            passed,
            answers,
        ) in (
            rows.values_list(
                "quiz__title",
                "number",
                "status",
                "started_at",
                "closed_at",
                "percent",
                "passed",
                "answers",
            )
        )  # fmt: skip
    ]

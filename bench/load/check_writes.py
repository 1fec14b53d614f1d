"""Every write the load test's clients saw acknowledged is in the database.

``python -m bench.load.check_writes ACKS.json`` (production settings, the
load database): each acknowledged «Позначити як пройдене» must have its
lesson completion row, each acknowledged quiz submit its graded attempt.
Prints the counts and exits 1 if any acknowledged write is missing.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def missing_writes(acks: dict) -> dict:
    from courses.models import Completion, QuizAttempt

    marks = {tuple(pair) for pair in acks["lesson_marks"]}
    learners = {learner for learner, _lesson in marks}
    stored = set(
        Completion.objects.filter(
            kind=Completion.Kind.LESSON, learner_id__in=learners
        ).values_list("learner_id", "page_id")
    )
    submits = {tuple(row) for row in acks["quiz_submits"]}
    graded = set(
        QuizAttempt.objects.filter(
            learner_id__in={learner for learner, _quiz, _number in submits}
        )
        .exclude(status=QuizAttempt.Status.IN_PROGRESS)
        .values_list("learner_id", "quiz_id", "number")
    )
    return {
        "lesson_marks": (len(acks["lesson_marks"]), len(marks), sorted(marks - stored)),
        "quiz_submits": (len(submits), len(submits), sorted(submits - graded)),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")
    import django

    django.setup()
    acks = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    result = missing_writes(acks)
    lost = 0
    for kind, (acknowledged, distinct, missing) in result.items():
        print(
            f"{kind}: {acknowledged} acknowledged ({distinct} distinct), "
            f"{distinct - len(missing)} in the database, {len(missing)} missing"
        )
        lost += len(missing)
    if lost:
        print("LOST acknowledged writes:", lost)
        sys.exit(1)
    print("No acknowledged write lost.")


if __name__ == "__main__":
    main()

"""The quiz engine's models, in the ``courses`` app (label, tables, migrations).

``courses.models`` re-exports them, which is how Django finds them.
"""

from courses.quizzes.models.attempts import QuestionResult, QuizAttempt
from courses.quizzes.models.page import QuizPage
from courses.quizzes.models.question_stats import QuestionTally
from courses.quizzes.models.questions import (
    QUESTION_TYPES,
    AnswerOption,
    MatchingPair,
    MatchingQuestion,
    MultipleChoiceQuestion,
    NumericQuestion,
    OrderingItem,
    OrderingQuestion,
    Question,
    ShortTextQuestion,
    SingleChoiceQuestion,
    TrueFalseQuestion,
)

__all__ = [
    "QUESTION_TYPES",
    "AnswerOption",
    "MatchingPair",
    "MatchingQuestion",
    "MultipleChoiceQuestion",
    "NumericQuestion",
    "OrderingItem",
    "OrderingQuestion",
    "Question",
    "QuestionResult",
    "QuestionTally",
    "QuizAttempt",
    "QuizPage",
    "ShortTextQuestion",
    "SingleChoiceQuestion",
    "TrueFalseQuestion",
]

from courses.quizzes.models import permissions as _permissions  # noqa: E402

_permissions.register(QUESTION_TYPES.values())

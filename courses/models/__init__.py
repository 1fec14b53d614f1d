from courses.models.pages import CourseIndexPage, CoursePage, LessonPage, ModulePage
from courses.models.progress import Completion, Enrolment

# The quiz engine's models live in its package (courses/quizzes/); exported
# here so that Django finds them and ``from courses.models import X`` works.
from courses.quizzes.models import (
    QUESTION_TYPES,
    AnswerOption,
    MatchingPair,
    MatchingQuestion,
    MultipleChoiceQuestion,
    NumericQuestion,
    OrderingItem,
    OrderingQuestion,
    Question,
    QuestionResult,
    QuestionTally,
    QuizAttempt,
    QuizPage,
    ShortTextQuestion,
    SingleChoiceQuestion,
    TrueFalseQuestion,
)

__all__ = [
    "QUESTION_TYPES",
    "AnswerOption",
    "Completion",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "LessonPage",
    "MatchingPair",
    "MatchingQuestion",
    "ModulePage",
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

from courses.models.attempts import QuestionResult, QuizAttempt
from courses.models.pages import CourseIndexPage, CoursePage, LessonPage, ModulePage
from courses.models.progress import Completion, Enrolment
from courses.models.question_stats import QuestionTally
from courses.models.quiz import (
    QUESTION_TYPES,
    AnswerOption,
    MatchingPair,
    MatchingQuestion,
    MultipleChoiceQuestion,
    NumericQuestion,
    OrderingItem,
    OrderingQuestion,
    Question,
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

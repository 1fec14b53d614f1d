from courses.models.pages import CourseIndexPage, CoursePage, LessonPage, ModulePage
from courses.models.progress import Completion, Enrolment

__all__ = [
    "Completion",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "LessonPage",
    "ModulePage",
]

"""Each learner's enrolments and completed steps, kept in the shared cache.

Every lesson, module and course page shows the learner's progress: the
enrolment and the completed steps, two queries that were most of a lesson
page's database time under the load test. They change only when the learner
enrols or finishes a step, so they are kept in Redis per learner and course,
tagged with the learner's progress version (``lms.cache_versions``).

The version changes on every save or delete of the learner's enrolments and
completions (signals), on the one bulk update of enrolments
(``courses.progress.follow_profile``), and once more after the commit: an
entry read from rows that a transaction was changing can never be taken for
the new state. Code that changes these rows without the ORM's signals must
call ``forget``.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from lms import cache_versions

VERSION_KEY = "courses:progress-version:{}"
ENTRY_KEY = "courses:progress:{}:{}"
TIMEOUT = 6 * 3600


def read(learner_id: int, course_id: int, load):
    """The cached value for the learner and course, or ``load()`` kept."""
    version_key = VERSION_KEY.format(learner_id)
    entry_key = ENTRY_KEY.format(learner_id, course_id)
    found = cache.get_many([version_key, entry_key])
    version = found.get(version_key)
    if version is None:
        version = cache_versions.read(version_key)
    entry = found.get(entry_key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = load()
    cache.set(entry_key, (version, value), TIMEOUT)
    return value


def forget(learner_id: int) -> None:
    cache_versions.bump_now_and_after_commit(VERSION_KEY.format(learner_id))


def _forget_learner(sender, instance, **kwargs) -> None:
    forget(instance.learner_id)


def connect() -> None:
    from courses.models import Completion, Enrolment

    for model in (Enrolment, Completion):
        for signal in (post_save, post_delete):
            signal.connect(
                _forget_learner,
                sender=model,
                dispatch_uid=f"courses.progress_cache.{model.__name__}.{id(signal)}",
            )

"""Fixtures for the issuing, verification, access, admin and bulk tests.

conftest.py in this folder holds the PDF fixtures; test modules that need
these import them with ``from tests.certificates.fixtures import *``.
"""

import pytest

from certificates.issuing import confirm_name
from tests import factories
from tests.certificates import factories as certificate_factories

__all__ = [
    "completed_enrolment",
    "confirmed_learner",
    "design",
    "private_media",
    "single_lesson_course",
]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Issued PDFs and images go to a fresh folder per test, never MEDIA_ROOT."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def design(db):
    """A published certificate design with a logo and a signature image."""
    return certificate_factories.make_design()


@pytest.fixture
def single_lesson_course(db):
    return factories.build_course(modules=1, lessons_per_module=1)


@pytest.fixture
def completed_enrolment(db, learner, single_lesson_course):
    """``learner`` has completed a one-lesson course and not confirmed a name."""
    return certificate_factories.complete_course(learner, single_lesson_course)


@pytest.fixture
def confirmed_learner(learner):
    """``learner``, having confirmed the profile name for printing."""
    confirm_name(user=learner, printed_name=learner.get_full_name())
    return learner

"""Fixtures shared by the whole suite; the objects come from tests/factories.py."""

import pytest
from django.core.cache import cache
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True)
def _fresh_cache_and_language():
    """Each test starts with an empty cache and the site's language, Ukrainian."""
    # Wagtail caches site root paths; a test must not see another test's sites.
    cache.clear()
    with translation.override("uk"):
        yield
    cache.clear()


@pytest.fixture
def learner(db):
    """A learner without any special permission."""
    return factories.make_user()


@pytest.fixture
def superuser(db):
    """An administrator with every permission."""
    return factories.make_superuser()


@pytest.fixture
def superuser_client(client, superuser):
    """A test client logged in as ``superuser``."""
    client.force_login(superuser)
    return client


@pytest.fixture
def home_page(db):
    """The HomePage, root of the default Site."""
    return factories.make_home_page()


@pytest.fixture
def course_tree(db):
    """A published course of 2 modules with 2 lessons each, under the home page."""
    return factories.build_course(modules=2, lessons_per_module=2)


@pytest.fixture
def open_course_tree(db):
    """Like ``course_tree``, but every lesson is an open preview anyone may read."""
    return factories.build_course(
        modules=2, lessons_per_module=2, lesson_fields={"is_preview": True}
    )

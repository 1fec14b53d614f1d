"""Fixtures shared by the whole suite; the objects come from tests/factories.py."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import translation

from lms.models import Hromada, Oblast, PositionCategory
from lms.reference import OBLASTS, POSITION_CATEGORIES
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


@dataclass
class Places:
    oblast: Oblast
    hromada: Hromada
    other_oblast: Oblast
    other_hromada: Hromada
    category: PositionCategory


def _reference_oblast(name: str) -> Oblast:
    # The reference migration made it, but a flush by a transactional test on a
    # reused database removes it, so it is made again when missing.
    code = next(code for code, oblast_name in OBLASTS if oblast_name == name)
    return Oblast.objects.get_or_create(code=code, defaults={"name": name})[0]


def _reference_category() -> PositionCategory:
    code, name, service = POSITION_CATEGORIES[0]
    return PositionCategory.objects.get_or_create(
        code=code, defaults={"name": name, "service": service}
    )[0]


@pytest.fixture
def places(db) -> Places:
    """Luhansk and Kyiv oblasts with one hromada each, and a position category."""
    oblast = _reference_oblast("Луганська область")
    other_oblast = _reference_oblast("Київська область")
    return Places(
        oblast=oblast,
        hromada=Hromada.objects.create(
            code="UA44000000000000001", name="Кремінська", oblast=oblast
        ),
        other_oblast=other_oblast,
        other_hromada=Hromada.objects.create(
            code="UA32000000000000002", name="Бучанська", oblast=other_oblast
        ),
        category=_reference_category(),
    )


def pytest_collection_modifyitems(items):
    """Marks the tests that commit for real as ``transactional``.

    Those are the tests with ``django_db(transaction=True)``, the
    ``transactional_db`` fixture or a live server. Each empties every table
    when it ends, so `make test-postgres` runs them in one process after the
    rest of the suite has run in parallel.
    """
    committing = {"transactional_db", "live_server"}
    for item in items:
        marker = item.get_closest_marker("django_db")
        by_marker = marker is not None and bool(
            marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
        )
        if by_marker or committing & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.transactional)

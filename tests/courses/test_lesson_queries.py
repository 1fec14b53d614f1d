"""The number of queries a course or lesson page makes does not grow with the course."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests import factories

OPEN = {"is_preview": True}


@pytest.fixture(scope="module")
def small_and_large_courses(django_db_setup, django_db_blocker):
    """A course of 3 lessons and one of 60, open to anonymous visitors.

    Built once for the module inside a transaction that is rolled back at the
    end; each test runs in a savepoint within it, as with ``setUpTestData``.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        small = factories.build_course(
            modules=1, lessons_per_module=3, lesson_fields=OPEN
        )
        large = factories.build_course(
            modules=4, lessons_per_module=15, lesson_fields=OPEN
        )
        assert (len(small.lessons), len(large.lessons)) == (3, 60)
        yield small, large
        transaction.set_rollback(True)


def cold():
    """Everything kept in the shared cache read afresh, as on a first request:
    outlines, view restrictions, the site and page, the user, the progress."""
    cache.clear()


def count_queries(client, url: str) -> int:
    """Queries made while serving ``url``, which must answer 200."""
    cold()  # compare cold caches: a warm one would hide the queries
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


def warm_up(client, *urls):
    """Fills per-process caches (content types, site root paths) before counting."""
    for url in urls:
        assert client.get(url).status_code == 200


def test_lesson_page_query_count_does_not_grow_with_lessons(
    db, client, small_and_large_courses, django_assert_max_num_queries
):
    small, large = small_and_large_courses
    warm_up(client, small.lessons[0].url)
    baseline = count_queries(client, small.lessons[1].url)
    # A lesson deep in the large course, with neighbours in the same module.
    cold()
    with django_assert_max_num_queries(baseline):
        response = client.get(large.lessons[37].url)
    assert response.status_code == 200


def test_lesson_at_a_module_boundary_makes_no_more_queries(
    db, client, small_and_large_courses, django_assert_max_num_queries
):
    small, large = small_and_large_courses
    warm_up(client, small.lessons[0].url)
    baseline = count_queries(client, small.lessons[1].url)
    # The last lesson of a module links to the first lesson of the next one.
    cold()
    with django_assert_max_num_queries(baseline):
        response = client.get(large.lessons[14].url)
    assert response.status_code == 200


def test_course_page_query_count_does_not_grow_with_lessons(
    db, client, small_and_large_courses, django_assert_max_num_queries
):
    small, large = small_and_large_courses
    warm_up(client, small.course.url)
    baseline = count_queries(client, small.course.url)
    cold()
    with django_assert_max_num_queries(baseline):
        response = client.get(large.course.url)
    assert response.status_code == 200


def test_module_page_query_count_does_not_grow_with_lessons(
    db, client, small_and_large_courses, django_assert_max_num_queries
):
    small, large = small_and_large_courses
    warm_up(client, small.modules[0].url)
    baseline = count_queries(client, small.modules[0].url)
    cold()
    with django_assert_max_num_queries(baseline):
        response = client.get(large.modules[2].url)
    assert response.status_code == 200


def test_course_catalogue_query_count_does_not_grow_with_courses(
    db, client, small_and_large_courses, django_assert_max_num_queries
):
    catalogue = small_and_large_courses[0].index
    warm_up(client, catalogue.url)
    baseline = count_queries(client, catalogue.url)  # two courses listed
    for _ in range(3):
        factories.make_course(catalogue)
    cold()
    with django_assert_max_num_queries(baseline):
        response = client.get(catalogue.url)
    assert response.status_code == 200

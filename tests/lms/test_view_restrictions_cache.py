"""View restrictions come from the shared cache (lms/view_restrictions.py) and
every change to them or to the tree is seen at once."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests import factories

pytestmark = pytest.mark.django_db
ANCESTORS_FOR_ALIASES = (
    'SELECT "wagtailcore_page"."id", "wagtailcore_page"."alias_of_id" FROM'
)


@pytest.fixture
def tree(open_course_tree):
    return open_course_tree


def restriction_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [
        query["sql"]
        for query in queries
        if "wagtailcore_pageviewrestriction" in query["sql"]
        # Wagtail's look at the ancestors for aliases, before the restrictions
        or query["sql"].startswith(ANCESTORS_FOR_ALIASES)
    ]


def test_a_page_served_again_asks_the_database_nothing_about_restrictions(tree):
    learner = factories.make_user()
    client = Client()
    client.force_login(learner)  # signed in: no anonymous page cache
    url = tree.lessons[0].url
    assert restriction_queries(client, url) != []  # read once
    assert restriction_queries(client, url) == []  # then from the cache


def test_a_restriction_added_above_a_served_page_applies_at_once(tree):
    client = Client()
    lesson = tree.lessons[0]
    assert client.get(lesson.url).status_code == 200
    PageViewRestriction.objects.create(
        page=tree.course, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_a_restriction_removed_opens_the_page_again(tree):
    restriction = PageViewRestriction.objects.create(
        page=tree.modules[0], restriction_type=PageViewRestriction.LOGIN
    )
    client = Client()
    assert client.get(tree.lessons[0].url).status_code == 302
    restriction.delete()
    assert client.get(tree.lessons[0].url).status_code == 200


def test_a_page_moved_under_a_restricted_page_is_restricted(tree):
    PageViewRestriction.objects.create(
        page=tree.modules[1], restriction_type=PageViewRestriction.LOGIN
    )
    client = Client()
    lesson = tree.lessons_of(tree.modules[0])[0]
    assert client.get(lesson.url).status_code == 200
    lesson.move(tree.modules[1], pos="last-child")
    lesson.refresh_from_db()
    assert client.get(lesson.url).status_code == 302

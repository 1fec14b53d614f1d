"""``is_staff`` follows admin access (lms/admin_access.py), so learners' pages
skip the Wagtail user bar and its permission queries."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.roles import EDITORS, REVIEWERS
from tests import factories

pytestmark = pytest.mark.django_db


def staff(user) -> bool:
    user.refresh_from_db(fields=["is_staff"])
    return user.is_staff


def test_joining_and_leaving_an_admin_group_sets_and_clears_the_flag():
    user = factories.make_user()
    assert not staff(user)
    editors = Group.objects.get(name=EDITORS)
    user.groups.add(editors)
    assert staff(user)
    user.groups.remove(editors)
    assert not staff(user)


def test_a_group_gaining_or_losing_admin_access_updates_its_members():
    group = Group.objects.create(name="Пілотна група")
    member = factories.make_user()
    group.user_set.add(member)
    assert not staff(member)
    access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    group.permissions.add(access)
    assert staff(member)
    access.group_set.remove(group)
    assert not staff(member)


def test_a_member_of_two_admin_groups_keeps_access_after_leaving_one():
    user = factories.make_user()
    user.groups.add(Group.objects.get(name=EDITORS), Group.objects.get(name=REVIEWERS))
    user.groups.remove(Group.objects.get(name=EDITORS))
    assert staff(user)


def test_superusers_are_staff_and_lose_it_with_the_status():
    user = factories.make_user()
    user.is_superuser = True
    user.save()
    assert staff(user)
    user.is_superuser = False
    user.save()
    assert not staff(user)


def test_a_learner_page_has_no_user_bar_and_asks_nothing_about_permissions(
    client, open_course_tree
):
    learner = factories.make_user()
    client.force_login(learner)
    url = open_course_tree.lessons[0].url
    assert client.get(url).status_code == 200  # warm per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert "wagtail-userbar" not in response.content.decode()
    asked = [query["sql"] for query in queries if "auth_permission" in query["sql"]]
    assert asked == []


def test_an_editor_sees_the_user_bar_on_the_same_page(client, open_course_tree):
    editor = factories.make_user()
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    response = client.get(open_course_tree.lessons[0].url)
    assert "wagtail-userbar" in response.content.decode()

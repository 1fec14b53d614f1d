"""What a page reads from the shared cache is never older than the database.

The site, the routed page, the lesson body, the signed-in user and the
learner's progress come from the cache (lms/page_cache.py, lms/user_cache.py,
courses/progress_cache.py); these tests change each of them the way editors,
administrators and learners do and check the next request sees it.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import progress_cache
from courses.models import Completion
from courses.progress import enrol, follow_profile, get_progress
from lms import cache_versions, page_cache
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return factories.build_course(modules=1, lessons_per_module=3)


@pytest.fixture
def enrolled(client, course, learner):
    enrol(learner=learner, course=course.course)
    client.force_login(learner)
    return learner


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries], response


# --- Versions ----------------------------------------------------------------


def test_a_lost_version_starts_again_above_every_entry_written_before():
    key = "test:version"
    first = cache_versions.read(key)
    for _ in range(5):
        cache_versions.bump(key)
    old = cache_versions.read(key)
    assert old == first + 5
    cache.delete(key)  # evicted, or Redis restarted empty
    assert cache_versions.read(key) > old


def test_the_version_never_expires():
    key = "test:version"
    cache_versions.read(key)
    # The test cache is Django's local-memory cache: no expiry is kept as None.
    assert cache._expire_info[cache.make_and_validate_key(key)] is None


# --- Site and routed page ---------------------------------------------------


def test_a_second_lesson_request_reads_no_site_page_user_or_progress(
    client, course, enrolled
):
    url = course.lessons[1].url
    client.get(url)
    sql, response = queries_of(client, url)
    assert course.lessons[1].title in response.content.decode()
    tables = (
        "wagtailcore_site",
        "wagtailcore_page",
        "lms_user",
        "courses_enrolment",
        "courses_completion",
    )
    assert [q for q in sql if any(f'"{table}"' in q for table in tables)] == []


def test_a_published_change_is_served_at_once(client, course, enrolled):
    lesson = course.lessons[0]
    client.get(lesson.url)
    lesson.title = "Нова назва уроку"
    lesson.body = [factories.paragraph("Оновлений зміст уроку.")]
    factories.publish(lesson)
    page = client.get(lesson.url).content.decode()
    assert "Нова назва уроку" in page
    assert "Оновлений зміст уроку." in page


def test_an_unpublished_lesson_is_gone_at_once(client, course, enrolled):
    lesson = course.lessons[0]
    assert client.get(lesson.url).status_code == 200
    lesson.unpublish()
    assert client.get(lesson.url).status_code == 404


def test_a_moved_lesson_is_served_at_its_new_address_only(client, course, enrolled):
    factories.make_module(course.course)
    lesson = course.lessons[0]
    old_url = lesson.url
    assert client.get(old_url).status_code == 200
    target = factories.make_module(course.course)
    lesson.move(target, pos="last-child")
    lesson.refresh_from_db()
    assert lesson.url != old_url
    # Wagtail leaves a permanent redirect behind; the page is not served there.
    old = client.get(old_url)
    assert (old.status_code, old["Location"]) == (301, lesson.url)
    assert client.get(lesson.url).status_code == 200


def test_a_changed_site_name_shows_at_once(client, course):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    client.get("/")
    site.site_name = "Розумна взаємодія — нова назва"
    site.save()
    assert client.get("/").wsgi_request._wagtail_site.site_name == site.site_name


def test_made_up_addresses_do_not_fill_the_cache(client, course, enrolled, rf):
    lesson = course.lessons[0]
    root = course.home
    for n in range(2):
        path = f"{lesson.url}nonsense-{n}/"
        # Twice: a second request for a made-up path still asks the database.
        for _ in range(2):
            assert client.get(path).status_code == 404
        components = [c for c in path.split("/") if c]
        prefixes = [
            root.url_path + "/".join(components[:length]) + "/"
            for length in range(len(components), 0, -1)
        ]
        with CaptureQueriesContext(connection) as captured:
            found = page_cache.route_target(root, prefixes, rf.get(path))
        assert found.pk == lesson.pk
        assert captured.captured_queries, "a made-up path was answered from the cache"


def test_the_site_of_an_unknown_host_name_is_not_kept(client, course, settings):
    settings.ALLOWED_HOSTS = ["*"]
    for n in range(3):
        response = client.get("/", HTTP_HOST=f"made-up-{n}.example")
        assert response.status_code == 200
    assert not [k for k in cache._cache if ":pages:site:made-up-" in k]


# --- Lesson body -------------------------------------------------------------


def test_a_renamed_linked_page_changes_the_cached_lesson_body(client, course, enrolled):
    target = course.lessons[2]
    lesson = course.lessons[0]
    # Rich text keeps a page link by id; the address is found when rendered.
    lesson.body = [factories.paragraph(f'<a linktype="page" id="{target.pk}">далі</a>')]
    factories.publish(lesson)
    link = f'<a href="{target.url}">далі</a>'
    assert link in client.get(lesson.url).content.decode()
    target.slug = "perejmenovanyi-urok"
    factories.publish(target)
    target.refresh_from_db()
    # The outline beside the lesson names the new address too; the link in
    # the body must follow.
    assert "perejmenovanyi-urok" in target.url
    assert f'<a href="{target.url}">далі</a>' in client.get(lesson.url).content.decode()


# --- Signed-in user ----------------------------------------------------------


def test_a_changed_password_signs_the_other_sessions_out(client, course, enrolled):
    dashboard = reverse("courses:dashboard")
    assert client.get(dashboard).status_code == 200
    client.get(dashboard)  # the user now comes from the cache
    enrolled.set_password("інший-пароль-2026")
    enrolled.save()
    response = client.get(dashboard)
    assert response.status_code == 302
    assert "/login/" in response["Location"] or "login" in response["Location"]


def test_a_deactivated_account_is_signed_out_at_once(client, course, enrolled):
    dashboard = reverse("courses:dashboard")
    client.get(dashboard)
    client.get(dashboard)
    enrolled.is_active = False
    enrolled.save()
    assert client.get(dashboard).status_code == 302


def test_admin_access_granted_through_a_group_is_seen_at_once(client, learner):
    client.force_login(learner)
    client.get("/")
    assert client.get("/").wsgi_request.user.is_staff is False
    editors = Group.objects.create(name="Редактори курсу")
    editors.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    learner.groups.add(editors)
    assert client.get("/").wsgi_request.user.is_staff is True


# --- Progress ----------------------------------------------------------------


def test_a_step_done_shows_on_the_next_page(client, course, enrolled):
    lesson = course.lessons[0]
    client.get(lesson.url)
    client.post(reverse("courses:complete_lesson", args=[lesson.pk]))
    progress = client.get(course.lessons[1].url).context["progress"]
    assert lesson.pk in progress.done_at


def test_a_completion_removed_by_an_administrator_is_seen_at_once(course, enrolled):
    lesson = course.lessons[0]
    Completion.objects.create(
        learner=enrolled, course=course.course, page_id=lesson.pk, kind="lesson"
    )
    assert lesson.pk in get_progress(learner=enrolled, course=course.course).done_at
    Completion.objects.filter(page_id=lesson.pk).delete()
    assert lesson.pk not in get_progress(learner=enrolled, course=course.course).done_at


def test_a_moved_workplace_reaches_the_cached_enrolment(course, enrolled):
    get_progress(learner=enrolled, course=course.course)
    enrolled.organisation = "Броварська міська рада"
    enrolled.save()
    follow_profile(sender=None, user=enrolled)
    progress = get_progress(learner=enrolled, course=course.course)
    assert progress.enrolment.organisation == "Броварська міська рада"


def test_rows_read_while_a_transaction_changes_them_are_not_kept(
    course, enrolled, django_capture_on_commit_callbacks
):
    """A reader between the write and its commit caches what it saw; the
    version moves again at the commit, so that entry is never served."""
    learner, course_id = enrolled.pk, course.course.pk
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Completion.objects.create(
            learner=enrolled,
            course=course.course,
            page_id=course.lessons[0].pk,
            kind="lesson",
        )
        seen = progress_cache.read(learner, course_id, lambda: "rows before")
        assert seen == "rows before"
    assert progress_cache.read(learner, course_id, lambda: "rows after") == (
        "rows after"
    )

"""Wagtail's moderation e-mails speak Ukrainian, greet in the vocative and
link only to the site's public address (lms/templates/wagtailadmin/
notifications/)."""

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import wagtail.admin
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core import mail
from django.template.loader import render_to_string
from wagtail.admin.mail import send_notification
from wagtail.models import Comment, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.blocks import RICH_TEXT_FEATURES
from lms.roles import EDITORS, MODERATORS
from tests import factories
from tests.certificates.factories import make_design
from tests.certificates.fixtures import private_media  # noqa: F401 - autouse
from tests.lms.production_env import GOOD

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PUBLIC = "https://learn.example.org"
LINK = re.compile(r"https?://[^\s\"<>»]+")
# A word in Latin letters outside links and addresses: English left behind.
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
PROJECT = Path(__file__).resolve().parents[2]
SETTINGS_MODULES = sorted(
    path.stem
    for path in (PROJECT / "lms" / "settings").glob("*.py")
    if path.stem not in ("__init__", "base")
)


@pytest.fixture
def public_address(settings):
    # Only SITE_URL changes: WAGTAILADMIN_BASE_URL stays 127.0.0.1:8000 and
    # the default Site «localhost», which the links used to come from.
    settings.SITE_URL = PUBLIC
    return PUBLIC


@pytest.fixture
def people():
    editor = factories.make_user(first_name="Ірина", patronymic="Петрівна")
    editor.groups.add(Group.objects.get(name=EDITORS))
    # No given name: the greeting names no one.
    moderator = factories.make_user(first_name="", last_name="Бондар", patronymic="")
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    return editor, moderator


def edit_form(lesson, text: str, action: str) -> dict:
    return nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "estimated_minutes": "25",
            "body": streamfield(
                [
                    (
                        "paragraph",
                        rich_text(f"<p>{text}</p>", features=RICH_TEXT_FEATURES),
                    )
                ]
            ),
            action: "1",
        }
    )


def submit(client, editor, lesson) -> WorkflowState:
    client.force_login(editor, MODEL_BACKEND)
    response = client.post(
        f"/admin/pages/{lesson.pk}/edit/",
        edit_form(lesson, "Нова редакція", "action-submit"),
    )
    assert response.status_code == 302
    return WorkflowState.objects.get(object_id=str(lesson.pk))


def decide(client, moderator, lesson, state, action: str, comment: str):
    client.force_login(moderator, MODEL_BACKEND)
    response = client.post(
        f"/admin/pages/workflow/action/{lesson.pk}/{action}/"
        f"{state.current_task_state.pk}/",
        {"comment": comment},
    )
    assert response.status_code in (200, 302)


def messages_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def without_links(text: str) -> str:
    text = LINK.sub(" ", text)
    return re.sub(r"\S+@\S+", " ", text)


class Text(HTMLParser):
    """The text a reader sees in an HTML e-mail, with the addresses linked."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = False

    def handle_starttag(self, tag, attrs):
        self.skip = tag == "style"
        self.parts.extend(value for name, value in attrs if name == "href")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def readable(html: str) -> str:
    parser = Text()
    parser.feed(html)
    return " ".join(parser.parts)


def assert_ukrainian_with_public_links(message, *html: str) -> None:
    for text in (message.subject, message.body, *map(readable, html)):
        english = LATIN_WORD.findall(without_links(text))
        assert english == [], (english, text)
        assert "127.0.0.1" not in text and "localhost" not in text, text
        links = LINK.findall(text)
        assert all(link.startswith(f"{PUBLIC}/") for link in links), links
    assert LINK.findall(message.body), message.body


def test_submitting_a_page_tells_the_moderators_in_ukrainian(
    client, public_address, people
):
    editor, moderator = people
    lesson = factories.build_course(modules=1, lessons_per_module=1).lessons[0]
    submit(client, editor, lesson)

    (message,) = messages_to(moderator)
    assert message.subject == f"На ваш розгляд: сторінка «{lesson.title}»"
    assert message.body.startswith("Добрий день!\n")
    assert (
        f"Сторінка «{lesson.title}» чекає на ваш розгляд "
        "(етап «Затвердження модератором»)." in message.body
    )
    preview = f"{PUBLIC}/admin/pages/workflow/preview/{lesson.pk}/"
    assert preview in message.body, message.body
    assert f"{PUBLIC}/admin/pages/{lesson.pk}/edit/" in message.body
    assert f"{PUBLIC}/admin/account/#tab-notifications" in message.body
    assert message.body.rstrip().endswith("Команда «Розумна взаємодія»")
    assert_ukrainian_with_public_links(message)


def test_the_editor_learns_of_the_approval_by_name_in_the_vocative(
    client, public_address, people
):
    editor, moderator = people
    lesson = factories.build_course(modules=1, lessons_per_module=1).lessons[0]
    state = submit(client, editor, lesson)
    mail.outbox.clear()
    decide(client, moderator, lesson, state, "approve", "Добре")

    (message,) = messages_to(editor)
    assert message.subject == f"Сторінку «{lesson.title}» затверджено"
    assert message.body.startswith("Добрий день, Ірино Петрівно!\n")
    assert "Ірина" not in message.body and "Привіт" not in message.body
    assert (
        f"Сторінку «{lesson.title}» затверджено («Затвердження модератором»)."
        in message.body
    )
    lesson.refresh_from_db()
    assert f"{PUBLIC}{lesson.url}" in message.body
    assert_ukrainian_with_public_links(message)


def test_a_rejection_tells_the_editor_who_returned_it_and_why(
    client, public_address, people
):
    editor, moderator = people
    lesson = factories.build_course(modules=1, lessons_per_module=1).lessons[0]
    state = submit(client, editor, lesson)
    mail.outbox.clear()
    decide(client, moderator, lesson, state, "reject", "Додайте джерела")

    (message,) = messages_to(editor)
    assert message.subject == (f"Сторінку «{lesson.title}» повернено на доопрацювання")
    assert message.body.startswith("Добрий день, Ірино Петрівно!\n")
    assert (
        f"Сторінку «{lesson.title}» повернено на доопрацювання на етапі "
        "«Затвердження модератором»." in message.body
    )
    assert "Хто повернув: Бондар." in message.body
    assert "Коментар модератора: «Додайте джерела»" in message.body
    assert f"{PUBLIC}/admin/pages/{lesson.pk}/edit/" in message.body
    assert_ukrainian_with_public_links(message)


def test_the_html_versions_say_the_same_in_ukrainian(
    client, public_address, people, settings
):
    settings.WAGTAILADMIN_NOTIFICATION_USE_HTML = True
    editor, moderator = people
    lesson = factories.build_course(modules=1, lessons_per_module=1).lessons[0]
    state = submit(client, editor, lesson)
    decide(client, moderator, lesson, state, "reject", "Додайте джерела")

    for message in messages_to(moderator) + messages_to(editor):
        ((html, kind),) = message.alternatives
        assert kind == "text/html"
        assert '<html lang="uk">' in html
        assert "<img" not in html  # nothing to fetch from anywhere
        assert_ukrainian_with_public_links(message, html)
    (rejection,) = messages_to(editor)
    assert "Добрий день, Ірино Петрівно!" in rejection.alternatives[0][0]


def test_comment_notices_are_ukrainian_too(public_address, people):
    editor, moderator = people
    lesson = factories.build_course(modules=1, lessons_per_module=1).lessons[0]
    comment = Comment(page=lesson, user=moderator, text="Уточніть дату")
    send_notification(
        [editor],
        "updated_comments",
        {
            "page": lesson,
            "editor": moderator,
            "new_comments": [comment],
            "resolved_comments": [],
            "deleted_comments": [],
            "replied_comments": [],
        },
    )
    (message,) = messages_to(editor)
    assert message.subject == f"Змінено коментарі до сторінки «{lesson.title}»"
    assert "Нові коментарі:\n- «Уточніть дату»" in message.body
    assert message.body.startswith("Добрий день, Ірино Петрівно!\n")
    assert_ukrainian_with_public_links(message)


def test_wagtails_admin_address_follows_the_public_address_in_every_settings():
    # Each settings module is imported in a fresh interpreter, with the
    # environment production needs and a public address of its own.
    script = (
        "import importlib, json\n"
        "print(json.dumps({m: [s.SITE_URL, s.WAGTAILADMIN_BASE_URL] for m, s in "
        "((m, importlib.import_module('lms.settings.' + m)) for m in "
        f"{SETTINGS_MODULES!r})}}))"
    )
    env = {**os.environ, **GOOD, "SITE_URL": "https://courses.example.org"}
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", script],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    addresses = json.loads(result.stdout)
    assert set(addresses) == set(SETTINGS_MODULES)
    for module, (site_url, admin_url) in addresses.items():
        assert site_url == admin_url == "https://courses.example.org", module


WAGTAIL_NOTIFICATIONS = (
    Path(wagtail.admin.__file__).parent / "templates/wagtailadmin/notifications"
)
OUR_NOTIFICATIONS = PROJECT / "lms/templates/wagtailadmin/notifications"


def test_every_notification_template_of_wagtail_has_the_projects_version():
    wagtails = {path.name for path in WAGTAIL_NOTIFICATIONS.iterdir()}
    assert len(wagtails) >= 28
    assert wagtails <= {path.name for path in OUR_NOTIFICATIONS.iterdir()}


@pytest.mark.parametrize("about", ["page", "design"])
def test_every_notification_reads_in_ukrainian(about, public_address, people):
    editor, moderator = people
    lesson = factories.build_course(modules=1, lessons_per_module=1).lessons[0]
    design = make_design()
    workflow = lesson.get_workflow()
    state = workflow.start(lesson if about == "page" else design, editor)
    task_state = state.current_task_state
    target = lesson if about == "page" else design
    context = {
        "settings": django_settings,
        "user": editor,
        "object": target,
        "model_name": target._meta.verbose_name,
        "workflow": workflow,
        "task": task_state.task.specific,
        "task_state": task_state,
        "comment": "Додайте джерела",
        "requested_by": editor,
        "revision": lesson.latest_revision,
        "editor": moderator,
        "new_comments": [Comment(page=lesson, user=moderator, text="Уточніть")],
        "resolved_comments": [],
        "deleted_comments": [],
        "replied_comments": [],
    }
    if about == "page":
        context["page"] = lesson
    for path in sorted(WAGTAIL_NOTIFICATIONS.iterdir()):
        if about == "design" and path.name.startswith(("approved", "rejected", "upd")):
            continue  # pages only
        text = render_to_string(f"wagtailadmin/notifications/{path.name}", context)
        readable_text = readable(text) if path.suffix == ".html" else text
        english = LATIN_WORD.findall(without_links(readable_text))
        assert english == [], (path.name, english, text)
        links = LINK.findall(text)
        assert all(link.startswith(f"{PUBLIC}/") for link in links), path.name
        if not path.name.endswith("_subject.txt") and not path.name.startswith("base"):
            assert "Добрий день, Ірино Петрівно!" in text, path.name
            assert links, path.name

"""Wagtail's choosers show quiz questions, images and documents only to their keepers.

A question's text sits next to its answers in the editor, so the pool is the
answer key. Every chooser URL of every question type, and of images and
documents, is requested by every role; the table says what each role gets.
Reviewers and organisers have the permissions ``seed_demo`` gives them.
"""

import io
import json
from html import unescape
from typing import NamedTuple

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from courses.models import QUESTION_TYPES
from lms.roles import EDITORS, MODERATORS, ORGANISERS, REVIEWERS
from tests import factories
from tests import quiz_factories as qf

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
IMAGE_TITLE = "Схема громади IMG-SECRET-5120"
DOCUMENT_TITLE = "Статут громади DOC-SECRET-5120"

ROLES = (
    "anonymous",
    "learner",
    "reviewer",
    "organiser",
    "editor",
    "moderator",
    "superuser",
)
ROLE_GROUPS = {
    "reviewer": REVIEWERS,
    "organiser": ORGANISERS,
    "editor": EDITORS,
    "moderator": MODERATORS,
}
# What each role gets from a chooser it may not use, and from one it may.
TO_LOGIN = "login"
DENIED = "denied"  # Wagtail's redirect to the dashboard with an error message
SHOWN = "shown"  # 200, and the marker is in the response
EMPTY = "empty"  # 200, and the marker is not


class Access(NamedTuple):
    """What one role gets from each kind of chooser URL."""

    listing: str  # the modal, its results, a search, chosen-multiple
    item: str  # one chosen item by its id (and an image's format step)
    create: str  # the "create" or upload tab, which lists nothing


URL_KINDS = {
    "choose": "listing",
    "results": "listing",
    "search": "listing",
    "chosen-multiple": "listing",
    "chosen": "item",
    "select-format": "item",
    "create": "create",
}
QUESTION_ACCESS = {
    "anonymous": Access(TO_LOGIN, TO_LOGIN, TO_LOGIN),
    "learner": Access(TO_LOGIN, TO_LOGIN, TO_LOGIN),
    "reviewer": Access(DENIED, DENIED, DENIED),
    "organiser": Access(DENIED, DENIED, DENIED),
    "editor": Access(SHOWN, SHOWN, EMPTY),
    "moderator": Access(SHOWN, SHOWN, EMPTY),
    "superuser": Access(SHOWN, SHOWN, EMPTY),
}
# Wagtail lists only what a collection lets the user choose, and refuses a
# single item or an upload outright.
COLLECTION_ACCESS = {
    "anonymous": Access(TO_LOGIN, TO_LOGIN, TO_LOGIN),
    "learner": Access(TO_LOGIN, TO_LOGIN, TO_LOGIN),
    "reviewer": Access(EMPTY, DENIED, DENIED),
    "organiser": Access(EMPTY, DENIED, DENIED),
    "editor": Access(SHOWN, SHOWN, EMPTY),
    "moderator": Access(SHOWN, SHOWN, EMPTY),
    "superuser": Access(SHOWN, SHOWN, EMPTY),
}


# Helpers --------------------------------------------------------------------


def question_marker(type_code: str) -> str:
    return f"KEY-{type_code.upper()}-5120"


def client_as(role: str) -> Client:
    client = Client()
    if role == "anonymous":
        return client
    make = factories.make_superuser if role == "superuser" else factories.make_user
    user = make()
    if role in ROLE_GROUPS:
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    client.force_login(user, MODEL_BACKEND)
    return client


def chooser_urls(namespace: str, pk: int) -> dict[str, str]:
    """Every URL of one chooser that answers a GET, by its name in URL_KINDS."""
    results = reverse(f"{namespace}:choose_results")
    return {
        "choose": reverse(f"{namespace}:choose"),
        "results": results,
        "search": f"{results}?q=5120",
        "chosen": reverse(f"{namespace}:chosen", args=[pk]),
        "chosen-multiple": f"{reverse(f'{namespace}:chosen_multiple')}?id={pk}",
        "create": reverse(f"{namespace}:create"),
    }


def expected(access: Access, urls: dict[str, str]) -> dict[str, str]:
    return {name: getattr(access, URL_KINDS[name]) for name in urls}


def readable_body(response) -> str:
    """The response as a person would read it, JSON escapes and entities undone."""
    text = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return unescape(text)


def outcome(response, marker: str) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location == reverse("wagtailadmin_home"):
            return DENIED
        if location.startswith(reverse("wagtailadmin_login")):
            return TO_LOGIN
        return f"302 to {location}"
    if response.status_code == 200:
        return SHOWN if marker in readable_body(response) else EMPTY
    return str(response.status_code)


def outcomes(client: Client, urls: dict[str, str], marker: str) -> dict[str, str]:
    return {name: outcome(client.get(url), marker) for name, url in urls.items()}


def make_image():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (11, 74, 139)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=IMAGE_TITLE, file=ImageFile(buffer, name="scheme.png")
    )


def make_document():
    return get_document_model().objects.create(
        title=DOCUMENT_TITLE, file=ContentFile(b"%PDF-1.4\n", name="statute.pdf")
    )


# Fixtures -------------------------------------------------------------------


@pytest.fixture
def quiz(course_tree):
    return qf.make_quiz(course_tree.modules[0], title="Тест з ключем")


@pytest.fixture
def questions(quiz) -> dict:
    """One question of every type by type code, each text carrying its marker."""
    made = {}
    for add in qf.ADDERS:
        question = add(quiz)
        question.text = f"Питання з ключем {question_marker(question.type_code)}?"
        question.save()
        made[question.type_code] = question
    return made


# The matrix -------------------------------------------------------------------


@pytest.mark.parametrize("type_code", list(QUESTION_TYPES))
@pytest.mark.parametrize("role", ROLES)
def test_only_those_who_edit_questions_may_use_their_choosers(
    role, type_code, questions
):
    question = questions[type_code]
    namespace = question.snippet_viewset.chooser_viewset.name
    urls = chooser_urls(namespace, question.pk)

    got = outcomes(client_as(role), urls, question_marker(type_code))

    assert got == expected(QUESTION_ACCESS[role], urls)


@pytest.mark.parametrize(
    ("namespace", "make", "marker"),
    [
        ("wagtailimages_chooser", make_image, "IMG-SECRET-5120"),
        ("wagtaildocs_chooser", make_document, "DOC-SECRET-5120"),
    ],
    ids=["images", "documents"],
)
@pytest.mark.parametrize("role", ROLES)
def test_images_and_documents_are_chosen_only_with_a_collection_permission(
    role, namespace, make, marker
):
    pk = make().pk
    urls = chooser_urls(namespace, pk)
    if namespace == "wagtailimages_chooser":
        urls["select-format"] = reverse(f"{namespace}:select_format", args=[pk])

    got = outcomes(client_as(role), urls, marker)

    assert got == expected(COLLECTION_ACCESS[role], urls)


# Around the matrix ------------------------------------------------------------


@pytest.mark.parametrize("role", ["reviewer", "organiser"])
def test_a_refused_chooser_answers_the_modal_script_with_403(role, questions):
    question = questions["single"]
    namespace = question.snippet_viewset.chooser_viewset.name

    response = client_as(role).get(
        reverse(f"{namespace}:choose"), headers={"x-requested-with": "XMLHttpRequest"}
    )

    assert response.status_code == 403
    assert question_marker("single") not in readable_body(response)


@pytest.mark.parametrize("group", [REVIEWERS, ORGANISERS])
def test_reviewers_and_organisers_hold_no_image_or_document_permission(group):
    user = factories.make_user()
    user.groups.add(Group.objects.get(name=group))

    assert user.has_perm("wagtailadmin.access_admin")
    for model in (get_image_model(), get_document_model()):
        policy = policy_registry.get_by_type(model)
        actions = ["add", "change", "choose", "delete"]
        assert not policy.user_has_any_permission(user, actions)
        assert not policy.collections_user_has_any_permission_for(user, actions)
        assert not policy.instances_user_has_any_permission_for(user, actions)


@pytest.mark.parametrize("group", [REVIEWERS, ORGANISERS])
def test_reviewers_and_organisers_hold_no_question_permission(group):
    user = factories.make_user()
    user.groups.add(Group.objects.get(name=group))

    for model in QUESTION_TYPES.values():
        policy = policy_registry.get_by_type(model)
        assert not policy.user_has_any_permission(user, ["add", "change", "view"])

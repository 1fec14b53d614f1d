"""Every error the site answers with is its own Ukrainian page with a way on."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views import defaults

from tests import factories

pytestmark = pytest.mark.django_db


def assert_site_page(response, status: int, *, heading: str):
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="uk">' in html
    assert heading in html
    assert 'href="/"' in html  # a way forward: at least the home page
    for english in ("Bad Request", "Forbidden", "CSRF verification", "DEBUG"):
        assert english not in html


def test_400_for_a_host_the_site_does_not_serve(settings):
    settings.ALLOWED_HOSTS = ["learn.example.org"]
    response = Client().get("/", HTTP_HOST="evil.example")
    assert_site_page(response, 400, heading="Не вдалося прочитати запит")
    assert 'href="/courses/"' in response.content.decode()


def test_403_offers_to_sign_in_to_a_visitor():
    request = RequestFactory().get("/some/page/")
    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied())
    assert_site_page(response, 403, heading="Немає доступу до цієї сторінки")
    assert 'href="/account/login/"' in response.content.decode()


def test_403_for_a_form_without_its_security_token_explains_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/account/login/", {"username": "a@b.ua", "password": "x"})
    assert_site_page(response, 403, heading="Час дії форми минув")
    html = response.content.decode()
    assert "оновіть сторінку" in html
    assert "cookie" in html  # the browser sent no CSRF cookie: say so


def test_404_is_the_sites_own_page():
    response = Client().get("/no-such-page/")
    assert_site_page(response, 404, heading="Сторінку не знайдено")


def test_429_when_signing_in_is_locked_points_to_the_password_reset(settings):
    learner = factories.make_user()
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/account/login/", {"username": learner.email, "password": f"no-{attempt}"}
        )
    assert_site_page(response, 429, heading="Вхід тимчасово заблоковано")
    html = response.content.decode()
    assert 'href="/account/password/reset/"' in html
    assert "адміністратор" not in html  # self-service, not "contact an admin"


def test_429_for_too_many_verifications_has_a_way_forward(settings):
    settings.VERIFY_RATE_LIMIT = "1/m"
    client = Client()
    client.get("/certificates/verify/")
    response = client.get("/certificates/verify/")
    assert_site_page(response, 429, heading="Забагато запитів")


def test_500_is_the_sites_own_page():
    response = defaults.server_error(RequestFactory().get("/"))
    assert_site_page(response, 500, heading="Щось пішло не так")

"""/healthz/ answers without touching anything; /readyz/ checks what serving
needs and names what fails, without secrets."""

from unittest import mock

import pytest
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.urls import reverse

from certificates.storage import PrivateFileStorage

SECRET_IN_ERROR = "password=hunter2-db-secret"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def assert_not_cached_and_no_cookie(response):
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert "Set-Cookie" not in response.headers


def test_healthz_answers_ok_without_a_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert_not_cached_and_no_cookie(response)


def test_healthz_reads_no_session_of_a_signed_in_visitor(
    client, learner, django_assert_num_queries
):
    # Without the probe decorator the private-pages middleware would load the
    # session (a query) to ask whether the visitor is signed in.
    client.force_login(learner)
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert_not_cached_and_no_cookie(response)


def test_healthz_does_not_touch_the_cache(client):
    backend = type(caches["default"])
    broken = mock.Mock(side_effect=ConnectionError("cache down"))
    with (
        mock.patch.object(backend, "get", broken),
        mock.patch.object(backend, "set", broken),
        mock.patch.object(backend, "add", broken),
    ):
        response = client.get("/healthz/")
    assert response.status_code == 200
    broken.assert_not_called()


def test_probes_answer_get_and_head_only(client, db):
    assert client.head("/healthz/").status_code == 200
    assert client.post("/healthz/").status_code == 405
    assert client.post("/readyz/").status_code == 405


def test_readyz_is_ok_when_everything_works(client, db, private_root):
    response = client.get("/readyz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "migrations"}
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert_not_cached_and_no_cookie(response)
    # The probe file is gone again.
    assert not any(private_root.iterdir())


def test_readyz_of_a_signed_in_visitor_writes_no_session(client, learner):
    client.force_login(learner)
    session_key = client.session.session_key
    response = client.get("/readyz/")
    assert response.status_code == 200
    assert_not_cached_and_no_cookie(response)
    assert client.session.session_key == session_key


def failing(response, name):
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"][name]["status"] == "error"
    assert SECRET_IN_ERROR not in response.content.decode()
    return body


def test_readyz_names_the_database_when_it_fails(client, db):
    connection = connections[DEFAULT_DB_ALIAS]
    error = OperationalError(f"could not connect to db.internal {SECRET_IN_ERROR}")
    with mock.patch.object(connection, "cursor", side_effect=error):
        response = client.get("/readyz/")
    body = failing(response, "database")
    assert body["checks"]["database"]["error"] == "OperationalError"
    # One failing check does not stop the others being run and reported.
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["storage"]["status"] == "ok"
    assert "migrations" in body["checks"]


def test_readyz_names_the_cache_when_it_fails(client, db):
    backend = type(caches["default"])
    error = ConnectionError(f"Error 111 connecting to cache.internal {SECRET_IN_ERROR}")
    with mock.patch.object(backend, "set", side_effect=error):
        response = client.get("/readyz/")
    body = failing(response, "cache")
    assert body["checks"]["cache"]["error"] == "ConnectionError"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["storage"]["status"] == "ok"
    assert body["checks"]["migrations"]["status"] == "ok"


def test_readyz_names_the_cache_when_it_loses_values(client, db):
    backend = type(caches["default"])
    with mock.patch.object(backend, "get", return_value=None):
        response = client.get("/readyz/")
    body = failing(response, "cache")
    assert body["checks"]["cache"]["error"] == "CheckFailed"


def test_readyz_names_the_storage_when_it_fails(client, db):
    error = PermissionError(f"/var/lib/lms/private {SECRET_IN_ERROR}")
    with mock.patch.object(PrivateFileStorage, "save", side_effect=error):
        response = client.get("/readyz/")
    body = failing(response, "storage")
    assert body["checks"]["storage"]["error"] == "PermissionError"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"


def test_readyz_names_the_storage_when_it_returns_other_content(
    client, db, private_root
):
    def read_other(self, name, mode="rb"):
        return mock.mock_open(read_data=b"something else")()

    with mock.patch.object(PrivateFileStorage, "open", read_other):
        response = client.get("/readyz/")
    failing(response, "storage")
    assert not any(private_root.iterdir())


def test_readyz_names_unapplied_migrations(client, db):
    with mock.patch("lms.health.MigrationExecutor") as executor:
        executor.return_value.migration_plan.return_value = [
            (mock.Mock(), False),
            (mock.Mock(), False),
        ]
        response = client.get("/readyz/")
    body = failing(response, "migrations")
    assert body["checks"]["migrations"]["detail"] == "2 unapplied migrations"
    assert body["checks"]["database"]["status"] == "ok"


def test_readyz_logs_the_full_error_for_the_operator(client, db, caplog):
    backend = type(caches["default"])
    with mock.patch.object(backend, "set", side_effect=ConnectionError("cache down")):
        client.get("/readyz/")
    (record,) = [r for r in caplog.records if r.name == "lms.health"]
    assert "cache" in record.getMessage()
    assert "cache down" in str(record.exc_info[1])

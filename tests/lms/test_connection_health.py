"""A kept database connection that PostgreSQL closed is replaced, not a 500.

The probe: with DATABASE_CONN_MAX_AGE=60, terminating idle backends gave one
500 per worker thread, because nothing checked a kept connection before a
request reused it.
"""

import os

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.test import Client

from lms.settings.base import database_from_environment
from tests import factories
from tests.courses.test_progress_concurrency import wagtail_root

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL backends"
    ),
    pytest.mark.django_db(transaction=True),
]
__all__ = ["wagtail_root"]


@pytest.fixture
def kept_connections():
    """The connection settings production gets from DATABASE_CONN_MAX_AGE=60."""
    configured = database_from_environment(
        {"DATABASE_URL": os.environ["DATABASE_URL"], "DATABASE_CONN_MAX_AGE": "60"}
    )
    names = ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")
    saved = {name: connection.settings_dict[name] for name in names}
    connection.settings_dict.update({name: configured[name] for name in names})
    connection.close()  # the next connection is opened under these settings
    yield
    connection.settings_dict.update(saved)
    connection.close()


def terminate(pid: int) -> None:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_request_after_the_backend_was_terminated_succeeds(kept_connections):
    factories.make_home_page()
    client = Client()
    assert client.get("/").status_code == 200
    pid = connection.connection.info.backend_pid  # kept after the request
    terminate(pid)
    # What Django's request handler does when a request starts; the test
    # client leaves it out.
    close_old_connections()

    response = client.get("/")

    assert response.status_code == 200
    assert connection.connection.info.backend_pid != pid

"""How production serves: gunicorn's configuration, the WSGI default, and
the database connections it keeps."""

import gc
import os
import runpy
import subprocess
import sys
from pathlib import Path

from tests.lms.production_env import GOOD

PROJECT = Path(__file__).resolve().parents[2]


def settings_in_a_fresh_process(code: str, **environ) -> str:
    """Runs ``code`` after importing the WSGI module's settings, in a child."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in GOOD and key != "DJANGO_SETTINGS_MODULE"
        and not key.startswith("DATABASE_")
    }  # fmt: skip
    # No DJANGO_SETTINGS_MODULE: the WSGI module must choose production.
    env.update({k: v for k, v in GOOD.items() if k != "DJANGO_SETTINGS_MODULE"})
    env.update(environ)
    result = subprocess.run(  # noqa: S603 - the test's own fixed command
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_the_wsgi_application_runs_the_production_settings_by_default():
    printed = settings_in_a_fresh_process(
        "import lms.wsgi; from django.conf import settings; "
        "print(settings.SETTINGS_MODULE, settings.DEBUG)"
    )

    assert printed == "lms.settings.production False"


def test_production_keeps_database_connections_with_health_checks():
    code = (
        "import lms.wsgi; from django.conf import settings; "
        "db = settings.DATABASES['default']; "
        "print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'])"
    )

    assert settings_in_a_fresh_process(code) == "60 True"
    assert settings_in_a_fresh_process(code, DATABASE_CONN_MAX_AGE="0") == "0 False"


def test_gunicorn_takes_its_numbers_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "8")
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9000")

    config = runpy.run_path(str(PROJECT / "deploy" / "gunicorn.conf.py"))

    assert (config["workers"], config["threads"]) == (3, 8)
    assert config["bind"] == ["0.0.0.0:9000"]
    assert config["worker_class"] == "gthread"
    assert config["wsgi_app"] == "lms.wsgi:application"
    # No control socket another server on the machine could share, and no
    # forwarded header read by gunicorn: the site decides whom it trusts.
    assert config["control_socket_disable"] is True
    assert config["secure_scheme_headers"] == {}
    # The site logs requests itself, without link tokens; gunicorn does not.
    assert config["accesslog"] is None


def test_a_worker_leaves_its_loaded_application_out_of_garbage_collection():
    # Python's oldest-generation collection otherwise walks every object of
    # Django and Wagtail and stops the worker's threads for a fifth of a
    # second at a time under load (bench/RESULTS.md).
    config = runpy.run_path(str(PROJECT / "deploy" / "gunicorn.conf.py"))
    gc.unfreeze()
    tracked = len(gc.get_objects())
    try:
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() >= tracked * 0.9
    finally:
        gc.unfreeze()


def test_gunicorn_accepts_the_configuration():
    result = subprocess.run(  # noqa: S603 - the test's own fixed command
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--check-config",
            "-c",
            "deploy/gunicorn.conf.py",
        ],
        cwd=PROJECT,
        env={**os.environ, **GOOD, "DJANGO_SETTINGS_MODULE": "lms.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr

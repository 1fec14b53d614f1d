"""Real-browser journeys: Debian's Chromium driven by Playwright against
pytest-django's live server on 127.0.0.1.

Run with ``make e2e`` (it fetches axe-core first and deselects nothing else);
``make test`` leaves these out (``-m "not e2e"`` in pyproject.toml).

- The server is pytest-django's ``live_server`` in this process, so Django's
  in-memory outbox holds the e-mails the site sends.
- The test database is a fresh SQLite file (a temporary folder), not SQLite's in-memory
  database: the live server then gives every request thread its own
  connection, as a real server does, so the quiz's background save and a
  submit may arrive together. ``DATABASE_URL`` switches to PostgreSQL.
- Each test is transactional with serialized rollback: the reference data,
  Wagtail's groups and moderation workflow from the migrations are restored
  before each journey.
- On failure every open page is saved under var/e2e/ as a screenshot and
  as HTML.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.e2e.audit import Audit
from tests.e2e.world import World, build_world

BASE_DIR = Path(django_settings.BASE_DIR)
ARTEFACTS = BASE_DIR / "var" / "e2e"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# Playwright's own default is 30 s; a step of this site takes well under one.
STEP_TIMEOUT_MS = 15_000

# pytest-django's live server listens here unless --liveserver says otherwise.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, tmp_path_factory
):
    """A file instead of SQLite's shared in-memory database (see above), in
    this run's own temporary folder, so runs side by side never share it."""
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.mktemp("e2e-db") / "test-db.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test, for the screenshots on failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"No Chromium at {CHROMIUM}: install Debian's chromium "
            "(apt-get install chromium) or set E2E_CHROMIUM."
        )
    # Playwright's synchronous API keeps an event loop in this thread, which
    # Django takes for async code and refuses database calls in. The calls
    # are synchronous (the tests' own set-up and checks), so the guard is
    # lifted while the browser runs, as Playwright's documentation says for
    # Django.
    guard = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            yield browser
            browser.close()
    finally:
        if guard is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = guard


@pytest.fixture
def site(live_server, settings, tmp_path) -> str:
    """The live server's address, which every absolute link must use too."""
    url = live_server.url
    # E-mailed links, QR codes and Wagtail's moderation links start here.
    settings.SITE_URL = url
    settings.CERTIFICATE_BASE_URL = url
    settings.WAGTAILADMIN_BASE_URL = url
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return url


@pytest.fixture
def world(site) -> World:
    return build_world(site)


@pytest.fixture
def audit(browser) -> Audit:
    """axe-core and the browser console, checked on the pages a test asks."""
    audit = Audit(browser=browser)
    yield audit
    audit.close()


@pytest.fixture
def new_context(request, browser, site, audit):
    """Makes browser contexts (one per person); all are closed after the
    test, their pages saved under var/e2e/ first if the test failed."""
    contexts: list[BrowserContext] = []

    def make(*, javascript: bool = True, name: str = "") -> BrowserContext:
        context = browser.new_context(
            base_url=site,
            locale="uk-UA",
            timezone_id="Europe/Kyiv",
            java_script_enabled=javascript,
            accept_downloads=True,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        context.e2e_name = name or f"context{len(contexts) + 1}"
        context.e2e_javascript = javascript
        audit.watch(context)
        contexts.append(context)
        return context

    yield make

    failed = any(
        getattr(getattr(request.node, f"report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    for context in contexts:
        if failed:
            _save_pages(request.node.name, context)
        context.close()


def _save_pages(test_name: str, context: BrowserContext) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", f"{test_name}-{context.e2e_name}")
    for number, page in enumerate(context.pages, 1):
        path = ARTEFACTS / f"{stem}-{number}"
        try:
            page.screenshot(path=f"{path}.png", full_page=True)
            Path(f"{path}.html").write_text(page.content(), encoding="utf-8")
        except Exception as error:  # noqa: BLE001 - a broken page must not hide the failure
            Path(f"{path}.txt").write_text(f"Not saved: {error}", encoding="utf-8")


@pytest.fixture
def page(new_context) -> Page:
    """One person's tab with JavaScript on."""
    return new_context(name="learner").new_page()

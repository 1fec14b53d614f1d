"""The client's address behind reverse proxies (lms/client_address.py) and the
limits keyed on it: verification rate limit, sign-in failures per client,
django-axes lockout; and when X-Forwarded-Proto is believed."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from lms.client_address import (
    client_address,
    proxy_count_from_environment,
    secure_proxy_ssl_header,
)
from tests import factories

PROXY = "10.0.0.5"  # REMOTE_ADDR of every request that came through nginx
ALICE = "203.0.113.7"
BOB = "198.51.100.20"
LOGIN_URL = reverse("accounts:login")
VERIFY_URL = reverse("certificates:verify_form")


def address(count, settings, remote=PROXY, forwarded=None) -> str:
    settings.TRUSTED_PROXY_COUNT = count
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


def via(forwarded: str, remote: str = PROXY) -> Client:
    """A browser whose requests arrive with this X-Forwarded-For."""
    return Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)


# --- the address itself -----------------------------------------------------


def test_reached_directly_the_forwarded_header_is_ignored(settings):
    assert address(0, settings, remote=ALICE, forwarded=BOB) == ALICE


def test_behind_one_proxy_the_entry_it_appended_is_the_client(settings):
    assert address(1, settings, forwarded=ALICE) == ALICE


def test_a_forged_entry_before_the_proxys_cannot_choose_the_address(settings):
    assert address(1, settings, forwarded=f"{BOB}, {ALICE}") == ALICE
    assert address(1, settings, forwarded=f"1.1.1.1,{BOB} , {ALICE}") == ALICE


def test_behind_two_proxies_the_outer_proxys_entry_is_the_client(settings):
    # The outer proxy appended Alice, the inner one the outer proxy.
    assert address(2, settings, forwarded=f"{BOB}, {ALICE}, 10.0.0.9") == ALICE


@pytest.mark.parametrize("forwarded", ["", " , ", ALICE])
def test_fewer_entries_than_proxies_fall_back_to_the_peer(settings, forwarded):
    assert address(2, settings, forwarded=forwarded) == PROXY


def test_no_forwarded_header_falls_back_to_the_peer(settings):
    assert address(1, settings) == PROXY


@pytest.mark.parametrize(
    "garbage",
    ["unknown", "203.0.113.7:51234", "<script>", "203.0.113.999", "_hidden"],
)
def test_an_entry_that_is_not_an_ip_address_falls_back_to_the_peer(settings, garbage):
    assert address(1, settings, forwarded=f"{ALICE}, {garbage}") == PROXY


def test_one_client_has_one_spelling_of_its_address(settings):
    assert address(1, settings, forwarded="2001:DB8:0:0::1") == "2001:db8::1"
    assert address(1, settings, forwarded=f"::ffff:{ALICE}") == ALICE


@pytest.mark.parametrize("bad", ["one", -1, None, True])
def test_an_invalid_count_trusts_no_header(settings, bad):
    assert address(bad, settings, forwarded=ALICE) == PROXY


@pytest.mark.parametrize(
    ("raw", "count"),
    [(None, 0), ("", 0), (" 0 ", 0), ("1", 1), ("2", 2), ("-1", -1), ("one", "one")],
)
def test_the_count_is_read_from_the_environment(raw, count):
    environ = {} if raw is None else {"TRUSTED_PROXY_COUNT": raw}
    assert proxy_count_from_environment(environ) == count


# --- the limits keyed on it -------------------------------------------------


@pytest.fixture
def one_request_a_minute(settings, db):
    settings.VERIFY_RATE_LIMIT = "1/m"


def test_directly_reached_forged_headers_share_the_peers_counter(
    settings, one_request_a_minute
):
    settings.TRUSTED_PROXY_COUNT = 0
    assert via(ALICE, remote=BOB).get(VERIFY_URL).status_code == 200
    assert via("192.0.2.1", remote=BOB).get(VERIFY_URL).status_code == 429


def test_behind_a_proxy_each_client_has_its_own_counter(settings, one_request_a_minute):
    settings.TRUSTED_PROXY_COUNT = 1
    assert via(ALICE).get(VERIFY_URL).status_code == 200
    assert via(BOB).get(VERIFY_URL).status_code == 200
    # Alice again, pretending the proxy forwarded someone else's request.
    assert via(f"192.0.2.1, {ALICE}").get(VERIFY_URL).status_code == 429


@pytest.fixture
def three_failures_an_hour(settings, db):
    settings.LOGIN_FAILURES_PER_CLIENT = "3/h"
    settings.AXES_FAILURE_LIMIT = 50  # isolate the per-client limit
    return 3


def _fail(browser, number: int) -> int:
    return browser.post(
        LOGIN_URL, {"username": f"p{number}@example.org", "password": "wrong-pass"}
    ).status_code


def test_directly_reached_forged_headers_share_the_sign_in_limit(
    settings, three_failures_an_hour
):
    settings.TRUSTED_PROXY_COUNT = 0
    statuses = [
        _fail(via(f"192.0.2.{number}", remote=ALICE), number) for number in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_behind_a_proxy_the_sign_in_limit_is_per_client(
    settings, three_failures_an_hour
):
    settings.TRUSTED_PROXY_COUNT = 1
    learner = factories.make_user()
    assert [_fail(via(ALICE), number) for number in range(4)] == [200] * 3 + [429]
    assert _fail(via(f"192.0.2.1, {ALICE}"), 9) == 429
    response = via(BOB).post(
        LOGIN_URL, {"username": learner.email, "password": factories.DEFAULT_PASSWORD}
    )
    assert response.status_code == 302


@pytest.fixture
def lockout_only(settings, db):
    settings.LOGIN_FAILURES_PER_CLIENT = "1000/h"  # isolate axes
    return factories.make_user()


def _lock_out(learner, browsers) -> list[int]:
    return [
        browser.post(
            LOGIN_URL, {"username": learner.email, "password": f"wrong-{number}"}
        ).status_code
        for number, browser in enumerate(browsers)
    ]


def _sign_in(browser, learner) -> int:
    return browser.post(
        LOGIN_URL, {"username": learner.email, "password": factories.DEFAULT_PASSWORD}
    ).status_code


def test_axes_locks_out_the_client_behind_the_proxy_not_the_proxy(
    settings, lockout_only
):
    settings.TRUSTED_PROXY_COUNT = 1
    learner = lockout_only
    limit = settings.AXES_FAILURE_LIMIT
    statuses = _lock_out(learner, [via(f"192.0.2.{n}, {ALICE}") for n in range(limit)])
    assert statuses[-1] == 429
    assert _sign_in(via(ALICE), learner) == 429
    # The account's owner, elsewhere behind the same proxy, still signs in.
    assert _sign_in(via(BOB), learner) == 302
    attempt = AccessAttempt.objects.get(username=learner.email)
    assert attempt.ip_address == ALICE


def test_directly_reached_axes_ignores_forged_headers(settings, lockout_only):
    settings.TRUSTED_PROXY_COUNT = 0
    learner = lockout_only
    limit = settings.AXES_FAILURE_LIMIT
    browsers = [via(f"192.0.2.{n}", remote=ALICE) for n in range(limit)]
    assert _lock_out(learner, browsers)[-1] == 429
    assert _sign_in(via(BOB, remote=ALICE), learner) == 429
    assert AccessAttempt.objects.get(username=learner.email).ip_address == ALICE


# --- https as the proxy reports it ------------------------------------------


@pytest.mark.parametrize("count", [0, -1, "one", None])
def test_without_a_trusted_proxy_x_forwarded_proto_is_not_believed(count):
    assert secure_proxy_ssl_header(count) is None


@pytest.mark.parametrize("count", [1, 2])
def test_with_a_trusted_proxy_x_forwarded_proto_is_believed(count):
    assert secure_proxy_ssl_header(count) == ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize(("count", "secure"), [(0, False), (1, True)])
def test_a_forwarded_https_request_is_secure_only_behind_a_proxy(
    settings, count, secure
):
    settings.SECURE_PROXY_SSL_HEADER = secure_proxy_ssl_header(count)
    request = RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https")
    assert request.is_secure() is secure


@pytest.mark.parametrize(("count", "redirected"), [(0, True), (1, False)])
def test_production_redirects_to_https_unless_its_proxy_says_https(
    settings, db, count, redirected
):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = secure_proxy_ssl_header(count)
    response = Client(HTTP_X_FORWARDED_PROTO="https").get(VERIFY_URL)
    assert (response.status_code == 301) is redirected
    if redirected:
        assert response["Location"].startswith("https://")

"""The signed-in user from the shared cache instead of a query per request.

Django's ``AuthenticationMiddleware`` reads the user's row on every request
of a signed-in learner. ``AuthenticationMiddleware`` here keeps the row in
Redis under the user's version (``lms.cache_versions``), which changes on
every save or delete of the user (signals) and wherever users are updated in
bulk (``lms.admin_access``), and once more after the commit.

A cached user is used only as Django's ``get_user`` would use the row: the
session names a configured backend, the account is active, and the
session's hash matches the password's. Anything else (no entry, a stale
one, a changed password, a hash from an old secret key) goes through
Django's ``get_user`` unchanged, which also flushes sessions that no longer
verify.
"""

from functools import partial

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.auth.middleware import (
    AuthenticationMiddleware as DjangoAuthenticationMiddleware,
)
from django.contrib.auth.middleware import auser
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from lms import cache_versions

VERSION_KEY = "users:version:{}"
ENTRY_KEY = "users:user:{}"
TIMEOUT = 3600


def get_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = _get_user(request)
    return request._cached_user


def _get_user(request):
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        return auth.get_user(request)  # anonymous
    session_hash = request.session.get(HASH_SESSION_KEY)
    version_key = VERSION_KEY.format(user_id)
    entry_key = ENTRY_KEY.format(user_id)
    found = cache.get_many([version_key, entry_key])
    version = found.get(version_key)
    if version is None:
        version = cache_versions.read(version_key)
    entry = found.get(entry_key)
    if (
        entry is not None
        and entry[0] == version
        and backend_path in settings.AUTHENTICATION_BACKENDS
        and session_hash
    ):
        user = entry[1]
        if user.is_active and constant_time_compare(
            session_hash, user.get_session_auth_hash()
        ):
            return user
    user = auth.get_user(request)
    if user.is_authenticated and user.pk == user_id:
        cache.set(entry_key, (version, user), TIMEOUT)
    return user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
        request.auser = partial(auser, request)


def forget(user_id) -> None:
    cache_versions.bump_now_and_after_commit(VERSION_KEY.format(user_id))


def _forget_user(sender, instance, **kwargs) -> None:
    forget(instance.pk)


def connect() -> None:
    model = auth.get_user_model()
    post_save.connect(_forget_user, sender=model, dispatch_uid="lms.user_cache.saved")
    post_delete.connect(
        _forget_user, sender=model, dispatch_uid="lms.user_cache.deleted"
    )

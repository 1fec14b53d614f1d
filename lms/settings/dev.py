from .base import *  # noqa: F403

DEBUG = True
# A fixed development key; production reads DJANGO_SECRET_KEY.
SECRET_KEY = "dev-only-not-secret-rozumna-vzaiemodiia"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

# A throwaway test key that `make run` creates (make_test_signing_key), used
# unless the environment names a real one.
if not CERTIFICATE_SIGNING_P12:
    CERTIFICATE_SIGNING_PASSWORD = "dev-only-test-signing-key"  # noqa: S105
    if (BASE_DIR / "var" / "dev-signing-key.p12").is_file():
        CERTIFICATE_SIGNING_P12 = str(BASE_DIR / "var" / "dev-signing-key.p12")

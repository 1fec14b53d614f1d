from .base import *  # noqa: F403

DEBUG = True
# A fixed development key; production reads DJANGO_SECRET_KEY.
SECRET_KEY = "dev-only-not-secret-rozumna-vzaiemodiia"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

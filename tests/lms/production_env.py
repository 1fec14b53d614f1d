"""A complete production environment for tests that start production settings."""

GOOD = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "DJANGO_SECRET_KEY": "k9#Lq2!vZ8rT4mW6pX1nB3cY7hJ5dF0gS-aE_uR@oK%iN^zQwV",
    "DJANGO_ALLOWED_HOSTS": "learn.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SITE_URL": "https://learn.example.org",
    "CERTIFICATE_ALLOW_UNSIGNED": "1",
    "DATABASE_URL": "postgres://lms@127.0.0.1:5432/lms",
    "EMAIL_HOST": "smtp.example.org",
}

# The environment of the production stack on this machine, shared by
# `make serve` (deploy/serve.sh) and `make load` (bench/load/run.sh): sourced,
# not run. Every value can be given beforehand and is then kept.

PY=${PY:-.venv/bin/python}
mkdir -p var/nginx

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lms_serve}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/1}

# The secret key and the test signing key are kept between runs under var/.
[ -s var/serve-secret-key ] || head -c 48 /dev/urandom | base64 > var/serve-secret-key
export CERTIFICATE_SIGNING_PASSWORD=${CERTIFICATE_SIGNING_PASSWORD:-serve-only-test-signing-key}
if [ ! -s var/serve-signing-key.p12 ]; then
  DJANGO_SETTINGS_MODULE=lms.settings.dev "$PY" manage.py make_test_signing_key \
    var/serve-signing-key.p12 --password "$CERTIFICATE_SIGNING_PASSWORD" --verbosity 0
fi
if ! command -v nginx >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq nginx >/dev/null
  else
    echo "nginx is missing: install Debian's nginx package (apt-get install nginx)." >&2
    exit 1
  fi
fi

export DJANGO_SETTINGS_MODULE=lms.settings.production
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$(cat var/serve-secret-key)}
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}
# The public address printed on certificates and in e-mails: a reserved name,
# since this machine has no public one.
export SITE_URL=${SITE_URL:-https://rozumna.test}
# The browser's origin is the local nginx over plain http.
export DJANGO_CSRF_TRUSTED_ORIGINS=${DJANGO_CSRF_TRUSTED_ORIGINS:-http://127.0.0.1:8080,http://localhost:8080}
export TRUSTED_PROXY_COUNT=${TRUSTED_PROXY_COUNT:-1}
export CERTIFICATE_SIGNING_P12=${CERTIFICATE_SIGNING_P12:-$PWD/var/serve-signing-key.p12}
# E-mails go over SMTP to a local server that prints them (aiosmtpd),
# unless EMAIL_HOST names a real one.
if [ -z "${EMAIL_HOST:-}" ]; then
  export EMAIL_HOST=127.0.0.1 EMAIL_PORT=8025
  local_smtp=1
fi

database=${DATABASE_URL##*/}
if ! psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  createdb --maintenance-db="${DATABASE_URL%/*}/postgres" "$database"
fi


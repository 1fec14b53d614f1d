#!/usr/bin/env bash
# `make serve`: the production stack on this machine, with production settings.
#
# PostgreSQL from DATABASE_URL (default: database lms_serve on 127.0.0.1, made
# if missing), Redis from REDIS_URL, collectstatic, migrations, then gunicorn
# on 127.0.0.1:8000, the task worker with the overdue-attempt sweep, and nginx
# on 127.0.0.1:8080 in front. TLS is simulated: the local nginx says the
# request came over HTTPS, and the site trusts one proxy. Ctrl-C stops all.
# SERVE_DEMO=1 adds the demo content. See docs/deploy.md.
set -euo pipefail
cd "$(dirname "$0")/.."

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

"$PY" manage.py check --deploy --fail-level ERROR
"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py migrate --noinput --verbosity 0
if [ "${SERVE_DEMO:-0}" = 1 ]; then
  "$PY" manage.py seed_demo --allow-production
fi

pids=()
stop() {
  trap - INT TERM EXIT
  nginx -p "$PWD/var/nginx/" -e error.log -c "$PWD/deploy/nginx/nginx-local.conf" -s quit 2>/dev/null || true
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

if [ "${local_smtp:-0}" = 1 ]; then
  "$PY" -m aiosmtpd -n -l 127.0.0.1:8025 -c aiosmtpd.handlers.Debugging &
  pids+=($!)
fi
.venv/bin/gunicorn -c deploy/gunicorn.conf.py &
pids+=($!)
"$PY" manage.py run_worker &
pids+=($!)
nginx -p "$PWD/var/nginx/" -e error.log -c "$PWD/deploy/nginx/nginx-local.conf"

echo "Serving on http://127.0.0.1:8080/ (nginx) → 127.0.0.1:8000 (gunicorn). Ctrl-C stops."
# Whichever of gunicorn and the worker ends first ends the rest.
wait -n "${pids[@]}"

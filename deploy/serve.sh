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

# shellcheck source=deploy/local-env.sh
. deploy/local-env.sh

"$PY" manage.py check --deploy --fail-level ERROR
"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py migrate --noinput --verbosity 0
"$PY" manage.py import_hromadas >/dev/null  # the codifier; no-op once loaded
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

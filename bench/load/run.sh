#!/usr/bin/env bash
# `make load`: the production stack on this machine under 200 learners.
#
# A fresh PostgreSQL database (lms_load) and Redis database (2), the stack of
# `make serve` (nginx on 127.0.0.1:8080 → gunicorn 2 workers × 4 threads →
# PostgreSQL, Redis, the task worker) with the demo course, LOAD_BACKGROUND
# bench learners and LOAD_USERS load learners, then locust headless on
# 127.0.0.1 only for LOAD_TIME, then the check that every write the clients
# saw acknowledged is in the database. LOAD_FAULT=1 also kills one gunicorn
# worker and terminates the PostgreSQL backends during the run. Each learner
# starts LOAD_RATE tasks a second on average (0.8 by default); LOAD_RATE=0
# sends every request as soon as the previous one is answered.
# Results: bench/RESULTS.md; output under var/load/.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=${PY:-.venv/bin/python}
LOAD_USERS=${LOAD_USERS:-200}
LOAD_TIME=${LOAD_TIME:-5m}
LOAD_BACKGROUND=${LOAD_BACKGROUND:-2000}
LOAD_FAULT=${LOAD_FAULT:-0}
# 200 learners × 0.8 tasks a second offer about 165 requests/s.
export LOAD_RATE=${LOAD_RATE-0.8}
OUT=var/load
mkdir -p "$OUT"

"$PY" -m pip install --quiet -r bench/load/requirements.txt

export DATABASE_URL=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lms_load}
export REDIS_URL=${LOAD_REDIS_URL:-redis://127.0.0.1:6379/2}
export GUNICORN_WORKERS=${GUNICORN_WORKERS:-2} GUNICORN_THREADS=${GUNICORN_THREADS:-4}
export SERVE_DEMO=1
# shellcheck source=deploy/local-env.sh
. deploy/local-env.sh

database=${DATABASE_URL##*/}
dropdb --maintenance-db="${DATABASE_URL%/*}/postgres" --if-exists --force "$database"
createdb --maintenance-db="${DATABASE_URL%/*}/postgres" "$database"
"$PY" -c "import redis, os; redis.Redis.from_url(os.environ['REDIS_URL']).flushdb()"

setsid deploy/serve.sh > "$OUT/serve.log" 2>&1 &
serve=$!
stop() {
  trap - INT TERM EXIT
  kill -INT -- "-$serve" 2>/dev/null || true
  wait "$serve" 2>/dev/null || true
}
trap stop INT TERM EXIT

echo "Starting the stack (migrations, demo content); log: $OUT/serve.log"
for _ in $(seq 1 600); do
  if curl -fsS -o /dev/null -H 'Host: 127.0.0.1' http://127.0.0.1:8080/readyz/ 2>/dev/null; then
    break
  fi
  if ! kill -0 "$serve" 2>/dev/null; then
    tail -30 "$OUT/serve.log" >&2
    exit 1
  fi
  sleep 1
done

"$PY" -m bench.load.prepare --learners "$LOAD_USERS" --background "$LOAD_BACKGROUND" \
  --plan "$OUT/plan.json"

"$PY" -m bench.load.drive --users "$LOAD_USERS" --time "$LOAD_TIME" \
  --fault "$LOAD_FAULT" --plan "$OUT/plan.json" --out "$OUT"

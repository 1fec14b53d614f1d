# Two commands matter: `make run` (site with demo content) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PG_URL ?= postgres://postgres@127.0.0.1:5432/lms
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: run serve load load-smoke test test-postgres e2e lint i18n-check messages venv bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

messages: $(STAMP)
	$(PY) manage.py compilemessages --locale uk --ignore '$(VENV)' --verbosity 0

run: messages
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py make_test_signing_key var/dev-signing-key.p12 --if-missing
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# The production stack on this machine: PostgreSQL, Redis, gunicorn, the task
# worker, nginx in front on 127.0.0.1:8080 (deploy/serve.sh, docs/deploy.md).
serve: messages
	PY=$(PY) deploy/serve.sh

# The load test of that stack: 200 learners for 5 minutes by default
# (LOAD_USERS, LOAD_TIME, LOAD_RATE, LOAD_FAULT=1; bench/load/run.sh, bench/RESULTS.md).
load: messages
	PY=$(PY) bench/load/run.sh

# The same stack for 30 seconds with 20 learners: the production pieces work
# together and no acknowledged write is lost (CI runs it).
load-smoke: messages
	LOAD_USERS=20 LOAD_TIME=30s LOAD_BACKGROUND=200 PY=$(PY) bench/load/run.sh

test: messages
	$(PY) -m pytest -q $(PYTEST_ARGS)

# Real-browser journeys (tests/e2e/): Debian's Chromium (apt-get install
# chromium) driven by Playwright against a live server on 127.0.0.1, with
# axe-core, pinned and checked, from the npm registry. Failures leave
# screenshots in var/e2e/. `make test` leaves them out (marker e2e).
AXE_VERSION := 4.14.1
AXE_SHA256 := e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745
AXE_DIR := var/e2e/axe-core-$(AXE_VERSION)
AXE_JS := $(AXE_DIR)/axe.min.js

$(AXE_JS):
	mkdir -p $(AXE_DIR)
	cd $(AXE_DIR) && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null
	echo "$(AXE_SHA256)  $(AXE_DIR)/axe-core-$(AXE_VERSION).tgz" | sha256sum --check --quiet
	tar -xzf $(AXE_DIR)/axe-core-$(AXE_VERSION).tgz -C $(AXE_DIR) --strip-components=1 package/axe.min.js package/LICENSE

e2e: messages $(AXE_JS)
	E2E_AXE_JS=$(abspath $(AXE_JS)) $(PY) -m pytest -q -p no:xdist -m e2e tests/e2e

# The same suite on PostgreSQL: first in two processes, each on a test
# database of its own, all but the tests that commit for real; then those
# (marked transactional in tests/conftest.py: the concurrency tests) in one
# process, since each empties every table when it ends.
test-postgres: messages
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -q --create-db $(PYTEST_ARGS) -m "not e2e and not transactional"
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -q --create-db -p no:xdist -m "transactional and not e2e"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=lms.settings.production DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  DJANGO_ALLOWED_HOSTS=learn.example.org SITE_URL=https://learn.example.org \
	  CERTIFICATE_ALLOW_UNSIGNED=1 REDIS_URL=redis://127.0.0.1:6379/0 DATABASE_URL=$(PG_URL) \
	  EMAIL_HOST=smtp.example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

# Rebuilds the catalogue from the sources and fails on any untranslated or fuzzy entry.
i18n-check: $(STAMP)
	$(PY) manage.py makemessages --locale uk --no-obsolete --ignore '$(VENV)' --ignore var --ignore bench --verbosity 0
	@untranslated=$$(msgattrib --untranslated --no-obsolete locale/uk/LC_MESSAGES/django.po | grep -c '^msgid' || true); \
	fuzzy=$$(msgattrib --only-fuzzy --no-obsolete locale/uk/LC_MESSAGES/django.po | grep -c '^msgid' || true); \
	echo "untranslated: $$untranslated, fuzzy: $$fuzzy"; \
	test "$$untranslated" -eq 0 && test "$$fuzzy" -eq 0

bench: messages
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 static media var

# `make run` and `make test` work on a fresh machine: they create the virtualenv and install on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test lint serve worker beat check-deploy bench-routing bench-matching bench-tracking bench soak clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	$(PY) manage.py build_encoder
	touch $@

## run: migrate, load the demo and serve on http://$(HOST) (SQLite and in-process Celery unless configured)
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST)

# Browser tests drive Debian's Chromium, never a browser downloaded by a test tool; installed here when missing.
CHROMIUM ?= /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; \
	else echo "chromium is missing and this is not root: browser tests will be skipped (apt-get install chromium)"; fi

## test: the whole suite (PostgreSQL, Redis and a real worker when DATABASE_URL and REDIS_URL are set);
##       with RABBITMQ_URL set, the worker and crash tests run once more on RabbitMQ
test: $(VENV)/.installed $(CHROMIUM)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run > /dev/null
	@# Schema fuzzing and the browser tests run beside the rest, in a process and test database of their own: each
	@# half spends much of its time waiting (on Chromium, on workers), so together they take about half the time.
	@fuzz_log=$$(mktemp); \
	fuzz_db=$${DATABASE_URL:+$${DATABASE_URL%/}_fuzz}; \
	(DATABASE_URL="$$fuzz_db" $(VENV)/bin/pytest -m "fuzz or browser" > "$$fuzz_log" 2>&1) & fuzz_pid=$$!; \
	$(VENV)/bin/pytest -m "not fuzz and not browser"; suite=$$?; \
	wait $$fuzz_pid; fuzz=$$?; \
	echo "== schema fuzzing and browser tests (pytest -m 'fuzz or browser')"; cat "$$fuzz_log"; rm -f "$$fuzz_log"; \
	[ $$suite -eq 0 ] && [ $$fuzz -eq 0 ]
	@if [ -n "$$RABBITMQ_URL" ]; then \
	  echo "== integration tests on RabbitMQ"; \
	  CELERY_BROKER_URL="$$RABBITMQ_URL" $(VENV)/bin/pytest -m integration tests/integration; \
	fi

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## serve: the web app under gunicorn on http://$(HOST): WEB_WORKERS processes of WEB_THREADS threads each, every
##        thread keeping at most one database connection (run collectstatic first)
WEB_WORKERS ?= 3
WEB_THREADS ?= 4
serve: $(VENV)/.installed
	$(VENV)/bin/gunicorn -c config/gunicorn.conf.py config.wsgi --bind $(HOST) \
	  --workers $(WEB_WORKERS) --threads $(WEB_THREADS) \
	  --access-logfile -

## worker / beat: the Celery processes for a real broker (REDIS_URL or CELERY_BROKER_URL)
worker: $(VENV)/.installed
	$(VENV)/bin/celery -A config worker -Q default,routing,notifications,webhooks --loglevel INFO

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A config beat --loglevel INFO

## check-deploy: Django's deployment checks on the production settings with your configuration: the variables of
##               ENV_FILE (.env, as docker compose reads it) if it exists, else those of the environment; stops,
##               naming them, when a variable production requires is missing
ENV_FILE ?= .env
check-deploy: $(VENV)/.installed
	@$(PY) -c 'import sys; from config.env import check_deploy; sys.exit(check_deploy(sys.argv[1], sys.argv[2:]))' \
	  "$(ENV_FILE)" $(PY) manage.py check --deploy --fail-level WARNING

## bench-routing: routing throughput and latency on real services, in its own database (bench/README.md);
##                needs DATABASE_URL=postgres://… and REDIS_URL; e.g. make bench-routing BENCH_ARGS=--quick
bench-routing: $(VENV)/.installed
	$(PY) bench/routing.py $(BENCH_ARGS)

## bench-matching: the matcher at a million documents (generated claims plus the CLEF 2020 verified claims) against
##                 the dev tweets: load time, memory, MAP@5, gold recall and ms per query (bench/README.md); the
##                 database is DATABASE_URL's (or --database URL); e.g. make bench-matching BENCH_ARGS="--scale 100000"
bench-matching: $(VENV)/.installed
	$(PY) bench/matching.py $(BENCH_ARGS)

## bench-tracking: a long report's sentences matched one at a time and in track_report's batches, with the ratio
##                 (bench/README.md); a new SQLite file unless BENCH_ARGS="--database URL"
bench-tracking: $(VENV)/.installed
	$(PY) bench/tracking.py $(BENCH_ARGS)

## bench: the public pages and the API under load (gunicorn, wrk) in their own database, each against a ceiling
##        measured in the same run (bench/README.md); needs DATABASE_URL=postgres://…, REDIS_URL and wrk;
##        e.g. make bench BENCH_ARGS=--quick, or BENCH_ARGS="--scale 1000000"
bench: $(VENV)/.installed
	@command -v wrk > /dev/null || { echo "make bench needs wrk, the HTTP load generator: apt-get install wrk (Debian package wrk)" >&2; exit 1; }
	$(PY) bench/web.py $(BENCH_ARGS)

## soak: readers, journalists, editors and reviewers for 5 minutes on gunicorn and a real worker, in their own
##       database: 0 errors expected, memory printed at the start and the end (bench/README.md); needs
##       DATABASE_URL=postgres://… and REDIS_URL; e.g. make soak BENCH_ARGS=--quick, or BENCH_ARGS=--beat
soak: $(VENV)/.installed
	$(PY) bench/soak.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

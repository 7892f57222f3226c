# 合肥人工智能试验区督查平台 — the two commands are `make run` and `make test`.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: run test install lint format bench bench-scale lock vendor migrate demo clean

$(STAMP): requirements.lock
	@scripts/system-deps.sh run
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $(STAMP)

## install: the virtualenv with the locked Python dependencies (and the Debian packages they build on)
install: $(STAMP)

## run: the embedded default — SQLite, Celery eager — with the plan, the working-day calendar, demo accounts and demo reports
run: install
	@mkdir -p data
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_plan
	$(PY) manage.py load_workdays
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## test: the whole suite against a throwaway PostgreSQL and Redis on free loopback ports
test: install
	scripts/with-services.sh $(MAKE) --no-print-directory _test

_test:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --settings=hefei_ai_zone.settings.test
	@# the embedded default (SQLite): no constraint that SQLite would drop (models.W039)
	tmp=$$(mktemp -d) && DATABASE_URL=sqlite:///$$tmp/check.sqlite3 REDIS_URL= \
	  $(PY) manage.py check --database default --fail-level WARNING \
	  --settings=hefei_ai_zone.settings.local; status=$$?; rm -rf $$tmp; exit $$status
	$(PY) manage.py spectacular --validate --fail-on-warn --settings=hefei_ai_zone.settings.test \
	  --file /dev/null
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## lint: ruff and mypy (settings in pyproject.toml)
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## bench: server-time figures on PostgreSQL (see docs/performance.md)
bench: install
	scripts/with-services.sh $(PY) scripts/bench.py $(if $(filter-out 0,$(BENCH_SCALE)),--scale)

## bench-scale: the dashboard, the unit dashboard and the task list at scale (~400,000 reports)
bench-scale: install
	scripts/with-services.sh $(PY) scripts/bench.py --scale

## lock: re-resolve requirements.lock from pyproject.toml
lock:
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet pip-tools==7.6.2
	$(VENV)/bin/pip-compile --quiet --extra dev --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

## vendor: refresh static/vendor/ from the npm registry at the versions package-lock.json pins
vendor:
	npm ci --no-audit --no-fund --ignore-scripts
	rm -rf static/vendor && mkdir -p static/vendor/bootstrap static/vendor/bootstrap-icons/fonts static/vendor/htmx static/vendor/echarts
	cp node_modules/bootstrap/dist/css/bootstrap.min.css* static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* static/vendor/bootstrap/
	cp node_modules/bootstrap/LICENSE static/vendor/bootstrap/
	cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css static/vendor/bootstrap-icons/
	cp node_modules/bootstrap-icons/font/fonts/* static/vendor/bootstrap-icons/fonts/
	cp node_modules/bootstrap-icons/LICENSE static/vendor/bootstrap-icons/
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE static/vendor/htmx/
	cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE static/vendor/echarts/
	node -e 'const l=require("./package-lock.json").packages;for(const k of Object.keys(l))if(k)console.log(k.replace("node_modules/",""),l[k].version)' > static/vendor/VERSIONS

clean:
	rm -rf $(VENV) node_modules data/staticfiles

# Two commands do everything: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
PYTHON312 ?= $(shell command -v python3.12 2>/dev/null || (command -v pyenv >/dev/null && pyenv root >/dev/null && ls -d $$(pyenv root)/versions/3.12*/bin/python3.12 2>/dev/null | tail -n 1))
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo lint format messages check clean serve worker bench

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON312)" || { echo "Python 3.12 is needed (pyenv install 3.12)"; exit 1; }
	test -x $(PY) || $(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	DJANGO_DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

# Production-style: the app server and the task worker, one command each.
serve: install
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/gunicorn -c config/gunicorn.py config.wsgi

worker: install
	$(PY) manage.py worker

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Load test of the site under gunicorn (bench/site.py); not part of `make test`.
# BENCH_ARGS=--quick for a short run.
bench: install
	$(PY) bench/site.py $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Needs GNU gettext (apt-get install gettext). The compiled .mo files are committed.
messages: install
	$(PY) manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=var --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var

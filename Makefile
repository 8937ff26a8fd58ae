# Danbao — `make run` (set-up + demo data + server) and `make test` (set-up + whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= danbao.settings

.PHONY: setup run test lint check-deploy messages assets migrate demo bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: node_modules/.installed $(VENV)/.installed
	$(PY) scripts/copy_vendor.py

messages: $(VENV)/.installed
	$(PY) scripts/compile_messages.py

setup: $(VENV)/.installed node_modules/.installed assets messages
	@bash scripts/install_system_packages.sh --optional
	@mkdir -p var

migrate: setup
	DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(PY) manage.py seed_demo

run: demo
	DEBUG=1 $(PY) manage.py demo_logins
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	DJANGO_SETTINGS_MODULE=danbao.settings_test $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

check-deploy: setup
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') ALLOWED_HOSTS=danbao.example.cn \
		FIELD_ENCRYPTION_KEYS=k1:$$($(PY) -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())') \
		$(PY) manage.py check --deploy --fail-level WARNING

bench: migrate
	DEBUG=1 $(PY) bench/run.py

clean:
	rm -rf var/staticfiles var/test-media test-results

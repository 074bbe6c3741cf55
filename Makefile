# The two commands a person needs: `make demo` and `make test`. CI calls `make test`.
PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
NS := $(VENV)/bin/newsstand
PYTEST := $(VENV)/bin/pytest
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: demo run test check lint test-sqlite test-postgres bench clean env browser messages

$(UV):
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Newsstand needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv

# Bytecode is written at install, as pip does: some machines set PYTHONDONTWRITEBYTECODE, and
# every process would otherwise recompile its imports (about 0.6 s of CPU a start).
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --inexact --all-groups --compile-bytecode
	touch $@

env: $(VENV)/.synced

demo: env
	$(NS) demo

run: env
	$(NS) run

lint: env
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

browser:
	@scripts/ensure-chromium
	@scripts/ensure-axe

# The interface's translations: collect the strings into the .po files (needs GNU gettext's
# xgettext), then compile the .mo files (pure Python, Babel). The .mo files are committed.
messages: env
	cd src/newsstand && DJANGO_SETTINGS_MODULE=newsstand.settings ../../$(VENV)/bin/django-admin \
		makemessages -l fr -l de -l es --no-obsolete --ignore "demo/*" --ignore "data/*"
	$(VENV)/bin/python scripts/compile-messages

test-sqlite: env
	$(PYTEST) -p no:cacheprovider

test-postgres: env
	scripts/test-postgres "$(POSTGRES_URL)"

test: env browser lint test-sqlite test-postgres

bench: env
	$(VENV)/bin/python bench/parse_conformance.py
	$(VENV)/bin/python bench/parse_speed.py
	$(VENV)/bin/python bench/refresh_throughput.py

clean:
	rm -rf $(VENV) newsstand-data .pytest_cache .mypy_cache .ruff_cache .cache

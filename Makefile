# One entry point for people and CI. `make run` and `make test` install what they need
# into .venv the first time, and again only when setup.cfg or pyproject.toml change.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEPS := setup.cfg pyproject.toml
# The console's browser libraries (htmx, ECharts), pinned in its package-lock.json
ASSETS := service/console/assets
ASSETS_STAMP := $(ASSETS)/node_modules/.installed

.DEFAULT_GOAL := help
.PHONY: help run test fuzz lint openapi clients migration migrate bench clean distclean assets browser \
	console-messages screenshots

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps: an install is redone only when the dependency files are newer than its stamp.
$(VENV)/.installed-local: $(DEPS) | $(BIN)/python
	$(BIN)/python -m pip install -e '.[local]'
	@touch $@

$(VENV)/.installed-test: $(DEPS) | $(BIN)/python
	$(BIN)/python -m pip install -e '.[test]'
	@touch $@

$(ASSETS_STAMP): $(ASSETS)/package.json $(ASSETS)/package-lock.json
	@command -v npm >/dev/null || { echo "the console's assets need node and npm" >&2; exit 1; }
	cd $(ASSETS) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: $(ASSETS_STAMP)  ## install the console's pinned browser libraries (npm ci, no CDN)

# The console's browser tests drive Debian's chromium; as root it is installed with apt-get,
# otherwise those tests skip and say why (under CI=true they fail instead).
browser:  ## install Debian's chromium for the console's browser tests (when root)
	@[ -x /usr/bin/chromium ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	  chromium fonts-noto-cjk >/dev/null; } \
	  || echo "no /usr/bin/chromium: the console's browser tests will be skipped" >&2

run: $(VENV)/.installed-local $(ASSETS_STAMP)  ## install and run the embedded default on http://127.0.0.1:8000
	$(BIN)/postal-service run-local

# The suite runs on one pytest-xdist worker per core, each test file on one worker (its
# module fixtures, such as a Celery worker over Redis, start once); TEST_WORKERS=0 runs it
# in one process.
TEST_WORKERS ?= auto

test: $(VENV)/.installed-test $(ASSETS_STAMP) browser  ## install test dependencies and run the whole suite (ARGS="-x -k …")
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(ARGS)

fuzz: $(VENV)/.installed-test  ## schemathesis over every operation (FUZZ_MAX_EXAMPLES per operation, default 3)
	$(BIN)/python -m pytest -m fuzz tests/fuzz $(ARGS)

lint: $(VENV)/.installed-test  ## ruff over the repository
	$(BIN)/ruff check .

openapi: $(VENV)/.installed-local  ## regenerate api_specs/openapi.json from the app
	$(BIN)/postal-service openapi

clients:  ## lint the spec, generate TypeScript types and the Python client (docs/clients.md)
	bash .ci/contract.sh

migrate: $(VENV)/.installed-local  ## migrate DATABASE_URL (default var/postal.db) and load reference data
	$(BIN)/postal-service migrate

# Autogenerates against a scratch SQLite database brought to head, so the new revision holds
# exactly what the models add; review it, then run `make test` (tests/test_migrations.py).
migration: $(VENV)/.installed-local  ## write a new migration: make migration m="what changed"
	@test -n "$(m)" || { echo 'usage: make migration m="what changed"'; exit 2; }
	$(BIN)/python -c 'import sys, tempfile; \
	from alembic import command; \
	from alembic.script import ScriptDirectory; \
	from service.migrate import alembic_config, upgrade; \
	url = "sqlite:///" + tempfile.mkdtemp() + "/scratch.db"; \
	upgrade(url); \
	config = alembic_config(url); \
	rev_id = "%04d" % (len(list(ScriptDirectory.from_config(config).walk_revisions())) + 1); \
	command.revision(config, message=sys.argv[1], autogenerate=True, rev_id=rev_id)' "$(m)"

bench: $(VENV)/.installed-test  ## the hot paths under gunicorn vs baselines, one run (docs/performance.md)
	$(BIN)/python bench/run.py

# After changing the console's texts: extract them, merge into the Chinese catalogue (fill
# the new msgstr in translations/zh/LC_MESSAGES/messages.po), compile the .mo (committed).
console-messages: $(VENV)/.installed-test  ## update and compile the console's catalogues (zh, en)
	$(BIN)/pybabel extract -F service/console/babel.cfg -k N_ -k _ -k gettext --no-location \
	  --sort-output -o service/console/translations/messages.pot .
	$(BIN)/pybabel update -i service/console/translations/messages.pot \
	  -d service/console/translations -D messages --no-fuzzy-matching
	$(BIN)/pybabel compile -d service/console/translations -D messages

screenshots: $(VENV)/.installed-test $(ASSETS_STAMP)  ## take the console's screenshots (docs/console/*.png)
	SCREENSHOTS=1 $(BIN)/python -m pytest -p no:cacheprovider tests/console/test_screenshots.py

clean:  ## remove caches and build output (keeps .venv and var/)
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean  ## also remove .venv and var/ (the local database and SeaweedFS data)
	rm -rf $(VENV) var $(ASSETS)/node_modules clients/node_modules clients/.venv clients/python clients/typescript/generated

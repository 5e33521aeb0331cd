# The two set-up commands of the README, each installing what it needs into .venv:
#   make brochures   build the sample brochures from seeds/ into seeds/build/
#   make test        run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: brochures test bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $(STAMP)

brochures: $(STAMP)
	$(BIN)/brochure build seeds

# the workbench's browser tests drive Debian's chromium, and EPUBCheck runs on Java (each installed
# here when missing: CI runs as root)
test: $(STAMP)
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update && apt-get install -y --no-install-recommends chromium; } \
	  || { echo "make test: the browser tests need chromium: sudo apt-get install chromium" >&2; exit 1; }
	@command -v java >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update && apt-get install -y --no-install-recommends default-jre-headless; } \
	  || { echo "make test: EPUBCheck needs Java: sudo apt-get install default-jre-headless" >&2; exit 1; }
	$(BIN)/python -m pytest -q

# every bench/bench_*.py, then one table: metric, goal, measured, verdict (details: build/bench.log)
bench: $(VENV)/.installed-bench
	$(BIN)/python bench/run.py

# the benchmarks' extra: argos-translate-lt for the argos baseline (with onnxruntime: bench only)
$(VENV)/.installed-bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --editable '.[dev,bench]'
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check cli tests bench
	$(BIN)/ruff format --check cli tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) seeds/build seeds/.brochure

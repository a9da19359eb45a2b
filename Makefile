# The two commands README gives: `make run` and `make test`. Both create or reuse .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-load bench-scale bench-app-scale bench-upload evaluate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# `make run PORT=8502` (or ADDRESS=0.0.0.0 to serve the network); `reactions app` passes any Streamlit option.
PORT ?= 8501
ADDRESS ?= 127.0.0.1

run: $(STAMP)
	$(BIN)/reactions app --server.address $(ADDRESS) --server.port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

evaluate: $(STAMP)
	$(BIN)/reactions evaluate ../shared/eval/reactions_dev.jsonl

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_browser.py

bench-load: $(STAMP)
	$(BIN)/python benchmarks/load_sessions.py --sessions 20 --duration 60 --ramp 2 --think 3 --shared-cache --reduced-motion

bench-scale: $(STAMP)
	$(BIN)/python benchmarks/scale_records.py

bench-app-scale: $(STAMP)
	$(BIN)/python benchmarks/app_at_scale.py

bench-upload: $(STAMP)
	$(BIN)/python benchmarks/upload_at_scale.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

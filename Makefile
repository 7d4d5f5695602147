# Rosetta: two commands do all the set-up on a fresh machine with Python 3.11.
#   make book   build the HTML site into _build/html
#   make test   unit tests, nbval on every chapter, and a warning-free book build
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(wildcard book/*.ipynb)
# Headless: widgets draw their default figure; no display is needed.
export ROSETTA_HEADLESS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: book test unit nbval book-strict bench clean

$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

book: $(STAMP)
	$(VENV)/bin/jupyter-book build . --path-output . 
	@echo "Open _build/html/index.html"

test: unit nbval book-strict
	@echo "make test: all passed"

unit: $(STAMP)
	$(PY) -m pytest tests -q -p no:cacheprovider

nbval: $(STAMP)
	$(PY) -m pytest --nbval-lax --nbval-current-env -q -p no:cacheprovider $(NOTEBOOKS)

book-strict: $(STAMP)
	$(VENV)/bin/jupyter-book build . --path-output . -W -n --keep-going

bench: $(STAMP)
	$(PY) benchmarks/bench_simulate.py
	$(PY) benchmarks/bench_widgets.py
	$(PY) benchmarks/bench_sweep.py
	$(PY) benchmarks/bench_cycles.py
	$(PY) benchmarks/bench_spiking.py
	$(PY) benchmarks/bench_explore.py

clean:
	rm -rf _build

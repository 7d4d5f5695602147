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

.PHONY: book test unit nbval book-strict browser browser-deps bench clean

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

test: unit nbval book-strict browser
	@echo "make test: all passed"

unit: $(STAMP)
	$(PY) -m pytest tests -q -p no:cacheprovider --ignore=tests/browser

nbval: $(STAMP)
	$(PY) -m pytest --nbval-lax --nbval-current-env -q -p no:cacheprovider $(NOTEBOOKS)

book-strict: $(STAMP)
	$(VENV)/bin/jupyter-book build . --path-output . -W -n --keep-going

# The browser test reads every built page in Debian's headless Chromium (no network, no
# downloaded browser). As root, the packages are installed here if missing.
browser-deps:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get install -y -q chromium chromium-driver >/dev/null || \
	  { apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver >/dev/null; }; \
	else echo "error: the browser test needs Debian's chromium and chromium-driver:" \
	  "sudo apt-get install chromium chromium-driver"; exit 1; fi

browser: $(STAMP) browser-deps
	$(PY) -m pytest tests/browser -q -p no:cacheprovider

bench: $(STAMP)
	$(PY) benchmarks/bench_simulate.py
	$(PY) benchmarks/bench_widgets.py
	$(PY) benchmarks/bench_sweep.py
	$(PY) benchmarks/bench_cycles.py
	$(PY) benchmarks/bench_spiking.py
	$(PY) benchmarks/bench_explore.py
	$(PY) benchmarks/bench_whole_brain.py

clean:
	rm -rf _build

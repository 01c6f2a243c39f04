# The course's commands. `make lab` opens the course; `make test` proves it works.
# Both create .venv from requirements.lock when it is missing or the lock has changed.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))
PYTEST_WORKERS ?= 2
DASHBOARD_PORT ?= 8866
NPM := $(shell command -v npm 2>/dev/null)
AXE := tests/browser/node_modules/axe-core/axe.min.js

# Jupyter, IPython and matplotlib keep their config and runtime files in the project.
export JUPYTER_CONFIG_DIR := $(CURDIR)/.jupyter/config
export JUPYTER_DATA_DIR := $(CURDIR)/.jupyter/data
export JUPYTER_RUNTIME_DIR := $(CURDIR)/.jupyter/runtime
export IPYTHONDIR := $(CURDIR)/.jupyter/ipython
export MPLCONFIGDIR := $(CURDIR)/.jupyter/matplotlib
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

# JupyterLab refuses to start as root unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help lab test lint notebooks answers codebook student html dashboard bench lock clean

help:
	@echo "make lab        open the course in JupyterLab (first run installs .venv)"
	@echo "make test       lint, unit and data tests, strict nbval on every notebook, browser tests"
	@echo "make notebooks  execute every notebook in place and normalise it"
	@echo "make answers    refresh the stored exercise answers from the notebooks' solutions"
	@echo "make student    write build/student/: solutions replaced by stubs, outputs cleared"
	@echo "make html       write build/html/: every notebook executed, as static pages (open index.html)"
	@echo "make dashboard  the explorers as a Voila dashboard on http://127.0.0.1:$(DASHBOARD_PORT)/"
	@echo "make codebook   regenerate data/README.md from data/datapackage.json"
	@echo "make bench      time loading, the explorers on GTD-sized data, and each notebook's Run All"
	@echo "make lock       re-resolve requirements.lock from pyproject.toml"

$(STAMP): requirements.lock pyproject.toml jupyter/overrides.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $@

# Folders that Jupyter, IPython and matplotlib expect to exist and be writable.
JUPYTER_DIRS := $(JUPYTER_CONFIG_DIR) $(JUPYTER_DATA_DIR) $(JUPYTER_RUNTIME_DIR) $(IPYTHONDIR) $(MPLCONFIGDIR)
$(JUPYTER_DIRS):
	mkdir -p $@

lab: $(STAMP) | $(JUPYTER_DIRS)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=$(CURDIR) $(ROOT_FLAG) \
	    notebooks/00_start_here.ipynb

lint: $(STAMP) | $(JUPYTER_DIRS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint node
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile \
	    --nbval --nbval-sanitize-with tests/sanitize.cfg course_lib scripts benchmarks tests notebooks

notebooks: $(STAMP) | $(JUPYTER_DIRS)
	$(BIN)/python scripts/build_notebooks.py $(NOTEBOOKS)

answers: $(STAMP) | $(JUPYTER_DIRS)
	$(BIN)/python scripts/record_answers.py $(NOTEBOOKS)

student: $(STAMP)
	rm -rf build/student
	$(BIN)/python scripts/make_student.py --out build/student $(NOTEBOOKS)

# Static pages of the executed notebooks, readable with no kernel and no network; skipped when
# build/html is up to date (FORCE=1 exports anyway). Fetches the ipywidgets HTML manager
# once with npm pack (pinned, integrity-checked) into build/vendor/.
html: $(STAMP) | $(JUPYTER_DIRS)
	$(BIN)/python scripts/export_html.py $(if $(FORCE),--force,)

# The explorers alone, no code shown, as a Voila dashboard on 127.0.0.1 (Ctrl+C stops it).
dashboard: $(STAMP) | $(JUPYTER_DIRS)
	$(BIN)/python dashboards/serve.py --port $(DASHBOARD_PORT)

# axe-core for the browser tests' accessibility checks, from tests/browser/package-lock.json,
# when npm is present (without it those checks skip, or fail under CI=true).
node: $(if $(NPM),$(AXE),)
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	touch $@

codebook: $(STAMP)
	$(BIN)/python -m course_lib.codebook --write

bench: $(STAMP) | $(JUPYTER_DIRS)
	$(BIN)/python benchmarks/run.py

lock:
	rm -rf build/lockvenv && $(PYTHON) -m venv build/lockvenv
	build/lockvenv/bin/python -m pip install --quiet -e '.[dev]'
	{ sed -n 1,2p requirements.lock; build/lockvenv/bin/python -m pip freeze --exclude-editable; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf build .pytest_cache .ruff_cache .hypothesis

# The course's commands. `make lab` opens the course; `make test` proves it works.
# `make lab` installs the course environment (requirements.lock); the commands that test, build
# or serve the course add the development tools (requirements-dev.lock) to the same .venv.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
COURSE := $(VENV)/.course-installed
DEV := $(VENV)/.dev-installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))
PYTEST_WORKERS ?= 2
DASHBOARD_PORT ?= 8866
NPM := $(shell command -v npm 2>/dev/null)
AXE := tests/browser/node_modules/axe-core/axe.min.js
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

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

.PHONY: help lab check test lint notebooks answers codebook student grading html dashboard bench lock clean node plotly-bundle

help:
	@echo "make lab        open the course in JupyterLab (the first run installs .venv)"
	@echo "make test       everything: lint, unit and data tests, strict nbval on every notebook, browser tests"
	@echo "make check      the fast loop: lint and unit tests (no notebooks, no browser), under a minute"
	@echo "make notebooks  execute every notebook in place and normalise it"
	@echo "make answers    refresh the stored exercise answers from the notebooks' solutions"
	@echo "make student    publish the student edition to build/student/ (no solutions, no guide);"
	@echo "                STUDENT_BRANCH=student also commits it to that git branch (for nbgitpuller)"
	@echo "make grading    lay out an nbgrader course in build/grading/ (see teaching/GRADING.md)"
	@echo "make html       write build/html/: every notebook as a static page (open index.html)"
	@echo "make dashboard  the explorers as a Voila dashboard on http://127.0.0.1:$(DASHBOARD_PORT)/"
	@echo "make codebook   regenerate data/README.md from data/datapackage.json and the tables"
	@echo "make bench      time loading, importing, the explorers and the browser; check the bounds"
	@echo "make plotly-bundle  rebuild course_lib/assets/plotly.min.js (the traces the course draws; needs npm)"
	@echo "make lock       re-resolve requirements.lock and requirements-dev.lock from pyproject.toml"

$(COURSE): requirements.lock pyproject.toml jupyter/overrides.json jupyter/course_lib.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.lock
	$(PIP) --no-deps -e .
	mkdir -p $(VENV)/share/jupyter/lab/settings $(JUPYTER_CONFIG_DIR)/jupyter_server_config.d
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	cp jupyter/course_lib.json $(JUPYTER_CONFIG_DIR)/jupyter_server_config.d/course_lib.json
	touch $@

$(DEV): $(COURSE) requirements-dev.lock
	$(PIP) -r requirements-dev.lock
	touch $@

# Folders that Jupyter, IPython and matplotlib expect to exist and be writable.
JUPYTER_DIRS := $(JUPYTER_CONFIG_DIR) $(JUPYTER_DATA_DIR) $(JUPYTER_RUNTIME_DIR) $(IPYTHONDIR) $(MPLCONFIGDIR)
$(JUPYTER_DIRS):
	mkdir -p $@

lab: $(COURSE) | $(JUPYTER_DIRS)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=$(CURDIR) $(ROOT_FLAG) \
	    notebooks/00_start_here.ipynb

lint: $(DEV) | $(JUPYTER_DIRS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not browser and not slow" course_lib scripts tests

test: lint node
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile \
	    --nbval --nbval-sanitize-with tests/sanitize.cfg course_lib scripts benchmarks tests notebooks

notebooks: $(DEV) | $(JUPYTER_DIRS)
	$(BIN)/python scripts/build_notebooks.py $(NOTEBOOKS)

answers: $(DEV) | $(JUPYTER_DIRS)
	$(BIN)/python scripts/record_answers.py $(NOTEBOOKS)

student: $(DEV) | $(JUPYTER_DIRS)
	$(BIN)/python scripts/make_student.py --out build/student $(if $(STUDENT_BRANCH),--branch $(STUDENT_BRANCH),) $(NOTEBOOKS)

# nbgrader runs `alembic` from PATH: the environment's bin goes first.
grading: $(DEV) | $(JUPYTER_DIRS)
	$(BIN)/python scripts/grading.py --out build/grading $(NOTEBOOKS)
	@echo "Next: cd build/grading && PATH=$(CURDIR)/$(BIN):\$$PATH nbgrader generate_assignment week-01 (teaching/GRADING.md)"

html: $(DEV) | $(JUPYTER_DIRS)
	$(BIN)/python scripts/export_html.py

dashboard: $(DEV) | $(JUPYTER_DIRS)
	$(BIN)/python dashboards/serve.py --port $(DASHBOARD_PORT)

# axe-core for the browser tests' accessibility checks, from tests/browser/package-lock.json,
# when npm is present (without it those checks skip, or fail under CI=true).
node: $(if $(NPM),$(AXE),)
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	touch $@

codebook: $(DEV)
	$(BIN)/python scripts/codebook.py --write

# The course's plotly.js (course_lib/assets/plotly.min.js, committed): rebuild it after a new
# plotly in the locks (tests/test_web.py says when) or a new trace type. Needs npm.
plotly-bundle:
	cd scripts/plotly_bundle && npm ci --no-audit --no-fund --loglevel=error && node build.js

bench: $(DEV) | $(JUPYTER_DIRS)
	$(BIN)/python benchmarks/run.py

# Two locks from pyproject.toml: the course (its dependencies) and development (plus [dev]).
lock:
	rm -rf build/lockvenv && $(PYTHON) -m venv build/lockvenv
	build/lockvenv/bin/python -m pip install --quiet -e .
	{ echo "# The course environment, every package pinned (Python 3.11, Linux): what a student needs."; \
	  echo "# Generated by \`make lock\` from pyproject.toml; used by make lab, environment.yml and CI."; \
	  build/lockvenv/bin/python -m pip freeze --exclude-editable; } > requirements.lock
	build/lockvenv/bin/python -m pip install --quiet -e '.[dev]'
	{ echo "# The development tools on top of requirements.lock (tests, browser, dashboard, grading)."; \
	  echo "# Generated by \`make lock\`; make test installs requirements.lock, then this."; \
	  build/lockvenv/bin/python -m pip freeze --exclude-editable | grep -vxFf requirements.lock; } > requirements-dev.lock

clean:
	rm -rf build .pytest_cache .ruff_cache .hypothesis

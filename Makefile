# Two commands do all the set-up on a fresh machine:
#   make run   — install, build the index of corpus/ on first use, start the chat UI
#   make test  — install (incl. a headless Chromium for the UI test), run the tests and the fast eval
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: install browser run test eval bench

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

browser:
	bash scripts/install_browser.sh

run: install
	$(PY) app.py

test: install browser
	$(PY) -m pytest -q
	$(PY) app.py eval --fast

eval: install
	$(PY) app.py eval

bench: install
	$(PY) bench/benchmark.py

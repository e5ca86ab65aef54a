# Bootstrap only: create .venv, install the pinned requirements, then hand over to tasks.py (invoke).
PYTHON ?= python3
VENV := .venv
INVOKE := $(VENV)/bin/invoke
STAMP := $(VENV)/.installed
# Chinese file names and messages must work whatever the machine's locale is.
export PYTHONUTF8 := 1
export LC_ALL := C.UTF-8

.PHONY: setup serve test build check clean
.DEFAULT_GOAL := serve

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --disable-pip-version-check --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

serve: setup
	$(INVOKE) serve

test: setup
	$(INVOKE) test

build: setup
	$(INVOKE) build

check: setup
	$(INVOKE) check

clean:
	rm -rf output cache .pytest_cache

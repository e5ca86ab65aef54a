# Bootstrap only: create .venv, install the pinned Python and Node packages (and, for the tests,
# Debian's chromium), then hand over to tasks.py (invoke).
PYTHON ?= python3
VENV := .venv
INVOKE := $(VENV)/bin/invoke
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# Chinese file names and messages must work whatever the machine's locale is.
export PYTHONUTF8 := 1
export LC_ALL := C.UTF-8
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup browser serve test build check clean
.DEFAULT_GOAL := serve

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --disable-pip-version-check --quiet -r requirements.txt
	touch $(STAMP)

$(NODE_STAMP): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)

# The browser tests drive Debian's chromium (no browser download); CJK fonts make screenshots legible;
# Debian's nginx serves a published release with deploy/nginx/ (tests/test_nginx.py).
browser:
	@command -v chromium >/dev/null 2>&1 && [ -d /usr/share/fonts/opentype/noto ] && \
	  { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    chromium fonts-noto-cjk nginx >/dev/null; }

serve: setup
	$(INVOKE) serve

test: setup browser
	$(INVOKE) test

build: setup
	$(INVOKE) build

check: setup
	$(INVOKE) check

clean:
	rm -rf output cache .pytest_cache

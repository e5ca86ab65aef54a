# Bootstrap only: create .venv, install the pinned Python and Node packages (and, for the tests,
# Debian's chromium), then hand over to tasks.py (invoke).
PYTHON ?= python3
VENV := .venv
INVOKE := $(VENV)/bin/invoke
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# Decap CMS's browser bundle, served as admin/ by the site: one pinned tarball from the npm registry,
# checked against its integrity (npm's own sha512), not the 600 packages its npm install pulls in.
DECAP_VERSION := 3.16.3
DECAP_INTEGRITY := sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw==
DECAP_DIR := node_modules/.decap-cms-$(DECAP_VERSION)
DECAP_STAMP := $(DECAP_DIR)/.installed
# Chinese file names and messages must work whatever the machine's locale is.
export PYTHONUTF8 := 1
export LC_ALL := C.UTF-8
# pa11y's puppeteer would download a Chrome of its own: the audit drives Debian's chromium instead.
export PUPPETEER_SKIP_DOWNLOAD := 1
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

$(DECAP_STAMP): $(NODE_STAMP)
	rm -rf $(DECAP_DIR) && mkdir -p $(DECAP_DIR)
	cd $(DECAP_DIR) && npm pack --silent decap-cms@$(DECAP_VERSION) >/dev/null
	test "$$($(PYTHON) -c 'import base64, hashlib, sys; print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' $(DECAP_DIR)/decap-cms-$(DECAP_VERSION).tgz)" = "$(DECAP_INTEGRITY)" \
	  || { echo "decap-cms $(DECAP_VERSION): the downloaded package does not match its pinned integrity" >&2; exit 1; }
	tar -xzf $(DECAP_DIR)/decap-cms-$(DECAP_VERSION).tgz -C $(DECAP_DIR) --strip-components=2 \
	  --wildcards 'package/dist/*decap-cms.js' 'package/dist/*.wasm'
	rm $(DECAP_DIR)/decap-cms-$(DECAP_VERSION).tgz
	touch $(DECAP_STAMP)

setup: $(STAMP) $(NODE_STAMP) $(DECAP_STAMP)

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

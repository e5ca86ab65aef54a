"""Browser fixtures: Debian's chromium driven by Playwright, and built sites served on loopback."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading

import pytest
from playwright.sync_api import sync_playwright

from helpers import ROOT, site_build

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    assert shutil.which("chromium"), "Debian's chromium is required: `make setup` installs it"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.dialogs = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    context.close()


class Served:
    """A built output/ folder, reachable as file:// and as http://127.0.0.1:<port>/."""

    def __init__(self, output):
        self.output = output
        handler = functools.partial(_QuietHandler, directory=str(output))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.http = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.file = output.resolve().as_uri() + "/"

    def close(self):
        self.server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    output = tmp_path_factory.mktemp("sample-browser") / "output"
    outcome = site_build.build(ROOT / "pelicanconf.py", {"OUTPUT_PATH": str(output)})
    assert outcome.ok, outcome.report()
    served = Served(output)
    yield served
    served.close()


@pytest.fixture(scope="session")
def search_fixture_site(tmp_path_factory):
    from helpers import search_fixture

    served = Served(search_fixture(tmp_path_factory.mktemp("search-browser")).output)
    yield served
    served.close()


def pytest_collection_modifyitems(items):
    """Every test here drives Chromium: `invoke test --fast` leaves them out."""
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)

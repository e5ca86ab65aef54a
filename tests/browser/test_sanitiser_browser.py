"""Every page and feed of a site built from hostile bodies, opened in Chromium from file:// and over
http: no dialog, no navigation away, no request to another origin."""

from __future__ import annotations

import pytest

from conftest import Served
from helpers import FixtureSite, document
from security_corpus import NEUTRALISED, PICTURE

FIRE_EVENTS = """document.querySelectorAll('body *').forEach(element =>
    ['mouseover', 'mouseenter', 'focus', 'error', 'load'].forEach(type =>
        element.dispatchEvent(new Event(type))))"""


@pytest.fixture(scope="module")
def hostile_bodies(tmp_path_factory):
    site = FixtureSite(tmp_path_factory.mktemp("sanitiser"))
    site.write("news/pic.png", PICTURE)
    for number, name in enumerate(sorted(NEUTRALISED), start=1):
        body = f"正文开始。\n\n{NEUTRALISED[name]}\n\n正文结束。"
        site.write(
            f"news/{name}.md",
            document(index=f"003186648/201503-{number:05d}", title=name, body=body),
        )
    outcome = site.build()
    assert outcome.ok, outcome.report()
    served = Served(site.output)
    yield served
    served.close()


def test_no_page_or_feed_runs_navigates_or_loads_from_elsewhere(page, hostile_bodies):
    output = hostile_bodies.output
    paths = sorted(
        p.relative_to(output).as_posix()
        for p in output.rglob("*")
        if p.suffix in (".html", ".xml") and p.is_file()
    )
    assert any(p.startswith("docs/") for p in paths) and any(p.startswith("feeds/") for p in paths)
    foreign, bases = [], (hostile_bodies.file, hostile_bodies.http)
    page.on(
        "request",
        lambda request: None if request.url.startswith(bases) else foreign.append(request.url),
    )
    for base in bases:
        for path in paths:
            page.goto(base + path)
            page.wait_for_timeout(50)
            page.evaluate(FIRE_EVENTS)  # a handler of the mouseover kind would run now
            assert page.url.split("#")[0] == base + path, f"{path} navigated to {page.url}"
    assert foreign == []
    assert page.dialogs == []

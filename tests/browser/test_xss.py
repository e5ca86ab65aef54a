"""Hostile strings in every field an editor fills, and in the search box: shown as text, never
run."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from conftest import Served
from helpers import FixtureSite, document

PAYLOADS = {
    "title": '<script>alert("title")</script>',
    "title2": '"><img src=x onerror=alert("img")>',
    "keywords": "<b onmouseover=alert('kw')>外事</b>",
    "doc_number": '皖外办〔2015〕1号"><svg onload=alert("num")>',
    "summary": "javascript:alert('summary') </script><script>alert('json')</script>",
}
INJECTED = (
    "document.querySelectorAll('[onerror],[onload],[onmouseover],[onclick]').length + "
    "[...document.scripts].filter(s => !s.src).length"
)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    site = FixtureSite(tmp_path_factory.mktemp("xss"))
    attachment = '"><img src=x onerror=alert("file")>.csv'
    site.write(f"news/{attachment}", "a,b\n")
    site.write(
        "news/a.md",
        document(
            title=PAYLOADS["title"],
            关键词=PAYLOADS["keywords"],
            文号=PAYLOADS["doc_number"],
            内容概述=PAYLOADS["summary"],
            extra=f"附件:\n  - '{attachment}'",
            body="正文引用 `<script>alert('body')</script>` 作为示例文字。",
        ),
    )
    site.write(
        "news/b.md",
        document(index="003186648/201503-00002", title=PAYLOADS["title2"], body="第二篇。"),
    )
    outcome = site.build()
    assert outcome.ok, outcome.report()
    served = Served(site.output)
    yield served
    served.close()


@pytest.mark.parametrize(
    "rel",
    [
        "index.html",
        "columns/news.html",
        "docs/003186648-201503-00001.html",
        "docs/003186648-201503-00002.html",
        "catalogue/index.html",
        "sitemap.html",
    ],
)
def test_pages_show_hostile_text_literally(page, hostile_site, rel):
    for base in (hostile_site.file, hostile_site.http):
        page.goto(base + rel)
        page.wait_for_timeout(100)
        assert page.evaluate(INJECTED) == 0
        text = page.inner_text("body")
        if rel.endswith("00001.html"):
            assert page.inner_text("article h1") == PAYLOADS["title"]
            assert PAYLOADS["doc_number"] in text and "<script>alert('body')</script>" in text
            assert (
                page.locator(".gk-attachments a").inner_text()
                == '"><img src=x onerror=alert("file")>.csv'
            )
    assert not page.dialogs and not page.errors


@pytest.mark.parametrize("query", list(PAYLOADS.values()) + ["<script>alert(1)</script>"])
def test_search_treats_hostile_queries_and_results_as_text(page, hostile_site, query):
    for base in (hostile_site.file, hostile_site.http):
        page.goto(base + "search.html?q=" + quote(query))
        # Locators, not a string predicate: Playwright polls one with eval, which the site's CSP
        # refuses over HTTP whenever the first look comes too early.
        status = page.locator(".gk-search__status")
        status.filter(has_text=re.compile("共找到|没有可以查找")).wait_for()
        assert page.input_value("#search-q") == query
        assert page.evaluate(INJECTED) == 0
        page.fill("#search-q", "外事")
        with page.expect_navigation():
            page.press("#search-q", "Enter")
        status.filter(has_text="共找到").wait_for()
        titles = page.locator(".gk-results__title").all_inner_texts()
        assert PAYLOADS["title"] in titles
        assert page.evaluate(INJECTED) == 0
    assert not page.dialogs and not page.errors

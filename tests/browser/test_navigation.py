"""How a citizen finds their way: the 信息公开目录 beside column and document pages."""

from __future__ import annotations

import pytest
from test_theme import open_page

SIDE = "nav[aria-label=信息公开目录导航]"


def side_state(page):
    """(visible link names, the current link's name and aria-current, open nodes' names)."""
    return page.evaluate(
        """sel => {
        const side = document.querySelector(sel);
        const visible = [...side.querySelectorAll('a')].filter(a => a.checkVisibility())
            .map(a => a.textContent.trim());
        const current = side.querySelector('[aria-current]');
        const open = [...side.querySelectorAll('li > details[open]')]
            .map(d => d.parentElement.querySelector(':scope > a').textContent.trim());
        return [visible, current && [current.textContent.trim(),
            current.getAttribute('aria-current')], open];
    }""",
        SIDE,
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_catalogue_beside_column_and_document_pages_opens_at_the_current_node(
    browser, sample_site, javascript
):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(sample_site.http + "columns/budget.html")
    visible, current, open_nodes = side_state(page)
    assert current == ["部门预算", "page"]
    # The path to the current column is open, its siblings shown; other branches are closed.
    assert open_nodes == ["法定主动公开内容", "财政预决算"]
    assert {"信息公开指南", "部门预算", "部门决算", "三公经费", "政府信息公开年报"} <= set(visible)
    assert "政策解读" not in visible  # under 政策文件, which is closed
    # A document page marks its column (not "page": the page is the document).
    page.goto(sample_site.http + "docs/003186648-201402-00001.html")
    _, current, open_nodes = side_state(page)
    assert current[1] == "true" and current[0] in visible
    # Any branch opens and closes by keyboard, with or without JavaScript.
    toggle = page.locator(f"{SIDE} li:has(> a:text-is('政策文件')) > details > summary")
    toggle.focus()
    page.keyboard.press("Enter")
    assert "政策解读" in side_state(page)[0]
    page.keyboard.press("Enter")
    assert "政策解读" not in side_state(page)[0]
    page.get_by_role("link", name="政府信息公开年报").last.click()
    assert page.locator("h1").inner_text() == "政府信息公开年报"
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_catalogue_beside_a_page_is_a_closed_box_on_phones(browser, sample_site, javascript):
    context = browser.new_context(
        viewport={"width": 375, "height": 800}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(sample_site.http + "columns/budget.html")
    assert side_state(page)[0] == []  # closed: the page's own content comes first
    box = page.locator(f"{SIDE} summary.gk-side__title")
    assert box.inner_text() == "信息公开目录"
    # Before the content, so one tap opens it; the box is as wide as the page, not wider.
    assert box.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    box.click()
    visible, current, _ = side_state(page)
    assert current == ["部门预算", "page"] and "部门预算" in visible
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


@pytest.mark.parametrize(
    "settings", [None, {"text": 2, "contrast": True}], ids=["normal", "age-friendly"]
)
def test_side_catalogue_fits_and_reads_at_every_text_size(page, sample_site, settings):
    open_page(page, sample_site.http, "docs/003186648-201402-00001.html", settings)
    side = page.locator(SIDE).bounding_box()
    main = page.locator("main").bounding_box()
    assert side["x"] + side["width"] <= main["x"], "the catalogue sits beside the content"
    assert main["width"] >= 600
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # Wide screens: shown open, and screen readers are told it is open.
    assert page.locator(f"{SIDE} details.gk-side__box").get_attribute("open") is not None

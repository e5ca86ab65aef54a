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


def shown_panel(page):
    """(heading of the one panel shown, titles listed in it)."""
    panels = page.locator(".gk-tabs__panel:visible")
    assert panels.count() == 1
    return panels.first.locator("h3").text_content(), panels.first.locator("li a").all_inner_texts()


def test_home_tabs_by_kind_work_with_mouse_and_keyboard(page, sample_site):
    open_page(page, sample_site.http, "index.html")
    tabs = page.get_by_role("tab")
    kinds = ["通知公告", "政策文件", "政策解读", "财政资金", "招标采购"]
    assert tabs.all_inner_texts() == ["最新发布", *kinds]
    heading, titles = shown_panel(page)
    assert heading == "最新发布" and "关于举办2015年全省外事干部业务培训班的通知" in titles
    # Keyboard: one Tab stop for the tab list; arrows move and select, Home/End jump.
    tabs.first.focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") == "通知公告"
    heading, titles = shown_panel(page)
    assert heading == "通知公告" and len(titles) == 3
    assert page.get_by_role("tabpanel").get_attribute("aria-labelledby") == "gk-tab-notices"
    page.keyboard.press("End")
    heading, titles = shown_panel(page)
    assert heading == "招标采购" and titles
    page.keyboard.press("ArrowRight")  # wraps round
    assert shown_panel(page)[0] == "最新发布"
    page.keyboard.press("Tab")  # from the tab to its panel
    assert page.evaluate("document.activeElement.getAttribute('role')") == "tabpanel"
    # Mouse; the 财政资金 tab lists the newest of 部门预算, 决算 and 三公经费 together.
    page.get_by_role("tab", name="财政资金").click()
    heading, titles = shown_panel(page)
    assert heading == "财政资金" and len(titles) == 8
    assert page.locator("[aria-selected=true]").inner_text() == "财政资金"
    page.get_by_role("link", name="更多财政资金").click()
    assert page.locator("h1").inner_text() == "财政预决算"


def test_home_without_javascript_lists_every_kind_under_its_heading(browser, sample_site):
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(sample_site.http + "index.html")
    assert page.locator("[role=tab]:visible").count() == 0
    headings = page.locator(".gk-tabs__panel h3:visible").all_inner_texts()
    assert headings == ["最新发布", "通知公告", "政策文件", "政策解读", "财政资金", "招标采购"]
    for panel in page.locator(".gk-tabs__panel").all():
        assert panel.locator("li a").count() >= 1
    blocks = page.locator(".gk-blocks li")
    assert "依申请公开" in blocks.all_inner_texts()[-1]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_application_path_from_the_navigation_to_the_form_and_its_downloads(
    browser, sample_site, scheme
):
    context = browser.new_context(viewport={"width": 375, "height": 800}, accept_downloads=True)
    page = context.new_page()
    page.goto(getattr(sample_site, scheme) + "index.html")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="依申请公开").click()
    assert page.locator("h1").inner_text() == "依申请公开"
    channels = page.locator("#apply-channels ~ h3").all_inner_texts()
    assert channels == ["当面提交", "信函申请", "传真申请", "电子邮件申请", "网上申请"]
    assert "15 个工作日内予以答复" in page.locator("#apply-steps ~ ol").inner_text()
    with page.expect_download() as word:
        page.get_by_role("link", name="下载 Word 文档").click()
    assert word.value.suggested_filename == "application-form.docx"
    page.get_by_role("link", name="在线查看并打印").click()
    assert page.locator("h1").inner_text() == "政府信息公开申请表"
    assert page.locator("section.gk-form h2").all_inner_texts() == [
        "政府信息公开申请表（公民）",
        "政府信息公开申请表（法人或者其他组织）",
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # On paper: no navigation, each version on a page of its own.
    page.emulate_media(media="print")
    assert not page.locator(".gk-nav").is_visible()
    breaks = page.evaluate(
        "[...document.querySelectorAll('section.gk-form')]"
        ".map(s => getComputedStyle(s).breakBefore)"
    )
    assert breaks == ["auto", "page"]
    context.close()

"""Search as a visitor uses it: type into the box, read the results, open one; from disk and over
HTTP."""

from __future__ import annotations

import pytest

STATUS = ".gk-search__status"
DONE = f"(document.querySelector('{STATUS}') || {{textContent: ''}}).textContent.includes('共找到')"
# A function, not an expression: Playwright evaluates expressions with eval(), which the pages' CSP
# forbids.
STATUS_SAYS = (
    f"text => (document.querySelector('{STATUS}') || "
    f"{{textContent: ''}}).textContent.includes(text)"
)


def search_from_home(page, base, query):
    page.goto(base + "index.html")
    page.fill("#home-search", query)
    with page.expect_navigation():
        page.press("#home-search", "Enter")
    page.wait_for_function(DONE)
    return page.locator(".gk-results__title a").all_inner_texts()


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_type_a_query_and_open_the_result(page, sample_site, scheme):
    base = getattr(sample_site, scheme)
    titles = search_from_home(page, base, "三公经费")
    assert "省外办2014年“三公”经费财政拨款支出预算情况" in titles[:3]
    assert "search.html?q=" in page.url
    page.get_by_role("link", name="省外办2014年“三公”经费财政拨款支出预算情况").click()
    page.wait_for_load_state()
    assert page.locator("article h1").inner_text() == "省外办2014年“三公”经费财政拨款支出预算情况"
    assert page.url.endswith("docs/003186648-201402-00002.html")
    page.go_back()
    page.wait_for_function(DONE)
    assert page.input_value("#search-q") == "三公经费"
    assert not page.errors


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_body_only_phrase_and_exact_doc_number(page, sample_site, scheme):
    base = getattr(sample_site, scheme)
    titles = search_from_home(
        page, base, "标准化建设为切入点"
    )  # only in the body, not in any metadata
    assert titles == ["省外办窗口2014年办件情况公告"]
    snippet = page.locator(".gk-results li").first.locator("mark")
    snippet.first.wait_for()
    assert snippet.all_inner_texts() == ["标准化建设为切入点"]
    titles = search_from_home(page, base, "皖外办(2014)12号")
    assert titles[0] == "关于进一步规范因公出国（境）审批管理的通知"
    assert not page.errors


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_filters_and_count(page, sample_site, scheme):
    page.goto(getattr(sample_site, scheme) + "search.html?q=" + "招标")
    page.wait_for_function(DONE)
    total = page.locator(".gk-results > li").count()
    assert f"共找到 {total} 条结果" in page.inner_text(STATUS)
    page.select_option("#search-year", "2014")
    page.select_option("#search-column", "procurement")
    page.click(".gk-search button[type=submit]")
    page.wait_for_function(STATUS_SAYS, arg="已按栏目或年份筛选")
    assert "column=procurement" in page.url and "year=2014" in page.url
    metas = page.locator(".gk-results__meta").all_inner_texts()
    assert 0 < len(metas) < total
    assert all(m.startswith("招标采购　2014-") for m in metas)
    # Under each title: column, date, 文号 when there is one, and the 索引号 the page has.
    links = page.locator(".gk-results__title a").evaluate_all("as => as.map(a => a.href)")
    for meta, link in zip(metas, links):
        index = meta.split("索引号：")[1]
        assert link.endswith("/docs/" + index.replace("/", "-").lower() + ".html"), (meta, link)
    assert not page.errors


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_a_new_search_on_the_search_page_keeps_the_index_and_the_back_button(
    page, sample_site, scheme
):
    """Searching again from the results page needs no reload (tier 1 stays loaded); the address
    says what was searched, and Back shows the previous search again."""
    page.goto(getattr(sample_site, scheme) + "search.html?q=" + "招标")
    page.wait_for_function(DONE)
    first = page.locator(".gk-results__title a").all_inner_texts()
    page.evaluate("window.stillTheSamePage = true")
    page.fill("#search-q", "三公经费")
    page.press("#search-q", "Enter")
    page.wait_for_function(STATUS_SAYS, arg="三公经费")
    assert (
        "省外办2014年“三公”经费财政拨款支出预算情况"
        in page.locator(".gk-results__title a").all_inner_texts()[:3]
    )
    assert "q=%E4%B8%89%E5%85%AC%E7%BB%8F%E8%B4%B9" in page.url
    assert page.evaluate("window.stillTheSamePage") is True
    page.go_back()
    page.wait_for_function(STATUS_SAYS, arg="“招标”")
    assert page.input_value("#search-q") == "招标"
    assert page.locator(".gk-results__title a").all_inner_texts() == first
    assert not page.errors


def test_hostile_title_shows_literally_and_runs_nothing(page, search_fixture_site):
    for base in (search_fixture_site.file, search_fixture_site.http):
        titles = search_from_home(page, base, "检验页面")
        assert titles == ["<img src=x onerror=alert(1)>"]
        assert page.locator(".gk-results img").count() == 0
        page.get_by_role("link", name="<img src=x onerror=alert(1)>").click()
        page.wait_for_load_state()
        assert page.locator("article h1").inner_text() == "<img src=x onerror=alert(1)>"
        assert page.locator("main img").count() == 0
    assert not page.dialogs and not page.errors


def test_without_javascript_the_page_points_to_the_catalogue(browser, sample_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sample_site.file + "search.html?q=预算")
    message = page.locator(".gk-search__nojs")
    assert message.is_visible() and "信息公开目录" in message.inner_text()
    page.get_by_role("link", name="信息公开目录").last.click()
    assert page.locator("h1").inner_text() == "信息公开目录"
    context.close()


def test_column_filter_follows_the_catalogue_and_covers_sub_columns(page, sample_site):
    page.goto(sample_site.http + "search.html?q=" + "预算")
    page.wait_for_function(DONE)
    options = page.locator("#search-column option").all_inner_texts()
    # Catalogue order, sub-columns indented under their column.
    finance = options.index("\u3000财政预决算")
    assert options[0] == "全部栏目" and options[finance + 1] == "\u3000\u3000部门预算"
    assert options.index("\u3000通知公告") < options.index("\u3000政策文件") < finance
    page.select_option("#search-column", "finance")
    page.click(".gk-search button[type=submit]")
    page.wait_for_function(STATUS_SAYS, arg="已按栏目或年份筛选")
    columns = {m.split("\u3000")[0] for m in page.locator(".gk-results__meta").all_inner_texts()}
    assert "部门预算" in columns and columns <= {"部门预算", "部门决算", "三公经费", "专项资金"}
    assert not page.errors


def test_results_by_relevance_or_by_date(page, sample_site):
    page.goto(sample_site.http + "search.html?q=" + "出国")
    page.wait_for_function(DONE)
    assert "按相关度排列" in page.inner_text(STATUS)
    assert page.locator(".gk-results > li").count() < 50  # all shown either way
    by_relevance = page.locator(".gk-results__title a").all_inner_texts()
    page.select_option("#search-sort", "date")
    page.click(".gk-search button[type=submit]")
    page.wait_for_function(STATUS_SAYS, arg="按发布日期从新到旧排列")
    assert "sort=date" in page.url
    dates = [m.split("\u3000")[1] for m in page.locator(".gk-results__meta").all_inner_texts()]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) > 3
    by_date = page.locator(".gk-results__title a").all_inner_texts()
    assert sorted(by_date) == sorted(by_relevance) and by_date != by_relevance
    page.go_back()
    page.wait_for_function(STATUS_SAYS, arg="按相关度排列")
    assert page.input_value("#search-sort") == ""


def test_nothing_moves_while_results_arrive(browser, sample_site):
    """Cumulative layout shift while the search page loads its index, results and snippets."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(
        "window.gkShift = 0; new PerformanceObserver(list => list.getEntries().forEach(e => {"
        " if (!e.hadRecentInput) window.gkShift += e.value; }))"
        ".observe({type: 'layout-shift', buffered: true});"
    )
    page.goto(sample_site.http + "search.html?q=" + "预算")
    page.wait_for_function(DONE)
    page.locator(".gk-results__snippet mark").first.wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate("window.gkShift") < 0.05
    context.close()

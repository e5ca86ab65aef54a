"""The theme as visitors meet it: axe-core (WCAG 2.1 AA), keyboard, phone width, age-friendly mode,
print."""

from __future__ import annotations

import json

import pytest

from helpers import ROOT

AXE = ROOT / "node_modules/axe-core/axe.min.js"
SCREENSHOTS = ROOT / "reports/screenshots"
PAGES = {
    "home": "index.html",
    "catalogue": "catalogue/index.html",
    "column": "columns/procurement.html",
    "document": "docs/003186648-201402-00001.html",  # Markdown and data tables, download links
    "annual-report": "docs/report-2014.html",
    "search": "search.html?q=预算",
    "procurement-overview": "procurement/index.html",
    "procurement-tender": "docs/003186648-201405-00001.html",  # a project's timeline
    "finance-year": "finance/2014.html",
    "finance": "finance/index.html",  # the 三公经费 chart and its table
    "statistics": "docs/003186648-201501-00005.html",  # a data table, its chart and download
    "not-found": "404.html",
    "application": "columns/application.html",  # 依申请公开: channels, steps, downloads
    "application-form": "forms/application.html",
    "leaders": "columns/leaders.html",  # 领导信息 cards with photos
    "contact": "contact.html",
}
AGE_FRIENDLY = {"text": 2, "contrast": True}


def open_page(page, base, rel, settings=None):
    page.goto(base + "index.html")
    page.evaluate(
        "s => s ? localStorage.setItem('gk-a11y', JSON.stringify(s)) : localStorage.clear()",
        settings,
    )
    page.goto(base + rel)
    if rel.startswith("search.html"):
        page.wait_for_function(
            "document.querySelector('.gk-search__status').textContent.includes('共找到')"
        )


def axe_violations(page):
    page.evaluate(
        AXE.read_text(encoding="utf-8")
    )  # via DevTools: the page's CSP forbids injected tags
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes:
        ['violations']})""")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]


@pytest.mark.parametrize("mode", ["normal", "age-friendly"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_axe_finds_no_wcag21_aa_violations(page, sample_site, name, mode):
    open_page(page, sample_site.http, PAGES[name], AGE_FRIENDLY if mode == "age-friendly" else None)
    if mode == "age-friendly":
        assert {"gk-contrast", "gk-text-2"} <= set(
            page.evaluate("document.documentElement.className").split()
        )
    assert axe_violations(page) == []
    assert not page.errors


def test_one_h1_and_ordered_headings(page, sample_site):
    for rel in PAGES.values():
        open_page(page, sample_site.http, rel)
        levels = page.evaluate(
            "[...document.querySelectorAll('main h1,main h2,main h3,main h4,main h5,main h6')]"
            ".map(h => Number(h.tagName[1]))"
        )
        assert levels.count(1) == 1 and levels[0] == 1, (rel, levels)
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (rel, levels)


def test_keyboard_reaches_search_box_and_first_document(page, sample_site):
    open_page(page, sample_site.http, "index.html")
    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate("""() => { const e = document.activeElement;
            return e.id || (e.closest('.gk-tabs__panel li') ? 'first-document' :
            e.textContent.trim()); }""")
        )
        if "first-document" in reached:
            break
    assert reached[0] == "跳到正文"
    assert "home-search" in reached and "first-document" in reached
    assert reached.index("home-search") < reached.index("first-document")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/docs/" in page.url


def test_skip_link_moves_focus_to_main(page, sample_site):
    open_page(page, sample_site.http, "docs/report-2014.html")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


@pytest.mark.parametrize("settings", [None, AGE_FRIENDLY], ids=["normal", "age-friendly"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_horizontal_scrolling_at_320_and_375px(browser, sample_site, name, settings):
    """Every page kind, 特大 and 高对比度 included: wide tables and charts scroll in their own
    frames, the page never does."""
    for width in (320, 375):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        open_page(page, sample_site.http, PAGES[name], settings)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        context.close()


def test_age_friendly_toolbar_steps_persist_and_reset(page, sample_site):
    open_page(page, sample_site.http, "index.html")

    def size():
        return page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")

    base = size()
    assert base >= 16
    page.get_by_role("button", name="大", exact=True).click()
    large = size()
    page.get_by_role("button", name="特大").click()
    larger = size()
    assert base < large < larger
    page.get_by_role("button", name="高对比度").click()
    assert page.get_by_role("button", name="高对比度").get_attribute("aria-pressed") == "true"
    page.get_by_role("link", name="信息公开目录").first.click()
    page.wait_for_load_state()
    assert size() == larger
    assert "gk-contrast" in page.evaluate("document.documentElement.className")
    assert json.loads(page.evaluate("localStorage.getItem('gk-a11y')")) == {
        "text": 2,
        "contrast": True,
    }
    page.get_by_role("button", name="恢复默认").click()
    assert size() == base and "gk-contrast" not in page.evaluate(
        "document.documentElement.className"
    )
    line_height = page.evaluate(
        "parseFloat(getComputedStyle(document.body).lineHeight) / "
        "parseFloat(getComputedStyle(document.body).fontSize)"
    )
    assert line_height >= 1.5


def test_print_shows_document_without_navigation(page, sample_site):
    open_page(page, sample_site.http, "docs/003186648-201402-00001.html")
    page.emulate_media(media="print")
    for hidden in (
        ".gk-nav",
        ".gk-header",
        ".gk-footer",
        ".gk-breadcrumb",
        ".gk-toolbar",
        ".gk-actions",
    ):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ("article h1", "table.gk-meta", "table.gk-data", ".gk-download"):
        assert page.locator(shown).first.is_visible(), shown
    assert not page.locator("nav[aria-label=信息公开目录导航]").is_visible()
    # The page's address at the foot of the paper (and nowhere on screen).
    foot = page.locator(".gk-print-url")
    assert foot.inner_text() == "本页网址：" + page.url
    page.emulate_media(media="screen")
    assert not foot.is_visible()
    page.emulate_media(media="print")
    # On paper a download link shows where the file is.
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.gk-download a'), '::after').content"
    )
    assert "budget-2014-summary.csv" in after


def test_pages_load_nothing_from_other_hosts(page, sample_site):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    for rel in PAGES.values():
        open_page(page, sample_site.http, rel)
    assert requests and all(url.startswith(sample_site.http) for url in requests), [
        u for u in requests if not u.startswith(sample_site.http)
    ]


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots(browser, sample_site, width):
    """Saved for a person to look at (reports/ is not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for name in ("home", "column", "document"):
        open_page(page, sample_site.http, PAGES[name])
        target = SCREENSHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
    context.close()


def test_national_report_tables_pass_axe(page, tmp_path):
    """The generated gb-2021 tables (rowspans, colspans, headers) in a real browser, both modes."""
    from test_annual_report import gb_2021_data, write_report

    from conftest import Served
    from helpers import FixtureSite

    site = FixtureSite(tmp_path)
    write_report(site, 2021, "gb-2021", gb_2021_data())
    assert site.build().ok
    served = Served(site.output)
    try:
        for settings in (None, AGE_FRIENDLY):
            open_page(page, served.http, "docs/003186648-202201-00001.html", settings)
            assert page.locator("#report-table-3 tbody tr").count() == 25
            assert axe_violations(page) == []
    finally:
        served.close()


NUMBER = r"^[0-9０-９][0-9０-９,，.．%％/\-年月日]*[0-9０-９%％年月日]$"


@pytest.mark.parametrize("settings", [None, AGE_FRIENDLY], ids=["normal", "age-friendly"])
@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("name", ["statistics", "finance", "finance-year", "document"])
def test_figures_never_break_on_phones_and_tables_scroll_in_their_frame(
    browser, sample_site, name, width, settings
):
    """A number or date in a table is never split over lines ("2,3/10"); a table wider than the
    phone scrolls inside its frame, not the page; the 索引号 of the metadata table keeps to a
    line or two."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    open_page(page, sample_site.http, PAGES[name], settings)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    broken = page.evaluate(
        """pattern => {
        const number = new RegExp(pattern), broken = [];
        for (const cell of document.querySelectorAll('main td, main th')) {
          const text = cell.textContent.trim();
          if (!number.test(text) || cell.closest('.gk-meta')) continue;
          const range = document.createRange();
          range.selectNodeContents(cell);
          const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
          if (tops.size > 1) broken.push(text);
        }
        return broken;
      }""",
        NUMBER,
    )
    assert broken == []
    index_lines = page.evaluate("""() => {
        const th = [...document.querySelectorAll('.gk-meta th')]
          .find(t => t.textContent === '索引号');
        if (!th) return 0;
        const range = document.createRange();
        range.selectNodeContents(th.nextElementSibling);
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
      }""")
    assert index_lines <= 2
    context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_landmarks_have_names_of_their_own(page, sample_site, name):
    """axe's landmark-unique: no region named like the section around it (a screen reader's list
    of landmarks would show the same name twice)."""
    open_page(page, sample_site.http, PAGES[name])
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'rule', values: ['landmark-unique']}, resultTypes: ['violations']})""")
    assert [[n["target"] for n in v["nodes"]] for v in result["violations"]] == []


@pytest.mark.parametrize("name", ["finance", "statistics"])
def test_chart_labels_follow_the_high_contrast_mode(page, sample_site, name):
    """高对比度: every label, value and legend of a chart keeps 4.5:1 against the page."""
    open_page(page, sample_site.http, PAGES[name], {"contrast": True})
    ratios = page.evaluate("""() => {
        const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => [r, g, b].map(v => {
            v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
        const back = lum(rgb(getComputedStyle(document.body).backgroundColor));
        return [...document.querySelectorAll('svg.gk-chart text')].map(text => {
            const fore = lum(rgb(getComputedStyle(text).fill));
            return (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
        });
    }""")
    assert ratios and min(ratios) >= 4.5


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", ["finance", "statistics"])
def test_chart_labels_grow_with_the_text_and_the_page_stays_in_the_screen(
    browser, sample_site, name, width
):
    """大/特大: a chart's labels grow with the text (its frame scrolls sideways, not the page)."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()

    def label_px():
        return page.evaluate(
            "() => document.querySelector('svg.gk-chart text').getBoundingClientRect().height"
        )

    sizes = []
    for text in (0, 1, 2):
        open_page(page, sample_site.http, PAGES[name], {"text": text})
        sizes.append(label_px())
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert sizes[0] < sizes[1] < sizes[2] and sizes[2] >= 1.3 * sizes[0], sizes
    assert sizes[0] >= 12, "a chart's labels stay legible on a phone at the standard size"
    frame = page.locator(".gk-chart-frame").first
    assert frame.get_attribute("tabindex") == "0" and frame.get_attribute("aria-label")
    context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_has_the_header_search_box(page, sample_site, name):
    """The guide tells citizens to use the search box at the top of the page: every page kind has
    it, labelled, and it searches without leaving the site's folder."""
    open_page(page, sample_site.http, PAGES[name])
    form = page.locator('header form[role="search"][aria-label="全站搜索"]')
    assert form.count() == 1
    assert page.get_by_label("搜索本站信息").count() == 1


def test_a_search_from_the_header_of_a_document_page_finds_documents(page, sample_site):
    open_page(page, sample_site.file, PAGES["document"])  # from a folder too, no server
    page.get_by_label("搜索本站信息").fill("预算")
    page.keyboard.press("Enter")
    page.locator(".gk-search__status", has_text="共找到").wait_for()  # no eval: the CSP forbids it
    assert page.url.split("?")[0].endswith("/search.html")
    assert page.locator("#search-q").input_value() == "预算"
    assert not page.errors


@pytest.mark.parametrize("name", ["column", "procurement-overview", "finance-year"])
def test_list_headers_stay_over_their_columns_on_phones(browser, sample_site, name):
    """A column dropped on phones is dropped from the header and the rows alike: the same
    columns are shown in both (采购项目一览 once hid its 项目名称 header but the 项目编号 cells)."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    open_page(page, sample_site.http, PAGES[name])
    tables = page.evaluate("""() => [...document.querySelectorAll('table.gk-list')].map(t => {
        const lefts = row => [...row.children].map((c, i) => [i, c])
            .filter(([, c]) => c.getClientRects().length).map(([i]) => i);
        return [lefts(t.tHead.rows[0]), [...t.tBodies[0].rows].map(lefts)];
    })""")
    assert tables
    for head, rows in tables:
        assert rows and all(row == head for row in rows), (head, rows)
    context.close()

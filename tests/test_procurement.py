"""Procurement projects: one timeline over a project's stage documents, the deadline at the build
date, the checks a procurement officer expects, and the project overview."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from domain.procurement import AmountError, format_amount, parse_amount, project_name
from helpers import FixtureSite, broken_links, document

TENDER = {
    "title": "办公设备采购项目招标公告",
    "index": "003186648/201503-00001",
    "date": "2015-03-02",
    "column": "news",
    "extra": "项目编号: AHZC-2015-0101\n采购方式: 公开招标\n采购阶段: 招标公告\n预算金额: 50万元\n"
    "投标截止时间: 2015-03-20 09:30\n开标时间: 2015-03-20 09:30",
}
CORRECTION = {
    "title": "办公设备采购项目更正公告",
    "index": "003186648/201503-00002",
    "date": "2015-03-10",
    "column": "news",
    "extra": "项目编号: AHZC-2015-0101\n采购阶段: 更正公告\n投标截止时间: 2015-03-24 09:30",
}
AWARD = {
    "title": "办公设备采购项目中标（成交）结果公告",
    "index": "003186648/201504-00001",
    "date": "2015-04-02",
    "column": "news",
    "extra": "项目编号: AHZC-2015-0101\n采购方式: 公开招标\n采购阶段: 中标公告\n"
    "中标供应商: 合肥某办公设备有限公司\n中标金额: 456,789.50元",
}
PAGES = {
    "tender": "docs/003186648-201503-00001.html",
    "correction": "docs/003186648-201503-00002.html",
    "award": "docs/003186648-201504-00001.html",
}


def soup(site, rel):
    return BeautifulSoup(site.page(rel), "html.parser")


def project_site(tmp_path, *docs) -> FixtureSite:
    site = FixtureSite(tmp_path)
    for n, fields in enumerate(docs):
        site.write(f"news/p{n}.md", document(**fields))
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = project_site(tmp_path_factory.mktemp("procurement"), TENDER, CORRECTION, AWARD)
    outcome = site.build(DISCLOSURE_TODAY="2015-04-10")
    assert outcome.ok, outcome.report()
    return site


def timeline(site, rel) -> list[tuple[str, str, str, bool]]:
    """(date, stage, link target or "本页", current stage?) per step, as the page shows them."""
    steps = []
    for li in soup(site, rel).select(".gk-timeline li"):
        link = li.find("a")
        target = (
            link["href"].rsplit("/", 1)[-1]
            if link
            else li.find(attrs={"aria-current": "page"}) and "本页"
        )
        steps.append(
            (
                li.select_one(".gk-timeline__date").text,
                li.select_one(".gk-timeline__stage").text,
                target,
                "当前阶段" in li.text,
            )
        )
    return steps


def test_one_timeline_on_every_stage_page(built):
    expected = [
        ("2015-03-02", "招标公告", "003186648-201503-00001.html", False),
        ("2015-03-10", "更正公告", "003186648-201503-00002.html", False),
        ("2015-04-02", "中标（成交）结果公告", "003186648-201504-00001.html", True),
    ]
    for stage, rel in PAGES.items():
        shown = timeline(built, rel)
        own = rel.rsplit("/", 1)[-1]
        # The same project on each page; the page's own step is marked, not linked.
        assert [(d, s, "本页" if t == own else t, c) for d, s, t, c in expected] == shown, stage
    info = soup(built, PAGES["award"]).select_one(".gk-procurement").get_text(" ", strip=True)
    assert "AHZC-2015-0101" in info and "公开招标" in info and "合肥某办公设备有限公司" in info
    assert "456,789.50元" in info and "500,000.00元" in info


def test_the_deadline_a_correction_moved_is_the_one_shown_and_it_has_passed(built):
    info = soup(built, PAGES["tender"]).select_one(".gk-procurement").get_text(" ", strip=True)
    assert "2015-03-24 09:30" in info and "已截止" in info


@pytest.mark.parametrize(
    "today, shown", [("2015-03-05", None), ("2015-03-20", "今日截止"), ("2015-03-21", "已截止")]
)
def test_deadline_against_the_build_date(tmp_path, today, shown):
    site = project_site(tmp_path, TENDER)
    assert site.build(DISCLOSURE_TODAY=today).ok
    page = soup(site, PAGES["tender"])
    tag = page.select_one(".gk-procurement .gk-tag")
    assert (tag.text if tag else None) == shown
    banner = page.select_one(".gk-banner")
    assert (banner is not None and "投标已截止" in banner.text) == (shown == "已截止")
    overview = (
        soup(site, "procurement/index.html").select_one("main table").get_text(" ", strip=True)
    )
    assert ("（已截止）" in overview) == (shown == "已截止")


def test_overview_lists_projects_not_documents_and_filters_by_year_and_stage(built):
    rows = soup(built, "procurement/index.html").select("main table tbody tr")
    assert len(rows) == 1
    cells = [td.get_text(strip=True) for td in rows[0].find_all("td")]
    assert cells == [
        "办公设备采购项目",
        "AHZC-2015-0101",
        "公开招标",
        "500,000.00元（50万元）",
        "中标（成交）结果公告",
        "2015-04-02",
    ]
    assert rows[0].a["href"].endswith(PAGES["award"])
    year = soup(built, "procurement/2015.html")
    assert year.select_one(".gk-filters [aria-current=page]").text == "2015年"
    assert len(year.select("main table tbody tr")) == 1
    assert len(soup(built, "procurement/stage-award.html").select("main table tbody tr")) == 1
    assert "按项目查看采购进度" in built.page("columns/news.html")
    assert not broken_links(built.output)


def problems_of(tmp_path, *docs):
    outcome = project_site(tmp_path, *docs).build(DISCLOSURE_TODAY="2015-04-10")
    return outcome, [(p.severity, p.path, p.field, p.message) for p in outcome.problems.items]


def test_award_above_budget_is_an_error(tmp_path):
    award = dict(AWARD, extra=AWARD["extra"].replace("456,789.50元", "52万元"))
    outcome, found = problems_of(tmp_path, TENDER, award)
    assert not outcome.ok
    assert (
        "error",
        "news/p1.md",
        "中标金额",
        "中标（成交）金额 520,000.00元（52万元） 超过项目预算 500,000.00元（50万元）",
    ) in found


def test_award_without_tender_is_a_warning(tmp_path):
    outcome, found = problems_of(tmp_path, AWARD)
    assert outcome.ok
    assert (
        "warning",
        "news/p0.md",
        "项目编号",
        "项目 AHZC-2015-0101 有结果公告，但本站没有它的招标（采购）公告",
    ) in found


def test_two_tenders_are_an_error_unless_the_first_failed(tmp_path):
    again = dict(TENDER, index="003186648/201503-00003", date="2015-03-12")
    outcome, found = problems_of(tmp_path / "a", TENDER, again)
    assert not outcome.ok
    assert any(
        s == "error" and p == "news/p1.md" and f == "采购阶段" and "中间没有废标公告" in m
        for s, p, f, m in found
    )
    failed = {
        "title": "办公设备采购项目废标公告",
        "index": "003186648/201503-00004",
        "date": "2015-03-11",
        "column": "news",
        "extra": "项目编号: AHZC-2015-0101\n采购阶段: 废标公告",
    }
    outcome, found = problems_of(tmp_path / "b", TENDER, failed, again)
    assert outcome.ok, outcome.report()


def test_one_documents_own_fields_are_checked_and_all_reported(tmp_path):
    broken = dict(
        TENDER,
        extra="项目编号: AHZC-2015-0101\n采购方式: 招投标\n采购阶段: 招标公告\n预算金额: 五十万",
    )
    stray = dict(AWARD, index="003186648/201504-00002", extra="采购阶段: 合同签订")
    outcome, found = problems_of(tmp_path, broken, stray)
    messages = {(p, f, m) for _, p, f, m in found}
    assert (
        "news/p0.md",
        "采购方式",
        "只能是 公开招标、邀请招标、竞争性谈判、竞争性磋商、询价、单一来源",
    ) in messages
    assert ("news/p0.md", "预算金额", "金额应写成数字，可带单位“元”或“万元”") in messages
    assert ("news/p0.md", "投标截止时间", "招标（采购）公告没有写投标截止时间") in messages
    assert ("news/p1.md", "采购阶段", "不是可用的采购阶段") in messages
    assert not outcome.ok and not (tmp_path / "output").exists()  # nothing published


def test_amounts_as_editors_write_them():
    assert (
        parse_amount("385000")
        == parse_amount("385,000.00元")
        == parse_amount("38.5万元")
        == parse_amount("38.5万")
    )
    assert format_amount(parse_amount("352600")) == "352,600.00元（35.26万元）"
    for bad in ("三十万", "38.5亿元", "1.234元"):
        with pytest.raises(AmountError):
            parse_amount(bad)
    assert project_name("门户网站改版项目中标（成交）结果公告") == "门户网站改版项目"
    assert project_name("给水改造工程更正公告") == "给水改造工程"


def test_an_award_before_the_deadline_and_a_changed_budget_are_reported(tmp_path):
    early = dict(AWARD, date="2015-03-15", index="003186648/201503-00005")
    changed = dict(CORRECTION, extra=CORRECTION["extra"] + "\n预算金额: 48万元")
    outcome, found = problems_of(tmp_path / "a", TENDER, early)
    assert (
        "error",
        "news/p1.md",
        "发文日期",
        "结果公告发布于投标截止时间 2015-03-20 09:30 之前",
    ) in found
    # A correction may change the budget; an award restating another budget is a warning.
    restated = dict(AWARD, extra=AWARD["extra"] + "\n预算金额: 60万元")
    outcome, found = problems_of(tmp_path / "b", TENDER, changed, restated)
    warnings = [(p, f, m) for s, p, f, m in found if s == "warning"]
    assert (
        "news/p2.md",
        "预算金额",
        "与同一项目的 news/p1.md 不一致：那里写的是 480,000.00元（48万元）",
    ) in warnings
    assert not any(p == "news/p1.md" for p, _, _ in warnings)

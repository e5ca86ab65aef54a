"""Budget, final-account, 三公经费 and statistics tables given as data files: checked sums,
accessible tables, bar charts drawn at build time, downloads, the per-year 财政资金 pages and the
site check."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, FixtureSite, broken_links, document

BUDGET_CSV = """# 表名: 收支预算总表
# 单位: 万元
# 合计行: 收入合计 = 财政拨款收入 + 事业收入
# 合计行: 支出合计 = 基本支出 + 项目支出
项目,预算数
收入合计,"4,386.20"
财政拨款收入,"4,102.50"
事业收入,283.70
支出合计,"4,386.20"
基本支出,"2,615.80"
项目支出,"1,770.40"
"""
STATS_CSV = """# 表名: 窗口办件情况（分季度）
# 单位: 件
# 合计行: 全年合计
# 合计列: 办件合计
# 图表: 柱状图
季度,单认证,双认证,办件合计
第一季度,"2,310",720,"3,030"
第二季度,"2,655",815,"3,470"
全年合计,"4,965","1,535","6,500"
"""


def three_public_csv(year, abroad, reception, cars):
    total = abroad + reception + cars
    return (
        f"# 表名: {year}年“三公”经费预算表\n# 单位: 万元\n# 合计行: 合计\n项目,预算数\n"
        f"因公出国（境）费,{abroad:.2f}\n公务接待费,{reception:.2f}\n公务用车购置及运行费,{cars:.2f}\n合计,{total:.2f}\n"
    )


def budget_doc(
    index="003186648/201402-00001",
    date="2014-02-18",
    tables="budget-2014.csv",
    kind="部门预算",
    year=2014,
    title="2014年部门预算",
    column="budget",
    body="## 收支总体情况\n\n【数据表】\n\n其他说明。",
):
    return document(
        title=title,
        index=index,
        column=column,
        date=date,
        body=body,
        extra=f"预决算年度: {year}\n预决算类别: {kind}\n数据表: {tables}",
    )


def soup(site, rel):
    return BeautifulSoup(site.page(rel), "html.parser")


@pytest.fixture(scope="module")
def finance_site(tmp_path_factory):
    site = FixtureSite(tmp_path_factory.mktemp("finance"))
    site.write("budget/budget-2014.csv", BUDGET_CSV)
    site.write("budget/budget-2014.md", budget_doc())
    for n, (year, figures) in enumerate(
        {2012: (535, 36, 95), 2013: (510, 30, 88), 2014: (480, 26, 80)}.items()
    ):
        site.write(f"budget/three-public-{year}.csv", three_public_csv(year, *figures))
        site.write(
            f"budget/three-public-{year}.md",
            budget_doc(
                index=f"003186648/{year}03-0000{n + 2}",
                date=f"{year}-03-10",
                tables=f"three-public-{year}.csv",
                kind="三公经费",
                year=year,
                title=f"{year}年“三公”经费预算",
            ),
        )
    site.write("news/stats.csv", STATS_CSV)
    site.write(
        "news/stats.md",
        document(
            title="窗口办件统计",
            index="003186648/201407-00001",
            date="2014-07-10",
            extra="数据表: stats.csv",
            body="各季度办理量如下。",
        ),
    )
    outcome = site.build(DISCLOSURE_TODAY="2015-03-31")
    assert outcome.ok, outcome.report()
    return site


def test_a_budget_table_is_an_accessible_table_in_the_body(finance_site):
    page = soup(finance_site, "docs/003186648-201402-00001.html")
    body = page.select_one("article.gk-body")
    table = body.select_one("table.gk-data")
    assert table.caption.text == "收支预算总表（单位：万元）"
    assert [th["scope"] for th in table.thead.find_all("th")] == ["col", "col"]
    rows = [
        [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
        for tr in table.tbody.find_all("tr")
    ]
    assert rows[0] == ["收入合计", "4,386.20"] and rows[1] == ["财政拨款收入", "4,102.50"]
    assert all(tr.th["scope"] == "row" for tr in table.tbody.find_all("tr"))
    assert "gk-total" in table.tbody.find_all("tr")[0]["class"]
    # At the 【数据表】 line, between the heading and the text after it; the marker itself is gone.
    text = body.get_text(" ", strip=True)
    assert (
        text.index("收支总体情况") < text.index("收支预算总表") < text.index("其他说明")
        and "【数据表】" not in text
    )


def test_the_data_file_is_published_and_linked_for_download(finance_site):
    page = soup(finance_site, "docs/003186648-201407-00001.html")
    link = page.select_one(".gk-download a")
    assert link["href"] == "../news/stats.csv" and link.has_attr("download")
    assert (finance_site.output / "news/stats.csv").read_text(encoding="utf-8") == STATS_CSV
    assert "CSV" in link.parent.text
    assert not broken_links(finance_site.output)


def bars(svg) -> list[tuple[str, str, float, float]]:
    """(category, series, value, height) of every bar of a chart."""
    return [
        (r["data-category"], r["data-series"], float(r["data-value"]), float(r["height"]))
        for r in svg.find_all("rect")
        if r.has_attr("data-value")
    ]


def plot_height(svg) -> float:
    """The height of the axis (the baseline minus the top grid line)."""
    ys = sorted(float(line["y1"]) for line in svg.find_all("line"))
    return ys[-1] - ys[0]


def axis_top(svg) -> float:
    ticks = [t.text for t in svg.find_all("text") if re.fullmatch(r"[\d,.]+", t.text)]
    return max(float(t.replace(",", "")) for t in ticks)


def test_a_table_asking_for_a_chart_gets_one_with_bars_as_high_as_the_numbers(finance_site):
    page = soup(finance_site, "docs/003186648-201407-00001.html")
    svg = page.select_one("figure svg.gk-chart")
    assert svg["role"] == "img" and svg.title.text == "窗口办件情况（分季度）"
    assert "第一季度：单认证 2,310件" in svg.desc.text
    found = bars(svg)
    # Rows along the axis, one bar per column; the total row and the total column are left out.
    assert [(c, s, v) for c, s, v, _ in found] == [
        ("第一季度", "单认证", 2310),
        ("第一季度", "双认证", 720),
        ("第二季度", "单认证", 2655),
        ("第二季度", "双认证", 815),
    ]
    scale = plot_height(svg) / axis_top(svg)
    for _, _, value, height in found:
        assert height == pytest.approx(value * scale, abs=0.1)
    assert page.select_one("table.gk-data")  # the same numbers as a table, on the same page


def test_three_public_chart_has_one_bar_per_year_and_item_with_a_table_alternative(finance_site):
    page = soup(finance_site, "finance/index.html")
    svg = page.select_one("svg#three-public-chart")
    found = bars(svg)
    expected = {
        ("因公出国（境）费", "2012年"): 535,
        ("因公出国（境）费", "2013年"): 510,
        ("因公出国（境）费", "2014年"): 480,
        ("公务接待费", "2012年"): 36,
        ("公务接待费", "2013年"): 30,
        ("公务接待费", "2014年"): 26,
        ("公务用车购置及运行费", "2012年"): 95,
        ("公务用车购置及运行费", "2013年"): 88,
        ("公务用车购置及运行费", "2014年"): 80,
        ("合计", "2012年"): 666,
        ("合计", "2013年"): 628,
        ("合计", "2014年"): 586,
    }
    assert {(c, s): v for c, s, v, _ in found} == expected and len(found) == len(expected)
    scale = plot_height(svg) / axis_top(svg)
    for _, _, value, height in found:
        assert height == pytest.approx(value * scale, abs=0.1)
    table = page.select_one("table.gk-data")
    assert [th.text for th in table.thead.find_all("th")] == ["项目", "2012年", "2013年", "2014年"]
    assert [td.text for td in table.tbody.find("tr").find_all("td")] == [
        "535.00",
        "510.00",
        "480.00",
    ]
    assert svg["aria-labelledby"].split() == ["three-public-chart-title", "three-public-chart-desc"]


def test_a_year_page_gathers_that_years_finance_documents(finance_site):
    page = soup(finance_site, "finance/2014.html")
    titles = [a.text for a in page.select("main table.gk-list a")]
    assert titles == ["2014年部门预算", "2014年“三公”经费预算"]
    assert [a.text for a in page.select(".gk-filters a")] == ["全部年度", "2013年", "2012年"]
    assert "按年度查看财政资金信息" in finance_site.page("columns/budget.html")


def build_with(tmp_path, csv_name, csv_text, doc=None):
    site = FixtureSite(tmp_path)
    site.write(f"budget/{csv_name}", csv_text)
    site.write("budget/b.md", doc or budget_doc(tables=csv_name))
    return site, site.build(DISCLOSURE_TODAY="2015-03-31")


def test_a_wrong_total_fails_the_build_naming_table_row_and_column(tmp_path):
    wrong = BUDGET_CSV.replace('支出合计,"4,386.20"', '支出合计,"4,386.30"')
    site, outcome = build_with(tmp_path, "budget-2014.csv", wrong)
    assert not outcome.ok and not site.output.exists()
    [problem] = [p for p in outcome.problems.errors if p.field == "数据表"]
    assert problem.path == "budget/budget-2014.csv" and problem.line == 9
    assert problem.message == (
        "表“收支预算总表”【支出合计】【预算数】：合计为 4,386.30，但 基本支出 + 项目支出 = "
        "4,386.20，相差 0.10"
    )


def test_a_wrong_total_column_names_the_row(tmp_path):
    wrong = STATS_CSV.replace('第二季度,"2,655",815,"3,470"', '第二季度,"2,655",815,"3,471"')
    site, outcome = build_with(tmp_path, "s.csv", wrong)
    messages = [p.message for p in outcome.problems.errors]
    assert (
        "表“窗口办件情况（分季度）”【第二季度】【办件合计】：合计为 3,471，但 单认证 + 双认证 = 3,"
        "470，相差 1" in messages
    )
    # The 全年合计 row is still checked on its own: its 办件合计 (6,500) is the sum of the
    # quarters' written values.
    assert (
        "表“窗口办件情况（分季度）”【全年合计】【办件合计】：合计为 6,500，但 第一季度 + 第二季度 "
        "= 6,501，相差 -1" in messages
    )


@pytest.mark.parametrize(
    "csv_text, message",
    [
        ("项目,金额\n收入,三百万\n支出,12\n", "【收入】【金额】应填写数字"),
        ("# 合计行: 合计\n项目,金额\n收入,1\n", "表“b-data”：合计行“合计”不在表中"),
        (
            "# 合计行: 合计 = 收入 + 其他\n项目,金额\n收入,1\n合计,1\n",
            "表“b-data”：合计行“合计”的组成项“其他”不在表中",
        ),
        ("# 合计列: 合计\n项目,金额,合计\n收入,1,\n", "表“b-data”【收入】【合计】：合计格是空的"),
    ],
)
def test_table_mistakes_are_reported(tmp_path, csv_text, message):
    site, outcome = build_with(tmp_path, "b-data.csv", csv_text)
    assert any(
        p.message == message and p.path == "budget/b-data.csv" for p in outcome.problems.errors
    ), outcome.report()


def test_a_gbk_csv_and_a_missing_file_are_errors(tmp_path):
    site, outcome = build_with(tmp_path, "gbk.csv", "")
    (site.content / "budget/gbk.csv").write_bytes("项目,金额\n收入,1\n".encode("gb18030"))
    site.write("budget/c.md", budget_doc(index="003186648/201402-00009", tables="nowhere.csv"))
    outcome = site.build(DISCLOSURE_TODAY="2015-03-31")
    messages = {(p.path, p.message) for p in outcome.problems.errors}
    assert (
        "budget/gbk.csv",
        "CSV 文件不是 UTF-8 编码（Excel 默认另存的 CSV 是 GBK 编码）",
    ) in messages
    assert ("budget/c.md", "找不到这个数据表文件") in messages


def test_an_excel_workbook_is_read_sheet_by_sheet(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "收支总表"
    for row in (
        ["# 单位: 万元"],
        ["# 合计行: 合计"],
        ["项目", "预算数"],
        ["财政拨款收入", 4102.5],
        ["事业收入", 283.7],
        ["合计", 4386.3],
    ):
        sheet.append(row)
    other = book.create_sheet("支出表")
    for row in (["科目", "金额"], ["外交支出", 3752], ["住房保障支出", 321.6]):
        other.append(row)
    site = FixtureSite(tmp_path)
    book.save(site.content / "budget-2014.xlsx")
    site.write("b.md", budget_doc(tables="budget-2014.xlsx"))
    outcome = site.build(DISCLOSURE_TODAY="2015-03-31")
    [problem] = outcome.problems.errors
    assert problem.path == "budget-2014.xlsx" and problem.line == 6
    assert (
        problem.message
        == "表“收支总表”【合计】【预算数】：合计为 4,386.3，但 财政拨款收入 + 事业收入 = 4,386.2，"
        "相差 0.1"
    )
    sheet["B6"] = (
        4386.200000000001  # a formula's cached result, binary noise and all, is the number shown
    )
    book.save(site.content / "budget-2014.xlsx")
    outcome = site.build(DISCLOSURE_TODAY="2015-03-31")
    assert outcome.ok, outcome.report()
    captions = [
        c.text
        for c in soup(site, "docs/003186648-201402-00001.html").select("table.gk-data caption")
    ]
    assert captions == ["收支总表（单位：万元）", "支出表"]
    assert (site.output / "budget-2014.xlsx").is_file()


def test_site_check_reports_final_accounts_missing_after_the_deadline(finance_site):
    from commands.site_check.checks import Inspection, check_final_accounts, final_accounts_due
    from domain.model import Document

    budget = Document(source="budget/b.md", budget_kind="部门预算", fiscal_year=2014)
    assert final_accounts_due({}, 2014) == dt.date(2015, 9, 30)
    for as_of, expected in ((dt.date(2015, 9, 30), 0), (dt.date(2015, 10, 1), 1)):
        run = Inspection()
        check_final_accounts(run, {}, [budget], as_of)
        assert len(run.errors) == expected
    run = Inspection()
    check_final_accounts(
        run,
        {},
        [budget, Document(source="f.md", budget_kind="部门决算", fiscal_year=2014)],
        dt.date(2016, 1, 1),
    )
    assert not run.findings
    run = Inspection()
    check_final_accounts(run, {"FINAL_ACCOUNTS_DUE": "06-30"}, [budget], dt.date(2015, 7, 1))
    assert (
        run.errors[0].message
        == "2014 年度部门预算已公开，但部门决算应于 2015-06-30 前公开，本站没有"
    )


def test_the_sample_site_figures_add_up():
    """The sample's 2014 window statistics match the annual report (13,690; 10,274; 3,178)."""
    from domain.datatable import read_tables

    [table], problems = read_tables(
        ROOT / "content/statistics/stats-2014-by-quarter.csv", "stats.csv"
    )
    assert not problems
    total = table.row("全年合计")
    figures = dict(zip(table.columns, total.cells))
    assert (figures["办件合计"], figures["领事认证（单认证）"], figures["领事认证（双认证）"]) == (
        13690,
        10274,
        3178,
    )

"""Annual reports as departments really publish them: blanks, “/”, “—”, text and units in cells,
older label wording, amounts with many digits, the report's own section numbering, tables in an
appendix. Every figure is shown exactly as written; the arithmetic still checks the numbers."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from helpers import document

APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
# 表三 as a transcriber types it from a published report: the row labels as printed, “/” and “-” in
# the cells of applicants who never applied, blanks where the report left the cell empty.
TABLE_3 = """\
table_3:
  一、本年新收政府信息公开申请数量: {自然人: 12, 商业企业: 1, 科研机构: /, 社会公益组织: /,
  法律服务机构: /, 其他: /, 总计: 13}
  二、上年结转政府信息公开申请数量: {自然人: 1, 商业企业: 0, 科研机构: /, 社会公益组织: /,
  法律服务机构: /, 其他: /, 总计: 1}
  （一）予以公开: {自然人: 6, 商业企业: 1, 科研机构: /, 社会公益组织: /, 法律服务机构: /, 其他: /,
  总计: 7}
  （二）部分公开（区分处理的，只计这一情形，不计其他情形）: {自然人: 2, 商业企业: -, 科研机构: /,
  社会公益组织: /, 法律服务机构: /, 其他: /, 总计: 2}
{zeros}
  1.本机关不掌握相关政府信息: {自然人: 3, 商业企业: -, 科研机构: /, 社会公益组织: /, 法律服务机构:
  /, 其他: /, 总计: 3}
  （七）总计: {自然人: 11, 商业企业: 1, 科研机构: /, 社会公益组织: /, 法律服务机构: /, 其他: /,
  总计: 12}
  四、结转下年度继续办理: {自然人: 2, 商业企业: 0, 科研机构: /, 社会公益组织: /, 法律服务机构: /,
  其他: /, 总计: 2}
table_4:
  行政复议: {结果维持: —, 结果纠正: —, 其他结果: —, 尚未审结: —, 总计: 0}
  未经复议直接起诉: {结果维持: 1, 结果纠正: 0, 其他结果: 0, 尚未审结: 0, 总计: 1}
  复议后起诉: {结果维持: , 结果纠正: , 其他结果: , 尚未审结: , 总计: }
"""
ZERO_ROWS = [
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
]
# The 2021 table 2 with a real report's variants: the 2019 wording 规范性文件, text in a cell,
# “/” and “—” and a blank, and an amount of seven significant digits.
TABLE_2 = """\
{labels}table_2:
  规章: {本年制发件数: /, 本年废止件数: /, 现行有效件数: /}
  规范性文件: {本年制发件数: 3, 本年废止件数: 1, 现行有效件数: 22（其中修订16件）}
  行政许可: {本年处理决定数量: 13690}
  行政处罚: {本年处理决定数量: —}
  行政强制: {本年处理决定数量: }
  行政事业性收费: {本年收费金额（单位：万元）: 4068.208}
"""
# A report that numbers its own sections (as every published one does), with no table markers.
OWN_SECTIONS = """\
## 一、总体情况

2021年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。

### （一）主动公开

全年主动公开政府信息 319 条。

### （二）依申请公开

全年收到申请 13 件。

## 二、主动公开政府信息情况

全年主动公开政府信息 319 条。

## 三、收到和处理政府信息公开申请情况

全年新收申请 13 件。

## 四、政府信息公开行政复议、行政诉讼情况

未经复议直接起诉 1 件，结果维持。

## 五、存在的主要问题及改进情况

平台建设仍需完善。

## 六、其他需要报告的事项

本年度未收取信息处理费。
"""
# A report that gives its tables in an appendix, with its own headings.
APPENDIX = """\
## 一、总体情况

正文叙述。

## 二、存在的主要问题及改进情况

正文叙述。

## 附件：统计表

### 附表1 主动公开政府信息情况

【表二】

### 附表2 收到和处理政府信息公开申请情况

【表三】

### 附表3 行政复议、行政诉讼情况

【表四】
"""


def report_data(labels: str = "") -> str:
    zeros = "\n".join(
        f"  {row}: {{{', '.join(f'{a}: 0' for a in APPLICANTS)}}}" for row in ZERO_ROWS
    )
    return TABLE_2.replace("{labels}", labels) + TABLE_3.replace("{zeros}", zeros)


def write(site, year, body, data, name=None):
    name = name or f"report-{year}"
    site.write(
        f"annual-reports/{name}.md",
        document(
            title=f"安徽省外事办公室{year}年政府信息公开工作年度报告",
            index=f"003186648/{year + 1}01-000{year % 100:02d}",
            column="annual-reports",
            date=f"{year + 1}-01-25",
            body=body,
            报告年度=year,
            报告格式="gb-2021",
        ),
    )
    site.write(f"annual-reports/{name}.yml", data)
    return f"docs/003186648-{year + 1}01-000{year % 100:02d}.html"


def cell(table, row, column_index=0):
    return table.find("th", string=row).find_next_siblings("td")[column_index].get_text()


def test_every_figure_is_shown_as_published(site):
    page_path = write(site, 2021, OWN_SECTIONS, report_data())
    outcome = site.build()
    assert outcome.ok, outcome.report()
    page = BeautifulSoup(site.page(page_path), "html.parser")
    table2 = page.select_one("#report-table-2")
    assert cell(table2, "行政事业性收费") == "4068.208"
    assert [cell(table2, "行政规范性文件", i) for i in range(3)] == ["3", "1", "22（其中修订16件）"]
    assert [cell(table2, "规章", i) for i in range(3)] == ["/", "/", "/"]
    assert cell(table2, "行政处罚") == "—" and cell(table2, "行政强制") == ""
    assert cell(table2, "行政许可") == "13690"
    table3 = page.select_one("#report-table-3")
    assert [
        cell(table3, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", i)
        for i in range(3)
    ] == ["2", "-", "/"]
    table4 = page.select_one("#report-table-4")
    assert [td.get_text() for td in table4.tbody.find_all("td")][:5] == ["—"] * 4 + ["0"]
    # the arithmetic treated “/”, “—”, “-” and blanks as 0, and said so
    notes = [p for p in outcome.problems.warnings if "按 0 计算" in p.message]
    assert {p.field for p in notes} == {
        "表三（收到和处理政府信息公开申请情况）",
        "表四（政府信息公开行政复议、行政诉讼情况）",
    }
    assert all(p.path == "annual-reports/report-2021.yml" and p.line > 0 for p in notes)
    counts = {p.field[:2]: p.message.split(" 格")[0] for p in notes}
    assert counts == {"表三": "有 30", "表四": "有 9"}, counts  # every such cell, each counted once


def test_the_reports_own_sections_are_kept_and_no_heading_is_added(site):
    page_path = write(site, 2021, OWN_SECTIONS, report_data())
    assert site.build().ok
    page = BeautifulSoup(site.page(page_path), "html.parser")
    body = page.select_one(".gk-body")
    assert [h.get_text(strip=True) for h in body.find_all(["h2", "h3"])] == [
        "一、总体情况",
        "（一）主动公开",
        "（二）依申请公开",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    # each table sits in its own section, after that section's text
    for table, heading in (
        ("#report-table-2", "二、"),
        ("#report-table-3", "三、"),
        ("#report-table-4", "四、"),
    ):
        previous = body.select_one(table).find_previous(["h2"])
        assert previous.get_text(strip=True).startswith(heading)
    assert "全年主动公开政府信息 319 条。" in body.get_text()


def test_tables_in_an_appendix_stay_there(site):
    page_path = write(site, 2021, APPENDIX, report_data())
    assert site.build().ok
    body = BeautifulSoup(site.page(page_path), "html.parser").select_one(".gk-body")
    assert [h.get_text(strip=True) for h in body.find_all(["h2", "h3"])] == [
        "一、总体情况",
        "二、存在的主要问题及改进情况",
        "附件：统计表",
        "附表1 主动公开政府信息情况",
        "附表2 收到和处理政府信息公开申请情况",
        "附表3 行政复议、行政诉讼情况",
    ]
    assert (
        body.select_one("#report-table-3").find_previous("h3").get_text()
        == "附表2 收到和处理政府信息公开申请情况"
    )


@pytest.mark.parametrize("labels,shown", [("", "行政规范性文件"), ("标签: 原文\n", "规范性文件")])
def test_a_label_variant_is_accepted_and_shown_as_asked(site, labels, shown):
    page_path = write(site, 2021, OWN_SECTIONS, report_data(labels))
    outcome = site.build()
    assert outcome.ok, outcome.report()
    table2 = BeautifulSoup(site.page(page_path), "html.parser").select_one("#report-table-2")
    rows = [th.get_text() for th in table2.find_all("th", scope="row")]
    assert shown in rows
    assert ({"行政规范性文件", "规范性文件"} - {shown}).isdisjoint(rows)


def test_an_arithmetic_error_points_at_the_offending_row(site):
    data = report_data().replace("（七）总计: {自然人: 11", "（七）总计: {自然人: 10")
    write(site, 2021, OWN_SECTIONS, data)
    outcome = site.build()
    assert not outcome.ok
    yml = (site.content / "annual-reports/report-2021.yml").read_text(encoding="utf-8").splitlines()
    total_line = next(i for i, line in enumerate(yml, 1) if line.startswith("  （七）总计"))
    hits = [p for p in outcome.problems.errors if "（七）总计为 10" in p.message]
    assert hits and hits[0].line == total_line, outcome.report()
    identity = [p for p in outcome.problems.errors if "【勾稽关系】【自然人】" in p.field]
    new_line = next(i for i, line in enumerate(yml, 1) if line.startswith("  一、本年新收"))
    assert identity and identity[0].line == new_line


def test_year_links_say_which_year_when_a_year_is_missing(site):
    first = write(site, 2019, OWN_SECTIONS, report_data())
    last = write(site, 2021, OWN_SECTIONS, report_data())
    outcome = site.build()
    assert outcome.ok, outcome.report()
    later = (
        BeautifulSoup(site.page(last), "html.parser")
        .select_one("nav[aria-label=其他年度的年报]")
        .get_text()
    )
    assert "上一年度（2020年度）：没有年报；此前最近的是 2019 年度" in " ".join(later.split())
    earlier = (
        BeautifulSoup(site.page(first), "html.parser")
        .select_one("nav[aria-label=其他年度的年报]")
        .get_text()
    )
    assert "下一年度（2020年度）：没有年报；此后最近的是 2021 年度" in " ".join(earlier.split())
    assert "上一年度：没有了" in earlier

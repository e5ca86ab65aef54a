"""Annual reports: national tables rendered from YAML data, their arithmetic checked, the site's
own statistics.

The expected labels below are typed from the standard (国办公开办函〔2021〕30号 / 〔2019〕60号), not
imported from the code, so the test checks the code against the standard.
"""

from __future__ import annotations

import re

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import ROOT, FixtureSite, document, site_build

APPLICANT_KEYS = [
    "natural",
    "commercial",
    "research",
    "nonprofit",
    "legal_svc",
    "other_org",
    "total",
]
ROWS_2021 = [
    "new",
    "carried_in",
    "granted",
    "partial",
    "deny_secret",
    "deny_law",
    "deny_security",
    "deny_third_party",
    "deny_internal",
    "deny_process",
    "deny_enforcement",
    "deny_query",
    "na_not_held",
    "na_create",
    "na_unclear",
    "np_petition",
    "np_repeat",
    "np_publication",
    "np_abusive",
    "np_confirm",
    "oth_no_correction",
    "oth_no_fee",
    "oth_other",
    "processed_total",
    "carried_out",
]
ROW_LABELS_2021 = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "（五）不予处理",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]
HEAD_LABELS_3 = [
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "总计",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
]
TABLE_2_2021 = [
    "第二十条第（一）项",
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "规章",
    "行政规范性文件",
    "第二十条第（五）项",
    "信息内容",
    "本年处理决定数量",
    "行政许可",
    "第二十条第（六）项",
    "信息内容",
    "本年处理决定数量",
    "行政处罚",
    "行政强制",
    "第二十条第（八）项",
    "信息内容",
    "本年收费金额（单位：万元）",
    "行政事业性收费",
]
TABLE_4_LABELS = [
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
    "未经复议直接起诉",
    "复议后起诉",
] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2


def table_3(rows):
    counts = {row: dict.fromkeys(APPLICANT_KEYS, 0) for row in rows}
    for row, natural, commercial in [
        ("new", 5, 2),
        ("carried_in", 1, 0),
        ("granted", 2, 1),
        ("partial", 1, 0),
        ("na_not_held", 1, 0),
        ("na_unclear", 0, 1),
        ("np_repeat", 1, 0),
        ("processed_total", 5, 2),
        ("carried_out", 1, 0),
    ]:
        counts[row].update(natural=natural, commercial=commercial, total=natural + commercial)
    return counts


def gb_2021_data():
    return {
        "table_2": {
            "规章": {"本年制发件数": 0, "本年废止件数": 0, "现行有效件数": 0},
            "行政规范性文件": {"本年制发件数": 2, "本年废止件数": 1, "现行有效件数": 11},
            "行政许可": {"本年处理决定数量": 16},
            "行政处罚": {"本年处理决定数量": 0},
            "行政强制": {"本年处理决定数量": 0},
            "行政事业性收费": {"本年收费金额（单位：万元）": 0.5},
        },
        "table_3": table_3(ROWS_2021),
        "table_4": {
            g: {
                "upheld": 1 if g == "review" else 0,
                "corrected": 0,
                "other": 0,
                "pending": 0,
                "total": 1 if g == "review" else 0,
            }
            for g in ("review", "suit_direct", "suit_after_review")
        },
    }


def gb_2019_data():
    rows = [r for r in ROWS_2021 if not r.startswith("oth_")]
    rows.insert(rows.index("processed_total"), "other")
    data = gb_2021_data()
    data["table_2"] = {
        "规章": {"本年新制作数量": 0, "本年新公开数量": 0, "对外公开总数量": 0},
        "规范性文件": {"本年新制作数量": 1, "本年新公开数量": 1, "对外公开总数量": 9},
        "行政许可": {"上一年项目数量": 3, "本年增/减": -1, "处理决定数量": 40},
        "其他对外管理服务事项": {"上一年项目数量": 2, "本年增/减": 0, "处理决定数量": 5},
        "行政处罚": {"上一年项目数量": 0, "本年增/减": 0, "处理决定数量": 0},
        "行政强制": {"上一年项目数量": 0, "本年增/减": 0, "处理决定数量": 0},
        "行政事业性收费": {"上一年项目数量": 0, "本年增/减": 0},
        "政府集中采购": {"采购项目数量": 3, "采购总金额": 128.6},
    }
    data["table_3"] = table_3(rows)
    return data


REPORT_BODY = (
    "## 一、总体情况\n\n全年主动公开信息 {{ stats.published_total }} 条。\n\n"
    "## 二、主动公开政府信息情况\n\n【表二】\n\n## 三、收到和处理政府信息公开申请情况\n\n【表三】"
    "\n\n"
    "## 四、政府信息公开行政复议、行政诉讼情况\n\n【表四】\n\n"
    "## 五、存在的主要问题及改进情况\n\n继续改进。\n\n## 六、其他需要报告的事项\n\n无。"
)


def write_report(site, year, fmt, data, name="report"):
    site.write(
        f"annual-reports/{name}.md",
        document(
            title=f"{year}年政府信息公开工作年度报告",
            index=f"003186648/{year + 1}01-0000{year % 10}",
            column="annual-reports",
            date=f"{year + 1}-01-20",
            body=REPORT_BODY,
            报告年度=year,
            报告格式=fmt,
        ),
    )
    if data is not None:
        site.write(
            f"annual-reports/{name}.yml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        )


def cells(table):
    return [c.get_text(strip=True) for c in table.find_all(["th"])]


@pytest.fixture(scope="module")
def built_2021(tmp_path_factory):
    site = FixtureSite(tmp_path_factory.mktemp("report2021"))
    write_report(site, 2021, "gb-2021", gb_2021_data())
    site.write("news/a.md", document(index="003186648/202105-00001", date="2021-05-06"))
    site.write("news/b.md", document(index="003186648/202107-00001", date="2021-07-06"))
    outcome = site.build()
    assert outcome.ok, outcome.report()
    page = BeautifulSoup(site.page("docs/003186648-202201-00001.html"), "html.parser")
    return site, page


def test_gb2021_tables_have_the_standard_labels_in_order(built_2021):
    _, page = built_2021
    assert cells(page.select_one("#report-table-2")) == TABLE_2_2021
    table3 = page.select_one("#report-table-3")
    head = [c.get_text(strip=True) for c in table3.thead.find_all("th")]
    assert head == HEAD_LABELS_3
    assert (
        table3.thead.td.get_text(strip=True)
        == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    )
    assert [c.get_text(strip=True) for c in table3.tbody.find_all("th")] == ROW_LABELS_2021
    assert cells(page.select_one("#report-table-4")) == TABLE_4_LABELS
    titles = [h.get_text(strip=True) for h in page.select("article h2")]
    assert titles == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def test_gb2021_spans_and_headers(built_2021):
    _, page = built_2021
    table3 = page.select_one("#report-table-3")
    corner = table3.thead.td
    assert (corner["rowspan"], corner["colspan"]) == ("3", "3")
    spans = {
        th.get_text(strip=True): (th.get("rowspan", "1"), th.get("colspan", "1"))
        for th in table3.find_all("th")
    }
    assert spans["申请人情况"] == ("1", "7") and spans["法人或其他组织"] == ("1", "5")
    assert spans["自然人"] == ("2", "1") and spans["三、本年度办理结果"] == ("22", "1")
    assert spans["（三）不予公开"] == ("8", "1") and spans["（四）无法提供"] == ("3", "1")
    assert spans["（五）不予处理"] == ("5", "1") and spans["（六）其他处理"] == ("3", "1")
    assert spans["（一）予以公开"] == ("1", "2") and spans["一、本年新收政府信息公开申请数量"] == (
        "1",
        "3",
    )
    assert len(table3.tbody.find_all("tr")) == 25
    assert all(len(tr.find_all("td")) == 7 for tr in table3.tbody.find_all("tr"))
    # a cell names every header above and beside it
    secret = table3.find("th", string="1.属于国家秘密").parent.find_all("td")[1]
    names = [table3.find(id=i).get_text(strip=True) for i in secret["headers"]]
    assert names == [
        "三、本年度办理结果",
        "（三）不予公开",
        "1.属于国家秘密",
        "申请人情况",
        "法人或其他组织",
        "商业企业",
    ]
    assert all(
        th.get("scope") in ("col", "row", "colgroup", "rowgroup") for th in table3.find_all("th")
    )
    table4 = page.select_one("#report-table-4")
    assert len(table4.tbody.find_all("td")) == 15
    assert [td.get_text() for td in table4.tbody.find_all("td")][:5] == ["1", "0", "0", "0", "1"]
    money = (
        page.select_one("#report-table-2")
        .find("th", string="行政事业性收费")
        .find_next_sibling("td")
    )
    assert money.get_text() == "0.5" and money["colspan"] == "3"


def test_report_prose_can_use_the_sites_own_statistics(built_2021):
    """A figure the editor quotes is shown; the site's own per-column table is not public."""
    _, page = built_2021
    assert (
        "全年主动公开信息 2 条。" in page.get_text()
    )  # the two news items; the report itself is dated 2022
    assert page.select_one(".gk-report-stats") is None and "本站统计" not in page.get_text()


def test_gb2019_renders_its_own_table_2_and_single_other_row(tmp_path):
    site = FixtureSite(tmp_path)
    write_report(site, 2019, "gb-2019", gb_2019_data())
    outcome = site.build()
    assert outcome.ok, outcome.report()
    page = BeautifulSoup(site.page("docs/003186648-202001-00009.html"), "html.parser")
    labels = cells(page.select_one("#report-table-2"))
    assert labels[:5] == [
        "第二十条第（一）项",
        "信息内容",
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
    ]
    assert "第二十条第（九）项" in labels and "采购总金额" in labels and "政府集中采购" in labels
    assert (
        page.select_one("#report-table-2")
        .find("th", string="政府集中采购")
        .find_next_sibling("td")
        .get_text()
        == "3"
    )
    table3 = page.select_one("#report-table-3")
    other = table3.find("th", string="（六）其他处理")
    assert other.get("colspan") == "2" and other.get("rowspan") is None
    assert table3.find("th", string="三、本年度办理结果")["rowspan"] == "20"
    assert "3.其他" not in [th.get_text() for th in table3.find_all("th")]


def broken(mutate):
    data = gb_2021_data()
    mutate(data)
    return data


BROKEN = {
    "identity": (
        lambda d: d["table_3"]["carried_out"].update(natural=2, total=4),
        "表三（收到和处理政府信息公开申请情况）【勾稽关系】【自然人】",
        "本年新收 5 + 上年结转 1 = 6",
    ),
    "processed_total": (
        lambda d: d["table_3"]["granted"].update(natural=3, total=4),
        "表三（收到和处理政府信息公开申请情况）【（七）总计】【自然人】",
        "各项之和为 6",
    ),
    "row_total": (
        lambda d: d["table_3"]["new"].update(total=8),
        "表三（收到和处理政府信息公开申请情况）【一、本年新收政府信息公开申请数量】【总计】",
        "之和为 7",
    ),
    "table_4_total": (
        lambda d: d["table_4"]["suit_direct"].update(pending=2),
        "表四（政府信息公开行政复议、行政诉讼情况）【未经复议直接起诉】【总计】",
        "之和为 2",
    ),
    "negative": (
        lambda d: d["table_3"]["np_repeat"].update(research=-1),
        "表三（收到和处理政府信息公开申请情况）【2.重复申请】【科研机构】",
        "不能是负数",
    ),
    "fraction": (
        lambda d: d["table_2"]["行政许可"].update({"本年处理决定数量": 1.5}),
        "表二（主动公开政府信息情况）【行政许可】【本年处理决定数量】",
        "件数应为整数",
    ),
    "text": (
        lambda d: d["table_2"]["规章"].update({"本年制发件数": "两件"}),
        "表二（主动公开政府信息情况）【规章】【本年制发件数】",
        "应填写数字",
    ),
    "missing_cell": (
        lambda d: d["table_3"]["deny_law"].pop("nonprofit"),
        "表三（收到和处理政府信息公开申请情况）【2.其他法律行政法规禁止公开】【社会公益组织】",
        "缺少这一格",
    ),
    "missing_row": (
        lambda d: d["table_3"].pop("oth_no_fee"),
        "表三（收到和处理政府信息公开申请情况）【2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请】",
        "缺少这一行",
    ),
    "missing_table": (
        lambda d: d.pop("table_4"),
        "表四（政府信息公开行政复议、行政诉讼情况）",
        "缺少这张表的数据",
    ),
    "wrong_label": (
        lambda d: d["table_2"].update({"地方性法规": d["table_2"].pop("行政规范性文件")}),
        "表二（主动公开政府信息情况）【地方性法规】",
        "不属于本格式",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_broken_rule_names_table_row_and_column(site, case):
    mutate, where, message = BROKEN[case]
    write_report(site, 2021, "gb-2021", broken(mutate))
    outcome = site.build()
    assert not outcome.ok
    hits = [p for p in outcome.problems.errors if p.field == where and message in p.message]
    assert hits, outcome.report()
    assert hits[0].path == "annual-reports/report.yml"
    assert not site.output.exists()


def test_report_front_matter_errors(site):
    write_report(site, 2021, "gb-2021", None)
    site.write(
        "annual-reports/other.md",
        document(
            index="003186648/202201-00005",
            column="annual-reports",
            date="2022-01-25",
            报告年度=2021,
            报告格式="gb-2030",
        ),
    )
    site.write(
        "annual-reports/no-year.md",
        document(index="003186648/202201-00006", column="annual-reports", date="2022-01-26"),
    )
    outcome = site.build()
    messages = {(p.path, p.field, p.message.split("：")[0]) for p in outcome.problems.errors}
    assert (
        "annual-reports/report.md",
        "报告格式",
        "gb-2021 格式的年报需要表格数据文件 annual-reports/report.yml",
    ) in messages
    assert ("annual-reports/other.md", "报告格式", "只能是 legacy、gb-2019、gb-2021") in messages
    assert ("annual-reports/no-year.md", "报告年度", "年报栏目中的文件要写报告年度") in messages
    assert ("annual-reports/other.md", "报告年度", "2021 年度已有年报") in messages


def test_year_over_year_continuity_warning_and_neighbours(site):
    write_report(site, 2021, "gb-2021", gb_2021_data(), name="r2021")
    later = gb_2021_data()
    later["table_2"]["行政规范性文件"] = {
        "本年制发件数": 3,
        "本年废止件数": 0,
        "现行有效件数": 13,
    }  # 11 + 3 - 0 = 14
    write_report(site, 2022, "gb-2021", later, name="r2022")
    outcome = site.build()
    assert outcome.ok, outcome.report()
    [warning] = [p for p in outcome.problems.warnings if "现行有效件数" in p.field]
    assert warning.path == "annual-reports/r2022.yml" and "= 14，但本年填写 13" in warning.message
    page = BeautifulSoup(site.page("docs/003186648-202301-00002.html"), "html.parser")
    neighbours = page.select_one("nav[aria-label=其他年度的年报]").get_text()
    assert (
        "上一年度：2021年政府信息公开工作年度报告" in neighbours
        and "下一年度：没有了" in neighbours
    )


def independent_count(year: int) -> int:
    """Documents dated in `year`, counted straight from the content files, not through the build."""
    count = 0
    for path in (ROOT / "content").rglob("*.md"):
        header = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        match = re.search(r"^(?:发文日期|date):\s*(\d{4})", header, re.M)
        count += bool(match and int(match.group(1)) == year)
    return count


def test_sample_2014_report_compares_counts_for_editors_only(tmp_path):
    """The site's count against the report's own is a warning for editors; the public page shows
    only what the report says, and links the adjacent year's report."""
    output = tmp_path / "output"
    outcome = site_build.build(ROOT / "pelicanconf.py", {"OUTPUT_PATH": str(output)})
    assert outcome.ok, outcome.report()
    page = BeautifulSoup(
        (output / "docs/report-2014.html").read_text(encoding="utf-8"), "html.parser"
    )
    expected = independent_count(2014)
    assert expected > 20
    assert "相差" not in page.get_text() and page.select_one(".gk-report-stats") is None
    [warning] = [
        p for p in outcome.problems.warnings if p.path == "annual-reports/annual-report-2014.md"
    ]
    assert f"本站收录该年信息 {expected} 条，相差 {319 - expected} 条" in warning.message
    assert "下一年度：没有了" in page.get_text() and "上一年度：2013年" in page.get_text()


def test_the_editor_guide_example_builds_cleanly(site):
    guide = (ROOT / "docs/编辑指南.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(# 表二.*?)```", guide, re.S).group(1)
    site.write(
        "annual-reports/report.md",
        document(
            title="2021年报",
            index="003186648/202201-00001",
            column="annual-reports",
            date="2022-01-20",
            body=REPORT_BODY,
            报告年度=2021,
            报告格式="gb-2021",
        ),
    )
    site.write("annual-reports/report.yml", example)
    outcome = site.build()
    assert outcome.ok and not outcome.problems.items, outcome.report()


def test_a_report_body_quotes_figures_only(site):
    """{{ stats.<figure> }} becomes the number; any other name (a list, a Python attribute) stays
    as typed, never a Python repr with the catalogue's names unescaped."""
    write_report(site, 2021, "gb-2021", gb_2021_data())
    path = site.content / "annual-reports/report.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n本站统计 {{ stats.by_node }}、{{ stats.normalise }}、"
        "{{ stats.difference }}。\n",
        encoding="utf-8",
    )
    site.write("news/a.md", document(index="003186648/202105-00001", date="2021-05-06"))
    outcome = site.build()
    assert outcome.ok, outcome.report()
    body = BeautifulSoup(site.page("docs/003186648-202201-00001.html"), "html.parser").select_one(
        ".gk-body"
    )
    text = body.get_text()
    assert "全年主动公开信息 1 条" in text
    assert "{{ stats.by_node }}" in text and "{{ stats.normalise }}" in text
    assert "(0, '" not in text and "class '" not in text

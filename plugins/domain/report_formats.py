"""The national annual-report table formats as data (国办公开办函〔2019〕60号 and 〔2021〕30号).

Labels, keys and order follow the standard exactly; rendering and checks are driven from here.
"""

from __future__ import annotations

from dataclasses import dataclass

# 表二 主动公开政府信息情况: blocks of (header, columns, rows).
TABLE_2 = {
    "gb-2021": [
        (
            "第二十条第（一）项",
            ["本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", "行政规范性文件"],
        ),
        ("第二十条第（五）项", ["本年处理决定数量"], ["行政许可"]),
        ("第二十条第（六）项", ["本年处理决定数量"], ["行政处罚", "行政强制"]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], ["行政事业性收费"]),
    ],
    "gb-2019": [
        (
            "第二十条第（一）项",
            ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
            ["规章", "规范性文件"],
        ),
        (
            "第二十条第（五）项",
            ["上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政许可", "其他对外管理服务事项"],
        ),
        (
            "第二十条第（六）项",
            ["上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政处罚", "行政强制"],
        ),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], ["行政事业性收费"]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"], ["政府集中采购"]),
    ],
}
TABLE_2_FIRST_COLUMN = "信息内容"
# Columns that may hold decimals (money) or negative numbers (a change on the year before).
DECIMAL_COLUMNS = {"本年收费金额（单位：万元）", "采购总金额"}
SIGNED_COLUMNS = {"本年增/减"}

# 表三 收到和处理政府信息公开申请情况.
TABLE_3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = [
    ("natural", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("nonprofit", "社会公益组织"),
    ("legal_svc", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
]
ORGANISATIONS = ["commercial", "research", "nonprofit", "legal_svc", "other_org"]


@dataclass(frozen=True)
class Row:
    key: str | None  # None for a group label without its own numbers
    label: str
    children: tuple = ()


def _results(other_rows: tuple) -> Row:
    return Row(
        None,
        "三、本年度办理结果",
        (
            Row("granted", "（一）予以公开"),
            Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
            Row(
                None,
                "（三）不予公开",
                (
                    Row("deny_secret", "1.属于国家秘密"),
                    Row("deny_law", "2.其他法律行政法规禁止公开"),
                    Row("deny_security", "3.危及“三安全一稳定”"),
                    Row("deny_third_party", "4.保护第三方合法权益"),
                    Row("deny_internal", "5.属于三类内部事务信息"),
                    Row("deny_process", "6.属于四类过程性信息"),
                    Row("deny_enforcement", "7.属于行政执法案卷"),
                    Row("deny_query", "8.属于行政查询事项"),
                ),
            ),
            Row(
                None,
                "（四）无法提供",
                (
                    Row("na_not_held", "1.本机关不掌握相关政府信息"),
                    Row("na_create", "2.没有现成信息需要另行制作"),
                    Row("na_unclear", "3.补正后申请内容仍不明确"),
                ),
            ),
            Row(
                None,
                "（五）不予处理",
                (
                    Row("np_petition", "1.信访举报投诉类申请"),
                    Row("np_repeat", "2.重复申请"),
                    Row("np_publication", "3.要求提供公开出版物"),
                    Row("np_abusive", "4.无正当理由大量反复申请"),
                    Row("np_confirm", "5.要求行政机关确认或重新出具已获取信息"),
                ),
            ),
            other_rows,
            Row("processed_total", "（七）总计"),
        ),
    )


TABLE_3 = {
    "gb-2021": [
        Row("new", "一、本年新收政府信息公开申请数量"),
        Row("carried_in", "二、上年结转政府信息公开申请数量"),
        _results(
            Row(
                None,
                "（六）其他处理",
                (
                    Row(
                        "oth_no_correction",
                        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                    ),
                    Row(
                        "oth_no_fee",
                        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                    ),
                    Row("oth_other", "3.其他"),
                ),
            )
        ),
        Row("carried_out", "四、结转下年度继续办理"),
    ],
}
TABLE_3["gb-2019"] = [
    TABLE_3["gb-2021"][0],
    TABLE_3["gb-2021"][1],
    _results(Row("other", "（六）其他处理")),
    TABLE_3["gb-2021"][3],
]

# 表四 政府信息公开行政复议、行政诉讼情况.
TABLE_4_GROUPS = [
    ("review", "行政复议"),
    ("suit_direct", "未经复议直接起诉"),
    ("suit_after_review", "复议后起诉"),
]
TABLE_4_COLUMNS = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
]
TABLE_4 = {"gb-2021": TABLE_4_GROUPS, "gb-2019": TABLE_4_GROUPS}

FORMATS = ("legacy", "gb-2019", "gb-2021")
SECTION_TITLES = {
    "table_2": "二、主动公开政府信息情况",
    "table_3": "三、收到和处理政府信息公开申请情况",
    "table_4": "四、政府信息公开行政复议、行政诉讼情况",
}


def leaf_rows(rows) -> list[Row]:
    """Rows that carry numbers, in table order."""
    out = []
    for row in rows:
        if row.key:
            out.append(row)
        out += leaf_rows(row.children)
    return out


def result_rows(fmt: str) -> list[Row]:
    """The rows summed by （七）总计: every numbered row under 三, except the total itself."""
    results = next(r for r in TABLE_3[fmt] if r.label.startswith("三"))
    return [r for r in leaf_rows(results.children) if r.key != "processed_total"]

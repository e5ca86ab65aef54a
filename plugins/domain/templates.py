"""What `invoke new` writes: a document template for the kind of column it goes in.

A column's kind is read from the catalogue (its name and place): an annual report, a procurement
notice, a budget, final accounts or 三公经费, statistics, a policy, an interpretation, or a notice.
Each template carries the fields its kind needs; the placeholder body (schema.TEMPLATE_BODY) left
unchanged is an error, so an untouched template is never published.
"""

from __future__ import annotations

import datetime as dt

from .schema import TEMPLATE_BODY

KINDS = (
    "annual-report",
    "procurement",
    "budget",
    "final-accounts",
    "three-public",
    "statistics",
    "policy",
    "interpretation",
    "notice",
)

HEAD = """\
---
# 名称、索引号、栏目、发文日期必须填写；其余有就写，没有就留空。改好后删掉正文里的“{placeholder}”。
名称: {title}
索引号: {index}
栏目: {column}
发布机构: {publisher}
发文日期: {date}
"""
COMMON = """\
关键词:
主题分类:
内容概述:
审核人:
审核日期:
# 附件：把文件放在本文件旁边，在下面逐行写“- 文件名”
附件:
"""
FIELDS = {
    "notice": "成文日期:\n文号:\n体裁分类:\n",
    "policy": (
        "# 规范性文件要写有效性和生效日期；废止或失效时写失效日期\n成文日期:\n文号:\n"
        "体裁分类: 规范性文件\n有效性: 有效\n生效日期: {date}\n失效日期:\n"
    ),
    "interpretation": "# 解读对象写被解读文件的索引号或文号\n解读对象:\n体裁分类: 政策解读\n",
    "procurement": (
        "# 招标采购：同一项目的每个公告写同一个项目编号。见编辑指南第十节第 4 类。\n"
        "项目编号:\n# 采购方式：公开招标、邀请招标、竞争性谈判、竞争性磋商、询价、单一来源 "
        "之一\n采购方式:\n"
        "# 采购阶段：采购意向、招标公告、更正公告、中标（成交）结果公告、废标公告、合同公告 之一\n"
        "采购阶段: 招标公告\n# 预算金额、中标金额：以元为单位，例如 385000 或 38.5万元\n预算金额:\n"
        "# 投标截止时间、开标时间：例如 {date} 09:30\n投标截止时间:\n开标时间:\n"
        "# 结果公告另写：中标供应商、中标金额\n"
    ),
    "budget": (
        "# 数据表：CSV 或 Excel 文件放在本文件旁边，逐行写“- 文件名”。见编辑指南第十节第 3 类。\n"
        "预决算年度: {year}\n预决算类别: 部门预算\n数据表:\n"
    ),
    "final-accounts": (
        "# 数据表：CSV 或 Excel 文件放在本文件旁边，逐行写“- 文件名”。见编辑指南第十节第 3 类。\n"
        "预决算年度: {last_year}\n预决算类别: 部门决算\n数据表:\n"
    ),
    "three-public": (
        "# 数据表要有“因公出国（境）费”“公务接待费”“公务用车购置及运行费”三行。见编辑指南第十节第 "
        "3 类。\n"
        "预决算年度: {year}\n预决算类别: 三公经费\n数据表:\n"
    ),
    "statistics": (
        "# 数据表：CSV 或 Excel 文件放在本文件旁边，逐行写“- 文件名”。\n"
        "体裁分类: 统计数据\n数据表:\n"
    ),
    "annual-report": (
        "# 年报：表二、表三、表四照年报填在旁边的 {data_file} 里。见编辑指南第九节。\n"
        "报告年度: {last_year}\n报告格式: {report_format}\n年报所述发布信息数:\n"
    ),
}
BODIES = {
    "procurement": "## 一、项目概况\n\n{p}\n\n## 二、投标人资格要求\n\n{p}\n\n"
    "## 三、获取招标文件\n\n{p}\n\n"
    "## 四、联系方式\n\n{p}\n",
    "budget": "## 一、收支预算总体情况\n\n{p}\n\n【数据表】\n",
    "final-accounts": "## 一、收支决算总体情况\n\n{p}\n\n【数据表】\n",
    "three-public": "{p}\n\n【数据表】\n",
    "statistics": "{p}\n\n【数据表】\n",
    "annual-report": "## 一、总体情况\n\n{p}\n\n## 二、主动公开政府信息情况\n\n{p}\n\n"
    "## 三、收到和处理政府信息公开申请情况\n\n{p}\n\n"
    "## 四、政府信息公开行政复议、行政诉讼情况\n\n{p}\n\n"
    "## 五、存在的主要问题及改进情况\n\n{p}\n\n## 六、其他需要报告的事项\n\n{p}\n",
}


def document_kind(node, annual_report_column: str) -> str:
    """The kind of document a catalogue column holds, from its code, name and place."""
    names = "/".join(n.name for n in node.path)
    if node.code == annual_report_column or "年报" in node.name or "年度报告" in node.name:
        return "annual-report"
    if "采购" in names or "招标" in names:
        return "procurement"
    if "三公" in node.name:
        return "three-public"
    if "决算" in node.name:
        return "final-accounts"
    if "预算" in node.name:
        return "budget"
    if "统计" in names:
        return "statistics"
    if "解读" in node.name:
        return "interpretation"
    if node.normative:
        return "policy"
    return "notice"


def report_format(year: int) -> str:
    """The national format a report year is written in."""
    return "gb-2021" if year >= 2021 else "gb-2019" if year >= 2019 else "legacy"


def template(
    kind: str,
    title: str,
    index: str,
    column: str,
    publisher: str,
    today: dt.date,
    data_file: str = "",
) -> str:
    values = {
        "title": title,
        "index": index,
        "column": column,
        "publisher": publisher,
        "date": today.isoformat(),
        "year": today.year,
        "last_year": today.year - 1,
        "report_format": report_format(today.year - 1),
        "data_file": data_file,
        "placeholder": TEMPLATE_BODY,
    }
    head = HEAD.format(**values) + FIELDS[kind].format(**values) + COMMON + "---\n\n"
    return head + BODIES.get(kind, "{p}\n").format(p=TEMPLATE_BODY)

"""The disclosure metadata fields: English keys, official Chinese labels and aliases.

Editors may write either the English key or any Chinese alias, in the same file too.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .normalize import fold_width


@dataclass(frozen=True)
class FieldSpec:
    name: str  # English key, used in code and templates
    label: str  # official Chinese label (shown on pages and in messages)
    aliases: tuple[str, ...]  # accepted Chinese keys besides the label
    kind: str = "text"  # text | date | list | bool


FIELDS = [
    FieldSpec("title", "名称", ("标题", "信息名称")),
    FieldSpec("date", "发文日期", ("发布日期",), "date"),
    FieldSpec("written_on", "成文日期", ("生成日期",), "date"),
    FieldSpec("index", "索引号", ()),
    FieldSpec("column", "栏目", ("内容分类", "信息分类", "组配分类")),
    FieldSpec("publisher", "发布机构", ("发文机关",)),
    FieldSpec("info_source", "信息来源", ("来源",)),
    FieldSpec("doc_number", "文号", ("发文字号", "文件编号")),
    FieldSpec("keywords", "关键词", ("关键字", "主题词"), "list"),
    FieldSpec("topic", "主题分类", ()),
    FieldSpec("genre", "体裁分类", ("体裁",)),
    FieldSpec("summary", "内容概述", ("摘要",)),
    FieldSpec("validity", "有效性", ()),
    FieldSpec("effective", "生效日期", ("施行日期",), "date"),
    FieldSpec("expires", "失效日期", ("废止日期",), "date"),
    FieldSpec("attachments", "附件", (), "list"),
    FieldSpec("interprets", "解读对象", ()),
    FieldSpec("reviewed_by", "审核人", ("保密审查人",)),
    FieldSpec("reviewed_on", "审核日期", ("保密审查日期",), "date"),
    FieldSpec("legacy", "历史文档", ("存量信息",), "bool"),
    FieldSpec("slug", "网址名", ()),
    FieldSpec("status", "状态", ("发布状态",)),
    FieldSpec("needs_interpretation", "需要解读", (), "bool"),
    # 办件指南 elements (may also be written as headed sections of the body)
    FieldSpec("item_name", "事项名称", ()),
    FieldSpec("legal_basis", "设定依据", ()),
    FieldSpec("conditions", "申请条件", ()),
    FieldSpec("materials", "办理材料", ("申请材料",)),
    FieldSpec("place", "办理地点", ()),
    FieldSpec("hours", "办理时间", ()),
    FieldSpec("phone", "联系电话", ("咨询电话",)),
    FieldSpec("procedure", "办理流程", ()),
    # 领导信息: a leader's post, duties and photo (a column of such documents shows them as cards)
    FieldSpec("post", "职务", ("领导职务",)),
    FieldSpec("duties", "分工", ("工作分工", "分管工作")),
    FieldSpec("photo", "照片", ("相片",)),
    FieldSpec("rank", "排序", ("排列顺序",)),
    # 招标采购 (see procurement.py)
    FieldSpec("project_number", "项目编号", ("采购项目编号",)),
    FieldSpec("procurement_method", "采购方式", ()),
    FieldSpec("stage", "采购阶段", ("公告类型",)),
    FieldSpec("budget_amount", "预算金额", ("采购预算",)),
    FieldSpec("bid_deadline", "投标截止时间", ("响应文件截止时间", "递交截止时间"), "date"),
    FieldSpec("opening_time", "开标时间", (), "date"),
    FieldSpec("supplier", "中标供应商", ("成交供应商",)),
    FieldSpec("award_amount", "中标金额", ("成交金额",)),
    # 财政预决算, statistics (see datatable.py)
    FieldSpec("fiscal_year", "预决算年度", ("预算年度", "决算年度", "财政年度")),
    FieldSpec("budget_kind", "预决算类别", ("预算类别",)),
    FieldSpec("data_tables", "数据表", ("数据文件",), "list"),
    FieldSpec("report_year", "报告年度", ("年报年度",)),
    FieldSpec("report_format", "报告格式", ("年报格式",)),
    FieldSpec("stated_published_total", "年报所述发布信息数", ()),
]

BY_NAME = {f.name: f for f in FIELDS}


def _key(text: str) -> str:
    """Normalise a key as typed: width, case, inner spaces (索 引 号), underscores."""
    return (
        fold_width(text)
        .replace(" ", "")
        .replace("\t", "")
        .replace("\u3000", "")
        .lower()
        .replace("-", "_")
    )


KEY_TO_FIELD = {
    _key(name): spec for spec in FIELDS for name in (spec.name, spec.label, *spec.aliases)
} | {"index_number": BY_NAME["index"]}


def lookup(key: str) -> FieldSpec | None:
    return KEY_TO_FIELD.get(_key(key))


def key_suggestions(key: str) -> list[str]:
    labels = (
        [f.label for f in FIELDS]
        + [a for f in FIELDS for a in f.aliases]
        + [f.name for f in FIELDS]
    )
    return difflib.get_close_matches(_key(key), labels, n=3, cutoff=0.4)


VALIDITY_VALUES = {
    "有效": "有效",
    "现行有效": "有效",
    "effective": "有效",
    "失效": "失效",
    "已失效": "失效",
    "expired": "失效",
    "废止": "废止",
    "已废止": "废止",
    "repealed": "废止",
    "已修改": "已修改",
    "修改": "已修改",
    "amended": "已修改",
}
STATUS_VALUES = {
    "published": "published",
    "发布": "published",
    "已发布": "published",
    "draft": "draft",
    "草稿": "draft",
    "scheduled": "scheduled",
    "定时发布": "scheduled",
}
TEMPLATE_BODY = (
    "在这里写正文。"  # the placeholder `invoke new` writes; published unchanged, it is an error
)
TRUE_VALUES = {"是", "true", "yes", "1"}
FALSE_VALUES = {"否", "false", "no", "0", ""}
NORMATIVE_GENRES = ("规范性文件", "行政规范性文件")
SUMMARY_LIMIT = 100  # 内容概述 ≤100 characters
TITLE_LIMIT = 200  # no real title is longer; a longer one is a paste gone wrong
REPORT_FORMATS = {
    "legacy": "legacy",
    "旧格式": "legacy",
    "gb-2019": "gb-2019",
    "2019": "gb-2019",
    "gb-2021": "gb-2021",
    "2021": "gb-2021",
}
SERVICE_ELEMENTS = (
    "item_name",
    "legal_basis",
    "conditions",
    "materials",
    "place",
    "hours",
    "phone",
    "procedure",
)

# 预决算类别 as written -> the name used on the site
BUDGET_KINDS = {
    "部门预算": "部门预算",
    "预算": "部门预算",
    "部门决算": "部门决算",
    "决算": "部门决算",
    "三公经费": "三公经费",
    "“三公”经费": "三公经费",
    '"三公"经费': "三公经费",
    "三公": "三公经费",
}

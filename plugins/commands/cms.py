"""Decap CMS configuration (``admin/config.yml``) generated from the catalogue and the content
model.

One folder collection per list column, with the fields its kind of document needs (a procurement
notice its project, a budget its fiscal year and data tables, an annual report its year and format)
in Chinese, with hints and validation patterns; choices (publishers, topics, methods, stages) come
from the same data the build validates, so the web form cannot drift from the checks. Attachments
and data tables are file fields, uploaded beside the document. Each annual-report column also gets
a collection for its reports' table data (the ``.yml`` beside each report), with every row and
column of the national format. Fixed pages (公开指南, 依申请公开) are one "files" collection.
"""

from __future__ import annotations

import yaml

from domain.defaults import setting
from domain.procurement import METHODS, STAGE_NAMES
from domain.report_formats import (
    APPLICANTS,
    TABLE_2,
    TABLE_3,
    TABLE_4_COLUMNS,
    TABLE_4_GROUPS,
    leaf_rows,
)
from domain.schema import BUDGET_KINDS, BY_NAME, STATUS_VALUES, VALIDITY_VALUES
from domain.templates import document_kind

REQUIRED = ("title", "index", "column", "date")  # what the build rejects a document without
TEXT_FIELDS = ("doc_number", "genre", "summary", "interprets", "reviewed_by")
DATE_FIELDS = ("written_on", "effective", "expires", "reviewed_on")
DATE = {"format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
DATE_TIME = {"format": "YYYY-MM-DD HH:mm", "date_format": "YYYY-MM-DD", "time_format": "HH:mm"}
YEAR = [r"^\d{4}$", "写四位年份，例如 2024"]
AMOUNT = [
    r"^\s*$|^\d+(\.\d{1,2})?\s*(万元|万|元)?$",
    "写以元为单位的数字，例如 385000、385000.00元 或 38.5万元",
]
BESIDE = {
    "media_folder": "",
    "public_folder": "",
}  # uploads go beside the document, named as written


def _field(name, widget="string", required=None, **extra):
    spec = BY_NAME[name]
    return {
        "label": spec.label,
        "name": name,
        "widget": widget,
        "required": name in REQUIRED if required is None else required,
        **extra,
    }


def _files(name, hint):
    return _field(
        name, "list", hint=hint, field={"label": "文件", "name": "file", "widget": "file"}
    )


def _index(site) -> dict:
    """The 索引号 field: a pattern accepting every publisher's scheme, the forms as the hint."""
    schemes = site.publishers.schemes()
    alternatives = [s.regex.pattern.strip("^$").replace("(?P<", "(?<") for s in schemes]
    pattern = "^(" + "|".join(f"(?:{a})" for a in alternatives) + ")$"
    forms = "；".join(
        f"{p.short_name or p.name}：{p.scheme.form(p.code)}" for p in site.publishers.publishers
    )
    return _field("index", hint=forms, pattern=[pattern, "索引号格式不对：" + forms])


def kind_fields(kind: str) -> list[dict]:
    """The fields a kind of document needs beyond the common ones."""
    kinds = sorted(set(BUDGET_KINDS.values()))
    data_tables = _files(
        "data_tables",
        "CSV（UTF-8）或 Excel（.xlsx）数据表，网站显示为表格；见编辑指南第十节第 3 类",
    )
    if kind == "procurement":
        return [
            _field(
                "project_number", required=True, hint="采购文件上的编号；同一项目的每个公告写同一个"
            ),
            _field("procurement_method", "select", False, options=list(METHODS)),
            _field("stage", "select", True, options=list(STAGE_NAMES), default=STAGE_NAMES[1]),
            _field("budget_amount", required=False, pattern=AMOUNT, hint="招标公告要写"),
            _field(
                "bid_deadline",
                "datetime",
                False,
                hint="招标公告要写，例如 2024-05-29 09:30",
                **DATE_TIME,
            ),
            _field("opening_time", "datetime", False, **DATE_TIME),
            _field("supplier", required=False, hint="结果公告要写"),
            _field("award_amount", required=False, pattern=AMOUNT, hint="结果公告要写"),
        ]
    if kind in ("budget", "final-accounts", "three-public"):
        default = {"budget": "部门预算", "final-accounts": "部门决算", "three-public": "三公经费"}[
            kind
        ]
        return [
            _field(
                "fiscal_year",
                required=True,
                pattern=YEAR,
                hint="预算或决算所属的年度，不是发布年份",
            ),
            _field("budget_kind", "select", True, options=kinds, default=default),
            data_tables,
        ]
    if kind == "statistics":
        return [data_tables]
    if kind == "annual-report":
        return [
            _field("report_year", required=True, pattern=YEAR, hint="报告的是哪一年，例如 2024"),
            _field(
                "report_format",
                "select",
                True,
                options=["gb-2021", "gb-2019", "legacy"],
                default="gb-2021",
                hint="2021 年度起 gb-2021，2019、2020 年度 gb-2019，更早 legacy",
            ),
            _field(
                "stated_published_total",
                required=False,
                pattern=[r"^\d*$", "写数字"],
                hint="年报中“全年发布信息 N 条”的 N（可选）",
            ),
        ]
    return []


def common_fields(site, choices: dict) -> list[dict]:
    publishers, topics = choices["publishers"], choices["topics"]
    return [
        _field("title"),
        _index(site),
        _field("date", "datetime", hint="在本网站公开的日期；索引号中的年月随它", **DATE),
        _field(
            "publisher", "select", options=publishers, default=publishers[0] if publishers else ""
        ),
        _field("keywords", "list"),
        _field("topic", "select", options=topics),
        _field("validity", "select", options=choices["validity"]),
        _field("status", "select", options=choices["status"], default="published"),
        _files("attachments", "供下载的文件（PDF、Word、Excel 等），保存在本文件旁边"),
        *(_field(name, "text" if name == "summary" else "string") for name in TEXT_FIELDS),
        *(_field(name, "datetime", **DATE) for name in DATE_FIELDS),
    ]


BODY = {"label": "正文", "name": "body", "widget": "markdown"}


def report_tables_collection(node) -> dict:
    """The table data of a column's annual reports, every row and column of the 2021 format."""

    def row(name, label, columns):
        return {
            "label": label,
            "name": name,
            "widget": "object",
            "collapsed": True,
            "fields": [
                {"label": c_label, "name": c_name, "widget": "string", "required": False}
                for c_name, c_label in columns
            ],
        }

    table_2 = [
        row(r, r, [(c, c) for c in columns])
        for _, columns, rows in TABLE_2["gb-2021"]
        for r in rows
    ]
    table_3 = [row(r.key, r.label, APPLICANTS) for r in leaf_rows(TABLE_3["gb-2021"])]
    table_4 = [row(key, label, TABLE_4_COLUMNS) for key, label in TABLE_4_GROUPS]
    return {
        "name": f"{node.code}-tables",
        "label": f"{node.name}表格数据",
        "label_singular": "年报表格数据",
        "folder": f"content/{node.code}",
        "create": True,
        "extension": "yml",
        "format": "yml",
        "identifier_field": "report",
        "slug": "{{fields.report}}",
        "summary": "{{report}}",
        "description": "gb-2021 格式年报的表二、表三、表四。"
        "照年报填写每一格：数字、空白、/、— 或带文字的数都照抄。",
        "fields": [
            {
                "label": "对应的年报",
                "name": "report",
                "widget": "string",
                "hint": "年报文件的文件名（不含 .md），例如 2024年报；"
                "表格数据以同名 .yml 保存在年报旁边",
                "pattern": [r"^[^/\\.]+$", "只写文件名，不含文件夹和扩展名"],
            },
            {
                "label": "表二 主动公开政府信息情况",
                "name": "table_2",
                "widget": "object",
                "fields": table_2,
            },
            {
                "label": "表三 收到和处理政府信息公开申请情况",
                "name": "table_3",
                "widget": "object",
                "fields": table_3,
            },
            {
                "label": "表四 政府信息公开行政复议、行政诉讼情况",
                "name": "table_4",
                "widget": "object",
                "fields": table_4,
            },
        ],
    }


def config(site, repo: str = "owner/site", branch: str = "main") -> dict:
    columns = site.catalogue.document_columns()
    choices = {
        "publishers": [p.name for p in site.publishers.publishers],
        "topics": list(site.topics)
        + [f"{top}/{child}" for top, kids in site.topics.items() for child in kids],
        "validity": sorted(set(VALIDITY_VALUES.values())),
        # Decap writes the value, the editor sees the Chinese word
        "status": [
            {"label": label, "value": value}
            for label, value in STATUS_VALUES.items()
            if label in ("发布", "草稿", "定时发布")
        ],
    }
    common = common_fields(site, choices)
    annual_column = setting(site.settings, "ANNUAL_REPORT_COLUMN")

    def fields_for(node):
        column = _field("column", "hidden", default=node.code)
        return (
            common[:2]
            + [column]
            + common[2:]
            + kind_fields(document_kind(node, annual_column))
            + [BODY]
        )

    collections = []
    for node in columns:
        if node.kind != "list":
            continue
        collections.append(
            {
                "name": node.code,
                "label": node.path_name,
                "folder": f"content/{node.code}",
                "create": True,
                "extension": "md",
                "format": "frontmatter",
                "slug": "{{fields.index}}",  # the page's own address
                "summary": "{{date | date('YYYY-MM-DD')}} {{title}}",
                **BESIDE,
                "fields": fields_for(node),
            }
        )
        if document_kind(node, annual_column) == "annual-report":
            collections.append({**report_tables_collection(node), **BESIDE})
    pages = []
    for node in columns:
        if node.kind == "page":
            existing = sorted((site.content_root / node.code).glob("*.md"))
            path = (
                existing[0].relative_to(site.content_root.parent).as_posix()
                if existing
                else f"content/{node.code}/index.md"
            )
            pages.append(
                {"name": node.code, "label": node.name, "file": path, "fields": fields_for(node)}
            )
    if pages:
        collections.append({"name": "fixed-pages", "label": "固定页面", "files": pages})
    return {
        "backend": {"name": "github", "repo": repo, "branch": branch},
        # On this computer (http://localhost or 127.0.0.1) the editor works on the local repository
        # through decap-server (`invoke cms`); on the published site it uses the backend above.
        "local_backend": True,
        # every change goes through review (a pull request) first
        "publish_mode": "editorial_workflow",
        "locale": "zh_Hans",
        # uploads outside a collection; documents list them as /files/<name>
        "media_folder": "content/files",
        "public_folder": "/files",
        "collections": collections,
    }


def config_yaml(site, repo: str = "owner/site", branch: str = "main") -> str:
    header = (
        "# Generated by `invoke cms-config` from content/catalogue.yml and the content model: "
        "do not edit.\n"
    )
    # Field objects shared by the collections are written once (YAML anchors), as Decap reads them.
    return header + yaml.safe_dump(
        config(site, repo, branch), allow_unicode=True, sort_keys=False, width=120
    )

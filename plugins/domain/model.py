"""The disclosure document: typed, normalised metadata of one Markdown file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal


@dataclass(frozen=True)
class Attachment:
    """附件: a file kept beside the document."""

    name: str  # as the editor wrote it
    source: str  # path relative to the content folder (POSIX)
    size: int  # bytes

    @property
    def extension(self) -> str:
        return self.source.rsplit(".", 1)[-1].upper() if "." in self.source else ""


@dataclass
class Document:
    source: str  # path relative to the content folder (POSIX)
    title: str = ""  # 名称
    date: dt.datetime | None = None  # 发文日期
    written_on: dt.datetime | None = None  # 成文日期
    index_number: str = ""  # 索引号
    column: str = ""  # 栏目 code
    publisher: str = ""  # 发布机构 full name
    info_source: str = ""  # 信息来源
    doc_number: str = ""  # 文号
    keywords: tuple[str, ...] = ()  # 关键词
    topic: str = ""  # 主题分类, 顶级/子类
    genre: str = ""  # 体裁分类
    summary: str = ""  # 内容概述
    validity: str = ""  # 有效性
    effective: dt.datetime | None = None  # 生效日期
    expires: dt.datetime | None = None  # 失效日期
    attachments: tuple[Attachment, ...] = ()  # 附件
    interprets: str = ""  # 解读对象, as written
    interprets_source: str = ""  # resolved target document (source path)
    reviewed_by: str = ""  # 审核人 (保密审查)
    reviewed_on: dt.datetime | None = None  # 审核日期
    legacy: bool = False  # 历史文档: allowed without 索引号
    slug: str = ""  # URL name, derived from the 索引号
    status: str = "published"
    needs_interpretation: bool = False  # 需要解读: a policy that should have a 解读
    service: dict = field(
        default_factory=dict
    )  # 办件指南 elements given in the front matter, by field name
    report_year: int | None = None  # 报告年度 (annual reports only)
    report_format: str = ""  # 报告格式: legacy | gb-2019 | gb-2021
    stated_published_total: int | None = None  # the number of items the report says were published
    fiscal_year: int | None = None  # 预决算年度
    budget_kind: str = ""  # 预决算类别: 部门预算 | 部门决算 | 三公经费
    data_tables: tuple[Attachment, ...] = ()  # 数据表: CSV/XLSX files beside the document
    project_number: str = ""  # 项目编号 (procurement documents of one project share it)
    procurement_method: str = ""  # 采购方式
    stage: str = ""  # 采购阶段
    budget_amount: Decimal | None = None  # 预算金额, yuan
    bid_deadline: dt.datetime | None = None  # 投标截止时间
    opening_time: dt.datetime | None = None  # 开标时间
    supplier: str = ""  # 中标（成交）供应商
    award_amount: Decimal | None = None  # 中标（成交）金额, yuan
    post: str = ""  # 职务 (领导信息)
    duties: str = ""  # 分工
    photo: tuple[Attachment, ...] = ()  # 照片: one picture beside the document
    rank: int | None = None  # 排序: a leader's place in the list (1 first)
    lines: dict[str, int] = field(default_factory=dict)  # field name -> line in the file

    def line(self, name: str) -> int:
        return self.lines.get(name, 0)

    @property
    def rank_key(self) -> tuple:
        """A leader's place: by 排序 (unranked last), then as the column lists them."""
        return (self.rank is None, self.rank or 0)

    def __reduce__(self):
        # Pickled as its values in field order (the build cache holds 10,000 of them): unpickling
        # then makes no new copies of the 41 field names, and takes half the time.
        state = self.__dict__
        values = tuple(state[name] for name in _FIELDS)
        extra = (
            {k: v for k, v in state.items() if k not in _FIELD_SET}
            if len(state) != len(_FIELDS)
            else None
        )
        return _document, (values, extra)


def _document(values: tuple, extra: dict | None) -> Document:
    doc = object.__new__(Document)
    doc.__dict__.update(zip(_FIELDS, values))
    if extra:
        doc.__dict__.update(extra)
    return doc


_FIELDS = tuple(f.name for f in fields(Document))
_FIELD_SET = frozenset(_FIELDS)


def current_validity(doc: Document, today: dt.date) -> str:
    """有效性 as of ``today``: what the editor wrote, corrected by the dates.

    A document past its 失效日期 is 失效 even if the editor still says 有效;
    one whose 生效日期 has not come yet is 尚未生效.
    """
    if doc.validity in ("废止", "失效"):
        return doc.validity
    if doc.expires and doc.expires.date() < today:
        return "失效"
    if doc.effective and doc.effective.date() > today:
        return "尚未生效"
    return doc.validity or ("有效" if doc.effective else "")

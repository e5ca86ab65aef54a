"""Procurement projects (招标采购): the stages of one project, read from its documents, and checked.

Every document with the same 项目编号 belongs to one project. Its stages, in the order the law
sets them (政府采购法 and its implementing rules), make the project's timeline; the checks below
are the ones a procurement officer would make before anything goes to the public.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .model import Document
from .problems import ERROR, WARNING, Problem

# 采购方式
METHODS = ("公开招标", "邀请招标", "竞争性谈判", "竞争性磋商", "询价", "单一来源")

# 采购阶段, in timeline order: (name, URL key, other names editors use)
STAGES = (
    ("采购意向", "intent", ("采购意向公开",)),
    (
        "招标公告",
        "tender",
        (
            "采购公告",
            "竞争性谈判公告",
            "竞争性磋商公告",
            "询价公告",
            "单一来源公示",
            "资格预审公告",
        ),
    ),
    ("更正公告", "correction", ("变更公告", "澄清公告", "更正（澄清）公告")),
    (
        "中标（成交）结果公告",
        "award",
        ("中标公告", "成交公告", "中标结果公告", "成交结果公告", "中标(成交)结果公告"),
    ),
    ("废标公告", "failed", ("终止公告", "流标公告")),
    ("合同公告", "contract", ("采购合同公告", "合同公示")),
)
STAGE_NAMES = tuple(name for name, _, _ in STAGES)
STAGE_KEYS = {name: key for name, key, _ in STAGES}
STAGE_ORDER = {name: i for i, name in enumerate(STAGE_NAMES)}
STAGE_LOOKUP = {alias: name for name, _, aliases in STAGES for alias in (name, *aliases)}
TENDER, CORRECTION, AWARD, FAILED = "招标公告", "更正公告", "中标（成交）结果公告", "废标公告"

AMOUNT_RE = re.compile(r"^(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>万元|万|元)?$")
CENT = Decimal("0.01")


class AmountError(ValueError):
    pass


def parse_amount(text: str) -> Decimal:
    """An amount in yuan, to the cent, from what an editor writes: 385000, 385,000.00元,
    38.5万元."""
    cleaned = (
        text.replace(",", "").replace("，", "").replace(" ", "").replace("￥", "").replace("¥", "")
    )
    match = AMOUNT_RE.match(cleaned)
    if not match:
        raise AmountError("金额应写成数字，可带单位“元”或“万元”")
    value = Decimal(match["number"])
    if match["unit"] in ("万元", "万"):
        value *= 10000
    if value != value.quantize(CENT):
        raise AmountError("金额最多精确到分（元后两位小数）")
    return value.quantize(CENT, ROUND_HALF_UP)


def format_amount(value: Decimal | None) -> str:
    """385000 -> 385,000.00元（38.50万元）."""
    if value is None:
        return ""
    wan = (value / 10000).quantize(Decimal("0.0001")).normalize()
    return f"{value:,.2f}元（{wan:,f}万元）"


def stage_name(text: str) -> str | None:
    cleaned = text.replace(" ", "").replace("(", "（").replace(")", "）")
    return STAGE_LOOKUP.get(text.strip()) or STAGE_LOOKUP.get(cleaned)


def project_name(title: str) -> str:
    """The project as the public knows it: a stage document's title without the stage words."""
    name = re.sub(
        r"(的)?("
        + "|".join(sorted((re.escape(a) for a in STAGE_LOOKUP), key=len, reverse=True))
        + r")$",
        "",
        title.strip(),
    )
    return name.strip() or title


@dataclass
class Project:
    """一个采购项目: its documents in timeline order."""

    number: str  # 项目编号
    documents: list[Document] = field(default_factory=list)

    @property
    def name(self) -> str:
        first = next((d for d in self.documents if d.stage == TENDER), self.documents[0])
        return project_name(first.title)

    @property
    def method(self) -> str:
        return next((d.procurement_method for d in self.documents if d.procurement_method), "")

    @property
    def budget(self) -> Decimal | None:
        """预算金额 as last announced (a correction may change it)."""
        return next(
            (
                d.budget_amount
                for d in reversed(self.documents)
                if d.budget_amount is not None and d.stage != AWARD
            ),
            self.documents[-1].budget_amount,
        )

    @property
    def current(self) -> Document:
        """The latest stage published: the one the project is at."""
        return self.documents[-1]

    @property
    def year(self) -> int:
        return self.documents[0].date.year

    @property
    def last_date(self) -> dt.date:
        return self.current.date.date()

    @property
    def award(self) -> Document | None:
        return next((d for d in reversed(self.documents) if d.stage == AWARD), None)

    def deadline(self, today: dt.date) -> tuple[dt.datetime | None, str]:
        """The tender's 投标截止时间 (the latest correction's, when one moved it) and its state
        today: 已截止, 今日截止 or 未截止."""
        deadline = next(
            (
                d.bid_deadline
                for d in reversed(self.documents)
                if d.stage in (TENDER, CORRECTION) and d.bid_deadline
            ),
            None,
        )
        return deadline, deadline_state(deadline, today)


def deadline_state(deadline: dt.datetime | None, today: dt.date) -> str:
    if deadline is None:
        return ""
    if deadline.date() < today:
        return "已截止"
    return "今日截止" if deadline.date() == today else "未截止"


def timeline_key(doc: Document) -> tuple:
    return (doc.date, STAGE_ORDER.get(doc.stage, 0), doc.source)


def projects(documents) -> dict[str, Project]:
    """项目编号 -> project, for the published documents that name one; stages in timeline order."""
    found: dict[str, Project] = {}
    for doc in sorted(
        (d for d in documents if d.project_number and d.status == "published" and d.date),
        key=timeline_key,
    ):
        found.setdefault(doc.project_number, Project(doc.project_number)).documents.append(doc)
    return dict(sorted(found.items(), key=lambda item: (item[1].documents[0].date, item[0])))


def check_projects(documents, site=None) -> list[Problem]:
    """Inconsistencies across a project's documents (see the editor's guide, 招标采购)."""
    problems = []
    for project in projects(documents).values():
        docs = project.documents
        problems += _same_everywhere(project, "procurement_method", "采购方式")
        problems += _same_everywhere(project, "budget_amount", "预算金额")
        budget = project.budget
        for doc in docs:
            if (
                doc.stage == AWARD
                and doc.award_amount is not None
                and budget is not None
                and doc.award_amount > budget
            ):
                problems.append(
                    Problem(
                        doc.source,
                        doc.line("award_amount"),
                        ERROR,
                        "中标金额",
                        f"中标（成交）金额 {format_amount(doc.award_amount)} 超过项目预算 "
                        f"{format_amount(budget)}",
                        str(doc.award_amount),
                        "核对金额；超过采购预算的报价依法不能成交，确有调整应先更正预算",
                    )
                )
        tenders = [d for d in docs if d.stage == TENDER]
        awards = [d for d in docs if d.stage == AWARD]
        if awards and not tenders and project.method != "单一来源":
            for doc in awards:
                problems.append(
                    Problem(
                        doc.source,
                        doc.line("project_number"),
                        WARNING,
                        "项目编号",
                        f"项目 {project.number} 有结果公告，但本站没有它的招标（采购）公告",
                        project.number,
                        "核对项目编号；若招标公告发布在其他平台，可以忽略这条警告",
                    )
                )
        # A second tender is right only after the first failed (废标公告): then it is a new round.
        for earlier, later in zip(tenders, tenders[1:]):
            failed = any(d.stage == FAILED and earlier.date <= d.date <= later.date for d in docs)
            if not failed:
                problems.append(
                    Problem(
                        later.source,
                        later.line("stage"),
                        ERROR,
                        "采购阶段",
                        f"项目 {project.number} 已有招标公告 {earlier.source}，又发了一次，"
                        "中间没有废标公告",
                        TENDER,
                        "修改已发布的公告请用“更正公告”；重新招标前应先发布废标公告",
                    )
                )
        for doc in awards:
            if tenders and doc.date < tenders[0].date:
                problems.append(
                    Problem(
                        doc.source,
                        doc.line("date"),
                        ERROR,
                        "发文日期",
                        f"结果公告的日期早于招标公告 {tenders[0].source} 的日期 "
                        f"{tenders[0].date.date().isoformat()}",
                        doc.date.date().isoformat(),
                        "核对两个公告的发文日期",
                    )
                )
            deadline, _ = project.deadline(doc.date.date())
            if deadline and doc.date < deadline:
                problems.append(
                    Problem(
                        doc.source,
                        doc.line("date"),
                        ERROR,
                        "发文日期",
                        f"结果公告发布于投标截止时间 {deadline:%Y-%m-%d %H:%M} 之前",
                        doc.date.date().isoformat(),
                        "核对发文日期和投标截止时间",
                    )
                )
    return problems


def _same_everywhere(project: Project, name: str, label: str) -> list[Problem]:
    """A value that differs from the one announced before it, other than by a 更正公告: a
    warning."""
    problems, announced = [], None
    for doc in project.documents:
        value = getattr(doc, name)
        if value in (None, ""):
            continue
        if announced is not None and value != announced[1] and doc.stage != CORRECTION:
            shown = format_amount(announced[1]) if isinstance(value, Decimal) else announced[1]
            problems.append(
                Problem(
                    doc.source,
                    doc.line(name),
                    WARNING,
                    label,
                    f"与同一项目的 {announced[0].source} 不一致：那里写的是 {shown}",
                    format_amount(value) if isinstance(value, Decimal) else value,
                    f"同一项目的{label}应一致；确有变更的，应先发布更正公告",
                )
            )
        announced = (doc, value)
    return problems


def check_document(doc: Document) -> list[tuple[str, str, str, str]]:
    """One document's own procurement fields: (field name, severity, message, hint) findings."""
    found = []
    if doc.project_number and not doc.stage:
        found.append(
            (
                "stage",
                ERROR,
                "有项目编号，但没有写采购阶段",
                "加一行“采购阶段: " + "、".join(STAGE_NAMES[:4]) + "…”之一",
            )
        )
    if doc.stage and not doc.project_number:
        found.append(
            (
                "project_number",
                ERROR,
                "写了采购阶段，但没有项目编号",
                "加一行“项目编号: 采购文件上的编号”，同一项目的各个公告写同一个编号",
            )
        )
    if doc.stage == TENDER:
        if not doc.bid_deadline:
            found.append(
                (
                    "bid_deadline",
                    ERROR,
                    "招标（采购）公告没有写投标截止时间",
                    "加一行“投标截止时间: 2014-08-20 09:30”",
                )
            )
        if doc.budget_amount is None:
            found.append(
                (
                    "budget_amount",
                    WARNING,
                    "招标（采购）公告没有写预算金额",
                    "加一行“预算金额: 38.5万元”",
                )
            )
        if not doc.procurement_method:
            found.append(
                (
                    "procurement_method",
                    ERROR,
                    "招标（采购）公告没有写采购方式",
                    "写 " + "、".join(METHODS) + " 之一",
                )
            )
    if doc.stage == AWARD:
        if not doc.supplier:
            found.append(
                (
                    "supplier",
                    ERROR,
                    "结果公告没有写中标（成交）供应商",
                    "加一行“中标供应商: 单位全称”",
                )
            )
        if doc.award_amount is None:
            found.append(
                (
                    "award_amount",
                    ERROR,
                    "结果公告没有写中标（成交）金额",
                    "加一行“中标金额: 35.26万元”",
                )
            )
    if doc.stage and doc.stage != AWARD and (doc.supplier or doc.award_amount is not None):
        found.append(
            (
                "supplier" if doc.supplier else "award_amount",
                WARNING,
                f"{doc.stage}不应写中标供应商或中标金额",
                "这两项写在中标（成交）结果公告里",
            )
        )
    if doc.bid_deadline and doc.date and doc.bid_deadline < doc.date:
        found.append(("bid_deadline", ERROR, "投标截止时间早于公告的发文日期", "核对两个日期"))
    if doc.bid_deadline and doc.opening_time and doc.opening_time < doc.bid_deadline:
        found.append(
            ("opening_time", WARNING, "开标时间早于投标截止时间", "开标应在投标截止时间或之后")
        )
    return found

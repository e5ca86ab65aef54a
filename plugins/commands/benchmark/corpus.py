"""Deterministic synthetic corpus: valid documents in our format, spread over the sample
catalogue."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

# A small vocabulary of real disclosure words, so bigram statistics resemble real Chinese text.
WORDS = [
    "外事",
    "侨务",
    "港澳",
    "工作",
    "会议",
    "通知",
    "公开",
    "信息",
    "政府",
    "预算",
    "决算",
    "经费",
    "采购",
    "招标",
    "项目",
    "审批",
    "管理",
    "办理",
    "服务",
    "窗口",
    "领事",
    "认证",
    "护照",
    "签证",
    "出访",
    "团组",
    "交流",
    "合作",
    "友城",
    "归侨",
    "侨眷",
    "权益",
    "保护",
    "救济",
    "统计",
    "季度",
    "年度",
    "报告",
    "制度",
    "规定",
    "实施",
    "意见",
    "方案",
    "计划",
    "总结",
    "部署",
    "落实",
    "检查",
    "监督",
    "考核",
    "培训",
    "宣传",
    "网站",
    "平台",
    "建设",
    "改版",
    "栏目",
    "目录",
    "指南",
    "申请",
    "答复",
    "办件",
    "公告",
    "结果",
    "资金",
    "使用",
    "情况",
    "说明",
    "分配",
    "标准",
    "程序",
    "流程",
    "时限",
    "材料",
    "地点",
    "电话",
    "依据",
    "条件",
    "要求",
    "单位",
    "部门",
    "省直",
    "各市",
    "企业",
    "人员",
    "干部",
    "任免",
    "招录",
    "公示",
    "考察",
    "选拔",
    "安徽",
    "合肥",
    "国家",
    "国际",
    "经济",
    "贸易",
    "文化",
    "教育",
    "科技",
]


def _sentence(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


# Corpus shapes for `invoke bench --shape`: the columns documents are spread over and how their
# bodies are made. The targets must hold on each, not only on the first.
EIGHT_COLUMNS = [
    "news",
    "budget",
    "procurement",
    "statistics",
    "personnel",
    "plans",
    "service-notice",
    "special-funds",
]
TWENTY_COLUMNS = EIGHT_COLUMNS + [
    "notices",
    "final-accounts",
    "three-public",
    "rules",
    "power-list",
    "enforcement",
    "functions",
    "finance",
    "statutory",
    "services",
    "leaders",
    "interpretation",
]
SHAPES = {
    # the sample catalogue's eight busiest columns (the shape of the figures before 2026-12)
    "eight-columns": {"columns": EIGHT_COLUMNS},
    "twenty-columns": {"columns": TWENTY_COLUMNS},
    # every document in one column: one listing of 10,000, one feed, one search block order
    "one-column": {"columns": ["news"]},
    # long bodies (3,000-12,000 characters) with headings, lists and several tables each
    "long-tables": {"columns": EIGHT_COLUMNS, "body_chars": (3000, 12000), "tables": 4},
    # three attachments beside every document (PDF, XLSX, DOCX bytes)
    "attachments": {"columns": EIGHT_COLUMNS, "attachments": 3},
}


def generate(
    target: Path,
    count: int,
    columns: list[str],
    seed: int = 2015,
    body_chars=(500, 3000),
    org_code: str = "003186648",
    dates=(dt.date(2008, 1, 1), dt.date(2026, 6, 30)),
    prefix: str = "",
    tables: int = 0,
    attachments: int = 0,
) -> list[Path]:
    """Write ``count`` documents under ``target`` (with catalogue.yml/publishers.yml copied by the
    caller). ``tables``: tables in every document (besides one in every fifth);
    ``attachments``: files listed as 附件 beside every document."""
    rng = random.Random(seed)
    serials: dict[str, int] = {}
    numbers: dict[int, int] = {}  # 文号 run per year
    paths = []
    start = dates[0]
    span = max(1, (dates[1] - start).days)
    for n in range(count):
        date = start + dt.timedelta(days=rng.randrange(span))
        month = f"{date:%Y%m}"
        serials[month] = serials.get(month, 0) + 1
        numbers[date.year] = numbers.get(date.year, 0) + (n % 3 == 0)
        column = columns[n % len(columns)]
        length = rng.randint(*body_chars)
        paragraphs, size = [], 0
        while size < length:
            text = "，".join(_sentence(rng, 3, 9) for _ in range(rng.randint(2, 5))) + "。"
            paragraphs.append(text)
            size += len(text)
        if n % 5 == 0:
            paragraphs.insert(1, "## " + _sentence(rng, 2, 4))
            paragraphs.append(
                "| 项目 | 数量 |\n| --- | --- |\n"
                + "\n".join(f"| {_sentence(rng, 1, 2)} | {rng.randint(1, 999)} |" for _ in range(4))
            )
        if n % 7 == 0:
            paragraphs.append("\n".join(f"- {_sentence(rng, 2, 5)}" for _ in range(3)))
        if n % 13 == 0:  # English and numbers for the search figures (drawing nothing from rng)
            paragraphs.append(f"办理APEC商务旅行卡（ABTC）第{n % 97}批，共{n % 89 + 100}人。")
        for t in range(tables):
            at = min(len(paragraphs), 2 + t * max(1, len(paragraphs) // (tables + 1)))
            paragraphs.insert(at, _table(rng, rows=rng.randint(5, 15)))
            paragraphs.insert(at, "## " + _sentence(rng, 2, 4))
        files = []
        for a in range(attachments):
            name = f"{prefix}{n:06d}-{a + 1}.{ATTACHMENT_KINDS[a % len(ATTACHMENT_KINDS)][0]}"
            files.append(name)
        header = [
            "---",
            f"名称: {_sentence(rng, 4, 10)}",
            f"索引号: {org_code}/{month}-{serials[month]:05d}",
            f"栏目: {column}",
            f"发文日期: {date.isoformat()}",
            f"文号: 皖外办〔{date.year}〕{numbers[date.year]}号" if n % 3 == 0 else "文号:",
            f"关键词: {rng.choice(WORDS)} {rng.choice(WORDS)}",
            f"内容概述: {_sentence(rng, 5, 12)}",
            "审核人: 综合处",
            f"审核日期: {date.isoformat()}",
            *(["附件:"] + [f"  - {name}" for name in files] if files else []),
            "---",
            "",
        ]
        path = target / column / f"{prefix}{n:06d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        for a, name in enumerate(files):
            magic = ATTACHMENT_KINDS[a % len(ATTACHMENT_KINDS)][1]
            (path.parent / name).write_bytes(magic + rng.randbytes(rng.randint(2000, 60000)))
        path.write_text("\n".join(header) + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


# Attachments by extension, with the first bytes of such a file (the build checks nothing more).
ATTACHMENT_KINDS = (("pdf", b"%PDF-1.4\n"), ("xlsx", b"PK\x03\x04"), ("docx", b"PK\x03\x04"))


def _table(rng: random.Random, rows: int) -> str:
    head = "| 项目 | 年初预算 | 调整预算 | 执行数 |\n| --- | ---: | ---: | ---: |\n"
    return head + "\n".join(
        f"| {_sentence(rng, 1, 3)} | {rng.randint(1, 99999) / 100:,.2f} "
        f"| {rng.randint(1, 99999) / 100:,.2f} | {rng.randint(1, 99999) / 100:,.2f} |"
        for _ in range(rows)
    )


def site(target: Path, count: int, columns: list[str] | None = None, **options) -> Path:
    """A whole content folder: the sample site's catalogue and publishers plus ``count``
    documents."""
    root = Path(__file__).resolve().parents[3]
    target.mkdir(parents=True, exist_ok=True)
    for name in ("catalogue.yml", "publishers.yml"):
        shutil.copy(root / "content" / name, target / name)
    generate(
        target,
        count,
        columns or EIGHT_COLUMNS,
        **options,
    )
    return target

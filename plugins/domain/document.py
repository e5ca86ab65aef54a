"""Reading one Markdown file into a :class:`Document`, with every problem found in it."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from . import datatable, index_number, procurement, published_files, schema
from .frontmatter import split
from .model import Attachment, Document
from .normalize import DATE_EXAMPLE, DateError, normalise_code, parse_date
from .problems import ERROR, WARNING, Problem
from .site import Site

LIST_SEPARATORS = re.compile(r"[,，、;；\s]+")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class ReadResult:
    document: Document
    body: str  # Markdown body, header removed
    body_line: int
    problems: list[Problem]
    probed: tuple[tuple[str, int], ...] = ()  # attachment files looked at: (path, size or -1)
    # A hash of ``body``, which the build cache keeps instead of the body itself (bodies.prepare).
    body_digest: str = ""


def decode(raw: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 (with or without BOM) only; anything else is named, never guessed."""
    if not raw.strip():
        return None, [
            Problem(rel, 0, ERROR, "", "文件是空的", hint="写上文件头和正文，或删除这个文件")
        ]
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None, [
            Problem(
                rel,
                0,
                ERROR,
                "",
                "文件是 UTF-16 编码，不是 UTF-8",
                hint="用编辑器“另存为”并选择 UTF-8 编码后再提交",
            )
        ]
    if b"\x00" in raw[:8000]:
        return None, [
            Problem(
                rel,
                0,
                ERROR,
                "",
                "这不是文本文件（可能是 Word、PDF 或图片改了 .md 扩展名）",
                hint="正文请写成 Markdown 文本；原始文件作为附件放在文档旁边",
            )
        ]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
            guess = "看起来是 GBK/GB18030 编码（旧版编辑器或记事本的“ANSI”）"
        except UnicodeDecodeError:
            guess = "其中有不是 UTF-8 的字节"
        return None, [
            Problem(
                rel,
                line,
                ERROR,
                "",
                f"文件不是 UTF-8 编码：{guess}",
                hint="用编辑器“另存为”并选择 UTF-8 编码后再提交；系统不会自动猜测编码",
            )
        ]


def read_document(path: Path, site: Site) -> ReadResult:
    """Parse and check one document file on its own (cross-document checks come later)."""
    rel = Path(os.path.relpath(path, site.content_root)).as_posix()
    doc = Document(source=rel)
    if not published_files.inside(Path(os.path.realpath(path)), site.real_content_root):
        return ReadResult(
            doc,
            "",
            1,
            [
                Problem(
                    rel,
                    0,
                    ERROR,
                    "",
                    "这个文件是指向 content 文件夹以外的链接，不能发布",
                    hint="把文件本身复制到 content 文件夹里，删除这个链接",
                )
            ],
        )
    text, problems = decode(path.read_bytes(), rel)
    if text is None:
        return ReadResult(doc, "", 1, problems)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = split(text, rel)
    problems += parts.problems
    if not parts.has_header:
        problems.append(
            Problem(
                rel,
                1,
                ERROR,
                "",
                "文件开头没有文件头（名称、发文日期、索引号等元数据）",
                hint="在文件最前面加上 --- 包起来的“键: 值”行，可用 invoke new 生成模板",
            )
        )
    values = _collect(parts.entries, rel, doc, problems)
    fields = _FieldReader(doc, values, site, rel, problems)
    fields.run()
    if doc.status != "draft" and schema.TEMPLATE_BODY in parts.body:
        for offset, line in enumerate(parts.body.split("\n")):
            if schema.TEMPLATE_BODY in line:
                problems.append(
                    Problem(
                        rel,
                        parts.body_line + offset,
                        ERROR,
                        "正文",
                        f"正文还是模板里的“{schema.TEMPLATE_BODY}”",
                        hint="把这一句换成文件的正文；还没写好的文件加一行“状态: 草稿”",
                    )
                )
    return ReadResult(doc, parts.body, parts.body_line, problems, tuple(fields.probed))


def _collect(entries, rel, doc, problems) -> dict:
    """Map written keys to fields; report unknown and repeated keys."""
    values = {}
    for entry in entries:
        spec = schema.lookup(entry.key)
        if spec is None:
            close = schema.key_suggestions(entry.key)
            hint = f"是不是想写“{close[0]}”？" if close else "可用的键见编辑指南"
            problems.append(
                Problem(
                    rel,
                    entry.line,
                    ERROR,
                    entry.key,
                    "不认识这个键",
                    value=str(entry.value)[:60],
                    hint=hint,
                )
            )
            continue
        if spec.name in values:
            problems.append(
                Problem(
                    rel,
                    entry.line,
                    ERROR,
                    spec.label,
                    f"这个字段写了两次（第 {doc.lines[spec.name]} 行和第 {entry.line} 行）",
                    value=str(entry.value)[:60],
                    hint="删掉其中一行，只保留正确的值",
                )
            )
            continue
        values[spec.name] = entry.value
        doc.lines[spec.name] = entry.line
    return values


class _FieldReader:
    """Field-by-field parsing; one small method per field, in dependency order."""

    def __init__(self, doc: Document, values: dict, site: Site, rel: str, problems: list[Problem]):
        self.doc, self.values, self.site, self.rel, self.problems = doc, values, site, rel, problems
        self.probed: list[tuple[str, int]] = []
        self.parsed_index = None  # the 索引号 as its scheme reads it

    def problem(self, name, message, value="", hint="", severity=ERROR):
        label = schema.BY_NAME[name].label
        line = self.doc.line(name) or 1  # a missing field: point at the header
        self.problems.append(
            Problem(self.rel, line, severity, label, message, str(value)[:120], hint)
        )

    def text(self, name) -> str:
        value = self.values.get(name, "")
        if isinstance(value, list):
            self.problem(
                name, "这里只能写一个值，不能写成列表", "; ".join(value), "把值写在键的同一行"
            )
            return " ".join(value).strip()
        return value.strip()

    def run(self):
        doc = self.doc
        doc.title = self.text("title")
        if not doc.title:
            self.problem("title", "缺少名称（标题）", hint="加一行“名称: 文件的完整标题”")
        elif len(doc.title) > schema.TITLE_LIMIT:
            self.problem(
                "title",
                f"名称有 {len(doc.title)} 个字，超过 {schema.TITLE_LIMIT} 字，可能把正文写进了名称",
                doc.title[:30] + "…",
                "名称只写标题；正文写在第二个 --- 行的下面",
            )
        doc.legacy = self.flag("legacy")
        doc.status = self.status()
        doc.written_on = self.date("written_on")
        doc.date = self.date("date") or doc.written_on
        if doc.date is None and "date" not in self.values and "written_on" not in self.values:
            self.problem("date", "缺少发文日期", hint=f"加一行“发文日期: {DATE_EXAMPLE}”")
        if doc.status == "scheduled" and doc.date and doc.date.date() <= self.site.today:
            doc.status = "published"  # its date has come: the next build publishes it
        doc.column = self.column()
        doc.index_number = self.index()
        doc.publisher = self.publisher()
        self.check_index_owner()
        doc.info_source = self.text("info_source")
        doc.doc_number = self.text("doc_number")
        doc.keywords = self.keywords()
        doc.topic = self.topic()
        doc.genre = self.text("genre")
        doc.summary = self.summary()
        doc.effective = self.date("effective")
        doc.expires = self.date("expires")
        doc.validity = self.validity()
        doc.attachments = self.attachments()
        doc.interprets = self.text("interprets")
        doc.reviewed_by = self.text("reviewed_by")
        doc.reviewed_on = self.date("reviewed_on", future_ok=False)
        if doc.reviewed_on and doc.date and doc.reviewed_on.date() > doc.date.date():
            self.problem(
                "reviewed_on",
                "保密审查日期晚于发文日期：文件应先审查后公开",
                doc.reviewed_on.date(),
                "核对审核日期",
                WARNING,
            )
        doc.slug = self.slug()
        doc.needs_interpretation = self.flag("needs_interpretation")
        doc.service = {name: self.text(name) for name in schema.SERVICE_ELEMENTS if self.text(name)}
        doc.report_year = self.integer("report_year", 1990, 2100)
        doc.report_format = self.choice("report_format", schema.REPORT_FORMATS)
        doc.stated_published_total = self.integer("stated_published_total", 0, 10**7)
        doc.fiscal_year = self.integer("fiscal_year", 1990, 2100)
        doc.budget_kind = self.choice("budget_kind", schema.BUDGET_KINDS)
        if doc.budget_kind and not doc.fiscal_year:
            self.problem(
                "fiscal_year", f"{doc.budget_kind}要写预决算年度", "", "加一行“预决算年度: 2014”"
            )
        doc.data_tables = self.files("data_tables", datatable.EXTENSIONS)
        self.leader()
        self.procurement()

    def leader(self):
        """领导信息: 职务, 分工, 照片 (one picture) and 排序."""
        doc = self.doc
        doc.post, doc.duties = self.text("post"), self.text("duties")
        doc.photo = self.files(
            "photo", sorted(published_files.PICTURE_EXTENSIONS), "把照片另存为 JPG 或 PNG"
        )
        if len(doc.photo) > 1:
            self.problem("photo", "照片只能写一张", self.text("photo"), "只保留一个图片文件名")
            doc.photo = doc.photo[:1]
        doc.rank = self.integer("rank", 1, 999)

    def procurement(self):
        """招标采购 fields, and what one document's own fields must agree on."""
        doc = self.doc
        doc.project_number = re.sub(r"\s+", "", normalise_code(self.text("project_number"))[0])
        doc.procurement_method = self.choice(
            "procurement_method", {m: m for m in procurement.METHODS}
        )
        raw = self.text("stage")
        if raw:
            doc.stage = procurement.stage_name(raw) or ""
            if not doc.stage:
                self.problem(
                    "stage",
                    "不是可用的采购阶段",
                    raw,
                    "写 " + "、".join(procurement.STAGE_NAMES) + " 之一",
                )
        doc.budget_amount = self.amount("budget_amount")
        doc.award_amount = self.amount("award_amount")
        doc.bid_deadline = self.date("bid_deadline", future_ok=True)
        doc.opening_time = self.date("opening_time", future_ok=True)
        doc.supplier = self.text("supplier")
        for name, severity, message, hint in procurement.check_document(doc):
            self.problem(name, message, self.text(name), hint, severity)

    def amount(self, name):
        raw = self.text(name)
        if not raw:
            return None
        try:
            return procurement.parse_amount(normalise_code(raw)[0])
        except procurement.AmountError as exc:
            self.problem(name, str(exc), raw, "例如 385000、385,000.00元 或 38.5万元")
            return None

    def integer(self, name, low, high) -> int | None:
        raw, _ = normalise_code(self.text(name))
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
            self.problem(name, f"应为 {low} 到 {high} 之间的整数", raw)
            return None
        return int(raw)

    def choice(self, name, choices: dict) -> str:
        raw = self.text(name)
        if not raw:
            return ""
        if raw.lower() not in choices:
            self.problem(name, "只能是 " + "、".join(dict.fromkeys(choices.values())), raw)
            return ""
        return choices[raw.lower()]

    def flag(self, name) -> bool:
        value = self.text(name).lower()
        if value in schema.TRUE_VALUES:
            return True
        if value not in schema.FALSE_VALUES:
            self.problem(name, "只能写“是”或“否”", value)
        return False

    def status(self) -> str:
        value = self.text("status")
        if not value:
            return "published"
        if value.lower() not in schema.STATUS_VALUES:
            self.problem("status", "状态只能是“发布”“草稿”或“定时发布”", value)
            return "published"
        return schema.STATUS_VALUES[value.lower()]

    def date(self, name, future_ok=False) -> dt.datetime | None:
        raw = self.text(name)
        if not raw:
            return None
        value, notes = normalise_code(raw)
        if notes:
            self.problem(name, "已自动更正：" + "，".join(notes), raw, f"请改为 {value}", WARNING)
        try:
            parsed = parse_date(value)
        except DateError as exc:
            self.problem(name, f"日期无法识别：{exc}", raw, f"写成 {DATE_EXAMPLE}")
            return None
        scheduled = (
            self.doc.status == "scheduled" and name == "date"
        )  # goes out when its date comes
        if (
            not future_ok
            and not scheduled
            and name in ("date", "written_on", "reviewed_on")
            and parsed.date() > self.site.today
        ):
            self.problem(
                name,
                f"日期在未来（今天是 {self.site.today.isoformat()}）",
                raw,
                "核对年份；要定时发布的文件请等到当天再提交",
            )
        return parsed

    def column(self) -> str:
        raw = self.text("column")
        catalogue = self.site.catalogue
        if not raw:
            self.problem(
                "column",
                "缺少栏目",
                hint="加一行“栏目: 栏目代码或名称”，例如 " + _examples(catalogue),
            )
            return ""
        node = catalogue.resolve(raw)
        if node is None:
            same = catalogue.ambiguous(raw)
            if len(same) > 1:
                choices = "、".join(f"{n.code}（{n.path_name}）" for n in same)
                self.problem("column", "有多个栏目叫这个名字", raw, f"改用栏目代码：{choices}")
            else:
                close = catalogue.suggestions(raw)
                hint = (
                    ("最接近的有效栏目：" + "、".join(close))
                    if close
                    else "栏目代码见 content/catalogue.yml"
                )
                self.problem("column", "目录中没有这个栏目", raw, hint)
            return ""
        if not node.holds_documents:
            self.problem(
                "column",
                f"“{node.name}”是外部链接，不能放文档",
                raw,
                "改成它下面或旁边的一个文档栏目：" + _examples(catalogue),
            )
            return ""
        return node.code

    def index(self) -> str:
        raw = self.text("index")
        if not raw:
            if not self.doc.legacy:
                self.problem(
                    "index",
                    "缺少索引号",
                    hint=f"写成 {index_number.FORM}；没有索引号的历史文档请加一行“历史文档: 是”",
                )
            return ""
        value, notes = normalise_code(raw)
        if re.search(r"\s", value):
            value = re.sub(r"\s+", "", value)
            notes.append("删除了多余的空格")
        value = value.upper()
        if notes:
            self.problem(
                "index", "已自动更正：" + "，".join(notes), raw, f"请改为 {value}", WARNING
            )
        registry = self.site.publishers
        parsed = registry.parse_index(value)
        if parsed is None:
            named = registry.find(self.text("publisher")) if self.text("publisher") else None
            forms = (
                [named.scheme.form(named.code)] if named else [s.form() for s in registry.schemes()]
            )
            self.problem("index", "索引号格式不对", raw, "应为 " + "；或 ".join(forms))
            return ""
        dates = [d for d in (self.doc.date, self.doc.written_on) if d]
        if (
            parsed.month
            and dates
            and all((d.year, d.month) != (parsed.year, parsed.month) for d in dates)
        ):
            self.problem(
                "index",
                f"索引号中的年月 {parsed.year:04d}{parsed.month:02d} 与发文日期 "
                f"{dates[0].date().isoformat()} 不一致",
                value,
                f"把年月改为 {dates[0].year:04d}{dates[0].month:02d}，或核对发文日期",
            )
        elif not parsed.month and dates and all(d.year != parsed.year for d in dates):
            self.problem(
                "index",
                f"索引号中的年份 {parsed.year} 与发文日期 {dates[0].date().isoformat()} 不一致",
                value,
                f"把年份改为 {dates[0].year}，或核对发文日期",
            )
        self.parsed_index = parsed
        return parsed.text

    def publisher(self) -> str:
        raw = self.text("publisher")
        registry = self.site.publishers
        if not raw:
            parsed = self.parsed_index
            owner = registry.by_code(parsed.org_code) if parsed else None
            return owner.name if owner else ""
        found = registry.find(raw)
        if found is None:
            self.problem(
                "publisher",
                "发布机构不在本站的发布机构清单（publishers.yml）中",
                raw,
                "写全称，例如：" + "、".join(registry.suggestions(raw)),
            )
            return ""
        return found.name

    def check_index_owner(self):
        parsed = self.parsed_index
        if not self.doc.index_number or parsed is None:
            return
        code = parsed.org_code
        owner = self.site.publishers.by_code(code)
        if owner is None:
            self.problem(
                "index",
                f"索引号中的机构代码 {code} 不属于任何已登记的发布机构",
                self.doc.index_number,
                "核对机构代码，或在 publishers.yml 中登记该机构",
            )
        elif owner.scheme.parse(self.doc.index_number) is None:
            self.problem(
                "index",
                f"“{owner.name}”的索引号规则是 {owner.scheme.pattern}，这个索引号不是这种写法",
                self.doc.index_number,
                "应为 " + owner.scheme.form(owner.code),
            )
        elif self.doc.publisher and owner.name != self.doc.publisher:
            mine = self.site.publishers.find(self.doc.publisher)
            self.problem(
                "index",
                f"索引号中的机构代码 {code} 属于“{owner.name}”，"
                f"不是本文的发布机构“{self.doc.publisher}”",
                self.doc.index_number,
                f"改用 {mine.code} 开头的索引号，或更正发布机构" if mine else "",
            )

    def list_value(self, name) -> list[str] | str:
        """A list field: ``- item`` lines, or an inline ``[a, b]`` as web editors write it."""
        value = self.values.get(name, "")
        if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
            return [v.strip().strip("'\"") for v in value[1:-1].split(",") if v.strip()]
        return value

    def keywords(self) -> tuple[str, ...]:
        value = self.list_value("keywords")
        items = value if isinstance(value, list) else LIST_SEPARATORS.split(value)
        return tuple(k.strip() for k in items if k.strip())

    def topic(self) -> str:
        raw = self.text("topic")
        if not raw:
            return ""
        parts = [p.strip() for p in re.split(r"[/\\／＼]", raw) if p.strip()]
        topics = self.site.topics
        if (
            parts
            and parts[0] in topics
            and (len(parts) == 1 or (len(parts) == 2 and parts[1] in topics[parts[0]]))
        ):
            return "/".join(parts)
        flat = [t for top, kids in topics.items() for t in [top] + [f"{top}/{k}" for k in kids]]
        close = difflib.get_close_matches(raw, flat, n=3, cutoff=0.3)
        self.problem(
            "topic",
            "不是国家主题分类中的类别",
            raw,
            ("写成“一级类/二级类”，例如 " + "、".join(close or ["对外事务/外交、外事"])),
        )
        return ""

    def summary(self) -> str:
        value = self.text("summary")
        if len(value) > schema.SUMMARY_LIMIT:
            self.problem(
                "summary",
                f"内容概述有 {len(value)} 字，超过 {schema.SUMMARY_LIMIT} 字",
                value[:30] + "…",
                f"压缩到 {schema.SUMMARY_LIMIT} 字以内，不要重复标题",
                WARNING,
            )
        return value

    def validity(self) -> str:
        raw = self.text("validity")
        doc = self.doc
        if doc.effective and doc.expires and doc.expires < doc.effective:
            self.problem("expires", "失效日期早于生效日期", doc.expires.date(), "核对两个日期")
        if raw:
            if raw.lower() not in schema.VALIDITY_VALUES:
                self.problem("validity", "有效性只能是 有效、失效、废止 或 已修改", raw)
                return ""
            return schema.VALIDITY_VALUES[raw.lower()]
        node = self.site.catalogue.by_code.get(doc.column)
        normative = (node is not None and node.normative) or any(
            g in doc.genre for g in schema.NORMATIVE_GENRES
        )
        if normative and not (doc.effective or doc.expires):
            self.problem(
                "validity",
                "规范性文件没有写有效性",
                "",
                "加一行“有效性: 有效”，并写上“生效日期”（有期限的再写“失效日期”）",
                WARNING,
            )
        return ""

    def attachments(self) -> tuple[Attachment, ...]:
        return self.files("attachments")

    def files(
        self, name, extensions=(), hint="在 Excel 中另存为 .xlsx 或“CSV UTF-8（逗号分隔）”"
    ) -> tuple[Attachment, ...]:
        """Files the document names (附件, 数据表), beside it or under content/; each must exist."""
        value = self.list_value(name)
        names = (
            value
            if isinstance(value, list)
            else [v for v in re.split(r"[,，;；]", value) if v.strip()]
        )
        root = self.site.content_root
        here = (root / self.rel).parent
        label = schema.BY_NAME[name].label
        found = []
        for written in (n.strip() for n in names):
            if not written:
                continue
            # "/files/x.pdf" (as a web editor's media library writes it) is relative to content/.
            target = Path(
                os.path.normpath(
                    root / written.lstrip("/") if written.startswith("/") else here / written
                )
            )
            real = target.resolve()
            self.probed.append((str(real), real.stat().st_size if real.is_file() else -1))
            if not published_files.inside(target, root) or not published_files.inside(real, root):
                self.problem(
                    name,
                    f"{label}指向 content 文件夹以外的位置",
                    written,
                    "把附件文件复制到文档旁边，再写文件名",
                )
                continue
            if not real.is_file():
                self.problem(
                    name,
                    f"找不到这个{label}文件",
                    written,
                    f"把文件放到 {Path(self.rel).parent.as_posix()}/ 下，并核对文件名（区分大小写）"
                    "",
                )
                continue
            if extensions and target.suffix.lower().lstrip(".") not in extensions:
                self.problem(
                    name,
                    "只能是 " + "、".join("." + e for e in extensions) + " 文件",
                    written,
                    hint,
                )
                continue
            rel = target.relative_to(root).as_posix()
            why = published_files.refusal(real, rel, self.site.reviewed_files)
            if why:
                self.problem(
                    name,
                    why,
                    written,
                    "请转成 PDF、Word、Excel 或图片等格式后再作为附件；"
                    "确需发布的，请技术人员审核后写进 PUBLISH_REVIEWED_FILES",
                )
                continue
            found.append(
                Attachment(written, target.relative_to(root).as_posix(), real.stat().st_size)
            )
        return tuple(found)

    def slug(self) -> str:
        raw = self.text("slug")
        if self.doc.index_number:
            if raw:
                self.problem(
                    "slug",
                    "有索引号的文档，网址由索引号决定，不能另写网址名",
                    raw,
                    "删除这一行",
                    WARNING,
                )
            return index_number.slug_of(self.doc.index_number)
        if raw:
            if not SLUG_RE.match(raw):
                self.problem(
                    "slug", "网址名只能用小写英文字母、数字和连字符", raw, "例如 report-2014"
                )
                return ""
            return raw
        return file_slug(Path(self.rel).stem)


SLUG_LIMIT = 80  # a URL name, and the page's file name: far below the file system's 255 bytes


def file_slug(stem: str) -> str:
    """A URL name from a file name (documents without 索引号): transliterated, and when that is
    long (a Chinese title as the file name gives ~4 letters a character), cut at a word boundary
    with a short hash of the whole, so that two long names that begin alike stay apart."""
    slug = slugify(stem) or "document"
    if len(slug) <= SLUG_LIMIT:
        return slug
    mark = hashlib.blake2b(slug.encode(), digest_size=4).hexdigest()
    return slugify(stem, max_length=SLUG_LIMIT - 9, word_boundary=True) + "-" + mark


def _examples(catalogue) -> str:
    return "、".join(n.code for n in catalogue.document_columns()[:3])

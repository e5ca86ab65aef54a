"""Word/WPS import: turn a ``.docx`` official document (公文) into an editable Markdown document.

The document is read paragraph by paragraph with python-docx, so what a 公文 says by its layout is
kept: the centred title becomes 名称, the 文号 line and the 成文日期 move to the front matter, body
headings keep their level whether they are Word heading styles or numbered bold paragraphs (一、,
（一）, 1., （1）), lists stay lists, tables become Markdown tables with their first row as the
header, and pictures are saved beside the document and shown in the body. Raw HTML is written only
for a table with merged cells, which Markdown cannot express, and the report says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document as open_word
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph

from domain.published_files import picture_kind

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（]\d{4}[〕\]］)）]\d+号")
CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
NUMERAL_DATE = re.compile(
    r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月"
    r"([一二三四五六七八九十]{1,3})日"
)
# Body heading numbering of the 公文 format (GB/T 9704): 一、 （一） 1. （1）, in that order.
NUMBERING = (
    ("一、", re.compile(r"^[一二三四五六七八九十百]+、")),
    ("（一）", re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")),
    ("1.", re.compile(r"^\d+[.．、](?!\d)")),
    ("（1）", re.compile(r"^[（(]\d+[）)]")),
)
CHINESE_FORMATS = ("chineseCounting", "ideograph", "taiwaneseCounting")  # Word's 一 二 三 numbering
HEADING_FONTS = ("黑体", "楷体", "小标宋", "仿宋_GB2312 Bold")
TITLE_FONTS = ("小标宋", "标宋")
SENTENCE_END = re.compile(r"[。；;：:！？!?，,]$")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>{}|])")
LINE_START_SPECIAL = re.compile(r"^(#|>|[-+] |\d+[.)] )")


@dataclass
class Imported:
    path: Path
    title: str
    doc_number: str
    date: str
    attachments: list = field(default_factory=list)  # pictures saved beside it (shown in the body)
    messages: list = field(default_factory=list)  # what could not be converted, in Chinese
    written_on: str = ""  # 成文日期 read from the document (the 落款), "" when none was found


OLD_FORMATS = {
    ".doc": "旧版 Word 文档（.doc）",
    ".wps": "WPS 文字文档（.wps）",
    ".rtf": "RTF 文档",
    ".pdf": "PDF 文件",
    ".odt": "OpenDocument 文档（.odt）",
}


def unsupported(source: Path) -> str:
    """Why ``source`` cannot be imported, in Chinese, or "" when it can be."""
    if not source.exists():
        return f"找不到文件“{source}”：请核对路径"
    suffix = source.suffix.lower()
    if suffix in OLD_FORMATS:
        return (
            f"“{source.name}”是{OLD_FORMATS[suffix]}，不能直接导入：请用 Word 或 WPS 打开它，选择"
            "“文件 → 另存为”，保存类型选“Word 文档（*.docx）”，再导入另存的 .docx 文件"
        )
    if suffix != ".docx":
        return f"“{source.name}”不是 Word 文档（.docx），不能导入"
    return ""


def escape(text: str) -> str:
    """Markdown-escape what an editor typed so it is shown as written (a manual "1." stays text)."""
    text = MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return LINE_START_SPECIAL.sub(
        lambda m: (
            "\\" + m.group(0)
            if m.group(0)[0] in "#>-+"
            else m.group(0)[:-2] + "\\" + m.group(0)[-2:]
        ),
        text,
    )


def chinese_numeral(value: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (as 公文 numbers its headings)."""
    digits = "〇一二三四五六七八九"
    if value < 10:
        return digits[value]
    tens, ones = divmod(value, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def chinese_numeral_date(match: re.Match) -> tuple[int, int, int]:
    digits = "〇一二三四五六七八九"

    def small(word: str) -> int:  # 十, 十二, 二十, 二十一
        if "十" not in word:
            return digits.index(word)
        tens, _, ones = word.partition("十")
        return (digits.index(tens) if tens else 1) * 10 + (digits.index(ones) if ones else 0)

    year = int("".join(str(digits.index(c.replace("零", "〇"))) for c in match.group(1)))
    return year, small(match.group(2)), small(match.group(3))


def date_of(text: str) -> str:
    """The ISO date a paragraph consists of (成文日期 in Arabic or Chinese numerals), or ""."""
    compact = re.sub(r"\s+", "", text)
    for pattern, parse in (
        (CHINESE_DATE, lambda m: tuple(int(g) for g in m.groups())),
        (NUMERAL_DATE, chinese_numeral_date),
    ):
        match = pattern.fullmatch(compact)
        if match:
            year, month, day = parse(match)
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


class Reader:
    """Walks one Word document and collects its Markdown, pictures and messages."""

    def __init__(self, word, target_dir: Path, stem: str):
        self.word, self.target_dir, self.stem = word, target_dir, stem
        self.pictures: list[str] = []
        self.messages: list[str] = []
        self.skipped: list[str] = []
        self.counters: dict = {}  # numbering id -> level -> the count Word has reached

    # --- paragraph facts ---------------------------------------------------------------------
    @staticmethod
    def style_name(paragraph: Paragraph) -> str:
        return (paragraph.style.name or "") if paragraph.style is not None else ""

    @staticmethod
    def centred(paragraph: Paragraph) -> bool:
        alignment = paragraph.alignment
        if alignment is None and paragraph.style is not None:
            alignment = paragraph.style.paragraph_format.alignment
        return alignment in (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.DISTRIBUTE)

    @staticmethod
    def run_bold(run, paragraph: Paragraph) -> bool:
        if run.bold is not None:
            return run.bold
        style = paragraph.style
        while style is not None:
            if style.font.bold is not None:
                return style.font.bold
            style = style.base_style
        return False

    @staticmethod
    def run_font(run, paragraph: Paragraph) -> str:
        fonts = run._element.find(qn("w:rPr"))
        names = []
        if fonts is not None and fonts.find(qn("w:rFonts")) is not None:
            element = fonts.find(qn("w:rFonts"))
            names = [element.get(qn(f"w:{key}")) or "" for key in ("eastAsia", "ascii", "hAnsi")]
        if not any(names) and paragraph.style is not None:
            names = [paragraph.style.font.name or ""]
        return " ".join(names)

    def texted_runs(self, paragraph: Paragraph) -> list:
        return [run for run in paragraph.runs if run.text.strip()]

    def all_bold(self, paragraph: Paragraph) -> bool:
        runs = self.texted_runs(paragraph)
        return bool(runs) and all(self.run_bold(run, paragraph) for run in runs)

    def heading_font(self, paragraph: Paragraph) -> bool:
        runs = self.texted_runs(paragraph)
        return bool(runs) and all(
            any(f in self.run_font(run, paragraph) for f in HEADING_FONTS) for run in runs
        )

    def largest_size(self, paragraph: Paragraph) -> float:
        sizes = [run.font.size.pt for run in self.texted_runs(paragraph) if run.font.size]
        if not sizes and paragraph.style is not None and paragraph.style.font.size:
            sizes = [paragraph.style.font.size.pt]
        return max(sizes, default=0)

    def issuing_mark(self, paragraph: Paragraph) -> bool:
        """The 发文机关标志 of a 版头: red, or larger than any title (GB/T 9704 sets it apart)."""
        runs = self.texted_runs(paragraph)
        red = bool(runs) and all(
            run.font.color is not None
            and run.font.color.type is not None
            and run.font.color.rgb is not None
            and run.font.color.rgb[0] >= 0xA0
            and run.font.color.rgb[1] < 0x60
            and run.font.color.rgb[2] < 0x60
            for run in runs
        )
        return red or self.largest_size(paragraph) >= 26

    def title_like(self, paragraph: Paragraph) -> bool:
        style = self.style_name(paragraph)
        if style == "Title":
            return True
        if not self.centred(paragraph):
            return False
        if heading_kind(paragraph.text.strip()):
            return False
        fonts = " ".join(self.run_font(r, paragraph) for r in self.texted_runs(paragraph))
        return (
            style.startswith("Heading")
            or self.all_bold(paragraph)
            or self.largest_size(paragraph) >= 16
            or any(f in fonts for f in TITLE_FONTS)
        )

    @staticmethod
    def numbering(paragraph: Paragraph) -> tuple[int, str] | None:
        """(level, "-" or "1.") of a Word list paragraph, or None."""
        style = Reader.style_name(paragraph)
        properties = paragraph._p.pPr
        number = properties.numPr if properties is not None else None
        if number is None and not style.startswith("List"):
            return None
        level = 0
        if number is not None and number.ilvl is not None:
            level = number.ilvl.val
        elif style[-1:].isdigit():
            level = int(style[-1]) - 1
        marker = "1." if "Number" in style else "-"
        if number is not None and number.numId is not None and "Bullet" not in style:
            marker = Reader.list_format(paragraph, number.numId.val, level) or marker
        return level, marker

    @staticmethod
    def list_format(paragraph: Paragraph, num_id: int, level: int) -> str:
        fmt, _, _ = Reader.level_definition(paragraph, num_id, level)
        return "" if fmt is None else "-" if fmt in ("bullet", "none") else "1."

    @staticmethod
    def level_definition(paragraph: Paragraph, num_id, level: int) -> tuple[str | None, str, int]:
        """(number format, level text such as "%1、", start) of a numbering level."""
        try:
            numbering = paragraph.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return None, "", 1
        for num in numbering.findall(qn("w:num")):
            if num.get(qn("w:numId")) != str(num_id):
                continue
            abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
            for definition in numbering.findall(qn("w:abstractNum")):
                if definition.get(qn("w:abstractNumId")) != abstract:
                    continue
                for lvl in definition.findall(qn("w:lvl")):
                    if lvl.get(qn("w:ilvl")) == str(level):
                        fmt, text, start = (
                            lvl.find(qn(f"w:{name}")) for name in ("numFmt", "lvlText", "start")
                        )
                        return (
                            fmt.get(qn("w:val")) if fmt is not None else "bullet",
                            text.get(qn("w:val")) if text is not None else "",
                            int(start.get(qn("w:val"))) if start is not None else 1,
                        )
        return None, "", 1

    def automatic_number(self, paragraph: Paragraph) -> str:
        """The heading number Word draws itself (一、 （一） by its Chinese numbering), or ""."""
        properties = paragraph._p.pPr
        number = properties.numPr if properties is not None else None
        if number is None or number.numId is None:
            return ""
        num_id, level = number.numId.val, number.ilvl.val if number.ilvl is not None else 0
        fmt, text, start = self.level_definition(paragraph, num_id, level)
        chinese = fmt is not None and fmt.startswith(CHINESE_FORMATS)
        if fmt is None or not (chinese or re.search(r"%\d+、|（%\d+）|\(%\d+\)", text)):
            return ""
        counts = self.counters.setdefault(num_id, {})
        counts[level] = counts.get(level, start - 1) + 1
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]
        value = counts[level]
        figure = chinese_numeral(value) if chinese else str(value)
        return re.sub(r"%\d+", figure, text, count=1)

    @staticmethod
    def has_picture(paragraph: Paragraph) -> bool:
        return bool(paragraph._p.findall(".//" + qn("a:blip")))

    # --- inline content --------------------------------------------------------------------
    def inline(self, paragraph: Paragraph, bold_allowed: bool = True) -> str:
        parts: list[tuple[bool, str]] = []
        for item in paragraph.iter_inner_content():
            if isinstance(item, Hyperlink):
                text = escape(item.text)
                address = item.address or ""
                if re.match(r"https?://", address) and text:
                    parts.append((False, f"[{text}]({address})"))
                else:
                    parts.append((False, text))
                continue
            pictures = self.run_pictures(item)
            text = escape(item.text.replace("\t", " "))
            if text:
                parts.append(
                    (bold_allowed and self.run_bold(item, paragraph) and bool(text.strip()), text)
                )
            parts.extend((False, picture) for picture in pictures)
            if item._element.findall(".//" + qn("w:txbxContent")):
                self.messages.append("文档中有文本框，文本框里的文字没有导入：请把它复制到正文中")
        merged: list[list] = []
        for bold, text in parts:
            if merged and merged[-1][0] == bold:
                merged[-1][1] += text
            else:
                merged.append([bold, text])
        out = []
        for bold, text in merged:
            if bold and text.strip():
                lead, core, tail = re.match(r"^(\s*)(.*?)(\s*)$", text, re.DOTALL).groups()
                out.append(f"{lead}**{core}**{tail}")
            else:
                out.append(text)
        text = "".join(out)
        # A soft line break inside a paragraph stays a line break.
        return re.sub(r"[ \u3000]*\n[ \u3000]*", "  \n", text).strip(" \u3000\t\n")

    def run_pictures(self, run) -> list[str]:
        found = []
        for blip in run._element.findall(".//" + qn("a:blip")):
            relation = blip.get(qn("r:embed"))
            if not relation:
                continue
            try:
                blob = run.part.related_parts[relation].blob
            except KeyError:
                continue
            extension = picture_kind(blob)
            if not extension:
                declared = (
                    getattr(run.part.related_parts[relation], "content_type", "") or "未知类型"
                )
                self.skipped.append(declared)
                continue
            name = f"{self.stem}-image{len(self.pictures) + 1}.{extension}"
            (self.target_dir / name).write_bytes(blob)
            self.pictures.append(name)
            described = run._element.find(".//" + qn("wp:docPr"))
            alt = ""
            if described is not None:
                alt = (described.get("descr") or described.get("title") or "").strip()
            found.append(f"![{escape(alt or f'图{len(self.pictures)}')}]({name})")
        return found

    # --- tables ----------------------------------------------------------------------------
    def table(self, table: Table) -> str:
        rows = table._tbl.tr_lst
        merged = any(tc.grid_span > 1 or tc.vMerge is not None for tr in rows for tc in tr.tc_lst)
        if merged:
            self.messages.append(
                "文档中有合并单元格的表格：Markdown 表格不能合并单元格，这张表格保留为 HTML"
                "（<table>…</table>），修改其中的文字即可，不要删改标记"
            )
            return self.html_table(table)
        # the header row is bold by itself: its cells are written without **
        grid = [
            [self.cell_text(tc, table, bold_allowed=r > 0) for tc in tr.tc_lst]
            for r, tr in enumerate(rows)
        ]
        if not grid:
            return ""
        width = max(len(row) for row in grid)
        grid = [row + [""] * (width - len(row)) for row in grid]
        lines = ["| " + " | ".join(grid[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(row) + " |" for row in grid[1:]]
        return "\n".join(lines)

    def cell_text(self, tc, table: Table, bold_allowed: bool = True) -> str:
        paragraphs = [Paragraph(p, table._parent) for p in tc.iterchildren(qn("w:p"))]
        return "<br>".join(t for t in (self.inline(p, bold_allowed) for p in paragraphs) if t)

    def html_table(self, table: Table) -> str:
        rows = table._tbl.tr_lst
        # A vertically merged run of cells: the first ("restart") carries rowspan, the rest vanish.
        spans: dict[tuple[int, int], int] = {}
        covered: set[tuple[int, int]] = set()
        positions = []
        for tr in rows:
            column, row_cells = 0, []
            for tc in tr.tc_lst:
                row_cells.append((column, tc))
                column += tc.grid_span
            positions.append(row_cells)
        for r, row_cells in enumerate(positions):
            for column, tc in row_cells:
                if tc.vMerge == "restart":
                    span = 1
                    for below in positions[r + 1 :]:
                        match = next((c for col, c in below if col == column), None)
                        if match is None or match.vMerge != "continue":
                            break
                        span += 1
                        covered.add((positions.index(below), column))
                    spans[(r, column)] = span
        lines = ["<table>"]
        for r, row_cells in enumerate(positions):
            tag = "th" if r == 0 else "td"
            cells = []
            for column, tc in row_cells:
                if (r, column) in covered:
                    continue
                attributes = ""
                if tc.grid_span > 1:
                    attributes += f' colspan="{tc.grid_span}"'
                if spans.get((r, column), 1) > 1:
                    attributes += f' rowspan="{spans[(r, column)]}"'
                text = self.cell_text(tc, table)
                text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
                text = re.sub(r"\\(.)", r"\1", text).replace("&", "&amp;").replace("<br>", "\0")
                text = text.replace("<", "&lt;").replace("\0", "<br>")
                text = text.replace("&lt;strong>", "<strong>").replace("&lt;/strong>", "</strong>")
                cells.append(f"<{tag}{attributes}>{text}</{tag}>")
            lines.append("<tr>" + "".join(cells) + "</tr>")
        lines.append("</table>")
        return "\n".join(lines)

    # --- the document --------------------------------------------------------------------
    def blocks(self):
        """(kind, object) for each body element in order: ("p", Paragraph) or ("table", Table)."""
        body = self.word.element.body
        for child in body.iterchildren():
            if child.tag == qn("w:p"):
                yield "p", Paragraph(child, self.word)
            elif child.tag == qn("w:tbl"):
                yield "table", Table(child, self.word)


def heading_level(paragraph: Paragraph) -> int:
    """The level of a Word heading style (Heading 1 → 1), 0 for any other paragraph."""
    style = Reader.style_name(paragraph)
    return int(style[-1]) if style.startswith("Heading") and style[-1:].isdigit() else 0


def heading_kind(text: str) -> str:
    for kind, pattern in NUMBERING:
        if pattern.match(text):
            return kind
    return ""


def import_docx(source: Path, target_dir: Path, column: str, index: str, today: str) -> Imported:
    stem = (
        index.replace("/", "-").lower()
        if index
        else re.sub(r"\W+", "-", source.stem).strip("-").lower()
    )
    target_dir.mkdir(parents=True, exist_ok=True)
    reader = Reader(open_word(str(source)), target_dir, stem)
    items = [
        (kind, obj)
        for kind, obj in reader.blocks()
        if kind == "table" or obj.text.strip() or reader.has_picture(obj)
    ]

    # The head of a 公文: the issuing body's mark (…文件), the 文号 line, the title (one or more
    # centred lines), in that order, before the first line of the body.
    title_lines, number, dropped, position = [], "", [], 0
    while position < len(items):
        kind, obj = items[position]
        if kind != "p":
            break
        text = obj.text.strip()
        compact = re.sub(r"\s+", "", text)
        found = DOC_NUMBER.search(compact)
        if not number and found and len(compact) <= len(found.group(0)) + 12:
            # The 文号 sits under the issuing body's mark: what came before it was that mark.
            number = found.group(0)
            dropped += title_lines
            title_lines = []
            position += 1
            continue
        if (
            not title_lines
            and reader.centred(obj)
            and len(compact) <= 30
            and (compact.endswith("文件") or reader.issuing_mark(obj))
        ):
            dropped.append(text)
            position += 1
            continue
        if reader.title_like(obj):
            title_lines.append(text)
            position += 1
            continue
        break
    title = "".join(title_lines)
    first = items[position][1] if position < len(items) and items[position][0] == "p" else None
    heading_ones = [
        obj for kind, obj in items if kind == "p" and reader.style_name(obj) == "Heading 1"
    ]
    if (
        not title
        and first is not None
        and heading_ones == [first]
        and not heading_kind(first.text.strip())
    ):
        title = first.text.strip()  # a document whose only Heading 1 opens it: that is its title
        position += 1
    if not title:
        title = source.stem
        reader.messages.append(
            f"没有找到居中的标题，名称暂用文件名“{source.stem}”：请在“名称”一栏填写文件标题"
        )
    body_items = items[position:]

    # 成文日期: the last paragraph that is only a date (in the 落款), taken out of the body.
    signed = ""
    for offset in range(len(body_items) - 1, -1, -1):
        kind, obj = body_items[offset]
        if kind == "p":
            signed = date_of(obj.text)
            if signed:
                del body_items[offset]
                break
    if not number:
        for kind, obj in body_items:
            if kind == "p":
                compact = re.sub(r"\s+", "", obj.text)
                found = DOC_NUMBER.fullmatch(compact)
                if found:
                    number = found.group(0)
                    body_items.remove((kind, obj))
                    break

    # Heading levels follow the numbering kinds the document uses, in the national order.
    def numbered_heading(paragraph: Paragraph, text: str) -> str:
        kind = heading_kind(text)
        if not kind or len(text) > 60:
            return ""
        if reader.all_bold(paragraph) or reader.heading_font(paragraph):
            return kind
        # A short unmarked line is a heading only at the two upper levels: "2.联络员回执" under an
        # 附件 line, or a short numbered item, is text.
        if (
            kind in ("一、", "（一）")
            and len(text) <= 30
            and not SENTENCE_END.search(text)
            and "。" not in text
        ):
            return kind
        return ""

    # Word's own heading numbering (一、 drawn by a Chinese number format) becomes text.
    numbers = {id(obj): reader.automatic_number(obj) for kind, obj in body_items if kind == "p"}
    used = []
    for kind, obj in body_items:
        if kind == "p" and not heading_level(obj):
            numbered = numbered_heading(obj, numbers.get(id(obj), "") + obj.text.strip())
            if numbered and numbered not in used:
                used.append(numbered)
    ranks = {kind: 2 + i for i, kind in enumerate(k for k, _ in NUMBERING if k in used)}
    style_levels = [
        heading_level(obj) for kind, obj in body_items if kind == "p" and heading_level(obj)
    ]
    shift = 2 - min(style_levels, default=1)  # the body's top heading level is <h2>

    lines: list[str] = []
    for kind, obj in body_items:
        if kind == "table":
            lines.append(reader.table(obj))
            continue
        drawn = numbers.get(id(obj), "")  # the number Word draws before the text
        if heading_level(obj):
            level = min(heading_level(obj) + shift, 6)
            lines.append("#" * level + " " + drawn + reader.inline(obj, bold_allowed=False))
            continue
        numbered = numbered_heading(obj, drawn + obj.text.strip())
        if numbered:
            lines.append(
                "#" * min(ranks[numbered], 6) + " " + drawn + reader.inline(obj, bold_allowed=False)
            )
            continue
        listed = None if drawn else reader.numbering(obj)
        text = escape(drawn) + reader.inline(obj)
        if listed and text:
            level, marker = listed
            item = "    " * level + f"{marker} {text}"
            if lines and re.match(r"^\s*(-|1\.) ", lines[-1].splitlines()[-1]):
                lines[-1] += "\n" + item
            else:
                lines.append(item)
            continue
        if text:
            lines.append(text)

    messages = list(dict.fromkeys(reader.messages))
    messages += [
        f"文档中有一张图片不是 PNG、JPG、GIF、WebP 或 BMP 图片（声明的类型：{kind}），没有导入："
        "请在 Word 中把它另存为 PNG 图片后作为附件添加"
        for kind in reader.skipped
    ]
    for text in dropped:
        messages.append(f"版头“{text}”没有放入正文（发布机构在“发布机构”一栏）")
    if not number:
        messages.append("正文中没有找到文号，请在“文号”一栏手工填写（没有文号的留空）")
    if not signed:
        messages.append("正文中没有找到成文日期，请在“成文日期”一栏手工填写")
    front = [
        "---",
        "# 由 invoke import-docx 从 " + source.name + " 转换，请核对每一项",
        f"名称: {quote(title)}",
        f"索引号: {index}",
        f"栏目: {column}",
        "# 发文日期是在本网站公开的日期（默认今天），索引号中的年月随它；成文日期是文件落款的日期",
        f"发文日期: {today}",
        f"成文日期: {signed}",
        f"文号: {number}",
        "关键词:",
        "内容概述:",
        "审核人:",
        "审核日期:",
        "---",
    ]
    # Pictures stay in the body, published with the page; they are not downloads (附件).
    path = target_dir / f"{stem}.md"
    path.write_text("\n".join(front) + "\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    return Imported(path, title, number, today, reader.pictures, messages, signed)


def quote(value: str) -> str:
    """A YAML scalar for a title (a title may start with a character YAML reads specially)."""
    if re.search(r"^[\s\-?:,\[\]{}#&*!|>'\"%@`]|: | #", value):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value

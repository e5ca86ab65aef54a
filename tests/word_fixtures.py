"""Word documents in the national 公文 layout (GB/T 9704), made with python-docx as editors get
them.

Each one is what a department actually receives: a 版头 (…文件), a centred 文号, a title that is a
large bold centred paragraph (or Word's Title style), a 主送机关 line, headings numbered 一、 （一）
1. as bold or 黑体 paragraphs (or Heading styles), lists, a table whose first row is the header, a
table with merged cells, a picture, an 附件 line, a right-aligned 落款 and 成文日期, and a 附注.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

CENTRE, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


def tiny_png() -> bytes:
    """A valid 1×1 red PNG, built by hand (no imaging library needed)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def paragraph(word, text, align=None, bold=None, size=None, font=None, style=None):
    p = word.add_paragraph(style=style)
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if font:
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if align is not None:
        p.alignment = align
    return p


def official_notice(path: Path, picture: Path, title_style: bool = False) -> Path:
    """A 通知 in the 公文 layout; with ``title_style`` its title uses Word's Title style."""
    word = Document()
    paragraph(word, "安徽省外事办公室文件", CENTRE, True, 36, "方正小标宋简体")
    paragraph(word, "皖外办〔2026〕12号", CENTRE, size=16, font="仿宋_GB2312")
    if title_style:
        word.add_paragraph(
            "安徽省外事办公室关于做好2026年因公出国（境）管理工作的通知", style="Title"
        )
    else:
        paragraph(word, "安徽省外事办公室关于做好2026年", CENTRE, True, 22, "方正小标宋简体")
        paragraph(word, "因公出国（境）管理工作的通知", CENTRE, True, 22, "方正小标宋简体")
    paragraph(word, "各市外办，省直各单位：", font="仿宋_GB2312")
    paragraph(
        word,
        "\u3000\u3000为进一步规范因公出国（境）管理，现就有关事项通知如下。",
        font="仿宋_GB2312",
    )
    paragraph(word, "一、总体要求", font="黑体")
    paragraph(word, "（一）严格计划管理", font="楷体_GB2312")
    paragraph(
        word, "\u3000\u30001.各单位应于每年1月底前报送年度出访计划，计划外项目原则上不予审批。"
    )
    paragraph(word, "（二）规范审批程序", font="楷体_GB2312")
    paragraph(word, "按时报送申请材料。", style="List Number")
    paragraph(word, "逐级审核把关。", style="List Number")
    paragraph(word, "二、办理时限", font="黑体")
    table = word.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [
            ["序号", "事项", "办理时限"],
            ["1", "因公出国审批", "5个工作日"],
            ["2", "护照签证办理", "7个工作日"],
        ]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    word.add_picture(str(picture), width=Inches(1))
    word.paragraphs[-1].runs[0]._element.find(".//" + qn("wp:docPr")).set("descr", "审批流程图")
    paragraph(word, "三、经费安排", font="黑体")
    merged = word.add_table(rows=3, cols=3)
    merged.cell(0, 0).merge(merged.cell(0, 2)).text = "2026年因公出国经费（万元）"
    merged.cell(1, 0).merge(merged.cell(2, 0)).text = "省直单位"
    merged.cell(1, 1).text, merged.cell(1, 2).text = "预算", "120.50"
    merged.cell(2, 1).text, merged.cell(2, 2).text = "执行", "98.30"
    paragraph(word, "附件：2026年度因公出国计划表")
    paragraph(word, "安徽省外事办公室", RIGHT)
    paragraph(word, "2026年3月2日", RIGHT)
    paragraph(word, "（此件公开发布）")
    word.save(str(path))
    return path


def numbered_by_word(path: Path) -> Path:
    """Headings numbered by Word itself (一、 and （一） drawn by a Chinese numbering definition,
    so the paragraph's text lacks them), as many offices' templates do, and a numbered list."""
    from docx.oxml import parse_xml

    word = Document()
    numbering = word.part.numbering_part.element
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.append(
        parse_xml(
            f'<w:abstractNum {w} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'
        )
    )
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text, level, bold=True, font="黑体"):
        p = paragraph(word, text, bold=bold, font=font)
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )

    paragraph(word, "关于开展2026年政务公开专项检查的通知", CENTRE, True, 22, "方正小标宋简体")
    paragraph(word, "各处室：")
    numbered("检查范围", 0)
    numbered("省直单位", 1, font="楷体_GB2312")
    numbered("市县外办", 1, font="楷体_GB2312")
    paragraph(word, "检查内容如下。")
    numbered("工作要求", 0)
    paragraph(word, "按时报送自查报告。", style="List Number")
    paragraph(word, "2026年4月1日", RIGHT)
    word.save(str(path))
    return path


def red_letterhead_notice(path: Path) -> Path:
    """A notice under a red, letter-spaced 版头 that is the office's name (no “文件”), with a
    first-level item as an inline bold lead, a bold table header, a two-line 附件 说明, a date in
    Chinese numerals, a 附注 and a 版记."""
    word = Document()

    def red(p):
        for run in p.runs:
            run.font.color.rgb = RGBColor(0xE0, 0, 0)
        return p

    red(paragraph(word, "安 徽 省 外 事 办 公 室", CENTRE, False, 42, "方正小标宋简体"))
    paragraph(word, "皖外办秘〔2026〕45号", CENTRE, size=16, font="仿宋_GB2312")
    paragraph(word, "安徽省外事办公室关于进一步做好", CENTRE, size=22, font="方正小标宋简体")
    paragraph(word, "政府信息主动公开工作的通知", CENTRE, size=22, font="方正小标宋简体")
    paragraph(word, "各市外办，办机关各处室、直属单位：", font="仿宋_GB2312")
    lead = word.add_paragraph()
    lead.add_run("\u3000\u3000一、加强组织领导。").bold = True
    lead.add_run("各单位明确一名联络员，于12月15日前报综合处。")
    paragraph(word, "二、规范公开内容", font="黑体")
    table = word.add_table(rows=2, cols=2)
    for c, value in enumerate(["公开事项", "完成时限"]):
        table.cell(0, c).text = value
        table.cell(0, c).paragraphs[0].runs[0].bold = True
    table.cell(1, 0).text, table.cell(1, 1).text = "部门预算", "批复后20日内"
    paragraph(word, "\u3000\u3000附件：1.2026年政府信息主动公开责任分工表")
    paragraph(word, "\u3000\u3000\u3000\u3000\u30002.联络员回执")
    paragraph(word, "安徽省外事办公室", RIGHT)
    paragraph(word, "二〇二六年十二月一日", RIGHT)
    paragraph(word, "（此件公开发布）")
    paragraph(word, "抄送：省政府办公厅。", size=14)
    paragraph(word, "安徽省外事办公室秘书处\u3000\u3000\u3000\u30002026年12月1日印发", size=14)
    word.save(str(path))
    return path

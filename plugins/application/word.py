"""The 政府信息公开申请表 as a Word file (python-docx): every form on its own page, A4, 宋体."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from domain.application import TITLE, Field, Form

FONT = "宋体"
# Fixed times inside the zip: the same forms give the same bytes on every build.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def form_docx(forms: tuple[Form, ...], office: str, owner: str) -> bytes:
    document = Document()
    _page_setup(document)
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = TITLE, owner, owner
    properties.comments = ""
    for number, form in enumerate(forms):
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _title(document, form.title)
        if office:
            _paragraph(document, f"受理机构：{office}", size=12)
        for section in form.sections:
            _paragraph(document, section.title, size=12, bold=True)
            table = document.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for field in section.fields:
                label, value = table.add_row().cells
                label.width, value.width = Cm(5), Cm(11)
                _cell(label, field.label, bold=True)
                _cell(value, _blank(field))
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _blank(field: Field) -> str:
    if field.choices:
        return "　".join(f"□ {choice}" for choice in field.choices)
    return "\n" * (field.lines - 1)


def _page_setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def _title(document, text: str) -> None:
    paragraph = _paragraph(document, text, size=18, bold=True)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _paragraph(document, text: str, size: int, bold: bool = False):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size, run.font.bold = Pt(size), bold
    return paragraph


def _cell(cell, text: str, bold: bool = False) -> None:
    run = cell.paragraphs[0].add_run(text)
    run.font.bold = bold


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry dated ZIP_TIME, in the order python-docx wrote them."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()

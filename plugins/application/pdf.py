"""The 政府信息公开申请表 as a PDF (ReportLab): every form on its own A4 page. The Chinese text uses
the Adobe-GB1 font STSong-Light, which PDF readers supply, so no font file is needed or embedded."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from domain.application import TITLE, Field, Form

FONT = "STSong-Light"


def form_pdf(forms: tuple[Form, ...], office: str, owner: str) -> bytes:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    text = ParagraphStyle("text", fontName=FONT, fontSize=11, leading=16, wordWrap="CJK")
    label = ParagraphStyle("label", parent=text, fontSize=10.5)
    heading = ParagraphStyle("heading", parent=text, fontSize=12, leading=18, spaceBefore=8)
    title = ParagraphStyle("title", parent=text, fontSize=18, leading=26, alignment=1)
    story = []
    for number, form in enumerate(forms):
        if number:
            story.append(PageBreak())
        story += [Paragraph(form.title, title), Spacer(1, 0.3 * cm)]
        if office:
            story.append(Paragraph(f"受理机构：{office}", text))
        for section in form.sections:
            story.append(Paragraph(section.title, heading))
            rows = [[Paragraph(f.label, label), Paragraph(_blank(f), text)] for f in section.fields]
            table = Table(
                rows,
                colWidths=[4.5 * cm, 11.5 * cm],
                rowHeights=[max(0.9, 0.75 * f.lines) * cm for f in section.fields],
            )
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef3f8")),
                    ]
                )
            )
            story.append(table)
    buffer = io.BytesIO()
    # invariant: no creation date or random document id, so the same forms give the same bytes.
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=TITLE,
        author=owner,
        creator=owner,
        invariant=1,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    document.build(story)
    return buffer.getvalue()


def _blank(field: Field) -> str:
    return "　".join(f"□ {choice}" for choice in field.choices)

"""application: 依申请公开 without a server. The 政府信息公开申请表 as a printable page
(``forms/application.html``), and a Word file and a PDF made from the same fields at build time
(``forms/application-form.docx``, ``.pdf``),
and, on the 依申请公开 column's page, the channels to apply by (``APPLICATION_CHANNELS``), what
happens next and the time limits (``APPLICATION_STEPS``) and the downloads.
"""

from __future__ import annotations

import logging
import os

from pelican import signals
from pelican.generators import Generator

from disclosure import run
from domain.application import FORMS, TITLE
from domain.defaults import setting

from .pdf import form_pdf
from .word import form_docx

logger = logging.getLogger(__name__)
FORM_PAGE = "forms/application.html"
FORM_DOCX = "forms/application-form.docx"
FORM_PDF = "forms/application-form.pdf"


def on_generator_init(generator):
    settings = generator.settings
    column = setting(settings, "APPLICATION_COLUMN")
    if not column:
        return
    generator.context.update(
        application_column=column,
        application_forms=FORMS,
        application_form_title=TITLE,
        application_steps=setting(settings, "APPLICATION_STEPS"),
        application_channels=[channel(c) for c in setting(settings, "APPLICATION_CHANNELS")],
        application_office=setting(settings, "APPLICATION_OFFICE"),
        application_downloads=[
            (FORM_PAGE, "在线查看并打印", "网页"),
            (FORM_DOCX, "下载 Word 文档", "DOCX"),
            (FORM_PDF, "下载 PDF 文档", "PDF"),
        ],
    )


def channel(entry) -> dict:
    """A channel as the template shows it; details may be given as pairs or as a mapping."""
    details = entry.get("details", ())
    if hasattr(details, "items"):
        details = details.items()
    return {
        "name": str(entry["name"]),
        "details": [(str(k), str(v)) for k, v in details],
        "note": str(entry.get("note", "")),
    }


class ApplicationGenerator(Generator):
    """The form page, its Word file and its PDF."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        column = setting(self.settings, "APPLICATION_COLUMN")
        if not column:
            return
        if column not in run.of(self).site.catalogue.by_code:
            logger.warning(
                "APPLICATION_COLUMN: catalogue has no column %r; no form written", column
            )
            return
        writer.write_file(
            FORM_PAGE,
            self.get_template("application_form"),
            self.context,
            self.settings["RELATIVE_URLS"],
            url=FORM_PAGE,
            page_url=FORM_PAGE,
        )
        office = setting(self.settings, "APPLICATION_OFFICE")
        owner = self.settings.get("SITE_OWNER", "")
        for name, make in ((FORM_DOCX, form_docx), (FORM_PDF, form_pdf)):
            path = os.path.join(self.output_path, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(make(FORMS, office, owner))


def get_generators(pelican):
    return ApplicationGenerator


def register():
    signals.generator_init.connect(on_generator_init)
    signals.get_generators.connect(get_generators)

"""依申请公开: the application form as a page, a Word file and a PDF, and the channels and steps
on the 依申请公开 column's page, all from configuration, none needing a server."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from docx import Document

from helpers import ROOT, FixtureSite, broken_links, document, site_build

CATALOGUE_TAIL = """
- code: apply
  name: 依申请公开
  kind: page
"""
CHANNELS = [
    {"name": "信函申请", "details": [("收件地址", "某市某路 1 号"), ("邮政编码", "100000")]},
    {"name": "电子邮件申请", "details": {"电子邮箱": "apply@example.gov.cn"}, "note": "附申请表"},
    {"name": "网上申请", "details": [("网址", "https://example.gov.cn/apply")]},
]
NATIONAL_FIELDS = (
    "所需政府信息的名称",
    "所需政府信息的文号",
    "获取信息的方式",
    "申请人签名或者盖章",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = FixtureSite(tmp_path_factory.mktemp("application"))
    catalogue = site.content / "catalogue.yml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + CATALOGUE_TAIL, encoding="utf-8")
    site.write("apply/how.md", document(title="依申请公开办理说明", column="apply", body="说明。"))
    outcome = site.build(
        APPLICATION_COLUMN="apply",
        APPLICATION_OFFICE="某厅办公室",
        APPLICATION_CHANNELS=CHANNELS,
        APPLICATION_STEPS=["收到申请后登记。", "20 个工作日内答复。"],
    )
    assert outcome.ok, outcome.report()
    return site


def soup(site, rel):
    return BeautifulSoup(site.page(rel), "html.parser")


def test_column_page_shows_channels_steps_and_downloads_from_configuration(built):
    main = soup(built, "columns/apply.html").main
    text = main.get_text(" ", strip=True)
    assert "说明。" in text  # the editor's own text first
    assert [h.get_text() for h in main.select("#apply-channels ~ h3")] == [
        "信函申请",
        "电子邮件申请",
        "网上申请",
    ]
    assert "受理机构：某厅办公室" in text and "某市某路 1 号" in text and "附申请表" in text
    assert main.find("a", href="mailto:apply@example.gov.cn")
    assert main.find("a", href="https://example.gov.cn/apply")
    assert [li.get_text() for li in main.select("#apply-steps ~ ol li")] == [
        "收到申请后登记。",
        "20 个工作日内答复。",
    ]
    downloads = {a["href"] for a in main.select(".gk-download a")}
    assert downloads == {
        "../forms/application.html",
        "../forms/application-form.docx",
        "../forms/application-form.pdf",
    }
    assert not broken_links(built.output)


def test_form_page_has_both_versions_with_the_national_fields(built):
    page = soup(built, "forms/application.html")
    forms = page.select("section.gk-form")
    assert [f.h2.get_text() for f in forms] == [
        "政府信息公开申请表（公民）",
        "政府信息公开申请表（法人或者其他组织）",
    ]
    citizen, organisation = ([th.get_text() for th in f.select("th")] for f in forms)
    assert {"姓名", "证件号码", "联系电话", *NATIONAL_FIELDS} <= set(citizen)
    assert {"名称", "统一社会信用代码", "法定代表人或者主要负责人", *NATIONAL_FIELDS} <= set(
        organisation
    )
    assert "受理机构：某厅办公室" in forms[0].get_text()
    # Boxes to tick are drawn, not read aloud.
    assert forms[0].find("span", attrs={"aria-hidden": "true"}).get_text() == "□"


def test_word_and_pdf_forms_are_made_at_build_time_and_identical_on_rebuild(built, tmp_path):
    word = (built.output / "forms/application-form.docx").read_bytes()
    document_ = Document(io.BytesIO(word))
    labels = [row.cells[0].text for table in document_.tables for row in table.rows]
    assert labels.count("所需政府信息的名称") == 2  # both versions
    assert {"姓名", "统一社会信用代码", *NATIONAL_FIELDS} <= set(labels)
    headings = [p.text for p in document_.paragraphs if p.text.startswith("政府信息公开申请表")]
    assert headings == ["政府信息公开申请表（公民）", "政府信息公开申请表（法人或者其他组织）"]
    assert "受理机构：某厅办公室" in [p.text for p in document_.paragraphs]
    pdf = (built.output / "forms/application-form.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"/Count 2" in pdf and b"STSong-Light" in pdf
    # Byte for byte the same on another build (no dates, no random ids in either file).
    again = FixtureSite(tmp_path)
    again.content = built.content
    again.output = tmp_path / "again"
    outcome = site_build.build(
        ROOT / "pelicanconf.py",
        again.overrides(
            APPLICATION_COLUMN="apply",
            APPLICATION_OFFICE="某厅办公室",
            APPLICATION_CHANNELS=CHANNELS,
            APPLICATION_STEPS=["收到申请后登记。", "20 个工作日内答复。"],
        ),
    )
    assert outcome.ok
    for name in ("application-form.docx", "application-form.pdf", "application.html"):
        assert (again.output / "forms" / name).read_bytes() == (
            built.output / "forms" / name
        ).read_bytes(), name


def test_no_form_when_the_catalogue_has_no_such_column(tmp_path):
    site = FixtureSite(tmp_path)
    site.write("news/a.md", document())
    assert site.build().ok  # the base catalogue has no 依申请公开 column
    assert not (site.output / "forms").exists()
    assert not broken_links(site.output)

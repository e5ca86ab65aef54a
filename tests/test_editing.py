"""Editing tools: the Decap CMS config, Word import, the pre-commit hook, and the editor guide."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from docx import Document as WordDocument
from docx.shared import Inches

from commands import cms
from commands.docx_import import import_docx
from domain.site import Site
from helpers import ROOT, document
from word_fixtures import numbered_by_word, official_notice, red_letterhead_notice, tiny_png

GUIDE = ROOT / "docs/编辑指南.md"


def test_decap_config_matches_catalogue_and_model(site):
    config = yaml.safe_load(cms.config_yaml(Site.from_settings({"PATH": str(site.content)})))
    folders = [c for c in config["collections"] if "folder" in c and c["extension"] == "md"]
    list_nodes = [
        n
        for n in Site.from_settings({"PATH": str(site.content)}).catalogue.nodes
        if n.kind == "list"
    ]
    assert [c["name"] for c in folders] == [n.code for n in list_nodes]
    assert all(c["folder"] == f"content/{c['name']}" for c in folders)
    for collection in folders:
        required = {f["name"] for f in collection["fields"] if f.get("required")}
        assert {"title", "index", "column", "date"} <= required
        assert (
            collection["media_folder"] == "" and collection["public_folder"] == ""
        )  # uploads beside it
        column = next(f for f in collection["fields"] if f["name"] == "column")
        assert column["widget"] == "hidden" and column["default"] == collection["name"]
        publisher = next(f for f in collection["fields"] if f["name"] == "publisher")
        assert publisher["options"] == ["安徽省外事（侨务、港澳）办公室", "安徽省外事服务中心"]
    by_name = {
        c["name"]: {f["name"]: f for f in c["fields"]}
        for c in config["collections"]
        if "fields" in c
    }
    assert (
        by_name["budget"]["budget_kind"]["default"] == "部门预算"
        and by_name["budget"]["fiscal_year"]["required"]
    )
    assert by_name["final-accounts"]["budget_kind"]["default"] == "部门决算"
    assert by_name["annual-reports"]["report_format"]["options"] == ["gb-2021", "gb-2019", "legacy"]
    assert by_name["budget"]["data_tables"]["field"]["widget"] == "file"
    assert (
        by_name["news"]["attachments"]["field"]["widget"] == "file"
        and "fiscal_year" not in by_name["news"]
    )
    tables = by_name["annual-reports-tables"]
    assert [f["label"] for f in tables["table_3"]["fields"]][:2] == [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
    ]
    pages = next(c for c in config["collections"] if c["name"] == "fixed-pages")
    assert [f["name"] for f in pages["files"]] == ["guide"]


def test_a_document_as_decap_writes_it_builds(site):
    """Decap writes YAML front matter with English keys, quoted strings and inline lists."""
    site.write("files/budget.pdf", b"%PDF-1.4 sample")
    site.write(
        "news/from-cms.md",
        "---\ntitle: '网页编辑器写的文件'\nindex: 003186648/201503-00001\ncolumn: news\n"
        "date: 2015-03-09\npublisher: 安徽省外事（侨务、港澳）办公室\nkeywords:\n  - 外事\n"
        "  - 侨务\ntopic: ''\nstatus: published\nattachments:\n  - /files/budget.pdf\n"
        "doc_number: ''\ninterprets: ''\nexpires: ''\n---\n正文\n",
    )
    site.write(
        "news/empty-list.md",
        "---\ntitle: 无附件\nindex: 003186648/201503-00002\ncolumn: news\n"
        "date: 2015-03-10\nattachments: []\nkeywords: []\n---\n正文\n",
    )
    outcome = site.build()
    assert outcome.ok and not outcome.problems.items, outcome.report()
    assert (site.output / "files/budget.pdf").exists()


DECAP_KINDS = {
    # what Decap writes for each kind of collection: English keys, quoted numbers, file lists
    "budget/003186648-201503-00003.md": "---\ntitle: 2015年部门预算\n"
    "index: 003186648/201503-00003\n"
    "column: budget\ndate: 2015-03-10\npublisher: 安徽省外事（侨务、港澳）办公室\nstatus: "
    "published\n"
    "fiscal_year: '2015'\nbudget_kind: 部门预算\ndata_tables:\n  - budget.csv\nattachments:\n"
    "  - budget.pdf\n---\n## 一、收支预算总体情况\n\n【数据表】\n",
    "news/003186648-201503-00004.md": "---\ntitle: 统计\nindex: 003186648/201503-00004\n"
    "column: news\n"
    "date: 2015-03-11\ndata_tables:\n  - stats.csv\nkeywords: []\n---\n【数据表】\n",
    "annual-reports/003186648-201503-00005.md": "---\ntitle: 2014年政府信息公开工作年度报告\n"
    "index: 003186648/201503-00005\ncolumn: annual-reports\ndate: 2015-03-12\nreport_year: '2014'\n"
    "report_format: gb-2021\nstated_published_total: ''\n---\n## 一、总体情况\n\n正文。\n",
}


def decap_report_tables() -> str:
    """The report-tables collection's file as Decap writes it: every cell a quoted string."""
    from domain.report_formats import (
        APPLICANTS,
        TABLE_2,
        TABLE_3,
        TABLE_4_COLUMNS,
        TABLE_4_GROUPS,
        leaf_rows,
    )

    data = {
        "report": "003186648-201503-00005",
        "table_2": {
            r: dict.fromkeys(cols, "0") for _, cols, rows in TABLE_2["gb-2021"] for r in rows
        },
        "table_3": {r.key: {c: "0" for c, _ in APPLICANTS} for r in leaf_rows(TABLE_3["gb-2021"])},
        "table_4": {g: {c: "" for c, _ in TABLE_4_COLUMNS} for g, _ in TABLE_4_GROUPS},
    }
    data["table_2"]["行政事业性收费"]["本年收费金额（单位：万元）"] = "4068.208"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_style=None)


def test_a_document_of_each_kind_as_decap_writes_it_builds(site):
    for rel, text in DECAP_KINDS.items():
        site.write(rel, text)
    site.write("budget/budget.csv", "项目,金额\n办公经费,10\n")
    site.write("budget/budget.pdf", b"%PDF-1.4 sample")
    site.write("news/stats.csv", "季度,件数\n一季度,3\n")
    site.write("annual-reports/003186648-201503-00005.yml", decap_report_tables())
    outcome = site.build()
    assert outcome.ok and not outcome.problems.errors, outcome.report()
    report = BeautifulSoup(site.page("docs/003186648-201503-00005.html"), "html.parser")
    assert (
        report.select_one("#report-table-2")
        .find("th", string="行政事业性收费")
        .find_next("td")
        .get_text()
        == "4068.208"
    )
    budget = site.page("docs/003186648-201503-00003.html")
    assert "办公经费" in budget and "budget.pdf" in budget


def make_docx(path: Path, image: Path | None = None):
    word = WordDocument()
    word.add_heading("关于做好2015年因公出国审批工作的通知", level=1)
    word.add_paragraph("皖外办〔2015〕8号")
    word.add_heading("一、总体要求", level=2)
    word.add_paragraph("严格执行年度计划。", style="List Number")
    word.add_paragraph("按时报送材料。", style="List Number")
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "事项", "时限"
    table.cell(1, 0).text, table.cell(1, 1).text = "审批", "5个工作日"
    if image:
        word.add_picture(str(image), width=Inches(1))
    word.add_paragraph("2015年3月16日")
    word.save(str(path))


def test_import_docx_fills_front_matter_and_keeps_structure(site, tmp_path):
    png = tmp_path / "seal.png"
    png.write_bytes(tiny_png())
    source = tmp_path / "通知.docx"
    make_docx(source, png)
    result = import_docx(
        source, site.content / "policy", "policy", "003186648/201503-00009", "2015-03-20"
    )
    assert result.title == "关于做好2015年因公出国审批工作的通知"
    assert (
        result.doc_number == "皖外办〔2015〕8号"
        and result.date == "2015-03-20"
        and result.written_on == "2015-03-16"
    )
    assert result.attachments == ["003186648-201503-00009-image1.png"]
    text = result.path.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    assert (
        "## 一、总体要求" in body and "1. 严格执行年度计划。" in body and "| 事项 | 时限 |" in body
    )
    assert "<" not in body and "关于做好" not in body and "皖外办" not in body
    assert "索引号: 003186648/201503-00009" in text
    outcome = site.build()
    assert outcome.ok, outcome.report()
    page = site.page("docs/003186648-201503-00009.html")
    assert "5个工作日" in page and 'alt="' in page


def test_import_docx_reports_what_it_could_not_read(site, tmp_path):
    source = tmp_path / "plain.docx"
    word = WordDocument()
    word.add_paragraph("一则没有文号和日期的简讯")
    word.save(str(source))
    result = import_docx(
        source, site.content / "news", "news", "003186648/201503-00010", "2015-03-20"
    )
    assert any("没有找到文号" in m for m in result.messages)
    assert any("没有找到成文日期" in m for m in result.messages) and result.date == "2015-03-20"


@pytest.mark.parametrize(
    "title_style", [False, True], ids=["bold-centred-title", "word-title-style"]
)
def test_an_official_document_in_the_national_layout_is_imported_intact(
    site, tmp_path, title_style
):
    """A 公文 as departments receive it: title, 文号 and 成文日期 go to the front matter, headings
    keep their levels, tables keep their header row, the picture shows, and it builds."""
    from bs4 import BeautifulSoup

    picture = tmp_path / "flow.png"
    picture.write_bytes(tiny_png())
    source = official_notice(tmp_path / "通知.docx", picture, title_style=title_style)
    result = import_docx(
        source, site.content / "policy", "policy", "003186648/201503-00011", "2015-03-20"
    )
    title = "安徽省外事办公室关于做好2026年因公出国（境）管理工作的通知"
    assert (result.title, result.doc_number, result.written_on) == (
        title,
        "皖外办〔2026〕12号",
        "2026-03-02",
    )
    body = result.path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    # Markdown an editor can edit; raw HTML only for the merged-cell table, and the report says so
    assert body.count("<table>") == 1 and "<p>" not in body and "<h" not in body
    assert any("合并单元格" in m for m in result.messages)
    assert any("安徽省外事办公室文件" in m for m in result.messages)
    assert (
        "## 一、总体要求" in body and "### （一）严格计划管理" in body and "## 二、办理时限" in body
    )
    assert "| 序号 | 事项 | 办理时限 |" in body and "1. 按时报送申请材料。" in body
    assert "2026年3月2日" not in body and "皖外办〔2026〕12号" not in body and title not in body
    outcome = site.build()
    assert outcome.ok, outcome.report()
    html = BeautifulSoup(site.page("docs/003186648-201503-00011.html"), "html.parser")
    assert html.h1.get_text(strip=True) == title
    meta = html.find("table")
    assert "皖外办〔2026〕12号" in meta.get_text() and "2026-03-02" in meta.get_text()
    article = html.find(class_="article-body") or html.find("article")
    headings = [(h.name, h.get_text(strip=True)) for h in article.find_all(["h2", "h3", "h4"])]
    assert headings[:5] == [
        ("h2", "一、总体要求"),
        ("h3", "（一）严格计划管理"),
        ("h3", "（二）规范审批程序"),
        ("h2", "二、办理时限"),
        ("h2", "三、经费安排"),
    ], headings
    table = next(t for t in article.find_all("table") if "办理时限" in t.get_text())
    assert [th.get_text() for th in table.find("thead").find_all("th")] == [
        "序号",
        "事项",
        "办理时限",
    ]
    picture_tag = article.find("img", alt="审批流程图")
    assert picture_tag is not None
    page_dir = site.output / "docs"
    assert (page_dir / picture_tag["src"]).resolve().is_file()
    merged = next(t for t in article.find_all("table") if "因公出国经费" in t.get_text())
    assert merged.find("th", colspan="3") and merged.find("td", rowspan="2")
    assert (
        "各市外办，省直各单位：" in article.get_text() and "（此件公开发布）" in article.get_text()
    )
    assert "1.各单位应于每年1月底前报送年度出访计划" in article.get_text()


def test_headings_numbered_by_word_itself_keep_their_numbers_and_levels(site, tmp_path):
    source = numbered_by_word(tmp_path / "检查.docx")
    result = import_docx(
        source, site.content / "news", "news", "003186648/201503-00012", "2015-03-20"
    )
    body = result.path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert (
        result.title == "关于开展2026年政务公开专项检查的通知" and result.written_on == "2026-04-01"
    )
    for line in (
        "## 一、检查范围",
        "### （一）省直单位",
        "### （二）市县外办",
        "## 二、工作要求",
        "1. 按时报送自查报告。",
    ):
        assert line in body.splitlines(), body
    assert site.build().ok


def test_a_red_letterhead_notice_keeps_its_title_number_and_text_apart(site, tmp_path):
    source = red_letterhead_notice(tmp_path / "通知.docx")
    result = import_docx(
        source, site.content / "news", "news", "003186648/201503-00013", "2015-03-20"
    )
    assert result.title == "安徽省外事办公室关于进一步做好政府信息主动公开工作的通知"
    assert (result.doc_number, result.written_on) == ("皖外办秘〔2026〕45号", "2026-12-01")
    assert any("版头“安 徽 省 外 事 办 公 室”" in m for m in result.messages)
    lines = result.path.read_text(encoding="utf-8").split("\n---\n", 1)[1].splitlines()
    assert "**一、加强组织领导。**各单位明确一名联络员，于12月15日前报综合处。" in lines
    assert (
        "| 公开事项 | 完成时限 |" in lines and "2.联络员回执" in lines
    )  # an 附件 line, not a heading
    assert (
        "## 二、规范公开内容" in lines
        and "安徽省外事办公室秘书处\u3000\u3000\u3000\u30002026年12月1日印发" in lines
    )
    assert site.build().ok


def test_pre_commit_hook_blocks_a_broken_document(tmp_path):
    import shutil

    repo = tmp_path / "site"
    repo.mkdir()
    for name in ("content", "plugins", "theme"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("tasks.py", "pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, repo / name)
    (repo / ".venv").symlink_to(ROOT / ".venv")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(
        [sys.executable, "-m", "invoke", "install-hooks"], cwd=repo, check=True, capture_output=True
    )
    (repo / "content/news/bad.md").write_text(document(index="bad"), encoding="utf-8")
    git = ["git", "-c", "user.name=编辑", "-c", "user.email=editor@example.gov.cn"]
    subprocess.run(git + ["add", "content/news/bad.md"], cwd=repo, check=True)
    result = subprocess.run(
        git + ["commit", "-m", "add"], cwd=repo, capture_output=True, text=True, encoding="utf-8"
    )
    assert result.returncode != 0
    assert "索引号格式不对" in result.stdout + result.stderr


MESSAGE_ARGUMENT = {
    "problem": 1,
    "Problem": 4,
    "error": 3,
    "add": 4,
}  # position of the message in each call


def message_fragments() -> set[str]:
    """The fixed Chinese text of every message the build and the checks can print, read from the
    code: for each message, its longest literal phrase (the parts around the values filled in)."""
    found = set()
    for path in (ROOT / "plugins").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            position = MESSAGE_ARGUMENT.get(name)
            if position is None or len(node.args) <= position:
                continue
            literals = [
                n.value
                for n in ast.walk(node.args[position])
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
            phrases = [
                p.strip() for text in literals for p in re.split(r"[，：；。（）“”【】]", text)
            ]
            phrases = [p for p in phrases if len(re.findall(r"[\u4e00-\u9fff]", p)) >= 4]
            if phrases:
                found.add(max(phrases, key=len))
    return found


def test_every_error_message_is_explained_in_the_guide():
    guide = GUIDE.read_text(encoding="utf-8")
    fragments = message_fragments()
    assert len(fragments) > 40
    missing = sorted(f for f in fragments if f not in guide)
    assert not missing, missing


def test_committed_cms_config_is_up_to_date():
    """admin/config.yml must be regenerated (invoke cms-config) whenever the catalogue changes."""
    from disclosure.build import load_settings

    fresh = cms.config_yaml(Site.from_settings(load_settings(ROOT / "pelicanconf.py")))
    assert (ROOT / "admin/config.yml").read_text(encoding="utf-8") == fresh


@pytest.mark.parametrize(
    "declared,data",
    [
        ("image/html", b"<html><script>alert(1)</script></html>"),
        ("image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("image/png", b"<!DOCTYPE html><script>alert(1)</script>"),
    ],
)
def test_import_docx_saves_only_pictures_identified_by_their_bytes(tmp_path, declared, data):
    import zipfile

    png = tmp_path / "seal.png"
    png.write_bytes(tiny_png())
    honest, forged = tmp_path / "honest.docx", tmp_path / "forged.docx"
    make_docx(honest, png)
    with zipfile.ZipFile(honest) as source, zipfile.ZipFile(forged, "w") as out:
        for info in source.infolist():
            raw = source.read(info.filename)
            if info.filename.startswith("word/media/"):
                raw = data
            elif info.filename == "[Content_Types].xml":
                raw = raw.replace(b'ContentType="image/png"', f'ContentType="{declared}"'.encode())
            out.writestr(info, raw)
    target = tmp_path / "news"
    result = import_docx(forged, target, "news", "003186648/201503-00010", "2015-03-20")
    assert result.attachments == []
    assert sorted(p.suffix for p in target.iterdir()) == [".md"]
    assert any("没有导入" in m and declared in m for m in result.messages)


def test_import_docx_of_old_formats_and_of_a_folder(tmp_path):
    """A .doc or .wps says how to save it as .docx; a folder imports every .docx in it, each
    with its own 索引号, and the result builds."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "tests/fixtures/base", site / "content")
    conf = site / "conf.py"
    conf.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(site / 'content')!r}\nOUTPUT_PATH = {str(site / 'output')!r}\n",
        encoding="utf-8",
    )
    folder = tmp_path / "back-catalogue"
    folder.mkdir()
    make_docx(folder / "一号.docx")
    make_docx(folder / "二号.docx")
    (folder / "三号.doc").write_bytes(b"\xd0\xcf\x11\xe0 old word")
    (folder / "四号.wps").write_bytes(b"\xd0\xcf\x11\xe0 wps")
    command = [
        sys.executable,
        "-m",
        "invoke",
        "import-docx",
        "--file",
        str(folder),
        "--column",
        "news",
        "--settings",
        str(conf),
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    out = result.stdout + result.stderr
    assert result.returncode == 1, out  # two files were not imported
    assert "三号.doc”是旧版 Word 文档（.doc），不能直接导入" in out and "另存为" in out
    assert "四号.wps”是WPS 文字文档（.wps），不能直接导入" in out
    created = sorted((site / "content/news").glob("*.md"))
    assert len(created) == 2, out
    assert len({p.name for p in created}) == 2
    assert "Traceback" not in out
    from disclosure.build import build

    outcome = build(conf)
    assert outcome.ok, outcome.report()

"""Machine-readable exports: catalogue.json / catalogue.csv and sitemap.xml."""

from __future__ import annotations

import csv
import json
from xml.sax.saxutils import escape

CSV_COLUMNS = [
    ("index_number", "索引号"),
    ("title", "名称"),
    ("column", "栏目代码"),
    ("column_name", "栏目"),
    ("publisher", "发布机构"),
    ("date", "发文日期"),
    ("doc_number", "文号"),
    ("keywords", "关键词"),
    ("topic", "主题分类"),
    ("genre", "体裁分类"),
    ("summary", "内容概述"),
    ("validity", "有效性"),
    ("url", "网址"),
]


def record(article, catalogue, site_url: str, validity: str) -> dict:
    """One document's metadata, as the provincial platform and the public get it."""
    doc = article.document
    node = catalogue.by_code[doc.column]
    return {
        "index_number": doc.index_number,
        "title": doc.title,
        "column": doc.column,
        "column_name": node.path_name,
        "publisher": doc.publisher,
        "date": doc.date.date().isoformat(),
        "written_on": doc.written_on.date().isoformat() if doc.written_on else "",
        "doc_number": doc.doc_number,
        "keywords": list(doc.keywords),
        "topic": doc.topic,
        "genre": doc.genre,
        "summary": doc.summary,
        "validity": validity,
        "effective": doc.effective.date().isoformat() if doc.effective else "",
        "expires": doc.expires.date().isoformat() if doc.expires else "",
        "attachments": [
            {"name": a.name, "url": join(site_url, a.source), "bytes": a.size}
            for a in doc.attachments
        ],
        "url": join(site_url, article.url),
    }


def join(site_url: str, path: str) -> str:
    return f"{site_url}/{path}" if site_url else path


def write_catalogue_json(handle, records: list[dict], site_name: str) -> None:
    """One document per line: readable, and json's fast encoder (an indent makes it use the slow
    one). Written line by line: at 10,000 documents the whole text would be tens of MB more of the
    build's peak."""
    head = json.dumps(
        {"count": len(records), "site": site_name}, ensure_ascii=False, sort_keys=True
    )[1:-1]
    handle.write("{" + head + ', "documents": [')
    for number, record in enumerate(records):
        handle.write(
            ("," if number else "") + "\n" + json.dumps(record, ensure_ascii=False, sort_keys=True)
        )
    handle.write("\n]}\n")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what Excel and WPS run as a formula


def spreadsheet_text(value) -> str:
    """A cell as text a spreadsheet shows and never runs (OWASP's advice on CSV injection): text
    that would start a formula gets a leading apostrophe, which Excel hides."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_catalogue_csv(handle, records) -> None:
    """CSV with a BOM, so that Excel on a government PC opens the Chinese correctly."""
    handle.write("\ufeff")
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow([label for _, label in CSV_COLUMNS])
    for rec in records:
        writer.writerow(
            [
                spreadsheet_text("、".join(rec[k]) if k == "keywords" else rec[k])
                for k, _ in CSV_COLUMNS
            ]
        )


def sitemap_xml(entries: list[tuple[str, str]]) -> str:
    """entries: (url, lastmod ISO date or "")."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, lastmod in entries:
        lines.append(
            f"<url><loc>{escape(url)}</loc>"
            + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
            + "</url>"
        )
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"

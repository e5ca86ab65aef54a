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


EXPORT_PART_DOCS = 4000  # documents of a whole catalogue.json (about 1 KB each) or of one part


def export_parts(articles: list) -> list[tuple[str, list]] | None:
    """None while the catalogue is written whole; past EXPORT_PART_DOCS documents, its parts
    [(name, documents)]: one a year ("2015"), a year of more documents in parts of
    EXPORT_PART_DOCS ("2015-1", "2015-2"), so that no file passes about 5 MB and a new document
    rewrites its own year's part only."""
    if len(articles) <= EXPORT_PART_DOCS:
        return None
    years: dict[int, list] = {}
    for article in articles:
        years.setdefault(article.document.date.year, []).append(article)
    parts = []
    for year in sorted(years, reverse=True):
        docs = years[year]
        if len(docs) <= EXPORT_PART_DOCS:
            parts.append((str(year), docs))
            continue
        for number, start in enumerate(range(0, len(docs), EXPORT_PART_DOCS), 1):
            parts.append((f"{year}-{number}", docs[start : start + EXPORT_PART_DOCS]))
    return parts


def write_parts_json(handle, parts: list[tuple[str, int]], site_url: str, site_name: str) -> None:
    """catalogue.json of a catalogue in parts: each part's name, documents and files."""
    index = {
        "count": sum(count for _, count in parts),
        "site": site_name,
        "parts": [
            {
                "name": name,
                "count": count,
                "json": join(site_url, f"catalogue/{name}.json"),
                "csv": join(site_url, f"catalogue/{name}.csv"),
            }
            for name, count in parts
        ],
    }
    handle.write(json.dumps(index, ensure_ascii=False, sort_keys=True, indent=1) + "\n")


def write_parts_csv(handle, parts: list[tuple[str, int]], site_url: str) -> None:
    """catalogue.csv of a catalogue in parts: one row a part."""
    handle.write("\ufeff")
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(["分卷", "文件数", "目录数据（JSON）", "目录数据（CSV）"])
    for name, count in parts:
        writer.writerow(
            [
                name,
                count,
                join(site_url, f"catalogue/{name}.json"),
                join(site_url, f"catalogue/{name}.csv"),
            ]
        )


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


SITEMAP_URLS = 40000  # per sitemap file: the protocol allows 50,000 and 50 MB; ours stay < 5 MB


def sitemap_files(entries: list[tuple[str, str]], site_url: str) -> dict[str, str]:
    """sitemap.xml, or, past SITEMAP_URLS pages, a sitemap index (sitemap.xml) of sitemap-1.xml,
    sitemap-2.xml, … (search engines read both; robots.txt names sitemap.xml)."""
    if len(entries) <= SITEMAP_URLS:
        return {"sitemap.xml": sitemap_xml(entries)}
    files, parts = {}, []
    for number, start in enumerate(range(0, len(entries), SITEMAP_URLS), 1):
        part = entries[start : start + SITEMAP_URLS]
        files[f"sitemap-{number}.xml"] = sitemap_xml(part)
        parts.append((join(site_url, f"sitemap-{number}.xml"), max(d for _, d in part)))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        *(
            f"<sitemap><loc>{escape(url)}</loc>"
            + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
            + "</sitemap>"
            for url, lastmod in parts
        ),
        "</sitemapindex>",
    ]
    files["sitemap.xml"] = "\n".join(lines) + "\n"
    return files


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

"""annual_report: 政府信息公开工作年度报告 tables from data, checked, and the site's own
statistics."""

from __future__ import annotations

import re
from collections import defaultdict

from pelican import signals

from disclosure import run
from disclosure import signals as disclosure_signals
from disclosure.private_api import article_html, set_article_html
from domain.defaults import setting
from domain.problems import ERROR, WARNING, Problem
from domain.report_data import continuity_problems, data_file, load_report
from domain.report_stats import year_stats

from .render import tables

PLACEHOLDER = re.compile(r"<p>\s*[【\[]\s*(表[二三四])\s*[】\]]\s*</p>")
STAT_REFERENCE = re.compile(r"\{\{\s*stats\.(\w+)\s*\}\}")
# The figures a report body may quote as {{ stats.<name> }}; any other name stays as it was typed.
# The site's comparison with the report's own count is a check for editors, never a public figure.
STAT_FIELDS = ("year", "published_total", "normative_issued", "normative_repealed")


def _stat_text(stats, match) -> str:
    """A figure as text; a name that is not a figure (``by_node``, ``__class__``) is left alone."""
    if match.group(1) not in STAT_FIELDS:
        return match.group(0)
    value = getattr(stats, match.group(1))
    return "—" if value is None else str(int(value))


def report_column(site) -> str:
    return setting(site.settings, "ANNUAL_REPORT_COLUMN")


def check_reports(documents, site, kept: dict) -> list:
    """Front matter, table data, arithmetic, one report a year, continuity, stated vs counted
    items. The table data read is kept in the build's ``kept`` dict for the renderer."""
    loaded = kept["annual_report"] = {}  # source -> ReportData
    column = report_column(site)
    problems, by_year = [], defaultdict(list)
    for doc in documents:
        in_column = doc.column == column
        if doc.report_year is None:
            if in_column:
                year = doc.date.year - 1 if doc.date else 2014
                problems.append(
                    Problem(
                        doc.source,
                        doc.line("column") or 1,
                        ERROR,
                        "报告年度",
                        "年报栏目中的文件要写报告年度",
                        hint=f"加一行“报告年度: {year}”和一行“报告格式”（legacy、gb-2019 或 "
                        "gb-2021）",
                    )
                )
            continue
        if not in_column:
            problems.append(
                Problem(
                    doc.source,
                    doc.line("report_year"),
                    ERROR,
                    "报告年度",
                    "写了报告年度的文件必须放在年报栏目",
                    str(doc.report_year),
                    f"把栏目改为 {column}",
                )
            )
        by_year[doc.report_year].append(doc)
        fmt = doc.report_format
        if not fmt:
            problems.append(
                Problem(
                    doc.source,
                    doc.line("report_year"),
                    ERROR,
                    "报告格式",
                    "缺少报告格式",
                    hint="2019 年以前的年报写 legacy，2019、2020 年度写 gb-2019，2021 年度起写 "
                    "gb-2021",
                )
            )
        elif fmt != "legacy":
            report, found = load_report(site.content_root, doc.source, fmt)
            problems += found
            if report:
                loaded[doc.source] = report
        elif data_file(site.content_root, doc.source):
            problems.append(
                Problem(
                    doc.source,
                    doc.line("report_format"),
                    WARNING,
                    "报告格式",
                    "legacy 格式的年报不使用表格数据文件，旁边的 .yml 文件会被忽略",
                )
            )
        if doc.stated_published_total is not None:
            stats = year_stats(
                documents, site.catalogue, doc.report_year, doc.stated_published_total
            )
            if stats.difference:
                problems.append(
                    Problem(
                        doc.source,
                        doc.line("stated_published_total"),
                        WARNING,
                        "年报所述发布信息数",
                        f"年报写 {doc.report_year} 年发布信息 {doc.stated_published_total} 条，"
                        "本站收录该年信息 "
                        f"{stats.published_total} 条，相差 {stats.difference} 条",
                        str(doc.stated_published_total),
                        "若本站只收录了部分信息，请在年报正文中说明；否则请核对数字",
                    )
                )
    for year, docs in by_year.items():
        if len(docs) > 1:
            for doc in docs:
                others = "、".join(d.source for d in docs if d is not doc)
                problems.append(
                    Problem(
                        doc.source,
                        doc.line("report_year"),
                        ERROR,
                        "报告年度",
                        f"{year} 年度已有年报：{others}",
                        str(year),
                        "每个年度只能有一份年报",
                    )
                )
        previous = [d for d in by_year.get(year - 1, []) if d.source in loaded]
        for doc in docs:
            if doc.source in loaded and len(previous) == 1:
                problems += continuity_problems(loaded[doc.source], loaded[previous[0].source])
    return problems


def on_all_finalized(generators):
    """After the checks passed: tables into the report bodies, statistics and year neighbours."""
    state = run.of(generators[0]) if generators else None
    if state is None:
        return
    loaded = state.kept("annual_report")
    articles = [a for g in generators for a in getattr(g, "articles", [])]
    reports = sorted(
        (a for a in articles if a.document.report_year), key=lambda a: a.document.report_year
    )
    documents = list(state.documents.values())
    for i, article in enumerate(reports):
        doc = article.document
        stats = year_stats(
            documents, state.site.catalogue, doc.report_year, doc.stated_published_total
        )
        article.report_stats = stats
        article.report_neighbours = (
            reports[i - 1] if i else None,
            reports[i + 1] if i + 1 < len(reports) else None,
        )
        html = STAT_REFERENCE.sub(
            lambda m, stats=stats: _stat_text(stats, m), article_html(article)
        )
        if doc.source in loaded:
            html = _insert_tables(html, tables(loaded[doc.source]))
        set_article_html(article, html)


# Words by which a report's own heading names the section a table belongs to: the national
# section title first, then looser words. "（一）主动公开" under 一、总体情况 is not 表二's section
# when "二、主动公开政府信息情况" is there.
TABLE_TOPICS = {
    "表二": (("主动公开政府信息情况",), ("主动公开",)),
    "表三": (("收到和处理政府信息公开申请情况",), ("收到和处理", "依申请公开", "申请情况")),
    "表四": (
        ("行政复议、行政诉讼", "行政复议和行政诉讼", "行政复议及行政诉讼"),
        ("行政复议", "行政诉讼"),
    ),
}
HEADING = re.compile(r"<h([2-6])\b[^>]*>(.*?)</h\1>", re.S)


def _insert_tables(html: str, tables: dict) -> str:
    """At the editor's 【表二】【表三】【表四】 markers; else at the end of the report's own section
    on the topic (its heading, its numbering); else after the body. No heading is added."""
    if PLACEHOLDER.search(html):
        return PLACEHOLDER.sub(lambda m: tables[m.group(1)], html)
    headings = [
        (m.start(), m.end(), int(m.group(1)), re.sub(r"<[^>]+>", "", m.group(2)))
        for m in HEADING.finditer(html)
    ]
    inserts, rest = [], []
    for name, table in tables.items():
        ranked = [
            (rank, level, i)
            for i, (_, _, level, text) in enumerate(headings)
            for rank, words in enumerate(TABLE_TOPICS[name])
            if any(w in text for w in words)
        ]
        index = min(ranked)[2] if ranked else None  # the closest wording, then the upper level
        if index is None:
            rest.append(table)
            continue
        level = headings[index][2]
        end = next((h[0] for h in headings[index + 1 :] if h[2] <= level), len(html))
        inserts.append((end, table))
    at: dict[int, list] = {}
    for position, table in inserts:
        at.setdefault(position, []).append(table)
    for position in sorted(at, reverse=True):
        html = html[:position] + "".join(t + "\n" for t in at[position]) + html[position:]
    return html + "".join("\n" + table for table in rest)


def _on_collection_check(site, documents, kept) -> list:
    return check_reports(documents, site, kept)


def register():
    disclosure_signals.collection_check.connect(_on_collection_check)
    signals.all_generators_finalized.connect(on_all_finalized)

"""Data tables (数据表): the CSV/XLSX files a document names are checked (sums, numbers) with the
other content, then shown in its body as accessible tables, with a bar chart where the table asks
for one and a link to download the data (open data).

Where they go: at a ``【数据表】`` line in the body (all of them), at ``【数据表：文件名】`` (that
one), or else after the body. Reading and checking is domain code in ``domain.datatable``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html import escape
from pathlib import Path

from pelican import signals

from disclosure import run
from disclosure import signals as disclosure_signals
from disclosure.private_api import article_html, set_article_html
from domain.datatable import DataTable, read_tables

from .charts import bar_chart

MARKER = re.compile(r"<p>\s*【数据表(?:[:：]\s*([^】<]+))?】\s*</p>")


def check_tables(documents, site, kept: dict) -> list:
    """Read every data table now, so its problems stop the build with all the others. What was
    read is kept in the build's ``kept`` dict (document source -> [(data file, its tables)])."""
    found_by_source = kept["data_tables"] = {}
    problems = []
    for doc in documents:
        found = []
        for data_file in doc.data_tables:
            tables, issues = read_tables(site.content_root / data_file.source, data_file.source)
            found.append((data_file, tables))
            problems += issues
        if found:
            found_by_source[doc.source] = found
    return problems


def tables_of(state, source: str) -> list[tuple[object, list[DataTable]]]:
    """The data tables the build's check read for ``source``'s document."""
    return state.kept("data_tables").get(source, [])


def number_text(value, decimals: int) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:,.{decimals}f}"
    return str(value)


def render_table(table: DataTable, table_id: str) -> str:
    """An accessible table: caption with the unit, column and row headers, totals marked."""
    numeric = set(table.numeric_columns())
    decimals = {i: table.decimals(i) for i in numeric}
    unit = f"（单位：{escape(table.unit)}）" if table.unit else ""
    number_head = ' class="gk-num"'
    head = "".join(
        f'<th scope="col"{number_head if i - 1 in numeric else ""}>{escape(name)}</th>'
        for i, name in enumerate(table.header)
    )
    rows = []
    for row in table.rows:
        cells = "".join(
            f'<td class="gk-num{" gk-total" if table.columns[i] in table.total_columns else ""}">'
            f"{number_text(v, decimals[i])}</td>"
            if i in numeric
            else f"<td>{escape(number_text(v, 0))}</td>"
            for i, v in enumerate(row.cells)
        )
        total = ' class="gk-total"' if row.label in table.total_rows else ""
        rows.append(f'<tr{total}><th scope="row">{escape(row.label)}</th>{cells}</tr>')
    return (
        '<div class="gk-table-wrap" tabindex="0" role="region" '
        f'aria-labelledby="{table_id}-caption">\n'
        f'<table class="gk-data" id="{table_id}"><caption '
        f'id="{table_id}-caption">{escape(table.title)}{unit}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>\n</div>"
    )


def table_chart(table: DataTable, chart_id: str) -> str:
    """The table as bars: rows along the axis, one bar per numeric column (total rows and columns
    left out)."""
    columns = [i for i in table.numeric_columns() if table.columns[i] not in table.total_columns]
    rows = [r for r in table.rows if r.label not in table.total_rows]
    series = [(table.columns[i], [r.cells[i] for r in rows]) for i in columns]
    # The frame scrolls when 大/特大 make the chart wider than the screen (its labels grow with
    # the text); focusable, so the keyboard can scroll it too.
    return (
        '<figure class="gk-figure">'
        f'<div class="gk-chart-frame" tabindex="0" role="region" '
        f'aria-label="图：{escape(table.title)}">'
        f"{bar_chart(table.title, [r.label for r in rows], series, table.unit, chart_id)}</div>"
        f"<figcaption>图：{escape(table.title)}（数据见上表）</figcaption></figure>"
    )


def download_link(data_file) -> str:
    """Pelican's ``{static}`` link: it becomes the file's URL, relative or absolute as the page
    needs."""
    kind = Path(data_file.source).suffix.lstrip(".").upper()
    return (
        f'<p class="gk-download"><a href="{{static}}/{escape(data_file.source)}" '
        "download>下载数据："
        f"{escape(Path(data_file.source).name)}</a>（{kind}，{data_file.size / 1024:.1f} KB）</p>"
    )


def render_file(data_file, tables: list[DataTable], prefix: str) -> str:
    parts = []
    for n, table in enumerate(tables, start=1):
        table_id = f"{prefix}-{n}"
        parts.append(render_table(table, table_id))
        if table.chart:
            parts.append(table_chart(table, f"{table_id}-chart"))
    parts.append(download_link(data_file))
    return "\n".join(parts)


def on_all_finalized(generators):
    """After the checks passed: the tables go into the bodies (before pages and search use them)."""
    state = run.of(generators[0]) if generators else None
    if state is None:
        return
    for article in (a for g in generators for a in getattr(g, "articles", [])):
        found = tables_of(state, article.document.source)
        if not found:
            continue
        blocks = {
            data_file.name: render_file(data_file, tables, f"data-{i}")
            for i, (data_file, tables) in enumerate(found, start=1)
        }
        html, used = article_html(article), set()

        def place(match, blocks=blocks, used=used):
            names = (
                [match.group(1).strip()] if match.group(1) else [n for n in blocks if n not in used]
            )
            used.update(n for n in names if n in blocks)
            return "\n".join(blocks[n] for n in names if n in blocks) or match.group(0)

        html = MARKER.sub(place, html)
        rest = [block for name, block in blocks.items() if name not in used]
        set_article_html(article, html + ("\n" + "\n".join(rest) if rest else ""))


def _on_collection_check(site, documents, kept) -> list:
    return check_tables(documents, site, kept)


def register():
    disclosure_signals.collection_check.connect(_on_collection_check)
    signals.all_generators_finalized.connect(on_all_finalized)

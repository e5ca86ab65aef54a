"""Data tables (数据表) beside a document: budget and final-account tables, 三公经费, statistics.

A table is a CSV file (UTF-8) or an Excel workbook (.xlsx, every sheet a table). The first row
names the columns; the first column names the rows. Lines (rows) whose first cell starts with ``#``
are comments, and ``# 键: 值`` comments say what the table is:

* ``# 表名: 收支预算总表`` — the caption (default: the file name);
* ``# 单位: 万元`` — the unit of the numbers;
* ``# 合计行: 合计`` — the row named 合计 is the sum of all other rows; or, naming its parts,
  ``# 合计行: 收入合计 = 财政拨款收入 + 事业收入`` (one line per total row);
* ``# 合计列: 合计`` or ``# 合计列: 合计 = 基本支出 + 项目支出`` — the same for a column;
* ``# 图表: 柱状图`` — draw the table as a bar chart (rows along the axis, one bar per column).

Sums are checked exactly (to the cent for amounts in 元; to the last decimal written), and a
difference names the table, the row and the column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .problems import ERROR, WARNING, Problem

NUMBER_RE = re.compile(r"^[-−]?\d{1,3}(,\d{3})*(\.\d+)?$|^[-−]?\d+(\.\d+)?$")
DIRECTIVE_RE = re.compile(r"^#\s*(表名|单位|合计行|合计列|图表)\s*[:：]\s*(.*)$")
CHART_KINDS = ("柱状图",)
EXTENSIONS = ("csv", "xlsx")


@dataclass
class Row:
    label: str
    cells: list  # Decimal, str (text) or None (empty), one per value column
    line: int  # line in the CSV, or row in the sheet


@dataclass
class DataTable:
    source: str  # the data file, relative to the content folder
    sheet: str = ""  # the sheet of a workbook
    title: str = ""  # 表名
    unit: str = ""  # 单位
    header: list[str] = field(default_factory=list)  # [row-label heading, value column names…]
    rows: list[Row] = field(default_factory=list)
    total_rows: dict = field(
        default_factory=dict
    )  # total row label -> its parts (labels) or None: all others
    total_columns: dict = field(default_factory=dict)  # the same for columns
    chart: str = ""  # 柱状图 or ""
    directive_lines: dict = field(default_factory=dict)  # directive -> line

    @property
    def columns(self) -> list[str]:
        return self.header[1:]

    def numeric_columns(self) -> list[int]:
        """Value columns whose every non-empty cell is a number."""
        return [
            i
            for i in range(len(self.columns))
            if any(isinstance(r.cells[i], Decimal) for r in self.rows)
            and all(r.cells[i] is None or isinstance(r.cells[i], Decimal) for r in self.rows)
        ]

    def decimals(self, column: int) -> int:
        """How many decimals the column is written with (its widest number)."""
        return max(
            (
                max(0, -r.cells[column].as_tuple().exponent)
                for r in self.rows
                if isinstance(r.cells[column], Decimal)
            ),
            default=0,
        )

    def row(self, label: str) -> Row | None:
        return next((r for r in self.rows if r.label == label), None)

    @property
    def where(self) -> str:
        return f"表“{self.title}”" + (
            f"（工作表 {self.sheet}）" if self.sheet and self.sheet != self.title else ""
        )


def parse_number(text: str) -> Decimal | None:
    cleaned = text.strip().replace("，", ",").replace("−", "-").replace(" ", "")
    if not cleaned or cleaned in ("-", "—", "/"):
        return None
    if not NUMBER_RE.match(cleaned):
        raise ValueError(text)
    return Decimal(cleaned.replace(",", ""))


# Limits far above any published table (a budget table has tens of rows, a statistics table a few
# thousand); past them a file is refused before it is read, not after it has filled the memory.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # an .xlsx is a zip: what its parts unpack to
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_CELLS = 400_000


def _too_big(rel: str, what: str) -> list[Problem]:
    return [
        Problem(
            rel,
            0,
            ERROR,
            "数据表",
            f"数据表太大：{what}",
            rel,
            f"网页上的数据表最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列；更大的数据请作为附件提供下载",
        )
    ]


def _limited(rows, rel: str):
    """The rows, or the problem when there are too many rows, columns or cells."""
    kept, cells = [], 0
    for n, values in rows:
        if n > MAX_ROWS:
            return None, _too_big(rel, f"超过 {MAX_ROWS} 行")
        width = len(values)
        while width and not values[width - 1]:
            width -= 1
        if width > MAX_COLUMNS:
            return None, _too_big(rel, f"第 {n} 行超过 {MAX_COLUMNS} 列")
        cells += width
        if cells > MAX_CELLS:
            return None, _too_big(rel, f"超过 {MAX_CELLS} 个单元格")
        kept.append((n, values[:width]))
    return kept, []


def read_tables(path: Path, rel: str) -> tuple[list[DataTable], list[Problem]]:
    """Every table in a data file, with the problems found reading it."""
    extension = path.suffix.lower().lstrip(".")
    if path.stat().st_size > MAX_FILE_BYTES:
        return [], _too_big(rel, f"文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB")
    if extension == "csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [
                Problem(
                    rel,
                    0,
                    ERROR,
                    "数据表",
                    "CSV 文件不是 UTF-8 编码（Excel 默认另存的 CSV 是 GBK 编码）",
                    hint="在 Excel 中“另存为”选择“CSV UTF-8（逗号分隔）”，或直接提交 .xlsx 文件",
                )
            ]
        try:
            rows, problems = _limited(enumerate(csv.reader(io.StringIO(text)), start=1), rel)
        except csv.Error as exc:
            return [], [
                Problem(
                    rel,
                    0,
                    ERROR,
                    "数据表",
                    f"CSV 文件格式错误：{exc}",
                    rel,
                    "用 Excel 打开后另存为“CSV UTF-8（逗号分隔）”",
                )
            ]
        return _parse(rel, "", Path(rel).stem, rows) if rows is not None else ([], problems)
    if extension == "xlsx":
        return _read_workbook(path, rel)
    return [], [
        Problem(
            rel,
            0,
            ERROR,
            "数据表",
            "数据表只能是 .csv 或 .xlsx 文件",
            rel,
            "在 Excel 中另存为 .xlsx 或“CSV UTF-8”",
        )
    ]


def _read_workbook(path: Path, rel: str) -> tuple[list[DataTable], list[Problem]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNZIPPED_BYTES:
            return [], _too_big(rel, f"解压后超过 {MAX_UNZIPPED_BYTES // 1024 // 1024} MB")
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        return [], [
            Problem(
                rel,
                0,
                ERROR,
                "数据表",
                f"无法读取这个 Excel 文件（{type(exc).__name__}）",
                rel,
                "用 Excel 或 WPS 打开后另存为 .xlsx 再提交",
            )
        ]
    tables, problems = [], []
    for sheet in book.worksheets:
        # The declared size (<dimension ref="A1:XFD1048576"/>) is not trusted: only cells that
        # exist.
        sheet.reset_dimensions()
        rows, issues = _limited(
            (
                (n, ["" if v is None else _cell_text(v) for v in values])
                for n, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ),
            rel,
        )
        if rows is None:
            book.close()
            return [], issues
        if any(any(c.strip() for c in cells) for _, cells in rows):
            found, issues = _parse(rel, sheet.title, sheet.title, rows)
            tables += found
            problems += issues + _uncalculated(path, rel, sheet.title, rows)
    book.close()
    return tables, problems


def _uncalculated(path: Path, rel: str, title: str, rows) -> list[Problem]:
    """Formula cells the file keeps no result for (workbooks written by programs other than Excel
    or WPS): shown empty on the page, so said, never silently."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book = load_workbook(path, read_only=True, data_only=False)
    try:
        sheet = book[title]
        sheet.reset_dimensions()
        found = []
        for (n, cells), formulas in zip(rows, sheet.iter_rows(values_only=True)):
            found += [
                f"{get_column_letter(col + 1)}{n}"
                for col, formula in enumerate(formulas)
                if isinstance(formula, str)
                and formula.startswith("=")
                and (col >= len(cells) or not cells[col])
            ]
    finally:
        book.close()
    if not found:
        return []
    cells = "、".join(found[:10]) + ("等" if len(found) > 10 else "")
    return [
        Problem(
            rel,
            0,
            WARNING,
            "数据表",
            f"工作表“{title}”的 {cells} 是公式，但文件里没有保存计算结果，网页上会显示为空",
            rel,
            "用 Excel 或 WPS 打开这个文件、保存一次后再提交",
        )
    ]


def _cell_text(value) -> str:
    if isinstance(value, float):
        # Excel keeps 4102.5 for a cell shown as 4,102.50, and a formula's result with binary noise
        # (4386.200000000001): 15 significant digits give back the number as written.
        text = format(value, ".15g")
        return text if "e" not in text else format(value, "f")
    return str(value)


def _parse(rel: str, sheet: str, default_title: str, rows) -> tuple[list[DataTable], list[Problem]]:
    table = DataTable(rel, sheet, default_title)
    problems = []
    where = f"（工作表 {sheet}）" if sheet else ""

    def problem(line, message, value="", hint="", severity=ERROR):
        problems.append(Problem(rel, line, severity, "数据表", message + where, value, hint))

    for line, cells in rows:
        first = cells[0].strip() if cells else ""
        if first.startswith("#"):
            # A CSV comment may contain commas (the reader split it); a sheet's sits in its first
            # cell.
            comment = first if sheet else ",".join(c for c in cells if c).strip()
            directive = DIRECTIVE_RE.match(comment)
            if directive:
                _directive(table, directive.group(1), directive.group(2).strip(), line, problem)
            continue
        if not any(c.strip() for c in cells):
            continue
        if not table.header:
            table.header = [c.strip() for c in cells]
            while table.header and not table.header[-1]:
                table.header.pop()
            continue
        values = [c.strip() for c in cells[1 : len(table.header)]]
        values += [""] * (len(table.header) - 1 - len(values))
        if any(c.strip() for c in cells[len(table.header) :]):
            problem(
                line,
                f"这一行比表头多出 {len([c for c in cells[len(table.header) :] if c.strip()])} 格",
                ",".join(cells),
                "删掉多出的格，或在第一行补上列名",
            )
        parsed = []
        for _column, value in zip(table.columns, values):
            try:
                parsed.append(parse_number(value))
            except ValueError:
                parsed.append(value)
        if not first:
            problem(line, "这一行没有行名（第一格是空的）", ",".join(cells), "在第一格写上项目名称")
        table.rows.append(Row(first, parsed, line))
    if not table.header:
        problem(0, "数据表是空的，没有表头", "", "第一行写列名，下面每行一个项目")
        return [], problems
    for i, column in enumerate(table.columns):
        texts = [(r, r.cells[i]) for r in table.rows if isinstance(r.cells[i], str) and r.cells[i]]
        numbers = [r for r in table.rows if isinstance(r.cells[i], Decimal)]
        if texts and numbers:
            row, value = texts[0]
            problem(
                row.line,
                f"【{row.label}】【{column}】应填写数字",
                value,
                "数字只写阿拉伯数字，可用千分位逗号；没有的填 0 或留空",
            )
    problems += check_totals(table)
    if table.chart and not table.numeric_columns():
        problem(
            table.directive_lines["图表"],
            "表中没有数字列，画不出图表",
            table.chart,
            "删掉“# 图表”一行",
            WARNING,
        )
    return [table], problems


def _directive(table, key, value, line, problem):
    table.directive_lines[key] = line
    if key == "表名":
        table.title = value or table.title
    elif key == "单位":
        table.unit = value
    elif key == "图表":
        if value not in CHART_KINDS:
            problem(line, "图表只能是 " + "、".join(CHART_KINDS), value)
        else:
            table.chart = value
    else:
        target = table.total_rows if key == "合计行" else table.total_columns
        for part in re.split(r"[;；]", value):
            if not part.strip():
                continue
            name, _, formula = part.partition("=")
            parts = [p.strip() for p in re.split(r"[+＋]", formula)] if formula.strip() else None
            target[name.strip()] = parts


def _format(value: Decimal) -> str:
    return f"{value:,}"


def check_totals(table: DataTable) -> list[Problem]:
    """Every total row and total column against the sum of its parts, cell by cell."""
    problems = []
    numeric = table.numeric_columns()
    labels = [r.label for r in table.rows]
    for total, parts in table.total_rows.items():
        row = table.row(total)
        line = table.directive_lines.get("合计行", 0)
        if row is None:
            problems.append(
                Problem(
                    table.source,
                    line,
                    ERROR,
                    "数据表",
                    f"{table.where}：合计行“{total}”不在表中",
                    total,
                    "行名要与表中第一列完全一致",
                )
            )
            continue
        names = (
            parts
            if parts is not None
            else [r.label for r in table.rows if r.label not in table.total_rows]
        )
        missing = [n for n in names if n not in labels]
        if missing:
            problems.append(
                Problem(
                    table.source,
                    line,
                    ERROR,
                    "数据表",
                    f"{table.where}：合计行“{total}”的组成项“{'、'.join(missing)}”不在表中",
                    "、".join(missing),
                    "行名要与表中第一列完全一致",
                )
            )
            continue
        for i in numeric:
            expected = sum((table.row(n).cells[i] or Decimal(0) for n in names), Decimal(0))
            problems += _compare(
                table, row.line, total, table.columns[i], row.cells[i], expected, " + ".join(names)
            )
    for total, parts in table.total_columns.items():
        line = table.directive_lines.get("合计列", 0)
        if total not in table.columns:
            problems.append(
                Problem(
                    table.source,
                    line,
                    ERROR,
                    "数据表",
                    f"{table.where}：合计列“{total}”不在表中",
                    total,
                    "列名要与表头完全一致",
                )
            )
            continue
        names = (
            parts
            if parts is not None
            else [table.columns[i] for i in numeric if table.columns[i] not in table.total_columns]
        )
        missing = [n for n in names if n not in table.columns]
        if missing:
            problems.append(
                Problem(
                    table.source,
                    line,
                    ERROR,
                    "数据表",
                    f"{table.where}：合计列“{total}”的组成项“{'、'.join(missing)}”不在表头中",
                    "、".join(missing),
                    "列名要与表头完全一致",
                )
            )
            continue
        column = table.columns.index(total)
        indexes = [table.columns.index(n) for n in names]
        for row in table.rows:
            expected = sum(
                (row.cells[j] for j in indexes if isinstance(row.cells[j], Decimal)), Decimal(0)
            )
            problems += _compare(
                table, row.line, row.label, total, row.cells[column], expected, " + ".join(names)
            )
    return problems


def _compare(table, line, row, column, written, expected, formula) -> list[Problem]:
    if written is None or not isinstance(written, Decimal):
        return [
            Problem(
                table.source,
                line,
                ERROR,
                "数据表",
                f"{table.where}【{row}】【{column}】：合计格是空的",
                "",
                f"填写 {_format(expected)}（{formula}）",
            )
        ]
    if written == expected:
        return []
    return [
        Problem(
            table.source,
            line,
            ERROR,
            "数据表",
            f"{table.where}【{row}】【{column}】：合计为 {_format(written)}，但 {formula} = "
            f"{_format(expected)}，"
            f"相差 {_format(written - expected)}",
            _format(written),
            "核对这一格和各组成项；合计应等于各项之和",
        )
    ]

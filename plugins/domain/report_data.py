"""Annual-report table data (``report.md`` → ``report.yml``): loading, completeness and arithmetic.

Every problem names the table, the row and the column, in the standard's own labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .config_files import LINE_KEY, load_yaml
from .problems import ERROR, WARNING, Problem
from .report_formats import (
    APPLICANTS,
    DECIMAL_COLUMNS,
    ORGANISATIONS,
    SIGNED_COLUMNS,
    TABLE_2,
    TABLE_3,
    TABLE_4_COLUMNS,
    TABLE_4_GROUPS,
    leaf_rows,
    result_rows,
)

TABLE_NAMES = {
    "table_2": "表二（主动公开政府信息情况）",
    "table_3": "表三（收到和处理政府信息公开申请情况）",
    "table_4": "表四（政府信息公开行政复议、行政诉讼情况）",
}


@dataclass(frozen=True)
class Cell:
    """One published figure: the text as the report prints it, and the number inside it."""

    text: str  # exactly as written: "4068.208", "22（其中修订16件）", "/", ""
    number: Decimal  # the figure checked by the arithmetic; 0 for a cell with nothing to report
    empty: bool = False  # blank, "/", "—", "-" or "无": nothing to report, counted as 0
    line: int = 0


@dataclass
class ReportData:
    fmt: str
    source: str  # the .yml file, relative to content/
    table_2: dict = field(default_factory=dict)  # row label -> column label -> Cell
    table_3: dict = field(default_factory=dict)  # row key -> column key -> Cell
    table_4: dict = field(default_factory=dict)  # group key -> column key -> Cell
    written_labels: dict = field(default_factory=dict)  # national label -> the report's own wording
    labels_as_written: bool = False  # show the report's own wording instead of the national label


NOTHING_TO_REPORT = {"", "/", "／", "—", "——", "-", "－", "--", "无", "－－", "―"}
FIGURE = re.compile(r"[-−－]?\d[\d,，]*(?:\.\d+)?")
# Wordings of real reports for the national labels (the 2019 format's, and common shortenings).
LABEL_ALIASES = {
    "规范性文件": "行政规范性文件",
    "行政规范性文件": "规范性文件",
    "本年新制作数量": "本年制发件数",
    "对外公开总数量": "现行有效件数",
    "处理决定数量": "本年处理决定数量",
    "本年处理决定数量": "处理决定数量",
    "本年收费金额万元": "本年收费金额（单位：万元）",
    "采购总金额万元": "采购总金额",
}
AS_WRITTEN = {"labels", "标签"}
TEMPLATE_MARK = (
    "模板"  # `invoke new` writes "模板: 未填写"; the editor deletes it when the tables are filled
)


def normal(label: str) -> str:
    """A label compared loosely: no blanks, quotes, numbering or bracketed notes."""
    text = re.sub(r"\s+", "", str(label))
    text = re.sub(
        r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、])", "", text
    )
    text = re.sub(r"[（(][^（()）]*[)）]", "", text)
    return re.sub(r"[“”\"'‘’：:，,。]", "", text)


def read_cell(value, line: int) -> tuple[Cell | None, str]:
    """The cell of a written value, or None and why it is not a figure."""
    if isinstance(value, (dict, list)):
        return None, "应填写数字"
    text = "" if value is None else str(value).strip()
    if text in NOTHING_TO_REPORT:
        return Cell(text, Decimal(0), True, line), ""
    match = FIGURE.search(text)
    if not match:
        return None, "应填写数字"
    figure = match.group(0).replace(",", "").replace("，", "").replace("−", "-").replace("－", "-")
    try:
        number = Decimal(figure)
    except InvalidOperation:
        return None, "应填写数字"
    return Cell(text, number, False, line), ""


def data_file(content_root: Path, source: str) -> Path | None:
    base = content_root / source
    for suffix in (".yml", ".yaml"):
        candidate = base.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def load_report(
    content_root: Path, source: str, fmt: str
) -> tuple[ReportData | None, list[Problem]]:
    """Read and check the tables of one report; None when they cannot be used."""
    path = data_file(content_root, source)
    expected = Path(source).with_suffix(".yml").as_posix()
    if path is None:
        return None, [
            Problem(
                source,
                0,
                ERROR,
                "报告格式",
                f"{fmt} 格式的年报需要表格数据文件 {expected}",
                hint="在年报旁边新建同名 .yml 文件，按编辑指南填写表二、表三、表四",
            )
        ]
    rel = path.relative_to(content_root).as_posix()
    raw, problems = load_yaml(path, rel, as_text=True)
    if raw is None:
        return None, problems
    report = ReportData(fmt, rel)
    checker = _Checker(report, raw if isinstance(raw, dict) else {}, problems)
    checker.run()
    return (None if any(p.is_error for p in problems) else report), problems


class _Checker:
    def __init__(self, report: ReportData, raw: dict, problems: list[Problem]):
        self.report, self.raw, self.problems = report, raw, problems
        self.empty_used: dict[
            str, list
        ] = {}  # table -> cells with nothing to report that sums used

    def error(self, table, row, column, message, line=0, value="", hint="", severity=ERROR):
        where = (
            TABLE_NAMES[table] + (f"【{row}】" if row else "") + (f"【{column}】" if column else "")
        )
        self.problems.append(
            Problem(self.report.source, line, severity, where, message, str(value), hint)
        )

    def run(self):
        for key in self.raw:
            if key == TEMPLATE_MARK:
                self.problems.append(
                    Problem(
                        self.report.source,
                        self.raw.get(LINE_KEY, 1),
                        ERROR,
                        TEMPLATE_MARK,
                        "这是 invoke new 生成的表格模板，还没有照年报填写",
                        str(self.raw[key]),
                        hint=f"照年报填好每一格后，删除“{TEMPLATE_MARK}: 未填写”这一行",
                    )
                )
            elif key == "report":  # the web editor's note of the report this data belongs to
                continue
            elif key in AS_WRITTEN:
                self.report.labels_as_written = str(self.raw[key]).strip() in ("as-written", "原文")
            elif key not in TABLE_NAMES and key != LINE_KEY:
                self.problems.append(
                    Problem(
                        self.report.source,
                        self.raw.get(LINE_KEY, 0),
                        ERROR,
                        str(key),
                        "不认识这个表名",
                        hint="只能是 table_2、table_3、table_4（或 标签: 原文）",
                    )
                )
        fmt = self.report.fmt
        self.report.table_2 = self.grid(
            "table_2",
            [(r, r) for _, _, rows in TABLE_2[fmt] for r in rows],
            {r: [(c, c) for c in cols] for _, cols, rows in TABLE_2[fmt] for r in rows},
        )
        rows_3 = [(r.key, r.label) for r in leaf_rows(TABLE_3[fmt])]
        self.report.table_3 = self.grid("table_3", rows_3, {k: APPLICANTS for k, _ in rows_3})
        self.report.table_4 = self.grid(
            "table_4", TABLE_4_GROUPS, {k: TABLE_4_COLUMNS for k, _ in TABLE_4_GROUPS}
        )
        if not any(p.is_error for p in self.problems):
            self.arithmetic(rows_3)
            self.report_empty_cells()

    def match(self, written: dict, wanted: list[tuple[str, str]]) -> tuple[dict, list]:
        """Written key -> wanted key, by key, label, loose label or alias; and the unknown keys."""
        exact = {key: key for key, _ in wanted} | {label: key for key, label in wanted}
        loose = {normal(label): key for key, label in wanted} | {
            normal(key): key for key, _ in wanted
        }
        found, unknown = {}, []
        for name in written:
            if name == LINE_KEY:
                continue
            key = exact.get(name) or loose.get(normal(name))
            if key is None and normal(name) in LABEL_ALIASES:
                key = loose.get(normal(LABEL_ALIASES[normal(name)]))
            if key is None or key in found.values():
                unknown.append(name)
            else:
                found[name] = key
        return {key: name for name, key in found.items()}, unknown

    def grid(self, table, rows, columns_of) -> dict:
        """Every row and column of the format present, each a figure of the right kind."""
        section = self.raw.get(table)
        line = self.raw.get(LINE_KEY, 0)
        if not isinstance(section, dict):
            self.error(
                table,
                "",
                "",
                "缺少这张表的数据",
                line,
                hint=f"在文件中加上 {table}:，按编辑指南填写每一行",
            )
            return {}
        out = {}
        labels = dict(rows)
        written_rows, unknown = self.match(section, rows)
        for name in unknown:
            cells = section.get(name)
            row_line = (
                cells.get(LINE_KEY, 0) if isinstance(cells, dict) else section.get(LINE_KEY, 0)
            )
            self.error(
                table,
                str(name),
                "",
                "这一行不属于本格式的表格",
                row_line,
                hint="行名必须与标准一致：" + "、".join(list(labels.values())[:4]) + "……",
            )
        for key, label in rows:
            name = written_rows.get(key)
            cells = section.get(name) if name is not None else None
            row_line = (
                cells.get(LINE_KEY, 0) if isinstance(cells, dict) else section.get(LINE_KEY, 0)
            )
            if not isinstance(cells, dict):
                self.error(
                    table,
                    label,
                    "",
                    "缺少这一行",
                    row_line,
                    hint="表格每一行都要照年报填写，没有的照年报填 0、/ 或留空",
                )
                continue
            if name != key and name != label:
                self.report.written_labels[label] = str(name)
            written_columns, unknown_columns = self.match(cells, columns_of[key])
            for column in unknown_columns:
                self.error(
                    table,
                    label,
                    str(column),
                    "这一列不属于本格式的表格",
                    row_line,
                    hint="列名必须与标准一致：" + "、".join(dict(columns_of[key]).values()),
                )
            out[key] = {}
            for column, column_label in columns_of[key]:
                written = written_columns.get(column)
                if written is None:
                    self.error(
                        table,
                        label,
                        column_label,
                        "缺少这一格",
                        row_line,
                        hint="照年报填写：没有的照年报填 0、/、— 或留空（写成“列名:”）",
                    )
                    continue
                if written != column and written != column_label:
                    self.report.written_labels[column_label] = str(written)
                cell, problem = read_cell(cells[written], row_line)
                if cell is not None:
                    problem = _number_problem(cell, column_label)
                if problem:
                    self.error(table, label, column_label, problem, row_line, cells[written])
                else:
                    out[key][column] = cell
        return out

    def total(self, table: str, cells: list[Cell]) -> Decimal:
        self.empty_used.setdefault(table, []).extend(c for c in cells if c.empty)
        return sum((c.number for c in cells), Decimal(0))

    def arithmetic(self, rows_3):
        t3, t4, labels = self.report.table_3, self.report.table_4, dict(rows_3)
        columns = dict(APPLICANTS)
        for column, column_label in APPLICANTS:
            new, carried_in = t3["new"][column], t3["carried_in"][column]
            done, carried_out = t3["processed_total"][column], t3["carried_out"][column]
            left = self.total("table_3", [new, carried_in])
            right = self.total("table_3", [done, carried_out])
            if left != right:
                self.error(
                    "table_3",
                    "勾稽关系",
                    column_label,
                    f"本年新收 {new.text or 0} + 上年结转 {carried_in.text or 0} = {left}，"
                    f"但办理结果总计 {done.text or 0} + 结转下年度 {carried_out.text or 0} = "
                    f"{right}",
                    new.line,
                    hint="第一项加第二项之和，应等于第三项加第四项之和",
                )
            parts = self.total("table_3", [t3[r.key][column] for r in result_rows(self.report.fmt)])
            if parts != self.total("table_3", [done]):
                self.error(
                    "table_3",
                    labels["processed_total"],
                    column_label,
                    f"（七）总计为 {done.text or 0}，但（一）至（六）各项之和为 {parts}",
                    done.line,
                    hint="总计应等于予以公开、部分公开、不予公开、无法提供、不予处理、其他处理各项之和",
                )
        for key, label in rows_3:
            row = t3[key]
            parts = self.total("table_3", [row["natural"]] + [row[c] for c in ORGANISATIONS])
            if parts != self.total("table_3", [row["total"]]):
                self.error(
                    "table_3",
                    label,
                    columns["total"],
                    f"总计为 {row['total'].text or 0}，但自然人与各类法人或其他组织之和为 {parts}",
                    row["total"].line,
                    hint="总计列应等于左边六列之和",
                )
        for group, label in TABLE_4_GROUPS:
            cells = t4[group]
            parts = self.total("table_4", [cells[c] for c, _ in TABLE_4_COLUMNS[:4]])
            if parts != self.total("table_4", [cells["total"]]):
                self.error(
                    "table_4",
                    label,
                    "总计",
                    f"总计为 {cells['total'].text or 0}，但维持、纠正、其他、尚未审结之和为 "
                    f"{parts}",
                    cells["total"].line,
                    hint="总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
                )

    def report_empty_cells(self):
        for table, cells in self.empty_used.items():
            unique = list({id(c): c for c in cells}.values())  # equal cells of a row are still many
            if not unique:
                continue
            shown = "、".join(sorted({f"“{c.text}”" if c.text else "空白" for c in unique}))
            self.error(
                table,
                "",
                "",
                f"有 {len(unique)} 格填的是{shown}，核对合计时按 0 计算",
                unique[0].line,
                hint="页面照原样显示这些格；若其中有应填数字的格，请照年报改成数字",
                severity=WARNING,
            )


def _number_problem(cell: Cell, column_label: str) -> str | None:
    if cell.empty:
        return None
    if cell.number != cell.number.to_integral_value() and column_label not in DECIMAL_COLUMNS:
        return "件数应为整数"
    if cell.number < 0 and column_label not in SIGNED_COLUMNS:
        return "不能是负数"
    return None


def skeleton(fmt: str) -> str:
    """The table data file `invoke new` writes beside a new report: every row and column, each cell
    0, headed by the template mark so that it cannot be published unfilled."""
    lines = [
        f"# {fmt} 格式年报的表格数据。照年报填写每一格（空白、/、— 照抄），填好后删除下面这一行。",
        f"{TEMPLATE_MARK}: 未填写",
        "table_2:",
    ]
    for _, columns, rows in TABLE_2[fmt]:
        lines += [f"  {row}: {{{', '.join(f'{c}: 0' for c in columns)}}}" for row in rows]
    lines.append("table_3:")
    zeros = ", ".join(f"{label}: 0" for _, label in APPLICANTS)
    lines += [f"  {row.label}: {{{zeros}}}" for row in leaf_rows(TABLE_3[fmt])]
    lines.append("table_4:")
    zeros = ", ".join(f"{label}: 0" for _, label in TABLE_4_COLUMNS)
    lines += [f"  {label}: {{{zeros}}}" for _, label in TABLE_4_GROUPS]
    return "\n".join(lines) + "\n"


def continuity_problems(current: ReportData, previous: ReportData) -> list[Problem]:
    """表二 现行有效件数(Y) = 现行有效件数(Y-1) + 本年制发件数(Y) - 本年废止件数(Y) (gb-2021; a
    warning)."""
    if current.fmt != "gb-2021" or previous.fmt != "gb-2021":
        return []
    problems = []
    for row in ("规章", "行政规范性文件"):
        now, before = current.table_2[row], previous.table_2[row]
        expected = (
            before["现行有效件数"].number + now["本年制发件数"].number - now["本年废止件数"].number
        )
        if expected != now["现行有效件数"].number:
            problems.append(
                Problem(
                    current.source,
                    now["现行有效件数"].line,
                    WARNING,
                    f"{TABLE_NAMES['table_2']}【{row}】【现行有效件数】",
                    f"上年现行有效 {before['现行有效件数'].number} + 本年制发 "
                    f"{now['本年制发件数'].number} - "
                    f"本年废止 {now['本年废止件数'].number} = {expected}，但本年填写 "
                    f"{now['现行有效件数'].text}",
                    now["现行有效件数"].text,
                    "核对本年和上年年报的数字",
                )
            )
    return problems

"""Annual-report table data (``report.md`` → ``report.yml``): loading, completeness and arithmetic.

Every problem names the table, the row and the column, in the standard's own labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from disclosure.config_files import LINE_KEY, load_yaml
from disclosure.problems import ERROR, WARNING, Problem

from .formats import (APPLICANTS, DECIMAL_COLUMNS, ORGANISATIONS, SIGNED_COLUMNS, TABLE_2, TABLE_3,
                      TABLE_4_COLUMNS, TABLE_4_GROUPS, leaf_rows, result_rows)

TABLE_NAMES = {"table_2": "表二（主动公开政府信息情况）", "table_3": "表三（收到和处理政府信息公开申请情况）",
               "table_4": "表四（政府信息公开行政复议、行政诉讼情况）"}


@dataclass
class ReportData:
    fmt: str
    source: str  # the .yml file, relative to content/
    table_2: dict = field(default_factory=dict)  # row label -> column label -> number
    table_3: dict = field(default_factory=dict)  # row key -> column key -> number
    table_4: dict = field(default_factory=dict)  # group key -> column key -> number


def data_file(content_root: Path, source: str) -> Path | None:
    base = content_root / source
    for suffix in (".yml", ".yaml"):
        candidate = base.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def load_report(content_root: Path, source: str, fmt: str) -> tuple[ReportData | None, list[Problem]]:
    """Read and check the tables of one report; None when they cannot be used."""
    path = data_file(content_root, source)
    expected = Path(source).with_suffix(".yml").as_posix()
    if path is None:
        return None, [Problem(source, 0, ERROR, "报告格式", f"{fmt} 格式的年报需要表格数据文件 {expected}",
                              hint="在年报旁边新建同名 .yml 文件，按编辑指南填写表二、表三、表四")]
    rel = path.relative_to(content_root).as_posix()
    raw, problems = load_yaml(path, rel)
    if raw is None:
        return None, problems
    report = ReportData(fmt, rel)
    checker = _Checker(report, raw if isinstance(raw, dict) else {}, problems)
    checker.run()
    return (None if any(p.is_error for p in problems) else report), problems


class _Checker:
    def __init__(self, report: ReportData, raw: dict, problems: list[Problem]):
        self.report, self.raw, self.problems = report, raw, problems

    def error(self, table, row, column, message, line=0, value="", hint="", severity=ERROR):
        where = TABLE_NAMES[table] + (f"【{row}】" if row else "") + (f"【{column}】" if column else "")
        self.problems.append(Problem(self.report.source, line, severity, where, message, str(value), hint))

    def run(self):
        for key in self.raw:
            if key not in TABLE_NAMES and key != LINE_KEY:
                self.problems.append(Problem(self.report.source, self.raw.get(LINE_KEY, 0), ERROR, str(key),
                                             "不认识这个表名", hint="只能是 table_2、table_3、table_4"))
        fmt = self.report.fmt
        self.report.table_2 = self.grid("table_2", [(r, r) for _, _, rows in TABLE_2[fmt] for r in rows],
                                        {r: [(c, c) for c in cols] for _, cols, rows in TABLE_2[fmt] for r in rows})
        rows_3 = [(r.key, r.label) for r in leaf_rows(TABLE_3[fmt])]
        self.report.table_3 = self.grid("table_3", rows_3, {k: APPLICANTS for k, _ in rows_3})
        self.report.table_4 = self.grid("table_4", TABLE_4_GROUPS, {k: TABLE_4_COLUMNS for k, _ in TABLE_4_GROUPS})
        if not any(p.is_error for p in self.problems):
            self.arithmetic(rows_3)

    def grid(self, table, rows, columns_of) -> dict:
        """Every row and column of the format present, each a number of the right kind."""
        section = self.raw.get(table)
        line = self.raw.get(LINE_KEY, 0)
        if not isinstance(section, dict):
            self.error(table, "", "", "缺少这张表的数据", line, hint=f"在文件中加上 {table}:，按编辑指南填写每一行")
            return {}
        out = {}
        labels = dict(rows)
        for key in section:
            if key != LINE_KEY and key not in labels:
                self.error(table, str(key), "", "这一行不属于本格式的表格", section.get(LINE_KEY, 0),
                           hint="行名必须与标准完全一致：" + "、".join(list(labels)[:4]) + "……")
        for key, label in rows:
            cells = section.get(key)
            row_line = cells.get(LINE_KEY, 0) if isinstance(cells, dict) else section.get(LINE_KEY, 0)
            if not isinstance(cells, dict):
                self.error(table, label, "", "缺少这一行", row_line, hint="表格每一行都要填写，没有的填 0")
                continue
            names = dict(columns_of[key])
            for column in cells:
                if column != LINE_KEY and column not in names:
                    self.error(table, label, str(column), "这一列不属于本格式的表格", row_line,
                               hint="列名必须与标准完全一致：" + "、".join(names))
            out[key] = {}
            for column, column_label in columns_of[key]:
                if column not in cells:
                    self.error(table, label, column_label, "缺少这一格", row_line, hint="没有的填 0，不能空着")
                    continue
                value = cells[column]
                problem = _number_problem(value, column_label)
                if problem:
                    self.error(table, label, column_label, problem, row_line, value)
                else:
                    out[key][column] = value
        return out

    def arithmetic(self, rows_3):
        t3, t4, labels = self.report.table_3, self.report.table_4, dict(rows_3)
        columns = dict(APPLICANTS)
        line = self.raw["table_3"].get(LINE_KEY, 0)
        for column, column_label in APPLICANTS:
            left = t3["new"][column] + t3["carried_in"][column]
            right = t3["processed_total"][column] + t3["carried_out"][column]
            if left != right:
                self.error("table_3", "勾稽关系", column_label,
                           f"本年新收 {t3['new'][column]} + 上年结转 {t3['carried_in'][column]} = {left}，"
                           f"但办理结果总计 {t3['processed_total'][column]} + 结转下年度 {t3['carried_out'][column]} = {right}",
                           line, hint="第一项加第二项之和，应等于第三项加第四项之和")
            parts = sum(t3[r.key][column] for r in result_rows(self.report.fmt))
            if parts != t3["processed_total"][column]:
                self.error("table_3", labels["processed_total"], column_label,
                           f"（七）总计为 {t3['processed_total'][column]}，但（一）至（六）各项之和为 {parts}",
                           line, hint="总计应等于予以公开、部分公开、不予公开、无法提供、不予处理、其他处理各项之和")
        for key, label in rows_3:
            parts = t3[key]["natural"] + sum(t3[key][c] for c in ORGANISATIONS)
            if parts != t3[key]["total"]:
                self.error("table_3", label, columns["total"],
                           f"总计为 {t3[key]['total']}，但自然人与各类法人或其他组织之和为 {parts}", line,
                           hint="总计列应等于左边六列之和")
        line = self.raw["table_4"].get(LINE_KEY, 0)
        for group, label in TABLE_4_GROUPS:
            cells = t4[group]
            parts = sum(cells[c] for c, _ in TABLE_4_COLUMNS[:4])
            if parts != cells["total"]:
                self.error("table_4", label, "总计", f"总计为 {cells['total']}，但维持、纠正、其他、尚未审结之和为 {parts}",
                           line, hint="总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结")


def _number_problem(value, column_label: str) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "应填写数字"
    if isinstance(value, float) and column_label not in DECIMAL_COLUMNS:
        return "件数应为整数"
    if value < 0 and column_label not in SIGNED_COLUMNS:
        return "不能是负数"
    return None


def continuity_problems(current: ReportData, previous: ReportData) -> list[Problem]:
    """表二 现行有效件数(Y) = 现行有效件数(Y-1) + 本年制发件数(Y) - 本年废止件数(Y) (gb-2021; a warning)."""
    if current.fmt != "gb-2021" or previous.fmt != "gb-2021":
        return []
    problems = []
    for row in ("规章", "行政规范性文件"):
        now, before = current.table_2[row], previous.table_2[row]
        expected = before["现行有效件数"] + now["本年制发件数"] - now["本年废止件数"]
        if expected != now["现行有效件数"]:
            problems.append(Problem(
                current.source, 0, WARNING, f"{TABLE_NAMES['table_2']}【{row}】【现行有效件数】",
                f"上年现行有效 {before['现行有效件数']} + 本年制发 {now['本年制发件数']} - 本年废止 {now['本年废止件数']} "
                f"= {expected}，但本年填写 {now['现行有效件数']}", str(now["现行有效件数"]),
                "核对本年和上年年报的数字"))
    return problems

"""Small inputs that would exhaust the machine end quickly with a message naming the file."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest
from openpyxl import Workbook

from helpers import document

LIMIT_SECONDS = 20  # each case takes well under a few seconds; generous for a busy machine


def _xlsx(cells) -> bytes:
    book = Workbook()
    sheet = book.active
    for ref, value in cells:
        sheet[ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _declared_everything(data: bytes) -> bytes:
    """The same workbook, its sheet declaring A1:XFD1048576 (the 1.6 KB "dimension bomb")."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            raw = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                raw = raw.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>')
                assert b"XFD1048576" in raw
            out.writestr(info, raw)
    return target.getvalue()


def _timed_build(site):
    started = time.monotonic()
    outcome = site.build()
    assert time.monotonic() - started < LIMIT_SECONDS
    return outcome


STATS = "预决算年度: 2015\n预决算类别: 部门预算\n数据表: {name}"


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("wide.xlsx", _xlsx([("A1", "项目"), ("XFD1", 1)]), "列"),
        ("deep.xlsx", _xlsx([("A1", "项目"), ("A1048576", 1)]), "行"),
        (
            "declared.xlsx",
            _declared_everything(_xlsx([("A1", "项目"), ("B1", "金额"), ("A2", "x"), ("B2", 1)])),
            None,
        ),
        ("rows.csv", ("项目,金额\n" + "x,1\n" * 30_000).encode(), "行"),
        ("cells.csv", ("1," * 150 + "\n") * 5_000, "单元格"),
        ("huge.csv", b"a,b\n" + b"1,2\n" * 3_000_000, "MB"),
    ],
)
def test_oversized_data_tables_end_quickly_naming_the_file(site, name, data, message):
    site.write(f"budget/{name}", data)
    site.write("budget/a.md", document(column="budget", extra=STATS.format(name=name)))
    outcome = _timed_build(site)
    if message is None:  # the declared size is ignored: the two real rows are read
        assert outcome.ok or all(
            name not in p.format() or "太大" not in p.message for p in outcome.problems.errors
        ), outcome.report()
        return
    problems = [p for p in outcome.problems.errors if "数据表太大" in p.message]
    assert problems and message in problems[0].message and problems[0].value.endswith(name)


@pytest.mark.parametrize(
    "yaml_text",
    [
        # nested aliases ("billion laughs") and a cyclic one
        (
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        ),
        "a: &a [*a]\n",
        "- &a {name: x, children: [*a]}\n",
    ],
)
def test_yaml_aliases_in_the_catalogue_are_refused(site, yaml_text):
    (site.content / "catalogue.yml").write_text(yaml_text, encoding="utf-8")
    outcome = _timed_build(site)
    assert any(
        p.path == "catalogue.yml" and "别名" in p.message for p in outcome.problems.errors
    ), outcome.report()


def test_symlink_loops_and_links_out_of_content_are_not_walked(site):
    site.write("news/a.md", document())
    os.symlink("..", site.content / "news/loop")
    os.symlink("/usr", site.content / "news/system")
    outcome = _timed_build(site)
    messages = {p.path: p.message for p in outcome.problems.errors}
    assert "循环" in messages["news/loop"] and "content 文件夹以外" in messages["news/system"]
    assert not site.output.exists()
    assert {p.path for p in site.check().problems.errors} == {"news/loop", "news/system"}


def test_twenty_thousand_problems_are_collected_in_linear_time():
    from domain.problems import ERROR, Problem, ProblemList

    problems = ProblemList()
    started = time.monotonic()
    for n in range(20_000):
        problems.add(Problem(f"news/{n}.md", 3, ERROR, "文号", "文号重复"))
        problems.add(Problem(f"news/{n}.md", 3, ERROR, "文号", "文号重复"))
    assert len(problems.items) == 20_000
    assert time.monotonic() - started < 2


def test_formula_cells_without_a_saved_result_are_named(site):
    """openpyxl, like many programs other than Excel, saves formulas without their results."""
    data = _xlsx(
        [
            ("A1", "项目"),
            ("B1", "金额"),
            ("A2", "出国"),
            ("B2", 12),
            ("A3", "合计"),
            ("B3", "=SUM(B2:B2)"),
        ]
    )
    site.write("budget/t.xlsx", data)
    site.write("budget/a.md", document(column="budget", extra=STATS.format(name="t.xlsx")))
    outcome = site.build()
    warnings = [p for p in outcome.problems.warnings if "没有保存计算结果" in p.message]
    assert warnings and "B3" in warnings[0].message, outcome.report()

"""`invoke new --column X` writes the template of that column's kind; an untouched template is
never published (its placeholder body and empty required fields are errors), a filled one builds."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from helpers import ROOT, site_build

pytestmark = pytest.mark.slow  # `invoke test --fast` leaves it out

# column -> (kind's own lines the template must carry, what the editor fills in)
KINDS = {
    "annual-reports": (["报告年度: ", "报告格式: gb-2021"], {}),
    "procurement": (
        ["项目编号:", "采购方式:", "采购阶段: 招标公告", "预算金额:", "投标截止时间:"],
        {
            "项目编号:": "项目编号: AHZC-2026-0101",
            "采购方式:": "采购方式: 公开招标",
            "预算金额:": "预算金额: 38.5万元",
            "投标截止时间:": "投标截止时间: 2099-01-01 09:30",
        },
    ),
    "budget": (
        ["预决算年度: 2026", "预决算类别: 部门预算", "数据表:"],
        {"数据表:": "数据表:\n  - t.csv"},
    ),
    "final-accounts": (
        ["预决算年度: 2025", "预决算类别: 部门决算"],
        {"数据表:": "数据表:\n  - t.csv"},
    ),
    "statistics": (["体裁分类: 统计数据", "数据表:"], {"数据表:": "数据表:\n  - t.csv"}),
    "policy": (["有效性: 有效", "生效日期: 2026-12-07", "体裁分类: 规范性文件"], {}),
    "news": (["文号:"], {}),
}
TABLE = "项目,金额\n办公经费,10\n"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    root = tmp_path_factory.mktemp("templates")
    shutil.copytree(ROOT / "content", root / "content")
    conf = root / "conf.py"
    conf.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(root / 'content')!r}\nOUTPUT_PATH = {str(root / 'output')!r}\n"
        "DISCLOSURE_TODAY = '2026-12-07'\n",
        encoding="utf-8",
    )
    created = {}
    for column in KINDS:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "invoke",
                "new",
                "--column",
                column,
                "--title",
                f"{column}模板测试",
                "--settings",
                str(conf),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        assert result.returncode == 0, result.stdout + result.stderr
        created[column] = (ROOT / re.search(r"已创建：(\S+\.md)", result.stdout).group(1)).resolve()
    return conf, created


def test_each_kind_gets_its_own_fields(sample):
    _, created = sample
    for column, (lines, _) in KINDS.items():
        text = created[column].read_text(encoding="utf-8")
        assert all(line in text for line in lines), (column, text)
    report = created["annual-reports"]
    data = report.with_suffix(".yml").read_text(encoding="utf-8")
    assert (
        "模板: 未填写" in data
        and "（七）总计: {自然人: 0" in data
        and "行政规范性文件: {本年制发件数: 0" in data
    )
    assert "报告年度: 2025" in report.read_text(encoding="utf-8")


def test_an_untouched_template_is_an_error_not_a_page(sample):
    conf, created = sample
    outcome = site_build.build(conf)
    assert not outcome.ok
    for column, path in created.items():
        rel = path.relative_to(path.parents[1]).as_posix()
        placeholder = [
            p for p in outcome.problems.errors if p.path == rel and "正文还是模板" in p.message
        ]
        assert placeholder, (column, outcome.report())
        line = path.read_text(encoding="utf-8").splitlines()[placeholder[0].line - 1]
        assert "在这里写正文。" in line
    procurement = created["procurement"].relative_to(created["procurement"].parents[1]).as_posix()
    assert any(
        p.path == procurement and "项目编号" in p.message + p.field for p in outcome.problems.errors
    )
    report_data = (
        created["annual-reports"]
        .with_suffix(".yml")
        .relative_to(created["annual-reports"].parents[1])
    )
    assert any(
        p.path == report_data.as_posix() and "还没有照年报填写" in p.message
        for p in outcome.problems.errors
    )
    assert not (conf.parent / "output").exists()


def test_a_filled_template_builds(sample):
    conf, created = sample
    for column, path in created.items():
        text = path.read_text(encoding="utf-8").replace("在这里写正文。", "本单位的正文。")
        for old, new in KINDS[column][1].items():
            text = text.replace(old + "\n", new + "\n", 1)
        path.write_text(text, encoding="utf-8")
        if "数据表:\n  - t.csv" in text:
            path.with_name("t.csv").write_text(TABLE, encoding="utf-8")
    data = created["annual-reports"].with_suffix(".yml")
    data.write_text(
        data.read_text(encoding="utf-8").replace("模板: 未填写\n", ""), encoding="utf-8"
    )
    outcome = site_build.build(conf)
    assert outcome.ok, outcome.report()

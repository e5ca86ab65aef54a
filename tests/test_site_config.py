"""Mistakes in the site's own configuration files are reported like content errors."""

from __future__ import annotations

import pytest

from helpers import ROOT, document

BAD_CATALOGUE = {
    "bad_code": ("- code: 部门预算\n  name: 部门预算\n", "catalogue.yml:1", "只能用小写英文字母"),
    "duplicate_code": (
        "- code: news\n  name: 动态\n- code: news\n  name: 要闻\n",
        "catalogue.yml:3",
        "重复",
    ),
    "bad_kind": ("- code: news\n  name: 动态\n  kind: folder\n", "catalogue.yml:1", "kind 只能是"),
    "link_without_url": (
        "- code: mail\n  name: 信箱\n  kind: link\n",
        "catalogue.yml:1",
        "需要 url",
    ),
    "yaml_syntax": ("- code: news\n  name: [动态\n", "catalogue.yml:3", "YAML 格式错误"),
    "duplicate_key": (
        "- code: news\n  name: 动态\n  name: 要闻\n",
        "catalogue.yml:3",
        "出现了两次",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CATALOGUE))
def test_catalogue_errors(site, case):
    text, where, message = BAD_CATALOGUE[case]
    (site.content / "catalogue.yml").write_text(text, encoding="utf-8")
    site.write("news/a.md", document())
    outcome = site.build()
    assert not outcome.ok
    assert any(
        p.format().split("\n")[0].split()[1] == where and message in p.format()
        for p in outcome.problems.errors
    ), outcome.report()


@pytest.mark.parametrize(
    "code,message",
    [
        ("003186641", "校验位应为 8"),
        ("12340000003186700X", "校验位应为 K"),
        ("ABC", "既不是 9 位组织机构代码"),
    ],
)
def test_publisher_code_errors(site, code, message):
    (site.content / "publishers.yml").write_text(
        f'- name: 某机构\n  code: "{code}"\n', encoding="utf-8"
    )
    site.write("news/a.md", document(index=None, extra="历史文档: 是"))
    outcome = site.build()
    assert not outcome.ok
    assert any(
        p.path == "publishers.yml" and message in p.message for p in outcome.problems.errors
    ), outcome.report()


def test_missing_config_file(site):
    (site.content / "publishers.yml").unlink()
    site.write("news/a.md", document())
    outcome = site.build()
    assert any(
        p.path == "publishers.yml" and "找不到这个配置文件" in p.message
        for p in outcome.problems.errors
    )


def test_the_projects_settings_are_one_table_read_only_through_it():
    """Every setting the project adds has a default and a line in domain/defaults.py, and no
    code reads one with an inline default."""
    import re

    from domain.defaults import SETTINGS, setting

    assert all(spec.doc for spec in SETTINGS.values())
    assert setting({}, "ANNUAL_REPORT_COLUMN") == "annual-reports"
    assert setting({"ANNUAL_REPORT_COLUMN": "nianbao"}, "ANNUAL_REPORT_COLUMN") == "nianbao"
    inline = re.compile(r"settings\.get\(\s*\"(" + "|".join(SETTINGS) + r")\"")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "plugins").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if inline.search(line)
    ]
    assert offenders == []

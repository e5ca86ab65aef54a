"""索引号 schemes set per publisher in publishers.yml, end to end: validation, the date check
(month only where the scheme has one), uniqueness, `invoke new`'s next number, URLs and search."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from test_search import tier1

from helpers import ROOT, document, site_build
from search.tokenizer import exact_key

# Three real forms: Anhui's year-month (default), a year-only one with a 9-character 组织机构代码
# (as 014314799/2024-00002), and an 18-character 统一社会信用代码 with a category segment.
PUBLISHERS = """\
- name: 安徽省外事（侨务、港澳）办公室
  short_name: 省外办
  code: "003186648"
- name: 某市人民政府办公室
  short_name: 市政府办
  code: "014314799"
  index_scheme: "{code}/{yyyy}-{nnnnn}"
- name: 某县财政局
  short_name: 县财政局
  code: "12340000MB1234567A"
  index_scheme: "{code}-{category}-{yyyy}-{nnnn}"
  categories: [ZC, YS]
"""
CASES = {
    "year-month": (
        "安徽省外事（侨务、港澳）办公室",
        "003186648/202403-00002",
        "003186648-202403-00002",
    ),
    "year-only": ("某市人民政府办公室", "014314799/2024-00002", "014314799-2024-00002"),
    "uscc-category": (
        "某县财政局",
        "12340000MB1234567A-YS-2024-0007",
        "12340000mb1234567a-ys-2024-0007",
    ),
}


@pytest.fixture
def schemes(site):
    site.write("publishers.yml", PUBLISHERS)
    return site


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_scheme_builds_with_its_own_address_and_is_found_by_search(schemes, case):
    publisher, number, slug = CASES[case]
    schemes.write(
        "news/doc.md",
        document(title=f"{case}的文件", index=number, date="2024-03-15", 发布机构=publisher),
    )
    outcome = schemes.build()
    assert outcome.ok and not outcome.problems.errors, outcome.report()
    page = BeautifulSoup(schemes.page(f"docs/{slug}.html"), "html.parser")
    assert number in page.select_one("table").get_text()
    data, index = tier1(schemes)
    hits = index.query(index.create_query().term(exact_key(number), use_pipeline=False))
    assert [data["docs"][int(h["ref"])][0] for h in hits][:1] == [f"{case}的文件"]


def errors(site):
    outcome = site.build()
    return [(p.field, p.message, p.hint) for p in outcome.problems.errors]


def test_the_date_check_follows_the_scheme(schemes):
    # year-only: any month of the year is right, another year is wrong
    schemes.write(
        "news/a.md", document(index="014314799/2024-00003", date="2024-11-30", 发布机构="市政府办")
    )
    schemes.write(
        "news/b.md", document(index="014314799/2023-00004", date="2024-01-02", 发布机构="市政府办")
    )
    schemes.write("news/c.md", document(index="003186648/202402-00001", date="2024-03-01"))
    found = errors(schemes)
    assert (
        "索引号",
        "索引号中的年份 2023 与发文日期 2024-01-02 不一致",
        "把年份改为 2024，或核对发文日期",
    ) in found
    assert any("索引号中的年月 202402 与发文日期 2024-03-01 不一致" in m for _, m, _ in found)
    assert not any("2024-11-30" in m for _, m, _ in found)


def test_a_number_in_another_publishers_form_is_refused_with_the_right_form(schemes):
    schemes.write(
        "news/a.md",
        document(index="014314799/202403-00001", date="2024-03-05", 发布机构="市政府办"),
    )
    schemes.write(
        "news/b.md",
        document(index="12340000MB1234567A-XX-2024-0001", date="2024-03-05", 发布机构="县财政局"),
    )
    found = errors(schemes)
    assert any(
        "某市人民政府办公室”的索引号规则是 {code}/{yyyy}-{nnnnn}" in m
        and "例如 014314799/2015-00012" in h
        for _, m, h in found
    ), found
    assert (
        "索引号",
        "索引号格式不对",
        "应为 机构代码-分类-年份-4位流水号，例如 12340000MB1234567A-ZC-2015-0012",
    ) in found


def test_a_number_is_unique_whatever_its_scheme(schemes):
    for name in ("a", "b"):
        schemes.write(
            f"news/{name}.md",
            document(index="014314799/2024-00009", date="2024-05-05", 发布机构="市政府办"),
        )
    assert any(f == "索引号" and "重复" in m for f, m, _ in errors(schemes))


def test_new_takes_the_next_free_number_of_the_scheme(schemes):
    schemes.write(
        "news/a.md", document(index="014314799/2024-00041", date="2024-01-05", 发布机构="市政府办")
    )
    schemes.write(
        "news/b.md",
        document(index="12340000MB1234567A-YS-2024-0007", date="2024-02-05", 发布机构="县财政局"),
    )
    overrides = schemes.overrides()
    today = dt.date(2024, 6, 1)
    path, problems = site_build.new_document(
        ROOT / "pelicanconf.py", "news", "新通知", "市政府办", today, overrides
    )
    assert not problems and "索引号: 014314799/2024-00042" in path.read_text(encoding="utf-8")
    assert path.name == "014314799-2024-00042.md"
    path, problems = site_build.new_document(
        ROOT / "pelicanconf.py", "news", "预算", "县财政局", today, overrides, category="ys"
    )
    assert not problems and "索引号: 12340000MB1234567A-YS-2024-0008" in path.read_text(
        encoding="utf-8"
    )
    path, problems = site_build.new_document(
        ROOT / "pelicanconf.py", "news", "政策", "县财政局", today, overrides, category="ZC"
    )
    assert "索引号: 12340000MB1234567A-ZC-2024-0001" in path.read_text(encoding="utf-8")
    _, problems = site_build.new_document(
        ROOT / "pelicanconf.py", "news", "政策", "县财政局", today, overrides
    )
    assert [p.message for p in problems] == ["本机构的索引号有分类段，请用 --category 指定分类"]
    path, _ = site_build.new_document(
        ROOT / "pelicanconf.py", "news", "通知", "省外办", today, overrides
    )
    assert "索引号: 003186648/202406-00001" in path.read_text(encoding="utf-8")
    for made in schemes.content.rglob("*.md"):
        made.write_text(
            made.read_text(encoding="utf-8").replace("在这里写正文。", "正文。"), encoding="utf-8"
        )
    outcome = schemes.build(DISCLOSURE_TODAY="2024-06-01")
    assert outcome.ok, outcome.report()


@pytest.mark.parametrize(
    "scheme,message",
    [
        ("{yyyy}-{nnnnn}", "要有且只有一个 {code}（机构代码）"),
        ("{code}/{mm}-{nnnnn}", "要有且只有一个 {yyyy}（年份）"),
        ("{code}/{yyyy}", "要有且只有一个流水号"),
        ("{code}/{yyyy}-{serial}", "不认识的写法"),
    ],
)
def test_a_scheme_that_cannot_number_documents_is_an_error_in_publishers_yml(
    schemes, scheme, message
):
    schemes.write("publishers.yml", PUBLISHERS.replace("{code}/{yyyy}-{nnnnn}", scheme))
    outcome = schemes.build()
    assert any(
        p.path == "publishers.yml" and p.line == 4 and message in p.message
        for p in outcome.problems.errors
    ), outcome.report()


def test_a_word_import_takes_the_category_of_the_scheme(schemes, tmp_path):
    import subprocess
    import sys

    from word_fixtures import red_letterhead_notice

    conf = tmp_path / "conf.py"
    conf.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(schemes.content)!r}\nOUTPUT_PATH = {str(schemes.output)!r}\n"
        "DISCLOSURE_TODAY = '2024-06-01'\nCMS_ADMIN = False\n",
        encoding="utf-8",
    )
    source = red_letterhead_notice(tmp_path / "通知.docx")
    command = [
        sys.executable,
        "-m",
        "invoke",
        "import-docx",
        "--file",
        str(source),
        "--column",
        "news",
        "--publisher",
        "县财政局",
        "--category",
        "ZC",
        "--settings",
        str(conf),
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr
    made = schemes.content / "news/12340000mb1234567a-zc-2024-0001.md"
    assert "索引号: 12340000MB1234567A-ZC-2024-0001" in made.read_text(encoding="utf-8")

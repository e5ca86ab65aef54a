"""Every content error kind stops the build and names the file, line and field, in Chinese."""

from __future__ import annotations

import pytest

from helpers import document

GOOD = document(
    title="被解读的政策",
    index="003186648/201404-00001",
    column="policy",
    date="2014-04-15",
    文号="皖外办〔2014〕12号",
    有效性="有效",
    生效日期="2014-05-01",
)

CASES = {
    "missing_title": ({"news/a.md": document(title=None)}, "news/a.md", "名称", "缺少名称"),
    "missing_date": ({"news/a.md": document(date=None)}, "news/a.md", "发文日期", "缺少发文日期"),
    "malformed_index": (
        {"news/a.md": document(index="3186648-2015-12")},
        "news/a.md:3",
        "索引号",
        "格式不对",
    ),
    "index_month_mismatch": (
        {"news/a.md": document(index="003186648/201404-00001")},
        "news/a.md:3",
        "索引号",
        "201404 与发文日期 2015-03-09 不一致",
    ),
    "index_other_publisher": (
        {"news/a.md": document(index="12340000003186700K/201503-00001", 发布机构="省外办")},
        "news/a.md:3",
        "索引号",
        "属于“安徽省外事服务中心”",
    ),
    "index_unknown_org": (
        {"news/a.md": document(index="003110926/201503-00001")},
        "news/a.md:3",
        "索引号",
        "不属于任何已登记的发布机构",
    ),
    "unknown_column": ({"news/a.md": document(column="budjet")}, "news/a.md:4", "栏目", "budget（"),
    "link_column": ({"news/a.md": document(column="mailbox")}, "news/a.md:4", "栏目", "外部链接"),
    "unknown_publisher": (
        {"news/a.md": document(发布机构="安徽省外事办")},
        "news/a.md:6",
        "发布机构",
        "不在本站的发布机构清单",
    ),
    "unparseable_date": (
        {"news/a.md": document(date="2015-02-30")},
        "news/a.md:5",
        "发文日期",
        "2015年2月30日 不是日历上存在的日期",
    ),
    "garbage_date": (
        {"news/a.md": document(date="去年三月")},
        "news/a.md:5",
        "发文日期",
        "日期无法识别",
    ),
    "future_date": (
        {"news/a.md": document(index="003186648/299901-00001", date="2999-01-05")},
        "news/a.md:5",
        "发文日期",
        "日期在未来",
    ),
    "missing_attachment": (
        {"news/a.md": document(extra="附件:\n  - 不存在.pdf")},
        "news/a.md:6",
        "附件",
        "找不到这个附件文件",
    ),
    "attachment_outside": (
        {"news/a.md": document(附件="../../secret.txt")},
        "news/a.md:6",
        "附件",
        "content 文件夹以外",
    ),
    "interprets_missing": (
        {"interpretation/b.md": document(column="interpretation", 解读对象="皖外办〔2014〕99号")},
        "interpretation/b.md:6",
        "解读对象",
        "找不到被解读的文件",
    ),
    "not_utf8": ({"news/a.md": document().encode("gbk")}, "news/a.md", "", "GBK/GB18030"),
    "utf16": ({"news/a.md": document().encode("utf-16")}, "news/a.md", "", "UTF-16"),
    "binary": ({"news/a.md": b"%PDF-1.4\x00\x01\x02binary"}, "news/a.md", "", "不是文本文件"),
    "empty_file": ({"news/a.md": ""}, "news/a.md", "", "文件是空的"),
    "no_header": ({"news/a.md": "# 只有正文\n\n没有文件头。\n"}, "news/a.md:1", "", "没有文件头"),
    "unterminated_header": (
        {"news/a.md": "---\n名称: 测试\n发文日期: 2015-03-09\n\n正文\n"},
        "news/a.md:1",
        "",
        "没有结束的 --- 行",
    ),
    "unknown_key": (
        {"news/a.md": document(索引好="x")},
        "news/a.md:6",
        "索引好",
        "是不是想写“索引号”",
    ),
    "repeated_key": (
        {"news/a.md": document(extra="标题: 第二个标题")},
        "news/a.md:6",
        "名称",
        "写了两次",
    ),
    "missing_index": ({"news/a.md": document(index=None)}, "news/a.md", "索引号", "缺少索引号"),
    "bad_topic": (
        {"news/a.md": document(主题分类="外事工作")},
        "news/a.md:6",
        "主题分类",
        "不是国家主题分类",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_error_stops_build_and_names_file_and_field(site, case):
    files, where, field, message = CASES[case]
    site.write("policy/good.md", GOOD)
    for rel, text in files.items():
        site.write(rel, text)
    outcome = site.build()
    assert not outcome.ok
    assert not site.output.exists(), "a failed build must not create output/"
    errors = outcome.problems.errors
    matching = [
        p
        for p in errors
        if p.format().split("\n")[0].split()[1].startswith(where)
        and p.field == field
        and message in p.format()
    ]
    assert matching, outcome.report()
    assert not outcome.failure, outcome.report()  # a content mistake never ends as a Python error
    report = outcome.report()
    assert "改法" in report or "问题" in report
    assert "网站没有生成" in report
    # `invoke check` finds exactly the same problems, without writing anything.
    checked = site.check()
    assert [p.format() for p in checked.problems.sorted()] == [
        p.format() for p in outcome.problems.sorted()
    ]


def test_duplicate_index_names_both_files(site):
    site.write("news/a.md", document())
    site.write("finance/b.md", document(column="budget", title="另一个文件"))
    outcome = site.build()
    assert not outcome.ok
    dupes = [p for p in outcome.problems.errors if "索引号重复" in p.message]
    assert {p.path for p in dupes} == {"news/a.md", "finance/b.md"}
    assert any("finance/b.md 第 3 行" in p.message for p in dupes if p.path == "news/a.md")
    # the identical URL is a consequence, reported once as the duplicate index, not twice
    assert not [p for p in outcome.problems.errors if "网址" in p.field]


def test_legacy_url_collision_names_both_files(site):
    legacy = (
        "---\n名称: 旧文件{n}\n历史文档: 是\n网址名: old\n栏目: news\n发文日期: "
        "2013-01-0{n}\n---\n\n正文\n"
    )
    site.write("news/one.md", legacy.format(n=1))
    site.write("news/two.md", legacy.format(n=2))
    outcome = site.build()
    collisions = [p for p in outcome.problems.errors if p.field == "网址"]
    assert {p.path for p in collisions} == {"news/one.md", "news/two.md"}


def test_every_error_in_one_run(site):
    """Three broken files, five problems: all reported in one run, not just the first."""
    site.write("news/a.md", document(title=None, date="2015-13-01"))
    site.write("news/b.md", document(index="003186648/201503-00002", column="nowhere"))
    site.write("news/c.md", b"\xd6\xd0\xce\xc4")  # "中文" in GBK
    outcome = site.build()
    assert not outcome.ok
    found = {(p.path, p.field) for p in outcome.problems.errors}
    assert {
        ("news/a.md", "名称"),
        ("news/a.md", "发文日期"),
        ("news/b.md", "栏目"),
        ("news/c.md", ""),
    } <= found
    assert "共发现" in outcome.report()


@pytest.mark.parametrize(
    "field,text,message",
    [
        ("summary", document(内容概述="概" * 101), "超过 100 字"),
        ("fullwidth", document(index="００３１８６６４８／２０１５０３－０００01"), "全角"),
        ("invisible", document(index="003186648/201503\u200b-00001"), "看不见的字符"),
        ("spaces", document(index="003186648 / 201503 - 00001"), "删除了多余的空格"),
        (
            "normative",
            document(column="policy", date="2014-04-15", index="003186648/201404-00002"),
            "规范性文件没有写有效性",
        ),
    ],
)
def test_warnings_do_not_stop_the_build(site, field, text, message):
    site.write("news/a.md", text)
    outcome = site.build()
    assert outcome.ok, outcome.report()
    assert any(message in p.format() for p in outcome.problems.warnings), outcome.report()
    assert "警告" in outcome.report()


def test_fullwidth_index_is_normalised_on_the_page(site):
    site.write(
        "news/a.md",
        document(index="００３１８６６４８／２０１５０３－０００01", date="２０１５－０３－０９"),
    )
    outcome = site.build()
    assert outcome.ok, outcome.report()
    html = site.page("docs/003186648-201503-00001.html")
    assert "003186648/201503-00001" in html
    assert "2015-03-09" in html


def test_ambiguous_interpretation_target_and_repeated_doc_number(site):
    site.write(
        "policy/a.md",
        document(
            title="甲",
            index="003186648/201404-00001",
            column="policy",
            date="2014-04-15",
            文号="皖外办〔2014〕12号",
            有效性="有效",
        ),
    )
    site.write(
        "policy/b.md",
        document(
            title="乙",
            index="003186648/201404-00002",
            column="policy",
            date="2014-04-15",
            文号="皖外办〔2014〕12号",
            有效性="有效",
        ),
    )
    site.write(
        "interpretation/c.md",
        document(
            title="解读",
            index="003186648/201404-00003",
            column="interpretation",
            date="2014-04-16",
            解读对象="皖外办〔2014〕12号",
        ),
    )
    outcome = site.build()
    assert not outcome.ok
    [ambiguous] = [p for p in outcome.problems.errors if p.field == "解读对象"]
    assert (
        ambiguous.path == "interpretation/c.md" and "policy/a.md、policy/b.md" in ambiguous.message
    )
    assert "索引号" in ambiguous.hint
    repeated = [p for p in outcome.problems.warnings if p.field == "文号"]
    assert {p.path for p in repeated} == {"policy/a.md", "policy/b.md"}


def test_a_value_shared_by_many_documents_is_reported_once_per_document(site):
    """k documents with one 文号 give k warnings naming a few of the others, not k×(k−1)."""
    for n in range(1, 31):
        site.write(
            f"news/n{n:02d}.md",
            document(index=f"003186648/201503-{n:05d}", 文号="皖外办〔2015〕1号"),
        )
    outcome = site.build()
    assert outcome.ok
    shared = [p for p in outcome.problems.warnings if p.field == "文号"]
    assert len(shared) == 30 and len({p.path for p in shared}) == 30
    first = next(p for p in shared if p.path == "news/n05.md")
    assert first.message == (
        "文号与 news/n01.md 第 6 行相同；另有 28 个文件也相同："
        "news/n02.md、news/n03.md、news/n04.md等"
    )
    assert max(len(p.message) for p in shared) < 120


def test_twenty_thousand_documents_sharing_a_doc_number_give_twenty_thousand_problems():
    """The count that made a 100,000-document build run for hours: one problem per document."""
    from domain.model import Document
    from domain.validate import validate_collection

    docs = [
        Document(
            f"news/n{n}.md",
            index_number=f"003186648/2015-{n:06d}",
            slug=f"s{n}",
            publisher="安徽省外事（侨务、港澳）办公室",
            doc_number="皖外办〔2015〕1号",
        )
        for n in range(20_000)
    ]
    problems = [p for p in validate_collection(docs) if p.field == "文号"]
    assert len(problems) == 20_000
    assert problems[-1].message.endswith("news/n1.md、news/n2.md、news/n3.md等")


def test_a_flood_of_problems_is_reported_by_kind_and_listed_whole_in_a_file(site):
    for n in range(1, 56):
        site.write(
            f"news/n{n:02d}.md",
            document(index=f"003186648/201503-{n:05d}", 文号="皖外办〔2015〕1号"),
        )
    for n in (1, 2):
        site.write(
            f"news/bad{n}.md", document(index=f"003186648/201504-{n:05d}", date="2015-13-40")
        )
    outcome = site.build()
    assert not outcome.ok and len(outcome.problems.items) == 57
    report = outcome.report()
    # Errors first, each kind once with its count, three of each shown.
    assert "问题较多（57 处），按类别列出，每类只显示前 3 处" in report
    first, second = report.split("第 1 类：")[1], report.split("第 2 类：")[1]
    assert first.startswith("错误【发文日期】") and "（共 2 处）" in first.split("\n")[0]
    assert second.startswith("警告【文号】文号与 … 第 … 行相同；另有 … 个文件也相同：")
    assert "（共 55 处）" in second.split("\n")[0]
    assert report.count("问题：文号与") == 3 and "……其余 52 处见完整清单" in report
    # The whole list, every problem, in the file the report names.
    listed = site.root / "reports/problems.txt"
    assert f"完整清单：{listed}" in report
    whole = listed.read_text(encoding="utf-8")
    assert whole.count("问题：文号与") == 55 and whole.count("【发文日期】") == 2
    assert whole.rstrip().endswith("共发现 2 个错误、55 个警告。")

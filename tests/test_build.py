"""Building fixture sites: what editors write shows up correctly, and builds are safe and
repeatable."""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup

from helpers import document


def metadata_cells(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    table = soup.find("table", class_="gk-meta")
    return {
        th.get_text(strip=True): th.find_next_sibling("td").get_text(strip=True)
        for th in table.find_all("th")
    }


def test_chinese_keys_build_a_page_with_the_metadata_table(site):
    site.write(
        "news/a.md",
        document(
            title="省外办召开会议",
            发布机构="省外办",
            文号="皖外办〔2015〕3号",
            关键词="会议, 部署、政务公开",
            主题分类="对外事务/外交、外事",
        ),
    )
    outcome = site.build()
    assert outcome.ok, outcome.report()
    cells = metadata_cells(site.page("docs/003186648-201503-00001.html"))
    assert cells["索引号"] == "003186648/201503-00001"
    assert cells["内容分类"] == "部门动态"
    assert (
        cells["发布机构"] == "安徽省外事（侨务、港澳）办公室"
    )  # short name expanded to the full name
    assert cells["发文日期"] == "2015-03-09"
    assert cells["名称"] == "省外办召开会议"
    assert cells["文号"] == "皖外办〔2015〕3号"
    assert cells["关键词"] == "会议、部署、政务公开"
    assert cells["主题分类"] == "对外事务/外交、外事"


def test_english_keys_and_mixed_keys_build(site):
    site.write(
        "news/en.md",
        "---\ntitle: English keys\nindex: 003186648/201503-00001\ncolumn: news\n"
        "date: 2015-03-09\npublisher: 省外办\n文号: 皖外办〔2015〕4号\n---\n\nBody.\n",
    )
    outcome = site.build()
    assert outcome.ok, outcome.report()
    cells = metadata_cells(site.page("docs/003186648-201503-00001.html"))
    assert cells["名称"] == "English keys" and cells["文号"] == "皖外办〔2015〕4号"


def test_bom_crlf_fullwidth_colon_and_chinese_dates_build(site):
    text = (
        "\ufeff---\r\n名称：带BOM和CRLF的文件\r\n索 引 号\t：003186648/201503-00002\r\n栏目: "
        "部门动态\r\n"
        "发文日期: 2015年3月9日\r\n---\r\n\r\n第一段。\r\n\r\n第二段。\r\n"
    )
    site.write("news/bom.md", text.encode("utf-8"))
    site.write(
        "news/cr.md", document(index="003186648/201503-00003").replace("\n", "\r").encode("utf-8")
    )
    site.write(
        "news/bare.md",
        "名称: 无分隔线的文件头\n索引号: 003186648/201503-00004\n栏目: news\n"
        "发文日期: 2015-3-9\n\n注：正文第一行带冒号也不会被当成元数据。\n",
    )
    outcome = site.build()
    assert outcome.ok, outcome.report()
    html = site.page("docs/003186648-201503-00002.html")
    assert metadata_cells(html)["名称"] == "带BOM和CRLF的文件"
    assert metadata_cells(html)["发文日期"] == "2015-03-09"
    assert "<p>第二段。</p>" in html
    assert "正文第一段" in site.page("docs/003186648-201503-00003.html")
    bare = site.page("docs/003186648-201503-00004.html")
    assert "注：正文第一行带冒号也不会被当成元数据。" in bare
    assert not outcome.problems.items


def test_list_values_and_written_date(site):
    site.write("news/a.md", document(extra="关键词:\n  - 外事\n  - 侨务\n成文日期: 2015-03-02"))
    assert site.build().ok
    assert metadata_cells(site.page("docs/003186648-201503-00001.html"))["关键词"] == "外事、侨务"


def test_same_content_builds_byte_identical_output(site, tmp_path):
    site.write("news/a.md", document())
    site.write(
        "policy/p.md",
        document(
            title="政策",
            index="003186648/201404-00001",
            column="policy",
            date="2014-04-15",
            有效性="有效",
        ),
    )
    site.write(
        "interpretation/i.md",
        document(
            title="解读",
            index="003186648/201404-00002",
            column="interpretation",
            date="2014-04-16",
            解读对象="003186648/201404-00001",
        ),
    )
    assert site.build().ok
    first = site.tree_digest()
    shutil.rmtree(site.output)
    assert site.build().ok
    assert site.tree_digest() == first
    assert len(first) > 10


def test_failed_build_leaves_previous_output_byte_identical(site):
    site.write("news/a.md", document())
    assert site.build().ok
    before = site.tree_digest()
    mtimes = {p: p.stat().st_mtime_ns for p in site.output.rglob("*")}
    site.write("news/b.md", document(index="bad", title="坏文件"))
    outcome = site.build()
    assert not outcome.ok
    assert site.tree_digest() == before
    assert {p: p.stat().st_mtime_ns for p in site.output.rglob("*")} == mtimes
    assert not [p for p in site.root.iterdir() if p.name.startswith(".output")], (
        "staging folder left behind"
    )


def test_successful_rebuild_replaces_output(site):
    site.write("news/a.md", document())
    assert site.build().ok
    (site.output / "stale.html").write_text("old")
    site.write("news/a.md", document(title="改过的标题"))
    assert site.build().ok
    assert not (site.output / "stale.html").exists()
    assert "改过的标题" in site.page("docs/003186648-201503-00001.html")


def test_url_derives_from_index_and_survives_title_change(site):
    site.write("news/a.md", document(title="第一版标题"))
    site.build()
    site.write("news/a.md", document(title="完全不同的第二版标题"))
    site.build()
    assert [p.name for p in (site.output / "docs").iterdir()] == ["003186648-201503-00001.html"]


def test_legacy_document_without_index_gets_stable_url(site):
    site.write(
        "annual-reports/2014年年报.md",
        "---\n名称: 2014年年度报告\n索引号:\n历史文档: 是\n"
        "内容分类: 政府信息公开年报\n发文日期: 2015-03-09\n报告年度: 2014\n"
        "报告格式: legacy\n---\n\n一、概述\n",
    )
    site.write(
        "annual-reports/old.md",
        "---\n名称: 旧年报\n历史文档: 是\n网址名: report-2013\n"
        "栏目: annual-reports\n发文日期: 2014-03-09\n报告年度: 2013\n报告格式: legacy\n"
        "---\n\n正文\n",
    )
    outcome = site.build()
    assert outcome.ok, outcome.report()
    cells = metadata_cells(site.page("docs/report-2013.html"))
    assert cells["索引号"] == "" and cells["发布机构"] == "" and cells["文号"] == ""
    assert [p.name for p in (site.output / "docs").glob("2014*")] == ["2014nian-nian-bao.html"]


def test_attachments_published_and_stray_files_not(site):
    site.write(
        "finance/budget.md",
        document(column="budget", extra="附件:\n  - 预算表.csv\n  - tables/detail.csv"),
    )
    site.write("finance/预算表.csv", "项目,金额\n")
    site.write("finance/tables/detail.csv", "a,b\n")
    site.write("finance/unreviewed-draft.docx", b"PK\x03\x04 not cleared for release")
    outcome = site.build()
    assert outcome.ok, outcome.report()
    assert (site.output / "finance/预算表.csv").read_text(encoding="utf-8") == "项目,金额\n"
    assert (site.output / "finance/tables/detail.csv").exists()
    assert not list(site.output.rglob("*.docx"))
    soup = BeautifulSoup(site.page("docs/003186648-201503-00001.html"), "html.parser")
    links = [a["href"] for a in soup.select("#attachments ~ ul a")]
    assert links == ["../finance/预算表.csv", "../finance/tables/detail.csv"]
    assert "CSV" in soup.select_one("#attachments").find_next("ul").get_text()


def test_interpretation_links_both_ways(site):
    site.write(
        "policy/p.md",
        document(
            title="政策原文",
            index="003186648/201404-00001",
            column="政策文件",
            date="2014-04-15",
            文号="皖外办〔2014〕12号",
            有效性="有效",
        ),
    )
    site.write(
        "interpretation/i.md",
        document(
            title="政策原文的解读",
            index="003186648/201404-00002",
            column="政策解读",
            date="2014-04-16",
            解读对象="皖外办〔2014〕12号",
        ),
    )
    assert site.build().ok
    policy = site.page("docs/003186648-201404-00001.html")
    interpretation = site.page("docs/003186648-201404-00002.html")
    assert 'href="../docs/003186648-201404-00002.html">政策原文的解读' in policy
    assert 'href="../docs/003186648-201404-00001.html">政策原文' in interpretation


def test_drafts_never_published(site):
    site.write("news/a.md", document())
    site.write(
        "news/draft.md", document(index="003186648/201503-00002", title="草稿文件", 状态="草稿")
    )
    assert site.build().ok
    assert "草稿文件" not in "".join(
        p.read_text(encoding="utf-8") for p in site.output.rglob("*.html")
    )


def test_check_writes_nothing(site):
    site.write("news/a.md", document())
    outcome = site.check()
    assert outcome.ok
    assert not site.output.exists()
    assert sorted(p.name for p in site.root.iterdir()) == ["content"]


def test_written_date_shown_when_it_differs(site):
    site.write("news/a.md", document(extra="成文日期: 2015年3月2日"))
    assert site.build().ok
    cells = metadata_cells(site.page("docs/003186648-201503-00001.html"))
    assert cells["成文日期"] == "2015-03-02" and cells["发文日期"] == "2015-03-09"


def test_only_written_date_serves_as_the_date(site):
    site.write("news/a.md", document(date=None, extra="成文日期: 2015-03-02"))
    assert site.build().ok
    assert metadata_cells(site.page("docs/003186648-201503-00001.html"))["发文日期"] == "2015-03-02"


def test_information_source_and_validity_spellings(site):
    site.write(
        "policy/a.md",
        document(
            column="policy",
            index="003186648/201404-00001",
            date="2014-04-15",
            信息来源="省政府办公厅",
            有效性="现行有效",
        ),
    )
    outcome = site.build()
    assert outcome.ok and not outcome.problems.items, outcome.report()
    cells = metadata_cells(site.page("docs/003186648-201404-00001.html"))
    assert cells["信息来源"] == "省政府办公厅" and cells["有效性"] == "有效"


def test_a_crash_while_reading_is_reported_for_that_file(site, monkeypatch):
    """Even a bug of ours never drops a document silently: the build stops and names the file."""
    import disclosure.bodies as reader

    real = reader.read_document

    def flaky(path, site_config):
        if path.name == "b.md":
            raise ValueError("boom")
        return real(path, site_config)

    monkeypatch.setattr(reader, "read_document", flaky)
    site.write("news/a.md", document())
    site.write("news/b.md", document(index="003186648/201503-00002"))
    outcome = site.build()
    assert not outcome.ok
    [problem] = outcome.problems.errors
    assert (
        problem.path == "news/b.md" and "程序出错" in problem.message and "boom" in problem.message
    )


def test_scheduled_documents_go_out_when_their_date_comes(site):
    site.write("news/a.md", document())
    site.write(
        "news/later.md",
        document(
            index="003186648/201504-00001",
            date="2015-04-10",
            title="定时发布的通知",
            状态="定时发布",
        ),
    )
    outcome = site.build(DISCLOSURE_TODAY="2015-04-01")
    assert outcome.ok and not outcome.problems.items, outcome.report()
    everything = "".join(
        p.read_text(encoding="utf-8")
        for p in site.output.rglob("*")
        if p.suffix in (".html", ".xml", ".json", ".js", ".csv")
    )
    assert "定时发布的通知" not in everything
    outcome = site.build(DISCLOSURE_TODAY="2015-04-10")
    assert outcome.ok
    assert "定时发布的通知" in site.page("docs/003186648-201504-00001.html")
    assert "定时发布的通知" in site.page("columns/news.html")


@pytest.mark.slow
def test_pelican_itself_builds_the_same_site_as_invoke_build(tmp_path):
    """A Pelican user's habit works: `pelican content -s pelicanconf.py` in a fresh checkout makes
    the site `invoke build` makes, byte for byte."""
    import subprocess
    import sys

    from helpers import ROOT, site_build

    checkout = tmp_path / "checkout"
    for name in ("content", "theme", "plugins", "admin"):
        shutil.copytree(ROOT / name, checkout / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pelicanconf.py", checkout)
    (checkout / "node_modules").symlink_to(ROOT / "node_modules")
    pelican = [
        sys.executable,
        "-m",
        "pelican",
        "content",
        "-s",
        "pelicanconf.py",
        "-o",
        str(tmp_path / "by-pelican"),
    ]
    result = subprocess.run(pelican, cwd=checkout, capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr
    outcome = site_build.build(
        checkout / "pelicanconf.py", {"OUTPUT_PATH": str(tmp_path / "by-invoke")}
    )
    assert outcome.ok, outcome.report()

    def tree(root):
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    by_pelican, by_invoke = tree(tmp_path / "by-pelican"), tree(tmp_path / "by-invoke")
    assert len(by_pelican) > 100 and by_pelican.keys() == by_invoke.keys()
    assert [name for name in by_pelican if by_pelican[name] != by_invoke[name]] == []


def test_a_pelican_that_runs_again_starts_a_new_run_state(tmp_path):
    """`pelican -r` runs the same Pelican object again after each change: every run has its own
    state (documents, problems, plugin data), so an edit shows and nothing is counted twice."""
    from pelican import Pelican

    from disclosure import run
    from helpers import ROOT, FixtureSite, document, site_build

    site = FixtureSite(tmp_path)
    site.write("news/a.md", document(title="第一版标题", index="003186648/201503-00001"))
    site.write(
        "news/b.md",
        document(title="另一份文件", index="003186648/201503-00002", 文号="皖外办〔2015〕1号"),
    )
    site.write(
        "news/c.md",
        document(title="第三份文件", index="003186648/201503-00003", 文号="皖外办〔2015〕1号"),
    )
    settings = site_build.load_settings(ROOT / "pelicanconf.py", site.overrides())
    pelican = Pelican(settings)
    pelican.run()
    first = run.of(settings)
    warnings = [p for p in first.problems.warnings if p.field == "文号"]
    assert len(warnings) == 2  # one at each file
    site.write("news/a.md", document(title="第二版标题", index="003186648/201503-00001"))
    pelican.run()
    second = run.of(settings)
    assert second is not first
    assert [p for p in second.problems.warnings if p.field == "文号"] == warnings
    assert len(second.documents) == 3
    page = site.page("docs/003186648-201503-00001.html")
    assert "第二版标题" in page and "第一版标题" not in page
    assert "第二版标题" in site.page("columns/news.html")

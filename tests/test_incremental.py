"""Cached, incremental builds give exactly the bytes a clean build gives, and leave unchanged pages
alone."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from helpers import FIXTURES, ROOT, FixtureSite, document, notices, site_build

pytestmark = pytest.mark.slow  # `invoke test --fast` leaves it out

TABLE_BODY = "## 经费情况\n\n| 项目 | 金额 |\n| --- | --- |\n| 出国 | 12 |\n\n正文第一段。"
STATS_CSV = "# 图表: 柱状图\n季度,办件\n第一季度,12\n第二季度,15\n"
TENDER_FIELDS = (
    "项目编号: AHZC-2015-0001\n采购方式: 询价\n采购阶段: 招标公告\n预算金额: "
    "10万元\n投标截止时间: 2015-02-20 09:00"
)


def _policy_site(root) -> FixtureSite:
    site = notices(root, 7)
    site.write(
        "news/table.md",
        document(
            title="带表格的通知", index="003186648/201502-00001", date="2015-02-10", body=TABLE_BODY
        ),
    )
    site.write("news/stats.csv", STATS_CSV)
    site.write(
        "news/stats.md",
        document(
            title="办件统计",
            index="003186648/201502-00002",
            date="2015-02-11",
            extra="数据表: stats.csv",
            body="【数据表】",
        ),
    )
    site.write(
        "news/tender.md",
        document(
            title="设备采购招标公告",
            index="003186648/201502-00003",
            date="2015-02-12",
            extra=TENDER_FIELDS,
        ),
    )
    site.write(
        "news/linking.md",
        document(
            title="引用通知",
            index="003186648/201502-00004",
            date="2015-02-13",
            body="详见[第5号通知]({filename}n5.md)。",
        ),
    )
    site.write("news/guide.pdf", b"%PDF-1.4 guide")
    site.write("news/photo.jpg", b"\xff\xd8\xff\xe0" + b"0" * 64)
    site.write("news/attached.md", _attached_body("附件说明。\n\n![照片](photo.jpg)"))
    return site


def _attached_body(body: str) -> str:
    return document(
        title="附件通知",
        index="003186648/201502-00005",
        date="2015-02-14",
        extra="附件: guide.pdf",
        body=body,
    )


def _clean_build_of(site: FixtureSite, root) -> FixtureSite:
    """The same content built from nothing: a fresh folder, no cache, no previous output."""
    clean = FixtureSite.__new__(FixtureSite)
    clean.root, clean.content, clean.output = root, root / "content", root / "output"
    shutil.copytree(site.content, clean.content)
    outcome = clean.build(BUILD_CACHE_PATH="")
    assert outcome.ok, outcome.report()
    return clean


EDITS = {
    "body of one document": lambda s: s.write(
        "news/n3.md",
        document(
            title="第3号通知",
            index="003186648/201503-00003",
            date="2015-03-04",
            body="改过的正文。",
        ),
    ),
    "title of a neighbour": lambda s: s.write(
        "news/n4.md",
        document(
            title="第4号通知（修订）",
            index="003186648/201503-00004",
            date="2015-03-05",
            body="第4号通知的正文。",
        ),
    ),
    "a new document": lambda s: s.write(
        "news/n9.md",
        document(
            title="新增的通知", index="003186648/201503-00009", date="2015-03-20", body="新的正文。"
        ),
    ),
    "a deleted document": lambda s: (s.content / "news/n2.md").unlink(),
    # Same size, so only the table file's bytes say it changed.
    "a number in a data table": lambda s: s.write("news/stats.csv", STATS_CSV.replace("15", "16")),
    # The tender's page shows the project's timeline, which now has an award.
    "a procurement stage added": lambda s: s.write(
        "news/award.md",
        document(
            title="设备采购成交结果公告",
            index="003186648/201503-00008",
            date="2015-03-09",
            extra="项目编号: AHZC-2015-0001\n采购阶段: 成交结果公告\n中标供应商: 某公司\n中标金额: "
            "9万元",
        ),
    ),
    # The linking document's page shows n5's URL, which follows its 索引号.
    "the URL of a linked document": lambda s: s.write(
        "news/n5.md",
        document(
            title="第5号通知",
            index="003186648/201503-00015",
            date="2015-03-06",
            body="第5号通知的正文。",
        ),
    ),
    # Year pages, the column's order, neighbours and feeds all move (the 索引号 follows the date).
    "a date moved into another year": lambda s: s.write(
        "news/n6.md",
        document(
            title="第6号通知",
            index="003186648/201412-00006",
            date="2014-12-30",
            body="第6号通知的正文。",
        ),
    ),
    # Attachments and pictures that did not change are kept from the previous output.
    "an attachment's bytes": lambda s: s.write("news/guide.pdf", b"%PDF-1.4 guide, revised"),
    "a picture replaced": lambda s: s.write("news/photo.jpg", b"\xff\xd8\xff\xe0" + b"1" * 80),
    # An {attach} link moves the file beside the page that links it.
    "an unchanged attachment linked with {attach}": lambda s: s.write(
        "news/attached.md",
        _attached_body("附件说明。\n\n![照片](photo.jpg)\n\n[指南]({attach}guide.pdf)"),
    ),
    "a column renamed": lambda s: (s.content / "catalogue.yml").write_text(
        (FIXTURES / "base/catalogue.yml")
        .read_text(encoding="utf-8")
        .replace("name: 部门动态", "name: 部门新闻"),
        encoding="utf-8",
    ),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_cached_rebuild_equals_a_clean_build(tmp_path, edit):
    site = _policy_site(tmp_path / "cached")
    assert site.build().ok
    EDITS[edit](site)
    outcome = site.build()
    assert outcome.ok, outcome.report()
    if edit == "a column renamed":
        assert "部门新闻" in site.page("docs/003186648-201503-00001.html")
    if edit == "a number in a data table":
        assert 'data-value="16"' in site.page("docs/003186648-201502-00002.html")
    if edit == "the URL of a linked document":
        assert "003186648-201503-00015.html" in site.page("docs/003186648-201502-00004.html")
    if edit == "a procurement stage added":
        assert "设备采购成交结果公告" in site.page("docs/003186648-201502-00003.html")
    if edit == "an attachment's bytes":
        assert (site.output / "news/guide.pdf").read_bytes() == b"%PDF-1.4 guide, revised"
    if edit == "an unchanged attachment linked with {attach}":
        page = site.output / "docs/003186648-201502-00005.html"
        links = re.findall(r'href="([^"]*guide\.pdf)"', page.read_text(encoding="utf-8"))
        assert links and all((page.parent / link).is_file() for link in links)
    clean = _clean_build_of(site, tmp_path / "clean")
    assert site.tree_digest() == clean.tree_digest()


def test_unchanged_attachments_and_pictures_are_kept_not_copied(tmp_path, monkeypatch):
    """A rebuild keeps the previous output's attachment, picture and data files whose sources did
    not change, instead of Pelican copying them again (12 s of a 17 s rebuild at 10,000 documents
    with three attachments each); a changed one is copied."""
    from pelican.generators import StaticGenerator

    copied = []
    original = StaticGenerator._link_or_copy_staticfile

    def copy(self, static):
        copied.append(static.save_as)
        return original(self, static)

    monkeypatch.setattr(StaticGenerator, "_link_or_copy_staticfile", copy)
    site = _policy_site(tmp_path / "site")
    assert site.build().ok
    assert {"news/guide.pdf", "news/photo.jpg", "news/stats.csv"} <= set(copied)
    inodes = {rel: os.stat(site.output / rel).st_ino for rel in copied}
    copied.clear()
    EDITS["body of one document"](site)
    assert site.build().ok
    assert copied == []
    assert {rel: os.stat(site.output / rel).st_ino for rel in inodes} == inodes
    EDITS["an attachment's bytes"](site)
    assert site.build().ok
    assert copied == ["news/guide.pdf"]
    assert (site.output / "news/guide.pdf").read_bytes() == b"%PDF-1.4 guide, revised"


def _edit_body(site: FixtureSite, rel: str, body: str) -> None:
    path = site.content / rel
    head, _, _ = path.read_text(encoding="utf-8").partition("\n---\n")
    path.write_text(head + "\n---\n\n" + body + "\n", encoding="utf-8")


@pytest.mark.parametrize("minify", [False, True])
def test_body_edits_remake_only_the_files_that_show_them(tmp_path, minify):
    """A body shows on its page, in the feeds and in the search files: those are made again; the
    other files stay as they were (inode and time), and the site equals a clean build's."""
    site = _policy_site(tmp_path / "cached")
    assert site.build(MINIFY=minify).ok
    before = {
        p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in site.output.rglob("*") if p.is_file()
    }
    _edit_body(site, "news/n5.md", "第5号通知的新正文，说明[有关情况](https://www.ah.gov.cn/)。")
    outcome = site.build(MINIFY=minify)
    assert outcome.ok and outcome.recorded and outcome.pages[0] == 1, outcome.report()
    after = {
        p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in site.output.rglob("*") if p.is_file()
    }
    changed = sorted(
        p.relative_to(site.output).as_posix() for p in after if after[p] != before.get(p)
    )
    assert "docs/003186648-201503-00005.html" in changed
    assert "search/text/" in " ".join(changed) and "feeds/all.atom.xml" in changed
    assert not [
        rel for rel in changed if rel.startswith(("columns/", "years/", "index.html", "catalogue"))
    ]
    assert after.keys() == before.keys()
    assert "第5号通知的新正文" in site.page("docs/003186648-201503-00005.html")
    clean = _clean_build_of(site, tmp_path / "clean")
    if minify:
        shutil.rmtree(clean.output)
        assert clean.build(BUILD_CACHE_PATH="", MINIFY=True).ok
    assert site.tree_digest() == clean.tree_digest()


def test_a_rebuild_with_nothing_changed_leaves_the_output_and_says_so(tmp_path):
    """Nothing the site is made from changed (a file touched with the same bytes): output/ is left
    as it is, and the report is the last build's, warnings and all."""
    site = _policy_site(tmp_path)
    for n in (1, 2):  # the same 文号 twice: a warning
        site.write(
            f"news/same{n}.md",
            document(
                title=f"同号通知{n}",
                index=f"003186648/201501-0000{n}",
                date="2015-01-05",
                文号="皖外办〔2015〕1号",
            ),
        )
    first = site.build()
    assert first.ok and first.problems.warnings
    before = {p: p.stat().st_ino for p in site.output.rglob("*")}
    path = site.content / "news/n3.md"
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    outcome = site.build()
    assert outcome.ok and outcome.unchanged and outcome.pages == (0, sum(first.pages))
    assert "内容与上次生成时相同" in outcome.report()
    assert [p.format() for p in outcome.problems.warnings] == [
        p.format() for p in first.problems.warnings
    ]
    assert outcome.documents == first.documents
    assert {p: p.stat().st_ino for p in site.output.rglob("*")} == before


def test_an_output_put_back_from_elsewhere_is_built_again(tmp_path):
    """The record describes the tree the last build put in place: a copy put there instead
    (restored from a backup, say) may differ from it, so the build runs."""
    site = _policy_site(tmp_path)
    assert site.build().ok
    shutil.copytree(site.output, tmp_path / "copy")
    shutil.rmtree(site.output)
    (tmp_path / "copy").rename(site.output)
    (site.output / "index.html").write_text("被改过的首页", encoding="utf-8")
    outcome = site.build()
    assert outcome.ok and not outcome.unchanged
    assert site.tree_digest() == _clean_build_of(site, tmp_path / "clean").tree_digest()


def test_a_file_removed_from_the_output_by_hand_is_made_again(tmp_path):
    """Nothing in the content changed, but a page went from output/: the build makes it again."""
    site = _policy_site(tmp_path)
    assert site.build().ok
    expected = site.tree_digest()
    (site.output / "docs/003186648-201503-00003.html").unlink()
    outcome = site.build()
    assert outcome.ok and not outcome.unchanged, outcome.report()
    assert site.tree_digest() == expected


def test_a_body_edit_of_the_sample_site_equals_a_clean_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    overrides = {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output")}
    assert site_build.build(ROOT / "pelicanconf.py", overrides).ok
    notice = sorted((content / "news").glob("*.md"))[0]
    notice.write_text(notice.read_text(encoding="utf-8") + "\n补充的一段正文。\n", encoding="utf-8")
    outcome = site_build.build(ROOT / "pelicanconf.py", overrides)
    assert outcome.ok and outcome.recorded, outcome.report()
    clean = tmp_path / "clean"
    assert site_build.build(
        ROOT / "pelicanconf.py",
        {"PATH": str(content), "OUTPUT_PATH": str(clean), "BUILD_CACHE_PATH": ""},
    ).ok
    files = {
        p.relative_to(tmp_path / "output").as_posix(): p.read_bytes()
        for p in sorted((tmp_path / "output").rglob("*"))
        if p.is_file()
    }
    assert files == {
        p.relative_to(clean).as_posix(): p.read_bytes()
        for p in sorted(clean.rglob("*"))
        if p.is_file()
    }


def _edit_template(theme):
    base = theme / "templates/base.html"
    text = base.read_text(encoding="utf-8")
    assert "</body>" in text
    base.write_text(text.replace("</body>", "<!-- 模板改动 --></body>", 1), encoding="utf-8")


@pytest.mark.parametrize("change", ["a template", "a setting"])
def test_a_rebuild_after_a_template_or_setting_change_equals_a_clean_build(tmp_path, change):
    """What every page is made from changes: every page follows, as a clean build makes it."""
    from helpers import ROOT

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    site = _policy_site(tmp_path / "cached")
    assert site.build(THEME=str(theme)).ok
    extra = {"THEME": str(theme)}
    if change == "a template":
        _edit_template(theme)
    else:
        extra["SITENAME"] = "安徽省外事办公室（测试）"
    outcome = site.build(**extra)
    assert outcome.ok, outcome.report()
    page = site.page("docs/003186648-201503-00001.html")
    assert ("模板改动" in page) if change == "a template" else ("（测试）" in page)
    clean = FixtureSite.__new__(FixtureSite)
    clean.root, clean.content, clean.output = (
        tmp_path / "clean",
        tmp_path / "clean/content",
        tmp_path / "clean/output",
    )
    shutil.copytree(site.content, clean.content)
    assert clean.build(BUILD_CACHE_PATH="", **extra).ok
    assert site.tree_digest() == clean.tree_digest()


def test_unchanged_pages_are_not_rewritten(tmp_path):
    site = _policy_site(tmp_path)
    first = site.build()
    assert first.ok and first.pages[1] == 0
    untouched = site.output / "docs/003186648-201503-00006.html"
    edited = site.output / "docs/003186648-201503-00003.html"
    before = {p: p.stat().st_mtime_ns for p in (untouched, edited)}
    for path in before:  # make any rewrite visible even on a coarse clock
        os.utime(path, ns=(before[path] - 10**9, before[path] - 10**9))
        before[path] -= 10**9
    EDITS["body of one document"](site)
    outcome = site.build()
    assert outcome.ok
    assert untouched.stat().st_mtime_ns == before[untouched]
    assert edited.stat().st_mtime_ns != before[edited] and "改过的正文" in edited.read_text(
        encoding="utf-8"
    )
    rendered, reused = outcome.pages
    assert (
        reused > rendered >= 1
    )  # the edited page (and its neighbours' pages if their links changed)
    assert "沿用未改动的页面" in outcome.report()


def test_feeds_and_exports_are_linked_when_unchanged_and_rewritten_when_a_document_changes(
    tmp_path,
):
    site = _policy_site(tmp_path)
    assert site.build().ok
    files = [
        site.output / name for name in ("feeds/all.atom.xml", "catalogue.json", "catalogue.csv")
    ]
    inodes = [path.stat().st_ino for path in files]
    assert site.build().ok  # nothing changed: the previous build's very files
    assert [path.stat().st_ino for path in files] == inodes
    EDITS["title of a neighbour"](site)
    assert site.build().ok
    assert all(path.stat().st_ino != inode for path, inode in zip(files, inodes))
    assert all("第4号通知（修订）" in path.read_text(encoding="utf-8") for path in files)


def test_the_table_fast_path_matches_the_html_path(tmp_path):
    """Bodies without raw HTML are fixed on Markdown's tree; with raw HTML, on the parsed HTML.
    Both give a captioned, scoped, scrollable table."""
    site = FixtureSite(tmp_path)
    site.write("news/a.md", document(body=TABLE_BODY))
    site.write(
        "news/b.md",
        document(
            index="003186648/201503-00002",
            title="带原始HTML的通知",
            body=TABLE_BODY + "\n\n<p>原始<b>HTML</b>段落</p>",
        ),
    )
    assert site.build().ok
    for name in ("003186648-201503-00001", "003186648-201503-00002"):
        html = site.page(f"docs/{name}.html")
        assert (
            'class="gk-table-wrap"' in html and 'role="region"' in html and 'tabindex="0"' in html
        )
        assert '<caption class="gk-visually-hidden">经费情况</caption>' in html
        assert '<th scope="col">项目</th>' in html
        assert "<h2>经费情况</h2>" in html


def test_a_cache_from_other_code_or_content_is_never_served(tmp_path):
    """The cache key covers the file's bytes: the same name with new text renders the new text."""
    site = FixtureSite(tmp_path)
    site.write("news/a.md", document(body="第一版正文。"))
    assert site.build().ok
    site.write("news/a.md", document(body="第二版正文。"))
    assert site.build().ok
    html = site.page("docs/003186648-201503-00001.html")
    assert "第二版正文" in html and "第一版正文" not in html


def test_unchanged_files_are_not_read_again_but_a_same_size_same_mtime_edit_is_seen(
    tmp_path, monkeypatch
):
    """The previous build's stat record spares reading unchanged files; a write changes the ctime,
    so even an edit that keeps the size and puts the old mtime back is read."""
    import pathlib

    import disclosure.bodies

    monkeypatch.setattr(
        disclosure.bodies, "TRUST_STAT_AFTER_NS", 0
    )  # files written just now count as settled
    site = FixtureSite(tmp_path)
    site.write("news/a.md", document(body="第一版正文。"))
    site.write(
        "news/b.md",
        document(index="003186648/201503-00002", title="另一个通知", body="不改的正文。"),
    )
    assert site.build().ok
    read = []
    real_read_bytes = pathlib.Path.read_bytes
    monkeypatch.setattr(
        pathlib.Path, "read_bytes", lambda self: read.append(self.name) or real_read_bytes(self)
    )
    path = site.content / "news/a.md"
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("第一版", "第二版"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert site.build().ok
    assert "a.md" in read and "b.md" not in read
    html = site.page("docs/003186648-201503-00001.html")
    assert "第二版正文" in html and "第一版正文" not in html


@pytest.mark.parametrize("edit", ["body of one document", "a new document"])
def test_search_blocks_are_rebuilt_only_where_documents_changed(tmp_path, monkeypatch, edit):
    import search.generator
    import search.index

    monkeypatch.setattr(search.index, "BLOCK_DOCS", 3)  # 8 documents: blocks 0, 1, 2
    site = _policy_site(tmp_path / "cached")
    assert site.build().ok
    first_block = sorted((site.output / "search/t2").glob("0-*.js"))
    before = {p: p.stat().st_mtime_ns - 10**9 for p in first_block}
    for path, mtime in before.items():
        os.utime(path, ns=(mtime, mtime))
    EDITS[edit](site)  # n3 is in block 1; a new document (the newest) goes to the last block
    assert site.build().ok
    assert site.tree_digest() == _clean_build_of(site, tmp_path / "clean").tree_digest()
    # Refs follow the date: the table document (February) and n1, n2 fill block 0, untouched by
    # either edit.
    assert all(p.stat().st_mtime_ns == before[p] for p in first_block)


@pytest.mark.parametrize("edit", ["body of one document", "a new document"])
def test_a_rebuild_from_the_record_builds_its_search_files_in_forked_jobs(
    tmp_path, monkeypatch, edit
):
    """A rebuild that takes the unchanged documents from the record forks the search jobs (a fresh
    interpreter starts slower than one block is built); the files equal a clean build's, and a job
    that fails fails the build and leaves the previous output."""
    import disclosure.background
    import search.generator

    monkeypatch.setattr(search.generator, "SPAWN_FROM", 1)
    forked = []
    real = disclosure.background.Forked

    def recorded(name, function, args):
        forked.append(name)
        return real(name, function, args)

    monkeypatch.setattr(search.generator, "Forked", recorded)
    site = _policy_site(tmp_path / "cached")
    assert site.build().ok
    assert not forked  # the first build: fresh interpreters
    EDITS[edit](site)
    outcome = site.build()
    assert outcome.ok and outcome.recorded, outcome.report()
    assert "搜索索引（全文）" in forked
    assert site.tree_digest() == _clean_build_of(site, tmp_path / "clean").tree_digest()
    before = site.tree_digest()

    def failing(*args):
        raise OSError("写入搜索文件失败")

    monkeypatch.setattr(search.generator, "write_tier2", failing)
    site.write("news/n4.md", site.content.joinpath("news/n4.md").read_text() + "\n补充。\n")
    outcome = site.build()
    assert not outcome.ok and "写入搜索文件失败" in outcome.report()
    assert site.tree_digest() == before


def test_body_texts_live_in_the_cache_and_the_search_jobs_read_them_there(tmp_path, monkeypatch):
    """The build keeps bodies without their plain text; the search jobs (own processes here) read
    the texts from the cache, and the output is the one a build without a cache (texts in memory)
    gives."""
    import pickle
    import sqlite3

    import search.generator

    monkeypatch.setattr(search.generator, "SPAWN_FROM", 1)
    site = _policy_site(
        tmp_path / "站点 #1 ?%20"
    )  # the cache is opened by URI: odd folder names too
    assert site.build().ok
    db = sqlite3.connect(site.root / "cache/build.sqlite")
    bodies = [pickle.loads(value) for (value,) in db.execute("SELECT value FROM bodies")]
    texts = {
        key: value.decode("utf-8") for key, value in db.execute("SELECT key, value FROM texts")
    }
    db.close()
    assert (
        bodies
        and all(body.text == "" and body.text_length for body in bodies)
        and len(texts) == len(bodies)
    )
    assert any("第3号通知的正文" in text for text in texts.values())
    snippets = "".join(
        p.read_text(encoding="utf-8") for p in (site.output / "search/text").glob("*.js")
    )
    assert "第3号通知的正文" in snippets
    assert site.tree_digest() == _clean_build_of(site, tmp_path / "clean").tree_digest()


def test_serial_and_parallel_builds_give_the_same_bytes(tmp_path, monkeypatch):
    """BUILD_WORKERS = 1 (no pool, no background processes, no page workers) changes nothing in the
    output."""
    import disclosure.pages
    import search.generator

    monkeypatch.setattr(
        search.generator, "SPAWN_FROM", 1
    )  # the search files from two other processes
    monkeypatch.setattr(
        disclosure.pages, "PARALLEL_PAGES_FROM", 1
    )  # pages rendered by forked workers too
    parallel = _policy_site(tmp_path / "parallel")
    for n in range(60):  # enough documents for the worker pool to start
        parallel.write(
            f"news/m{n}.md",
            document(
                title=f"批量通知{n}",
                index=f"003186648/201501-{n + 1:05d}",
                date="2015-01-05",
                body=TABLE_BODY,
            ),
        )
    assert parallel.build(BUILD_CACHE_PATH="").ok
    serial = _clean_build_of(parallel, tmp_path / "serial")  # built with the cache off, see below
    shutil.rmtree(serial.output)
    assert serial.build(BUILD_CACHE_PATH="", BUILD_WORKERS=1).ok
    assert parallel.tree_digest() == serial.tree_digest()


def test_early_search_jobs_are_kept_when_the_guess_holds_and_redone_when_a_plugin_changed_it(
    tmp_path, monkeypatch
):
    """The index jobs start as soon as the bodies are rendered; a plugin that changes a document
    afterwards (here: a title, and a body as the annual report's tables do) makes the build throw
    those jobs away and start again from the final documents, giving what a serial build gives."""
    from pelican import signals

    import disclosure.background
    import search.generator

    monkeypatch.setattr(search.generator, "SPAWN_FROM", 1)
    started, cancelled = [], []
    spawned = disclosure.background.Spawned

    class Recorded(spawned):
        def __init__(self, name, function, args, parallel=True):
            started.append(name)
            super().__init__(name, function, args, parallel)

        def cancel(self):
            cancelled.append(self.name)
            super().cancel()

    monkeypatch.setattr(search.generator, "Spawned", Recorded)
    site = notices(tmp_path / "site", 7)  # plain notices: no plugin changes a body (tables would)
    assert site.build(BUILD_CACHE_PATH="", BUILD_WORKERS=2).ok
    # Early: tier 1 and the tier-2 blocks; when the documents are final, only the snippet texts.
    assert (
        started == ["搜索索引（第一层）", "搜索索引（全文）", "搜索索引（全文）"] and not cancelled
    )

    def change(generator):
        for article in getattr(generator, "articles", []):
            if article.document.source == "news/n3.md":
                article.document.title = "第3号通知（插件改过）"
            if article.document.source == "news/n5.md":
                article._content += "<p>插件加的段落</p>"

    signals.article_generator_finalized.connect(change)
    try:
        started.clear()
        shutil.rmtree(site.output)
        assert site.build(BUILD_CACHE_PATH="", BUILD_WORKERS=2).ok
        assert cancelled == ["搜索索引（第一层）", "搜索索引（全文）"]
        assert started == [
            "搜索索引（第一层）",
            "搜索索引（全文）",
            "搜索索引（第一层）",
            "搜索索引（全文）",
        ]
        serial = _clean_build_of(site, tmp_path / "serial")
        shutil.rmtree(serial.output)
        assert serial.build(BUILD_CACHE_PATH="", BUILD_WORKERS=1).ok
    finally:
        signals.article_generator_finalized.disconnect(change)
    store = site.output / "search/t1d"
    assert any("插件改过" in p.read_text(encoding="utf-8") for p in store.glob("*.js"))
    assert site.tree_digest() == serial.tree_digest()


def test_a_failing_page_worker_fails_the_build_and_keeps_the_previous_output(tmp_path, monkeypatch):
    import disclosure.pages

    site = _policy_site(tmp_path)
    assert site.build(BUILD_WORKERS=2).ok
    before = site.tree_digest()
    monkeypatch.setattr(disclosure.pages, "PARALLEL_PAGES_FROM", 1)
    render = disclosure.pages.PageWriter._render
    workers_pid = os.getpid()

    def failing_in_a_worker(self, save_as, template, kwargs):
        if os.getpid() != workers_pid:  # only in a forked worker
            raise ValueError(f"模板出错：{save_as}")
        render(self, save_as, template, kwargs)

    monkeypatch.setattr(disclosure.pages.PageWriter, "_render", failing_in_a_worker)
    site.write(
        "news/n3.md",
        document(
            title="第3号通知",
            index="003186648/201503-00003",
            date="2015-03-04",
            body="改过的正文。",
        ),
    )
    site.write(
        "catalogue.yml",
        (FIXTURES / "base/catalogue.yml")
        .read_text(encoding="utf-8")
        .replace("name: 部门动态", "name: 部门新闻"),
    )  # every page changes, so the workers get some
    outcome = site.build(BUILD_WORKERS=2)
    assert not outcome.ok
    assert "ValueError: 模板出错：" in outcome.failure
    assert site.tree_digest() == before


def test_a_background_job_runs_in_its_own_process_and_its_failure_is_reported(tmp_path):
    import json
    import shutil as shutil_module

    from disclosure.background import Spawned

    (tmp_path / "a.txt").write_text("一", encoding="utf-8")
    Spawned(
        "复制", shutil_module.copyfile, (str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    ).wait()
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "一"
    failing = Spawned("搜索索引（全文）", json.loads, ("{",))
    with pytest.raises(RuntimeError, match=r"^搜索索引（全文）: json.decoder.JSONDecodeError"):
        failing.wait()
    inline = Spawned(
        "串行", json.loads, ("{",), parallel=False
    )  # BUILD_WORKERS = 1: no process at all
    with pytest.raises(RuntimeError, match="JSONDecodeError"):
        inline.wait()


def test_long_texts_reach_a_background_job_intact(tmp_path):
    """Long strings travel as UTF-8 bytes (see background._Text); they must arrive as the same text,
    however deep in the arguments, surrogates and all."""
    from disclosure.background import Spawned
    from search.index import write_files

    long_text = "预算公开，第一段。\n" * 100 + "\U00020000"
    files = {"a.txt": long_text, "b/c.txt": "短", "d.txt": long_text}
    Spawned("写文件", write_files, (str(tmp_path), files)).wait()
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == long_text
    assert (tmp_path / "d.txt").read_text(encoding="utf-8") == long_text
    assert (tmp_path / "b/c.txt").read_text(encoding="utf-8") == "短"
    odd = long_text + "\udcff"  # a lone surrogate, as a broken decoder could leave
    Spawned("比较", _assert_equal, ([(1, [(2, odd)])], [(1, [(2, odd)])])).wait()


def _assert_equal(got, expected):
    assert got == expected and type(got[0][1][0][1]) is str


def test_search_files_never_write_through_a_link_to_the_previous_build(tmp_path):
    """A search file is written in place when new; over an existing file (a hard link to the
    previous build's) it is replaced, so the previous build's file keeps its bytes."""
    from search.index import write_files

    previous, new = tmp_path / "previous", tmp_path / "new"
    (previous / "search").mkdir(parents=True)
    (new / "search").mkdir(parents=True)
    (previous / "search/t.js").write_text("旧", encoding="utf-8")
    os.link(previous / "search/t.js", new / "search/t.js")
    write_files(str(new), {"search/t.js": "新", "search/u/v.js": "另"})
    assert (previous / "search/t.js").read_text(encoding="utf-8") == "旧"
    assert (new / "search/t.js").read_text(encoding="utf-8") == "新"
    assert (new / "search/u/v.js").read_text(encoding="utf-8") == "另"
    assert not list(new.rglob("*.new"))


def test_the_cache_keeps_documents_without_their_markdown_and_reads_a_file_again_when_needed(
    tmp_path,
):
    """Cached documents hold a hash of their body, not the body; when the Markdown settings change,
    the rendered bodies no longer fit and each document is read again for its Markdown."""
    import pickle
    import sqlite3

    site = FixtureSite(tmp_path)
    site.write("news/a.md", document(body="第一行\n第二行"))
    assert site.build().ok
    db = sqlite3.connect(site.root / "cache/build.sqlite")
    results = [pickle.loads(value) for (value,) in db.execute("SELECT value FROM documents")]
    db.close()
    assert results and all(r.body == "" and len(r.body_digest) == 40 for r in results)
    assert "<p>第一行\n第二行</p>" in site.page("docs/003186648-201503-00001.html")
    markdown = {
        "extension_configs": {
            "markdown.extensions.extra": {},
            "markdown.extensions.sane_lists": {},
            "markdown.extensions.nl2br": {},
        },
        "output_format": "html5",
    }
    assert site.build(MARKDOWN=markdown).ok
    assert "<p>第一行<br>\n第二行</p>" in site.page("docs/003186648-201503-00001.html")


def test_unchanged_pages_are_copied_with_their_times_when_hard_links_fail(tmp_path, monkeypatch):
    """Linking the previous build's files can fail past the first link (a file with too many links,
    a full disk): the file is copied, same bytes and same modification time."""
    import errno

    site = _policy_site(tmp_path)
    assert site.build().ok
    page = site.output / "docs/003186648-201503-00006.html"
    before = (page.read_bytes(), page.stat().st_mtime_ns, page.stat().st_ino)
    real_link, calls = os.link, []

    def link(old, new, *args, **kwargs):
        calls.append(new)
        if len(calls) > 1:  # the first one, made by the build itself, shows that links work here
            raise OSError(errno.EMLINK, "Too many links")
        return real_link(old, new, *args, **kwargs)

    monkeypatch.setattr(os, "link", link)
    EDITS["body of one document"](site)
    outcome = site.build()  # the unchanged pages are kept
    assert outcome.ok, outcome.report()
    assert outcome.pages[1] > 0
    assert (page.read_bytes(), page.stat().st_mtime_ns) == before[
        :2
    ] and page.stat().st_ino != before[2]
    monkeypatch.setattr(os, "link", real_link)
    assert site.tree_digest() == _clean_build_of(site, tmp_path / "clean").tree_digest()


def test_the_kept_tree_is_the_previous_output_with_this_builds_changes(tmp_path):
    """The copy of the previous output is made of links; merged with what a build wrote, it keeps
    what the build kept (the old file), takes what it wrote (the old file when the bytes are the
    same), loses the rest, folders left empty too; the previous output is never written."""
    from disclosure.tree import KeptTree, files_in

    old, staging = tmp_path / "old", tmp_path / "new"
    for rel, text in {
        "kept.html": "留",
        "same.html": "同",
        "changed.html": "旧",
        "gone/deep/x.html": "删",
        "gone/y.html": "删",
    }.items():
        (old / rel).parent.mkdir(parents=True, exist_ok=True)
        (old / rel).write_text(text, encoding="utf-8")
    os.utime(old / "same.html", ns=(10**18, 10**18))
    before = {rel: (old / rel).stat().st_ino for rel in files_in(str(old))}
    tree = KeptTree(str(old), str(staging) + ".kept")
    assert tree.has("gone/y.html") and not tree.has("new.html")
    for rel, text in {"same.html": "同", "changed.html": "新", "a/b/new.html": "新"}.items():
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_text(text, encoding="utf-8")
    tree.merge(str(staging), {"kept.html"})
    merged = tmp_path / "new.kept"
    assert tree.target == str(merged)
    assert files_in(str(merged)) == {"kept.html", "same.html", "changed.html", "a/b/new.html"}
    assert not (merged / "gone").exists()
    assert (merged / "kept.html").stat().st_ino == before["kept.html"]
    assert (merged / "same.html").stat().st_ino == before["same.html"]
    assert (merged / "same.html").stat().st_mtime_ns == 10**18
    assert (merged / "changed.html").read_text(encoding="utf-8") == "新"
    assert (old / "changed.html").read_text(encoding="utf-8") == "旧"
    assert files_in(str(old)) == set(before)


def test_the_copy_is_made_from_the_spare_tree_brought_level_with_the_output(tmp_path):
    """The tree a rebuild swapped out is the next copy's start: every file it lacks, has more of,
    or holds another version of is put right, so the copy is the output's files, inode for inode,
    and the spare is used up."""
    from disclosure.tree import KeptTree, spare_path

    output = tmp_path / "output"
    for rel in ("same.html", "changed.html", "gone/x.html", "a/b.html"):
        (output / rel).parent.mkdir(parents=True, exist_ok=True)
        (output / rel).write_text(rel, encoding="utf-8")
    spare = Path(spare_path(str(output)))
    assert spare == tmp_path / ".output-spare"
    shutil.copytree(output, spare, copy_function=os.link)
    (output / "changed.html").unlink()
    (output / "changed.html").write_text("新版本", encoding="utf-8")  # another inode
    shutil.rmtree(output / "gone")
    (output / "new/c.html").parent.mkdir()
    (output / "new/c.html").write_text("新增", encoding="utf-8")
    (spare / "stray.html").write_text("多余", encoding="utf-8")
    tree = KeptTree(str(output), str(tmp_path / "staging.kept"))
    tree.wait()
    copy = tmp_path / "staging.kept"
    inodes = {
        p.relative_to(folder).as_posix(): p.stat().st_ino if p.is_file() else 0
        for folder in (output,)
        for p in folder.rglob("*")
    }
    assert {
        p.relative_to(copy).as_posix(): p.stat().st_ino if p.is_file() else 0
        for p in copy.rglob("*")
    } == inodes
    assert not spare.exists()


def test_the_record_keeps_the_entries_of_unchanged_documents_as_they_were(tmp_path):
    """A rebuild writes the record's entry of a document it did not read again byte for byte as
    it was; the edited document's entry is made anew."""
    import pickle

    from disclosure import record

    site = _policy_site(tmp_path)
    assert site.build().ok
    folder = str(site.root / "cache")

    def entries():
        with open(Path(folder) / record.RECORD, "rb") as handle:
            digest = pickle.load(handle)["site_digest"]
        loaded = record.load(folder, digest)
        return {source: bytes(raw) for source, raw in loaded["entries"].items()}, loaded

    before, first = entries()
    EDITS["body of one document"](site)  # news/n3.md
    outcome = site.build()
    assert outcome.ok and outcome.recorded
    after, second = entries()
    assert after.keys() == before.keys()
    assert [source for source in after if after[source] != before[source]] == ["news/n3.md"]
    assert (
        second["documents"]["news/n3.md"][1]["body_key"]
        != (first["documents"]["news/n3.md"][1]["body_key"])
    )


def test_the_cache_holds_exactly_what_the_last_build_used(tmp_path):
    """Old versions of an edited document and the pages of a deleted one leave the cache."""
    import sqlite3

    site = _policy_site(tmp_path)
    assert site.build().ok

    def table(name):
        db = sqlite3.connect(site.root / "cache/build.sqlite")
        try:
            return {key for (key,) in db.execute(f"SELECT key FROM {name}")}
        finally:
            db.close()

    documents, pages = table("documents"), table("pages")
    EDITS["body of one document"](site)
    EDITS["a deleted document"](site)
    assert site.build().ok
    assert (
        len(table("documents")) == len(documents) - 1 and len(table("documents") - documents) == 1
    )
    assert "docs/003186648-201503-00002.html" in pages
    now = table("pages")
    assert "docs/003186648-201503-00002.html" not in now
    written = {p.relative_to(site.output).as_posix() for p in site.output.rglob("*.html")}
    assert {p for p in now if p.endswith(".html")} <= written  # no page the output does not have
    assert {f"docs/{p.stem}.html" for p in (site.output / "docs").glob("*.html")} <= now

"""Quick rebuilds: when only bodies changed, only the files that show them are made again, and the
output is byte for byte what a clean build of the same content gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_incremental import _clean_build_of, _policy_site

from disclosure import build as site_build
from disclosure import quick, signals
from helpers import ROOT, FixtureSite, document

pytestmark = pytest.mark.slow  # `invoke test --fast` leaves it out


def _site(root: Path) -> FixtureSite:
    """Notices, a policy with its interpretation, a table from a data file and a tender."""
    site = _policy_site(root)
    site.write(
        "policy/p.md",
        document(
            title="关于规范审批的通知",
            index="003186648/201404-00001",
            column="policy",
            date="2014-04-15",
            有效性="有效",
            body="## 一、总则\n\n政策正文。",
        ),
    )
    site.write(
        "interpretation/i.md",
        document(
            title="审批通知解读",
            index="003186648/201404-00002",
            column="interpretation",
            date="2014-04-16",
            解读对象="003186648/201404-00001",
            body="解读正文。",
        ),
    )
    return site


def _edit_body(site: FixtureSite, rel: str, body: str) -> None:
    path = site.content / rel
    head, _, _ = path.read_text(encoding="utf-8").partition("\n---\n")
    path.write_text(head + "\n---\n\n" + body + "\n", encoding="utf-8")


def _built(site: FixtureSite, **settings):
    outcome = site.build(**settings)
    assert outcome.ok, outcome.report()
    return outcome


@pytest.mark.parametrize("minify", [False, True])
def test_body_edits_rebuild_quickly_and_equal_a_clean_build(tmp_path, minify):
    site = _site(tmp_path / "cached")
    _built(site, MINIFY=minify)
    # The policy's page links its interpretation; the notice is in the feeds and has neighbours.
    _edit_body(
        site,
        "policy/p.md",
        "## 一、总则\n\n修订后的政策正文，增加了**重点**内容。\n\n- 第一项\n- 第二项",
    )
    _edit_body(site, "news/n3.md", "改过的正文，说明[有关情况](https://www.ah.gov.cn/)。")
    outcome = _built(site, MINIFY=minify)
    assert outcome.quick, outcome.report()
    assert outcome.pages[0] == 2
    assert "快速更新" in outcome.report()
    policy = site.page("docs/003186648-201404-00001.html")
    assert "修订后的政策正文" in policy and "审批通知解读" in policy
    assert "改过的正文" in site.page("feeds/all.atom.xml")
    clean = _clean_build_of(site, tmp_path / "clean")
    if minify:  # the clean build minifies too
        shutil.rmtree(clean.output)
        assert clean.build(BUILD_CACHE_PATH="", MINIFY=True).ok
    assert site.tree_digest() == clean.tree_digest()


def test_quick_rebuild_touches_only_what_changed(tmp_path):
    site = _site(tmp_path)
    _built(site)
    before = {
        p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in site.output.rglob("*") if p.is_file()
    }
    _edit_body(site, "news/n5.md", "第5号通知的新正文。")
    assert _built(site).quick
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


@pytest.mark.parametrize(
    "edit", ["front matter", "body a plugin fills", "attachment", "a new file"]
)
def test_other_changes_take_the_full_build(tmp_path, edit):
    site = _site(tmp_path / "cached")
    _built(site)
    if edit == "front matter":
        site.write(
            "news/n3.md",
            document(
                title="第3号通知（更正）",
                index="003186648/201503-00003",
                date="2015-03-04",
                body="第3号通知的正文。",
            ),
        )
    elif edit == "body a plugin fills":  # the data table goes into this body after rendering
        _edit_body(site, "news/stats.md", "新的说明。\n\n【数据表】")
    elif edit == "attachment":
        site.write("news/stats.csv", "# 图表: 柱状图\n季度,办件\n第一季度,13\n第二季度,15\n")
    else:
        site.write(
            "news/n9.md",
            document(title="新增的通知", index="003186648/201503-00009", date="2015-03-20"),
        )
    outcome = _built(site)
    assert not outcome.quick
    assert site.tree_digest() == _clean_build_of(site, tmp_path / "clean").tree_digest()


def test_a_template_reading_more_of_the_site_takes_the_full_build(tmp_path):
    """The quick page has the site-wide context only: a document page that shows a count of all
    documents must come from the full build, never show a blank."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    article = theme / "templates" / "article.html"
    article.write_text(
        article.read_text(encoding="utf-8").replace(
            '<article class="gk-body">',
            '<p>共 {{ document_total }} 个文件</p>\n<article class="gk-body">',
        ),
        encoding="utf-8",
    )
    site = _site(tmp_path / "cached")
    _built(site, THEME=str(theme))
    _edit_body(site, "news/n3.md", "改过的正文。")
    outcome = _built(site, THEME=str(theme))
    assert not outcome.quick
    assert f"共 {outcome.documents} 个文件" in site.page("docs/003186648-201503-00003.html")


def test_content_error_in_a_quick_rebuild_leaves_output_alone(tmp_path):
    site = _site(tmp_path)
    _built(site)
    before = site.tree_digest()
    _edit_body(site, "news/n3.md", "正文<script>alert(1)</script>")
    outcome = site.build()
    assert not outcome.ok
    assert "news/n3.md" in outcome.report() and "script" in outcome.report()
    assert "原有的 output/ 保持不变" in outcome.report()
    assert site.tree_digest() == before


def test_a_quick_rebuild_killed_while_moving_files_is_completed_by_the_next_build(
    tmp_path, monkeypatch
):
    site = _site(tmp_path / "cached")
    _built(site)
    _edit_body(site, "news/n3.md", "改过的正文。")
    real = quick.finish_moves

    def killed(folder, output):  # the journal is written; the process dies before moving anything
        raise KeyboardInterrupt

    monkeypatch.setattr(quick, "finish_moves", killed)
    with pytest.raises(KeyboardInterrupt):
        site.build()
    monkeypatch.setattr(quick, "finish_moves", real)
    left = list(site.output.parent.glob(".output-quick-*"))
    assert len(left) == 1 and (left[0] / "journal.json").is_file()
    assert "改过的正文" not in site.page("docs/003186648-201503-00003.html")
    left[0].rename(left[0].with_name(".output-quick-999999999"))  # as if its process were gone
    outcome = _built(site)
    assert not list(site.output.parent.glob(".output-quick-*"))
    assert "改过的正文" in site.page("docs/003186648-201503-00003.html")
    assert outcome.ok
    assert site.tree_digest() == _clean_build_of(site, tmp_path / "clean").tree_digest()


def test_a_rebuild_with_nothing_changed_says_so(tmp_path):
    site = _site(tmp_path)
    _built(site)
    before = site.tree_digest()
    path = site.content / "news/n3.md"
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # touched, the same bytes
    outcome = _built(site)
    assert outcome.quick and outcome.pages[0] == 0
    assert "内容与上次生成时相同" in outcome.report() and "快速更新" not in outcome.report()
    assert site.tree_digest() == before


def test_quick_rebuilds_can_be_turned_off(tmp_path):
    site = _site(tmp_path)
    _built(site, QUICK_REBUILD=False)
    assert not (site.root / "cache" / quick.MANIFEST).exists()
    _edit_body(site, "news/n3.md", "改过的正文。")
    assert not _built(site, QUICK_REBUILD=False).quick
    assert not _built(site).quick  # no record yet: the full build leaves one
    _edit_body(site, "news/n3.md", "再改一次的正文。")
    assert _built(site).quick


def test_a_fault_in_a_quick_step_falls_back_to_the_full_build(tmp_path):
    site = _site(tmp_path / "cached")
    _built(site)
    _edit_body(site, "news/n3.md", "改过的正文。")

    def broken(run):
        raise ValueError("a bug")

    def broken_part(settings):
        return quick.QuickPart("broken", broken)

    with signals.quick_rebuild.connected_to(broken_part):
        outcome = _built(site)
    assert not outcome.quick and "改过的正文" in site.page("docs/003186648-201503-00003.html")
    assert not list(site.output.parent.glob(".output-quick-*"))
    assert site.tree_digest() == _clean_build_of(site, tmp_path / "clean").tree_digest()


def test_a_linked_document_shows_only_its_url_and_title():
    linked = __import__("catalogue.quick_pages", fromlist=["Linked"]).Linked("docs/a.html", "标题")
    assert (linked.url, linked.title) == ("docs/a.html", "标题")
    assert not hasattr(linked, "__html__")
    with pytest.raises(quick.Unsupported):
        linked.date  # noqa: B018 - reading it is the test


def test_quick_rebuild_keeps_the_report_of_warnings(tmp_path):
    """Warnings of documents the quick rebuild did not read are still reported."""
    site = _site(tmp_path)
    site.write(
        "news/old.md",
        document(
            title="旧通知",
            index="003186648/201501-00001",
            date="2015-01-05",
            body="旧正文。",
            有效性="有效",
        ),
    )
    first = _built(site)
    _edit_body(site, "news/n3.md", "改过的正文。")
    second = _built(site)
    assert second.quick
    assert [p.format() for p in second.problems.warnings] == [
        p.format() for p in first.problems.warnings
    ]


def test_the_record_survives_a_failed_full_build(tmp_path):
    site = _site(tmp_path)
    _built(site)
    site.write("news/bad.md", document(index="bad", title="坏文件"))
    assert not site.build().ok
    os.remove(site.content / "news/bad.md")
    _edit_body(site, "news/n3.md", "改过的正文。")
    assert _built(site).quick


def test_build_from_settings_file_uses_quick_path_for_the_sample(tmp_path):
    """The sample site itself: a body edit of a notice is quick and equals a clean build."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    overrides = {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output")}
    assert site_build.build(ROOT / "pelicanconf.py", overrides).ok
    notice = next(p for p in sorted((content / "news").glob("*.md")))
    notice.write_text(notice.read_text(encoding="utf-8") + "\n补充的一段正文。\n", encoding="utf-8")
    outcome = site_build.build(ROOT / "pelicanconf.py", overrides)
    assert outcome.ok and outcome.quick, outcome.report()
    clean = tmp_path / "clean"
    assert site_build.build(
        ROOT / "pelicanconf.py",
        {"PATH": str(content), "OUTPUT_PATH": str(clean), "BUILD_CACHE_PATH": ""},
    ).ok
    assert _digest(tmp_path / "output") == _digest(clean)


def _digest(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_an_output_put_back_from_elsewhere_takes_the_full_build(tmp_path):
    """The record describes the tree the last build wrote: a copy put in its place (restored from
    a backup, say) may differ from it, so the full build runs."""
    site = _site(tmp_path)
    _built(site)
    shutil.copytree(site.output, tmp_path / "copy")
    shutil.rmtree(site.output)
    (tmp_path / "copy").rename(site.output)
    _edit_body(site, "news/n3.md", "改过的正文。")
    assert not _built(site).quick


def test_site_wide_lookups_refuse_to_be_walked():
    from catalogue.quick_pages import Lookup

    lookup = Lookup({"a.md": 1})
    assert lookup.get("a.md") == 1 and lookup["a.md"] == 1 and lookup.get("b.md") is None
    for walk in (list, len, lambda d: d.items()):
        with pytest.raises(quick.Unsupported):
            walk(lookup)

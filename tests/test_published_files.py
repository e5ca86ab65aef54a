"""Only files inside content/ that a published document lists or shows are published: every link
form to anything else is an error naming the document and line, and nothing of it is copied."""

from __future__ import annotations

import os

import pytest

from helpers import broken_links, document

SECRET = b"DEPLOY_KEY=secret-value-1234"
LINK_FORMS = {
    "md-static": "[下载]({static}TARGET)",
    "md-attach": "[下载]({attach}TARGET)",
    "md-pipe-static": "[下载](|static|TARGET)",
    "md-filename": "[下载]({filename}TARGET)",
    "md-picture": "![图]({static}TARGET)",
    "md-reference": "[下载][rN]\n\n[rN]: {attach}TARGET",
    "raw-a": '<a href="{static}TARGET">下载</a>',
    "raw-img": '<img alt="图" src="{attach}TARGET">',
    "attr-list": '[下载](https://www.gov.cn){: href="{static}TARGET" }',
}


@pytest.fixture
def targets(site, tmp_path):
    """name -> how the body names it: files that must never be published."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(SECRET)
    (site.content / "news").mkdir()
    os.symlink(outside / "secret.txt", site.content / "news/link-out.txt")
    os.symlink("/proc/self/environ", site.content / "news/environ.txt")
    site.write("news/.env", SECRET)
    site.write("news/unlisted.pdf", b"%PDF-1.4 " + SECRET)
    site.write(
        "news/draft.md", document(index="003186648/201503-00009", 状态="草稿", body=SECRET.decode())
    )
    return {
        "symlink-out": "link-out.txt",
        "proc-environ": "environ.txt",
        "dot-dot": "../../outside/secret.txt",
        "root-escape": "/../outside/secret.txt",
        "hidden": ".env",
        "unlisted": "unlisted.pdf",
        "config": "/catalogue.yml",
        "draft-source": "draft.md",
    }


@pytest.mark.parametrize("form", sorted(LINK_FORMS))
def test_every_link_form_to_an_unpublishable_file_is_an_error(site, targets, form):
    names = sorted(targets)
    links = [
        LINK_FORMS[form].replace("TARGET", targets[n]).replace("N", str(i))
        for i, n in enumerate(names)
    ]
    body = "正文第一段。\n\n" + "\n\n".join(links)
    site.write("news/a.md", document(body=body))
    outcome = site.build()
    assert not outcome.ok
    errors = [p for p in outcome.problems.errors if p.path == "news/a.md"]
    if form == "md-filename":  # a link to another document's page publishes nothing
        names.remove("draft-source")
    assert len(errors) >= len(names), outcome.report()
    assert all(p.field == "正文" and p.line > 8 for p in errors), outcome.report()
    assert not site.output.exists()
    assert {p.message for p in site.check().problems.errors} >= {p.message for p in errors}


def test_pictures_and_listed_files_are_published_and_nothing_else(site):
    site.write("news/chart.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    site.write("news/photo.jpg", b"\xff\xd8\xff\xe0" + b"0" * 64)
    site.write("news/report.pdf", b"%PDF-1.4 report")
    site.write("news/unlisted.pdf", b"%PDF-1.4 " + SECRET)
    site.write(
        "news/a.md",
        document(
            extra="附件: report.pdf",
            body=(
                "![柱状图](chart.png)\n\n![照片]({static}photo.jpg)\n\n[全文下载]({attach}report.pdf)"
            ),
        ),
    )
    outcome = site.build()
    assert outcome.ok, outcome.report()
    published = {
        p.relative_to(site.output).as_posix()
        for p in site.output.rglob("*")
        if p.is_file() and p.suffix in (".png", ".jpg", ".pdf")
    }
    assert {"news/chart.png", "news/photo.jpg"} <= published
    assert any(p.endswith("report.pdf") for p in published)
    assert not any("unlisted" in p for p in published)
    assert broken_links(site.output) == []  # the page links the pictures where they are published
    for path in site.output.rglob("*"):
        assert not path.is_file() or SECRET not in path.read_bytes()


@pytest.mark.parametrize(
    "name,data",
    [
        ("page.html", b"<p>hello</p>"),
        ("page.htm", b"<p>hello</p>"),
        ("logo.svg", b"<svg></svg>"),
        ("data.xml", b"<?xml version='1.0'?><a/>"),
        ("app.js", b"alert(1)"),
        ("notes.md", b"# x"),
        ("sniffed.txt", b"  <!DOCTYPE html><script>alert(1)</script>"),
        ("sniffed.dat", b"<svg onload=alert(1)>"),
        ("upper.HTML", b"x"),
        (".hidden.pdf", b"%PDF"),
    ],
)
def test_attachments_a_browser_could_run_are_refused(site, name, data):
    site.write(f"news/{name}", data)
    site.write("news/a.md", document(extra=f"附件: {name}"))
    [problem] = [p for p in site.build().problems.errors if p.path == "news/a.md"]
    assert problem.field == "附件" and problem.line == 6 and "不能" in problem.message
    assert not site.output.exists()


def test_a_reviewed_file_may_be_published(site):
    site.write("news/map.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    site.write("news/a.md", document(extra="附件: map.svg"))
    outcome = site.build(PUBLISH_REVIEWED_FILES=["news/map.svg"])
    assert outcome.ok, outcome.report()


@pytest.mark.parametrize("folder", ["theme", "search", "feeds", "forms"])
def test_nothing_is_published_where_the_sites_own_scripts_live(site, folder):
    site.write(f"{folder}/js/report.pdf", b"%PDF-1.4")
    site.write("news/a.md", document(extra=f"附件: /{folder}/js/report.pdf"))
    [problem] = [p for p in site.build().problems.errors if p.path == "news/a.md"]
    assert f"content/{folder}/" in problem.message


def test_catalogue_csv_cells_never_start_a_formula(site):
    site.write(
        "news/a.md",
        document(title='=HYPERLINK("http://evil.example","点击")', 关键词="@SUM(1+1), +1, -2"),
    )
    assert site.build().ok
    text = site.page("catalogue.csv")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text and ',"=HYPERLINK' not in text


def test_attachment_names_with_url_characters_are_linked_percent_encoded(site):
    names = ["第1#号.pdf", "问答?.pdf", "100%完成.pdf"]
    for name in names:
        site.write(f"news/{name}", b"%PDF-1.4")
    site.write("news/a.md", document(extra="附件:\n" + "".join(f"  - '{n}'\n" for n in names)))
    outcome = site.build()
    assert outcome.ok, outcome.report()
    page = site.page("docs/003186648-201503-00001.html")
    for name in names:
        encoded = name.replace("%", "%25").replace("#", "%23").replace("?", "%3F")
        assert f'href="../news/{encoded}"' in page
        assert (site.output / "news" / name).is_file()
    assert broken_links(site.output) == []


def test_a_long_chinese_file_name_gives_a_short_url(site):
    stem = "关于印发安徽省外事办公室因公出国境管理办法实施细则和有关配套制度的通知" * 2
    site.write(f"news/{stem}.md", document(index=None, 历史文档="是"))
    site.write(f"news/{stem}二.md", document(index=None, 历史文档="是", title="另一份"))
    outcome = site.build()
    assert outcome.ok, outcome.report()
    pages = sorted(p.name for p in (site.output / "docs").iterdir())
    assert len(pages) == 2 and all(len(p.encode()) <= 100 for p in pages)
    assert site.check().ok


def test_plain_links_to_files_and_documents_resolve_from_the_page(site):
    """``[下载](report.pdf)`` beside the document links the published file, ``[见](b.md)`` the other
    document's page; a link to a page of the site is left as written."""
    site.write("news/report.pdf", b"%PDF-1.4 report")
    site.write("news/b.md", document(index="003186648/201503-00002", title="另一份通知"))
    site.write(
        "news/a.md",
        document(
            extra="附件: report.pdf",
            body=("[全文下载](report.pdf)，另见[另一份通知](b.md)和[网站地图](../sitemap.html)。"),
        ),
    )
    outcome = site.build()
    assert outcome.ok, outcome.report()
    page = site.page("docs/003186648-201503-00001.html")
    assert (
        'href="../news/report.pdf"' in page and 'href="../docs/003186648-201503-00002.html"' in page
    )
    assert 'href="../sitemap.html"' in page
    assert broken_links(site.output) == []


@pytest.mark.parametrize(
    "body,message",
    [
        ("[下载](missing.pdf)", "找不到正文中链接的文件"),
        ("[下载](unlisted.pdf)", "没有写进“附件”"),
        ("![图](missing.png)", "找不到正文中链接的文件"),
        ("[见](missing.md)", "正文链接的文档不存在"),
    ],
)
def test_a_plain_link_that_would_not_resolve_is_an_error_with_its_line(site, body, message):
    site.write("news/unlisted.pdf", b"%PDF-1.4")
    site.write("news/a.md", document(body="第一段。\n\n" + body))
    [problem] = [p for p in site.build().problems.errors if p.path == "news/a.md"]
    assert message in problem.message and problem.line == 10, problem

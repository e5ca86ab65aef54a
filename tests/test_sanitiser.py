"""The sanitiser as a class: every hostile body is refused with an error on its document, or
builds with nothing that can run, navigate or load from another host, in pages and in feeds."""

from __future__ import annotations

import html

import pytest

from helpers import document
from security_corpus import NEUTRALISED, PICTURE, REFUSED, unsafe_markup


def _body(payload: str) -> str:
    return f"正文开始。\n\n{payload}\n\n正文结束。"


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_body_stops_the_build_naming_the_document(site, name):
    site.write("news/good.md", document(index="003186648/201503-00002", title="正常文件"))
    site.write("news/bad.md", document(body=_body(REFUSED[name])))
    outcome = site.build()
    assert not outcome.ok
    assert {p.path for p in outcome.problems.errors} == {"news/bad.md"}, outcome.report()
    assert all(p.field == "正文" for p in outcome.problems.errors)
    assert not site.output.exists()
    # `invoke check` renders as the build does and finds the same
    checked = site.check().problems.errors
    assert {p.message for p in checked} == {p.message for p in outcome.problems.errors}


def test_neutralised_bodies_build_and_publish_nothing_active(site):
    site.write("news/pic.png", PICTURE)
    for number, name in enumerate(sorted(NEUTRALISED), start=1):
        site.write(
            f"news/{name}.md",
            document(
                index=f"003186648/201503-{number:05d}", title=name, body=_body(NEUTRALISED[name])
            ),
        )
    outcome = site.build()
    assert outcome.ok, outcome.report()
    pages = sorted(site.output.rglob("*.html"))
    assert len(pages) > len(NEUTRALISED)
    for page in pages:
        assert unsafe_markup(page.read_text(encoding="utf-8"), page_chrome=True) == [], page
    feeds = sorted(site.output.glob("feeds/*.xml"))
    assert feeds
    for feed in feeds:
        text = feed.read_text(encoding="utf-8")
        for content in text.split('<content type="html">')[1:]:
            assert unsafe_markup(html.unescape(content.split("</content>")[0])) == [], feed

    def page(name):
        return site.page(f"docs/003186648-201503-{sorted(NEUTRALISED).index(name) + 1:05d}.html")

    assert "内部备注" not in page("comment-note")  # an editor's comment is never published
    assert "正文。" in page("comment-note")
    assert "红字" in page("word-font") and "<font" not in page("word-font")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page("code-span")


def test_the_sanitiser_rejects_what_a_browser_would_run_though_other_parsers_see_text():
    """The class behind the CDATA and comment bypasses: markup judged on html5lib's tree."""
    from disclosure import safe_html

    for payload in (
        "<![CDATA[><script>alert(1)</script>]]>",
        "<!--><script>alert(1)</script>-->",
        "<!--a--!><script>alert(1)</script>-->",
        "<?x ?><script>alert(1)</script>",
    ):
        cleaned, problems, _ = safe_html.sanitise_html(f"<p>前</p>{payload}<p>后</p>")
        assert problems and "script" in problems[0]
        assert unsafe_markup(cleaned) == [] and "alert" not in cleaned


def test_feed_titles_keep_angle_brackets_as_text(site):
    import xml.etree.ElementTree as ElementTree

    site.write("news/a.md", document(title="关于<2015年度>预算的说明 & 附表"))
    assert site.build().ok
    feed = ElementTree.parse(site.output / "feeds/all.atom.xml").getroot()
    titles = [t.text for t in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "关于<2015年度>预算的说明 & 附表" in titles

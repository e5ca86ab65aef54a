"""Document views (the unit of the one incremental model): a view made from an article's recorded
metadata is what lists, pages and plugins see of the article, without reading the file again."""

from __future__ import annotations

import pickle

from pelican import Pelican, signals

from disclosure.bodies import content_key
from disclosure.private_api import article_html, set_article_html
from disclosure.views import DocumentView
from helpers import ROOT, FixtureSite, document, notices, site_build


def _built_articles(site, **extra):
    """The articles and the catalogue generator of an in-process Pelican build of ``site``."""
    caught = {}

    def catch(generators):
        caught["generators"] = generators

    settings = site_build.load_settings(ROOT / "pelicanconf.py", site.overrides(**extra))
    with signals.all_generators_finalized.connected_to(catch):
        Pelican(settings).run()
    generators = caught["generators"]
    articles = [a for g in generators for a in getattr(g, "articles", [])]
    catalogue = next(g for g in generators if type(g).__name__ == "CatalogueGenerator")
    return articles, catalogue, settings


def _view_of(article, settings, context, loads):
    # What a build records of an article: its metadata (pickled, as a record keeps it) and the
    # key of its body, whose HTML the build cache holds.
    metadata = pickle.loads(pickle.dumps(dict(article.metadata)))
    html = metadata.pop("body_html")

    def load():
        loads.append(article.source_path)
        return html

    return DocumentView(article.source_path, metadata, load, settings, context)


def test_a_view_renders_the_pages_its_article_renders_and_loads_its_body_only_for_its_page(
    tmp_path,
):
    site = notices(tmp_path, 3, "\n\n详见[第1号通知]({filename}n1.md)。", 关键词="外事;通知")
    articles, catalogue, settings = _built_articles(site)
    assert len(articles) == 3
    loads: list[str] = []
    views = [_view_of(a, settings, catalogue.context, loads) for a in articles]
    for article, view in zip(articles, views):
        for name in ("validity_now", "column_neighbours"):
            setattr(view, name, getattr(article, name))
        assert (view.url, view.title, view.date, view.document) == (
            article.url,
            article.title,
            article.date,
            article.document,
        )
    assert [content_key(v) for v in views] == [content_key(a) for a in articles]
    assert not loads  # lists, links and fingerprints never load a body
    rows = catalogue.env.from_string(
        "{% import 'components/macros.html' as m %}{{ m.document_rows('..', items) }}"
    )
    assert rows.render(items=views) == rows.render(items=articles)
    page = catalogue.get_template(articles[0].template)
    context = dict(catalogue.context, SITEURL="..", output_file="x", page_url="x")
    for article, view in zip(articles, views):
        assert page.render(context, article=view) == page.render(context, article=article)
        assert view.content == article.content  # {filename} links filled in, as Pelican does
    assert sorted(loads) == sorted(a.source_path for a in articles)


def test_a_views_body_stands_for_itself_until_a_plugin_changes_it(tmp_path):
    site = FixtureSite(tmp_path)
    site.write("news/a.md", document(title="甲", body="正文。"))
    [article], catalogue, settings = _built_articles(site)
    loads: list[str] = []
    view = _view_of(article, settings, catalogue.context, loads)
    assert content_key(view) == content_key(article) == article.metadata["body_key"]
    assert not loads
    assert article_html(view) == article_html(article) and loads
    set_article_html(view, "<p>改过</p>")
    assert view.html_replaced and content_key(view) != article.metadata["body_key"]
    assert view.content == "<p>改过</p>"


def test_views_from_the_record_of_a_build_are_its_articles(tmp_path):
    """What a build records of its documents gives views that show what its articles show: the
    same URL, title, date, document and column, the same list rows and document pages; bodies
    come from the build cache only for the pages that show them."""
    from disclosure import record
    from disclosure.cache import BuildCache

    site = FixtureSite(tmp_path)
    for n in range(1, 4):
        site.write(
            f"news/n{n}.md",
            document(title=f"第{n}号通知", index=f"003186648/201503-{n:05d}", body=f"正文{n}。"),
        )
    cache_folder = tmp_path / "cache"
    cache_folder.mkdir()
    articles, catalogue, settings = _built_articles(site, BUILD_CACHE_PATH=str(cache_folder))
    written = record.save(str(cache_folder), "digest-1", articles, {}, {}, {})
    assert record.load(str(cache_folder), "digest-1") is None  # not the record until put in place
    record.put_in_place(written)
    assert record.load(str(cache_folder), "digest-2") is None  # made under other inputs
    recorded = record.load(str(cache_folder), "digest-1")["documents"]
    cache = BuildCache(str(cache_folder))
    views = record.views(recorded, settings, catalogue.context, cache)
    by_source = {a.document.source: a for a in articles}
    assert set(views) == set(by_source)
    page = catalogue.get_template("article")
    context = dict(catalogue.context, SITEURL="..", output_file="x", page_url="x")
    for source, view in views.items():
        article = by_source[source]
        assert (view.url, view.title, view.date, view.document, view.category) == (
            article.url,
            article.title,
            article.date,
            article.document,
            article.category,
        )
        view.validity_now, view.column_neighbours = article.validity_now, (None, None)
        article.column_neighbours = (None, None)
        assert page.render(context, article=view) == page.render(context, article=article)
    cache.close()


def _record_site(tmp_path):
    site = notices(tmp_path, 4)
    first = site.build()
    assert first.ok and first.recorded == 0  # nothing recorded yet
    return site


def test_a_rebuild_reads_only_the_files_that_changed_and_equals_a_clean_build(tmp_path):
    """A new document and a corrected title: the other documents come from the record, and the
    site is the one a clean build makes."""
    from test_incremental import _clean_build_of

    site = _record_site(tmp_path / "cached")
    site.write(
        "news/n9.md",
        document(title="新增的通知", index="003186648/201503-00009", date="2015-03-20"),
    )
    site.write(
        "news/n2.md",
        document(title="第2号通知（修订）", index="003186648/201503-00002", date="2015-03-03"),
    )
    outcome = site.build()
    assert outcome.ok, outcome.report()
    assert (outcome.documents, outcome.recorded) == (5, 3)
    assert "第2号通知（修订）" in site.page("columns/news.html")
    assert "新增的通知" in site.page("docs/003186648-201503-00009.html")
    clean = _clean_build_of(site, tmp_path / "clean")
    assert site.tree_digest() == clean.tree_digest()


def test_the_record_is_not_used_when_anything_but_markdown_changed_or_the_settings(tmp_path):
    site = _record_site(tmp_path)
    site.write("news/n1.md", document(title="第1号通知（改）", index="003186648/201503-00001"))
    site.write("news/attachment.pdf", b"%PDF-1.4\n")  # a new file beside the documents
    assert site.build().recorded == 0
    site.write("news/n1.md", document(title="第1号通知（再改）", index="003186648/201503-00001"))
    assert site.build().recorded == 3
    site.write("news/n1.md", document(title="第1号通知（三改）", index="003186648/201503-00001"))
    assert site.build(SITENAME="另一个网站").recorded == 0  # what every page is made from
    site.write("news/n1.md", document(title="第1号通知（四改）", index="003186648/201503-00001"))
    assert site.build(SITENAME="另一个网站", DOCUMENT_RECORD=False).recorded == 0

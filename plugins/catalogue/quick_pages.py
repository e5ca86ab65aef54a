"""Document pages in a quick rebuild (:mod:`disclosure.quick`): only a document's body changed.

A full build records, for each document whose page shows nothing of its body but the body itself,
what else the page shows of other documents (its column neighbours, the policy it explains, its
interpretations: their URLs and titles) and its validity today. A quick rebuild makes a Pelican
article of the edited file alone, as the full build's reader does, and renders its page with the
same template, settings and Jinja environment. Documents whose page depends on more are left to
the full build: one in a feed (the feed carries its HTML), the page of a single-page column, a
procurement notice (its project's progress), an annual report (its statistics and tables), a body a
plugin changed.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

from jinja2 import FileSystemBytecodeCache, meta

from disclosure import quick
from disclosure.bodies import content_key
from disclosure.run import RUN_KEY

from .feeds import titles_as_html

# Pelican rewrites {filename}/{static}/|filename| links in a body from the whole site's contents.
INTRASITE = re.compile(
    r"""(?:href|src|poster|data|cite|formaction|action|content)\s*=\s*["'][{|]"""
)
# Variables Pelican's writer adds to a page's context.
WRITER_NAMES = {"article", "category", "output_file", "page_url", "SITEURL", "localsiteurl"}
CHROME = ("components/header.html", "components/footer.html")  # rendered by the site_chrome global


class Linked:
    """Another document as a page links to it: its URL and title, nothing else (the full build's
    fingerprints say the page uses nothing else of it; a template that did would stop the quick
    rebuild rather than render a blank)."""

    __slots__ = ("url", "title")

    def __init__(self, url: str, title: str):
        self.url, self.title = url, title

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise quick.Unsupported(f"a template reads {name!r} of a linked document")


class Lookup(dict):
    """The full build's site-wide lookups (article_by_source, interpretations), holding only what
    this page looks up: a template that walks them whole stops the quick rebuild."""

    def _whole(self, *args):
        raise quick.Unsupported("a template walks a site-wide lookup")

    __iter__ = __len__ = keys = items = values = _whole


def _link(article) -> tuple[str, str] | None:
    return None if article is None else (article.url, article.title)


def records(generator) -> dict:
    """The record a full build leaves: per document whose page only its body can change, what the
    page shows of other documents."""
    context = generator.context
    limit = generator.settings.get("FEED_MAX_ITEMS")
    feeds = {
        path: [a.document.source for a in items[:limit]] for path, items, _ in generator.feeds()
    }
    shown_elsewhere = {
        generator.columns[node.code].items[0].document.source
        for node in generator.catalogue.nodes
        if node.kind == "page" and generator.columns[node.code].items
    }
    documents = {}
    for article in generator.documents:
        doc = article.document
        shows_more = any(
            getattr(article, name, None)
            for name in ("project", "report_stats", "report_neighbours")
        )
        if (
            shows_more
            or doc.source in shown_elsewhere
            or content_key(article) != article.metadata.get("body_key")
        ):
            continue
        target = context["article_by_source"].get(doc.interprets_source)
        explained = [
            (source, _link(context["article_by_source"][source]))
            for source in context["interpretations"].get(doc.source, [])
        ]
        documents[doc.source] = (
            article.url,
            article.template,
            article.validity_now,
            tuple(map(_link, article.column_neighbours)),
            (doc.interprets_source, _link(target)) if target else None,
            explained,
        )
    return {"documents": documents, "context": sorted(context), "feeds": feeds}


def rebuild(run, generator_class) -> None:
    """Quick step: the pages of the documents whose body changed, rendered by a
    ``generator_class`` (the catalogue's generator) made for this run."""
    record = run.records.get("catalogue")
    if record is None:
        raise quick.Unsupported("the last build left no catalogue record")
    todo = []
    for source, item in sorted(run.changed.items()):
        page = record["documents"].get(source)
        if page is None:
            raise quick.Unsupported(
                f"{source}: its page shows more than its body (a column page, a project…)"
            )
        if INTRASITE.search(item.body.html):
            raise quick.Unsupported(f"{source}: Pelican links into the site from its body")
        todo.append((source, item, page))
    renderer = _Renderer(
        run, generator_class, set(record["context"]), record.setdefault("checked", [])
    )
    entries = {}
    for source, item, page in todo:
        article = renderer.article(source, item, page)
        run.write(page[0], renderer.render(article, page), page=True)
        run.stale.add(page[0])
        entries[source] = renderer.feed_entry(article)
    for path, sources in sorted(record["feeds"].items()):
        if any(source in entries for source in sources):
            text = (run.output / path).read_text(encoding="utf-8")
            for source in sources:
                if source in entries:
                    text = _replace_entry(text, *entries[source])
            run.write(path, text)
            run.stale.add(path)


def _replace_entry(feed: str, entry_id: str, entry: str) -> str:
    """The feed with the entry of this <id> replaced (each entry is written from its item alone)."""
    mark = f"<id>{entry_id}</id>"
    at = feed.find(mark)
    if at < 0 or feed.find(mark, at + 1) >= 0:
        raise quick.Unsupported(f"the feed has not exactly one entry {entry_id}")
    start, end = feed.rfind("<entry>", 0, at), feed.find("</entry>", at)
    if start < 0 or end < 0:
        raise quick.Unsupported("a feed entry without its tags")
    return feed[:start] + entry + feed[end + len("</entry>") :]


def _compiled_templates(run) -> str:
    """A folder for compiled templates: a quick rebuild would otherwise compile them again, which
    takes longer than rendering the page. Jinja keys them by their source only, so the folder is
    this site's (settings, theme, code: the record's digest); older ones go."""
    folder = Path(run.cache.folder) / f"jinja-{run.manifest.site_digest[:16]}"
    if not folder.is_dir():
        for old in Path(run.cache.folder).glob("jinja-*"):
            if not old.name.startswith("jinja-build-"):  # the full build's (disclosure.plugin)
                shutil.rmtree(old, ignore_errors=True)
        folder.mkdir()
    return str(folder)


class _Renderer:
    """A catalogue generator of this run's settings, with the site-wide context only."""

    def __init__(self, run, generator_class, full_context: set[str], checked: list[str]):
        from pelican.contents import Article
        from pelican.writers import Writer

        settings = self.settings = run.settings
        context = settings.copy()
        context.update(
            generated_content={},
            static_links=set(),
            static_content={},
            localsiteurl=settings["SITEURL"],
        )
        self.folder = run.staging / "render"
        self.generator = generator_class(
            context=context,
            settings=settings,
            path=settings["PATH"],
            theme=settings["THEME"],
            output_path=str(self.folder),
        )
        self.generator.env.bytecode_cache = FileSystemBytecodeCache(_compiled_templates(run))
        self.generator.catalogue = run.site.catalogue
        context.update(catalogue=run.site.catalogue, **self.generator.site_context())
        # Templates already found to read nothing this context lacks (the record keeps them: the
        # theme cannot change while the record stands).
        self.context, self.full_context, self.checked = context, full_context, checked
        self.writer = Writer(str(self.folder), settings=settings)
        self.article_class, self.root = Article, run.site.content_root
        # What the reader takes from a build's state: the site, and the document prepared already.
        self.reading = SimpleNamespace(site=run.site, prepared_documents={})
        settings[RUN_KEY] = self.reading

    def _check(self, names: list[str], context: dict) -> None:
        """Refuse a template that reads something of the full build's context this one lacks."""
        env = self.generator.env
        todo, seen = [name for name in names if name not in self.checked], set()
        while todo:
            name = todo.pop()
            seen.add(name)
            tree = env.parse(env.loader.get_source(env, name)[0])
            missing = (
                (meta.find_undeclared_variables(tree) & self.full_context)
                - set(context)
                - WRITER_NAMES
            )
            if missing:
                raise quick.Unsupported(f"{name} reads {sorted(missing)}")
            todo += [ref for ref in meta.find_referenced_templates(tree) if ref and ref not in seen]
        self.checked.extend(sorted(seen - set(self.checked)))

    def article(self, source: str, item, page: tuple):
        """The Pelican article of the edited document, as the full build makes it."""
        url, template_name, validity, neighbours, _, _ = page
        self.reading.prepared_documents = {str(self.root / source): item}
        try:
            article = self.generator.readers.read_file(
                base_path=self.settings["PATH"],
                path=str(self.root / source),
                content_class=self.article_class,
                context=self.context,
            )
        finally:
            self.reading.prepared_documents = {}
        if article.url != url or article.template != template_name:
            raise quick.Unsupported(
                f"{source}: its URL or template is not what the last build used"
            )
        article.override_url = article.url
        article.validity_now = validity
        article.column_neighbours = tuple(Linked(*link) if link else None for link in neighbours)
        return article

    def render(self, article, page: tuple) -> str:
        url, template_name, _, _, target, explained = page
        by_source = {
            linked_source: Linked(*link)
            for linked_source, link in ([target] if target else []) + explained
        }
        interpretations = (
            {article.document.source: [source for source, _ in explained]} if explained else {}
        )
        context = dict(
            self.context,
            article_by_source=Lookup(by_source),
            interpretations=Lookup(interpretations),
        )
        template = self.generator.get_template(template_name)
        self._check([template.name, *CHROME], context)
        self.writer.write_file(
            url,
            template,
            context,
            self.settings["RELATIVE_URLS"],
            url=url,
            page_url=url,
            article=article,
            category=getattr(article, "category", None),
        )
        path = self.folder / url
        text = path.read_text(encoding="utf-8")
        path.unlink()
        return text

    def feed_entry(self, article) -> tuple[str, str]:
        """(id, XML) of the article's entry in a feed, written as the catalogue's feeds write it."""
        context = dict(self.context, FEED_DOMAIN=self.settings.get("SITEURL", ""))
        with titles_as_html([article]):
            feed = self.writer.write_feed([article], context, path=None, url="feed.xml")
        buffer = io.StringIO()
        feed.write(buffer, "utf-8")
        text = buffer.getvalue()
        start, end = text.find("<entry>"), text.rfind("</entry>")
        found = re.search(r"<id>(.*?)</id>", text[start:end])
        if start < 0 or end < 0 or found is None:
            raise quick.Unsupported("no feed entry for the document")
        return found.group(1), text[start : end + len("</entry>")]

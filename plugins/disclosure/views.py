"""Document views: a document as lists, feeds, exports and plugins see it, without Pelican reading
or rendering its file again.

A view is made from what a build recorded of the document's article: the metadata the reader gave
(title, date, URL, the domain ``Document``, the body's key…) and a way to load the body's HTML
from the build cache. Everything a list or a plugin reads is there at once; what only Pelican's
article works out (its content with ``{filename}`` links filled in, its locale date, summary,
author…) comes from an article made from the same metadata when first asked for, as Pelican's
reader would have made it. This is the unit of the one incremental model (docs/architecture.md):
a rebuild makes views of the documents that did not change and articles of those that did, and
both go through the same code.
"""

from __future__ import annotations

from pelican.contents import Article

from .private_api import article_html, set_article_html

# What Pelican's article has only when the metadata (or the AUTHOR setting) gives it: asked for
# by Pelican's own lists (tags, authors) on every document, answered without making an article.
FROM_METADATA = ("tags", "author", "authors", "modified", "translation")
# What plugins attach to some documents only (a procurement notice's project, a report's statistics
# and year links…): absent, as on an article without them, without making an article.
ATTACHED = (
    "project",
    "report_stats",
    "report_neighbours",
    "item_key",
    "override_url",
    "override_save_as",  # set by Pelican only on a file an {attach} link moves
    "document_digest",  # given by the record
)
# Metadata the lists and plugins read as attributes: set on the view directly.
DIRECT = ("title", "date", "url", "save_as", "slug", "status", "category", "document")


class DocumentView:
    """One document, from its recorded article metadata (see the module's docstring)."""

    def __init__(self, source_path: str, metadata: dict, load_html, settings: dict, context: dict):
        self.source_path, self.metadata = source_path, metadata
        self._load_html, self._settings, self._context = load_html, settings, context
        self._html: str | None = None
        self._article: Article | None = None
        self.html_replaced = False  # a plugin changed the body after it was rendered
        # The record's entry of this document as written (record.save writes it again), while
        # nothing changes the metadata it was made from.
        self.record_entry: memoryview | None = None
        for name in DIRECT:
            if name in metadata:
                setattr(self, name, metadata[name])
        self.template = metadata.get("template") or Article.default_template

    def refresh_metadata_intersite_links(self) -> None:
        """What Pelican does to every article once all are read: fill ``{filename}`` links in the
        formatted fields (the summary). Without such a link there is nothing to fill."""
        fields = [key for key in self._settings["FORMATTED_FIELDS"] if key in self.metadata]
        if not any(mark in str(self.metadata[key]) for key in fields for mark in ("{", "|")):
            return
        article = self.article()
        article.refresh_metadata_intersite_links()
        for key in fields:
            if self.metadata[key] != article.metadata[key]:
                self.metadata[key] = article.metadata[key]
                self.record_entry = None

    @property
    def _content(self) -> str:
        """The body's HTML (what ``private_api.article_html`` reads), loaded when first read."""
        if self._html is None:
            self._html = self._load_html()
            self.metadata["body_html"] = self._html  # the prepared HTML, as the reader gives it
        return self._html

    @_content.setter
    def _content(self, html: str) -> None:
        self._html, self.html_replaced = html, True
        if self._article is not None:
            set_article_html(self._article, html)

    def article(self) -> Article:
        """Pelican's article of this document, made from the recorded metadata (once)."""
        if self._article is None:
            self._article = Article(
                article_html(self),
                metadata=self.metadata,
                settings=self._settings,
                source_path=self.source_path,
                context=self._context,
            )
        return self._article

    def __getattr__(self, name: str):
        if name.startswith("__") or name in ("_article", "_html", "metadata") or name in ATTACHED:
            raise AttributeError(name)
        if (
            name in FROM_METADATA
            and name not in self.metadata
            and not (name in ("author", "authors") and self._settings.get("AUTHOR"))
        ):
            raise AttributeError(name)  # Pelican's article would not have it either
        return getattr(self.article(), name)

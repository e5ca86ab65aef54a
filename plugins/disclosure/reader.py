"""Pelican reader for disclosure documents: our front matter, Pelican's Markdown."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from markdown import Markdown
from pelican.readers import MarkdownReader

from .document import read_document
from .site import Site

META_EXTENSION = "markdown.extensions.meta"


class DisclosureReader(MarkdownReader):
    """Reads ``.md`` documents; their problems travel in the metadata (cache-safe)."""

    site: Site | None = None  # set by the plugin at the start of each run

    def read(self, source_path):
        site = self.site or Site.from_settings(self.settings)
        result = read_document(Path(source_path), site)
        config = dict(self.settings["MARKDOWN"])
        # The header is already removed; the meta extension would eat a body line like "注：…".
        config["extensions"] = [e for e in config.get("extensions", []) if e != META_EXTENSION]
        self._md = Markdown(**config)
        content = self._md.convert(result.body)
        doc = result.document
        metadata = {
            # Fallbacks only keep Pelican from dropping a broken file before we report it;
            # a file with errors stops the build, so they are never published.
            "title": doc.title or doc.source,
            "date": doc.date or dt.datetime(1970, 1, 1),
            "slug": doc.slug or "invalid",
            "status": doc.status,
            "document": doc,
            "disclosure_problems": tuple(result.problems),
        }
        if doc.column:
            metadata["category"] = self.process_metadata("category", doc.column)
        if doc.summary:
            metadata["summary"] = html.escape(doc.summary)
        return content, metadata

"""Search generator: writes the search page and the tier 1 / tier 2 / text script files."""

from __future__ import annotations

import os

from pelican import signals
from pelican.generators import Generator

from disclosure.plugin import current

from .index import SearchIndex


class SearchGenerator(Generator):
    def generate_context(self):
        pass  # documents are complete only after all generators ran generate_context

    def generate_output(self, writer):
        catalogue = current().site.catalogue
        articles = sorted(self.context.get("articles", []), key=lambda a: a.document.source)
        entries = [(a, catalogue.by_code[a.document.column].path_name) for a in articles]
        for path, text in SearchIndex(entries).files().items():
            target = os.path.join(self.output_path, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        writer.write_file("search.html", self.get_template("search"), self.context,
                          self.settings["RELATIVE_URLS"], url="search.html", page_url="search.html")


def get_generators(pelican):
    return SearchGenerator


def register():
    signals.get_generators.connect(get_generators)

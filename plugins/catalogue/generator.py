"""Column pages generator: one page per catalogue node, documents newest first."""

from __future__ import annotations

from pelican import signals
from pelican.generators import Generator

from disclosure.plugin import current

COLUMN_SAVE_AS = "columns/{code}.html"


class ColumnPagesGenerator(Generator):
    """Runs after the articles generator: places documents, then writes column pages."""

    def generate_context(self):
        state = current()
        catalogue = state.site.catalogue
        articles = self.context.get("articles", [])  # newest first
        by_column = {node.code: [] for node in catalogue.nodes}
        for article in articles:
            if article.document.column in by_column:
                by_column[article.document.column].append(article)
        counts = {node.code: sum(len(by_column[n.code]) for n in node.walk()) for node in catalogue.nodes}
        self.context.update(
            catalogue=catalogue,
            column_articles=by_column,
            column_counts=counts,
            article_by_source={a.document.source: a for a in articles},
        )

    def generate_output(self, writer):
        catalogue = self.context["catalogue"]
        template = self.get_template("column")
        for node in catalogue.nodes:
            if node.kind == "link":
                continue
            save_as = COLUMN_SAVE_AS.format(code=node.code)
            writer.write_file(save_as, template, self.context, self.settings["RELATIVE_URLS"],
                              url=save_as, node=node)


def get_generators(pelican):
    return ColumnPagesGenerator


def register():
    signals.get_generators.connect(get_generators)

"""Search generator: the search page, and the tier 1 / tier 2 / text script files.

The index files are built in two background processes (tier 1, tier 2) that start as soon as
the documents are final and run while the other generators render pages.
"""

from __future__ import annotations

import os

from pelican import signals
from pelican.generators import Generator

from disclosure.background import Spawned
from disclosure.pages import Reuse
from disclosure.plugin import current

from . import index as search_index
from .index import BLOCK_DOCS, SearchIndex, write_tier1, write_tier2

SPAWN_FROM = 100  # documents: from here on the index is built in two other processes


class SearchGenerator(Generator):
    jobs: list = []

    def generate_context(self):
        pass  # documents are complete only after all generators ran generate_context

    def generate_output(self, writer):
        writer.write_file("search.html", self.get_template("search"), self.context,
                          self.settings["RELATIVE_URLS"], url="search.html", page_url="search.html")
        for job in self.jobs:
            job.wait()


def on_all_finalized(generators):
    """Documents are final (checked, tables in the reports): start building the index files.

    Refs follow the date (then the file), so a newly published document comes last and leaves the
    earlier tier-2 blocks as they were. Files whose inputs did not change are linked from the
    previous build; the rest are built in two background processes."""
    state = current()
    search = next((g for g in generators if isinstance(g, SearchGenerator)), None)
    if state is None or search is None:
        return
    catalogue = state.site.catalogue
    articles = sorted((a for g in generators for a in getattr(g, "articles", [])),
                      key=lambda a: (a.date, a.document.source))
    index = SearchIndex([(a, catalogue.by_code[a.document.column].path_name) for a in articles])
    reuse = Reuse(state, search.settings, search.output_path)
    blocks = index.blocks()
    reuse.fingerprint("search/tier1.js", index.records(), blocks, index.publishers,
                      sorted({a.document.column: n for a, n in index.entries}.items()))
    for block, (start, count) in enumerate(blocks):
        reuse.fingerprint(f"search/t2/{block}", start, count, index.texts[start:start + BLOCK_DOCS])
    for ref, text in enumerate(index.texts):
        reuse.fingerprint(f"search/text/{ref}.js", ref, text)
    output = search.output_path
    # Linked here; what changed is built in two fresh processes (given only their inputs, so their
    # memory is their own work's), while this one renders the pages.
    # A small site's index takes less time to build than a fresh interpreter takes to start.
    parallel = int(search.settings.get("BUILD_WORKERS") or os.cpu_count() or 1) > 1 and len(articles) >= SPAWN_FROM
    search.jobs = []
    if not (reuse.unchanged("search/tier1.js") and reuse.link("search/tier1.js")):
        search.jobs.append(Spawned("搜索索引（第一层）", write_tier1, (output, index.tier1_inputs()), parallel))
    todo_blocks = []
    for block, (start, count) in enumerate(blocks):
        names = [f"search/{kind}/{block}-{shard}.js" for kind in ("t2", "t2c") for shard in range(count)]
        if reuse.previous:  # the block's own-file contexts (their number follows the contents)
            names += [f"search/t2c/{block}/{p.name}" for p in (reuse.previous / f"search/t2c/{block}").glob("*.js")]
        if not (reuse.unchanged(f"search/t2/{block}") and all(reuse.link(name) for name in names)):
            todo_blocks.append((block, start, count, index.texts[start:start + BLOCK_DOCS]))
    todo_texts = [(ref, text) for ref, text in enumerate(index.texts)
                  if not (reuse.unchanged(f"search/text/{ref}.js") and reuse.link(f"search/text/{ref}.js"))]
    if todo_blocks or todo_texts:
        search.jobs.append(Spawned("搜索索引（全文）", write_tier2, (output, todo_blocks, todo_texts,
                                                              search_index.OWN_FILE_CONTEXT_CHARS), parallel))
    state.background.extend(search.jobs)


def get_generators(pelican):
    return SearchGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(on_all_finalized)

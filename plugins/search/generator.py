"""Search generator: the search page, and the tier 1 / tier 2 / text script files.

The index files are built in two background processes (tier 1, tier 2) that run while the other
generators render pages. Both start as soon as the bodies are rendered; when the documents are
final, their fingerprints are checked, and a job a plugin's change made wrong is started again. The
snippet texts are written once the documents are final.
"""

from __future__ import annotations

import contextlib
import os
import shutil

from pelican import signals
from pelican.generators import Generator

from disclosure import run
from disclosure import signals as disclosure_signals
from disclosure.background import Forked, Spawned
from disclosure.pages import Reuse
from disclosure.private_api import set_article_html
from disclosure.reader import slug_only
from domain.defaults import workers

from . import index as search_index
from .index import SearchIndex, tier1_names, write_tier1, write_tier2

SPAWN_FROM = 100  # documents: from here on the index is built in two other processes


class SearchGenerator(Generator):
    def generate_context(self):
        pass  # documents are complete only after all generators ran generate_context

    def generate_output(self, writer):
        writer.write_file(
            "search.html",
            self.get_template("search"),
            self.context,
            self.settings["RELATIVE_URLS"],
            url="search.html",
            page_url="search.html",
        )
        state = run.of(self)
        for job in state.search_jobs if state else ():
            job.wait()


class PreparedArticle:
    """What the index needs of a document before Pelican has made an article of it."""

    def __init__(self, document, url: str, body, body_key: str):
        self.document, self.url, self.date = document, url, document.date
        set_article_html(self, body.html)
        self.metadata = {"body_html": body.html, "body_key": body_key}


def _parallel(settings, count: int) -> bool:
    # A small site's index takes less time to build than a fresh interpreter takes to start.
    return workers(settings) > 1 and count >= SPAWN_FROM


SPAWN_TIER1_FROM = 30000  # documents: from here tier 1 is made in a fresh interpreter on rebuilds


def _job(state, name: str, function, args: tuple, parallel: bool, documents: int = 0):
    """A job of the index: forked on a rebuild from the record (few blocks to build, and a fork
    starts at once), in a fresh interpreter on a full build (its memory apart from the build's).
    Tier 1 of a large archive is remade whole on a rebuild: a fork of the build process (1.4 GB at
    100,000 documents) making it peaked at 2.4 GB, so it gets a fresh interpreter too."""
    if (
        parallel
        and state.recorded
        and not (function is write_tier1 and documents >= SPAWN_TIER1_FROM)
    ):
        return Forked(name, function, args)
    return Spawned(name, function, args, parallel)


def _index(entries, state) -> SearchIndex:
    """Refs follow the date (then the file): a newly published document comes last."""
    entries = sorted(entries, key=lambda a: (a.date.replace(tzinfo=None), a.document.source))
    return SearchIndex(
        [(a, state.site.catalogue.by_code[a.document.column].name) for a in entries],
        state.body_texts,
        state.site.catalogue,
    )


def _tier1_fingerprint(reuse: Reuse, index: SearchIndex) -> str:
    return reuse.fingerprint(
        "search/tier1.js",
        index.records(),
        index.blocks(),
        index.publishers,
        sorted({a.document.column: n for a, n in index.entries}.items()),
        index.tree,
    )


def on_prepared(state, prepared) -> None:
    """Every body is rendered: start the index jobs now, while Pelican makes its articles, on the
    guess that they will be these published documents with these bodies. The fingerprints say
    whether the guess held (:func:`on_all_finalized`)."""
    entries = []
    for item in prepared.values():
        doc = item.result.document
        if any(problem.is_error for problem in item.problems) or doc.date is None:
            return  # the build will stop at the checks: nothing to start
        if doc.status == "published":
            url = slug_only(state.settings, "url", doc.slug)
            if url is None:
                return  # URLs Pelican works out from other fields: wait for its articles
            entries.append(PreparedArticle(doc, url, item.body, item.body_key))
    _start_early(state, entries)


def on_read(state, articles) -> None:
    """A rebuild from the record: Pelican's articles and the recorded views are all there, before
    the other generators run; start the jobs of the blocks they change now, on the same guess."""
    if not state.problems.errors:
        _start_early(state, articles)


def _start_early(state, entries) -> None:
    if not _parallel(state.settings, len(entries)):
        return
    output = state.settings["OUTPUT_PATH"]
    os.makedirs(output, exist_ok=True)  # under `pelican content` nothing has made it yet
    index = _index(entries, state)
    reuse = Reuse(state, state.settings, output)
    tier1 = _tier1_fingerprint(reuse, index)
    if not reuse.unchanged("search/tier1.js"):
        job = _job(
            state,
            "搜索索引（第一层）",
            write_tier1,
            (output, index.tier1_inputs()),
            True,
            len(index.entries),
        )
        state.early_jobs["tier1"] = ([tier1], job, [])
    blocks = index.block_inputs()
    fingerprints = [_block_fingerprint(reuse, index, *block) for block in blocks]
    todo = [block for block in blocks if not reuse.unchanged(f"search/t2/{block[0]}")]
    if todo:  # the snippet texts wait for the final documents: they are cheap
        state.early_jobs["tier2"] = (
            [fingerprints[block[0]] for block in todo] + [len(blocks)],
            _job(
                state,
                "搜索索引（全文）",
                write_tier2,
                (output, todo, [], search_index.OWN_FILE_CONTEXT_CHARS, state.cache.folder),
                True,
            ),
            [(block, count) for block, _, count, _, _ in todo],
        )
    state.background.extend(job for _, job, _ in state.early_jobs.values())


def _block_fingerprint(
    reuse: Reuse, index: SearchIndex, block: int, start: int, count: int, texts, metas
) -> str:
    return reuse.fingerprint(
        f"search/t2/{block}", start, count, index.text_keys[start : start + len(texts)], metas
    )


def _discard(job, output: str, names: list[str], folders: list[str]) -> None:
    """Stop a job started on a wrong guess and remove what it may have written."""
    job.cancel()
    for name in names:
        for path in (name, name + ".new"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(output, path))
    for folder in folders:
        shutil.rmtree(os.path.join(output, folder), ignore_errors=True)


def on_all_finalized(generators):
    """Documents are final (checked, tables in the reports): build the index files.

    Files whose inputs did not change are linked from the previous build; the rest are built in two
    background processes, unless the ones started early (:func:`on_prepared`) are building them
    from these very inputs already."""
    state = run.of(generators[0]) if generators else None
    search = next((g for g in generators if isinstance(g, SearchGenerator)), None)
    if state is None or search is None:
        return
    index = _index((a for g in generators for a in getattr(g, "articles", [])), state)
    state.body_texts = {}  # the index has the texts it needs; the pages do not need them
    output = search.output_path
    os.makedirs(output, exist_ok=True)  # under `pelican content` nothing has made it yet
    reuse = Reuse(state, search.settings, output)
    blocks = index.block_inputs()
    tier1 = _tier1_fingerprint(reuse, index)
    fingerprints = [_block_fingerprint(reuse, index, *block) for block in blocks]
    for ref, key in enumerate(index.text_keys):
        reuse.fingerprint(f"search/text/{ref}.js", ref, key)
    parallel = _parallel(search.settings, len(index.entries))
    early, state.search_jobs = state.early_jobs, []
    if "tier1" in early and early["tier1"][0] == [tier1]:
        state.search_jobs.append(
            early["tier1"][1]
        )  # the guess held: the same inputs, so the same file
    else:
        if "tier1" in early:  # a plugin changed what tier 1 is made of (a report's title…)
            _discard(
                early["tier1"][1],
                output,
                ["search/tier1.js", "search/t1c.js"],
                ["search/t1", "search/t1w", "search/t1d"],
            )
        if not (
            reuse.unchanged("search/tier1.js")
            and reuse.link_all(tier1_names(reuse.previous_folder))
        ):
            state.search_jobs.append(
                _job(
                    state,
                    "搜索索引（第一层）",
                    write_tier1,
                    (output, index.tier1_inputs()),
                    parallel,
                    len(index.entries),
                )
            )
    todo_blocks = [block for block in blocks if not reuse.unchanged(f"search/t2/{block[0]}")]
    if "tier2" in early:
        if early["tier2"][0] == [fingerprints[block[0]] for block in todo_blocks] + [len(blocks)]:
            state.search_jobs.append(early["tier2"][1])
            todo_blocks = []
        else:  # a plugin changed a body (a report's tables): build the blocks from the final texts
            written = early["tier2"][2]
            _discard(
                early["tier2"][1],
                output,
                [
                    f"search/{kind}/{block}-{shard}.js"
                    for block, count in written
                    for kind in ("t2", "t2c")
                    for shard in range(count)
                ],
                [f"search/{kind}/{block}" for block, _ in written for kind in ("t2", "t2c")],
            )
    for block, _, count, _, _ in blocks:
        if not reuse.unchanged(f"search/t2/{block}"):
            continue  # being built
        names = [
            f"search/{kind}/{block}-{shard}.js" for kind in ("t2", "t2c") for shard in range(count)
        ]
        if reuse.previous:  # the block's own files (their number follows the contents)
            names += [
                f"search/{kind}/{block}/{p.name}"
                for kind in ("t2", "t2c")
                for p in (reuse.previous / f"search/{kind}/{block}").glob("*.js")
            ]
        if not reuse.link_all(names):
            todo_blocks.append(blocks[block])
    todo_texts = [
        (ref, text)
        for ref, text in enumerate(index.texts)
        if not (reuse.unchanged(f"search/text/{ref}.js") and reuse.link(f"search/text/{ref}.js"))
    ]
    if todo_blocks or todo_texts:
        state.search_jobs.append(
            _job(
                state,
                "搜索索引（全文）",
                write_tier2,
                (
                    output,
                    todo_blocks,
                    todo_texts,
                    search_index.OWN_FILE_CONTEXT_CHARS,
                    state.cache.folder,
                ),
                parallel,
            )
        )
    state.background.extend(job for job in state.search_jobs if job not in state.background)


def get_generators(pelican):
    return SearchGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(on_all_finalized)
    disclosure_signals.documents_prepared.connect(on_prepared)
    disclosure_signals.documents_read.connect(on_read)

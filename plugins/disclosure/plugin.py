"""Pelican wiring for the disclosure model: reader, per-run state, validation gate."""

from __future__ import annotations

import functools
import gc
import os
import posixpath
import shutil
from operator import attrgetter
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.utils import order_content

from domain.defaults import apply_defaults, setting
from domain.problems import ERROR, ContentError, Problem
from domain.validate import validate_collection

from . import record, run
from . import signals as disclosure_signals
from .bodies import StoredText, prepare
from .content import (
    MARKDOWN_EXTENSIONS,
    changed_files,
    content_files,
    unread_files,
    walk_exclusions,
)
from .pages import site_digest
from .reader import DisclosureReader
from .tree import OUTPUT_DIGEST_KEY, KeptTree


def on_initialized(pelican):
    apply_defaults(pelican.settings)  # under `pelican content` too, the project's settings are set
    # What the settings file excludes; each run adds the folders it refuses (on_run_start).
    pelican.settings.setdefault(
        "DISCLOSURE_EXCLUDES", list(pelican.settings.get("ARTICLE_EXCLUDES", []))
    )


def on_run_start(pelican):
    """Pelican sends ``get_generators`` at the start of every run: the run's state starts here."""
    settings = pelican.settings
    state = run.start(settings)
    # Pelican walks the content folder too, following links: the folders ours refuses, it skips.
    # The next build compares the folder with this build's stat records: one walk (the build
    # may have made it already, finding whether anything changed).
    walk = settings.pop("CONTENT_WALK", None)
    if walk is None:
        walk = ([], {} if state.cache.folder else None)
        walk = (content_files(settings, walk[0], walk[1]), *walk)
    state.files, refused, state.content_stats = walk
    state.problems.extend(refused)
    settings["ARTICLE_EXCLUDES"] = settings["DISCLOSURE_EXCLUDES"] + walk_exclusions(refused)
    if state.content_stats is None:
        return
    # What the record and the previous output are valid for, worked out before Pelican's readers
    # complete the settings (MARKDOWN), as the next build will work it out.
    site = state.site
    state.record_digest = site_digest(settings, site.today, site.config_digest)
    _keep_previous_output(state)
    if setting(settings, "DOCUMENT_RECORD"):
        _take_unchanged_from_record(state)


def _keep_previous_output(state) -> None:
    """When the previous output was made under this site digest, its files may be kept: its copy
    is started now (:mod:`.tree`), made while the build reads and renders."""
    previous = setting(state.settings, "PREVIOUS_OUTPUT_PATH")
    if (
        previous
        and os.path.isdir(previous)
        and state.cache.get("pages", OUTPUT_DIGEST_KEY) == state.record_digest
    ):
        state.kept_tree = KeptTree(previous, state.settings["OUTPUT_PATH"] + ".kept")


def _take_unchanged_from_record(state) -> None:
    """The documents whose files are as the last build recorded them are not read again: views of
    them are made from the record (:func:`on_article_pretaxonomy`). Only when nothing but
    Markdown files changed (an attachment or a picture can change what a document's page and
    checks say), and the theme, code, settings, catalogue and date are the same."""
    site = state.site
    recorded = record.load(state.cache.folder, state.record_digest)
    if recorded is None:
        return
    now = state.content_stats
    changed = changed_files(str(site.content_root), recorded["stats"], now)
    state.unchanged_files = now.keys() - changed
    if any(path.rsplit(".", 1)[-1].lower() not in MARKDOWN_EXTENSIONS for path in changed):
        return
    documents = recorded["documents"]
    unchanged = {source for source in documents if source in now and source not in changed}
    state.recorded = {source: documents[source] for source in unchanged}
    state.record_entries = recorded["entries"]
    state.skipped = {documents[source][0] for source in unchanged}
    state.files = [path for path in state.files if str(path) not in state.skipped]


def on_generator_init(generator):
    """The generators share one context (made before the run's state): it gets the state too.
    Their templates are compiled once for this site's theme, code and settings, and kept in the
    build cache (compiling takes longer than rendering the pages a rebuild renders)."""
    state = generator.context[run.RUN_KEY] = generator.settings.get(run.RUN_KEY)
    env = getattr(generator, "env", None)
    if state is not None and state.record_digest and env is not None:
        env.bytecode_cache = _compiled_templates(state)
    if state is not None and state.skipped and isinstance(generator, ArticlesGenerator):
        generator.get_files = functools.partial(
            _files_to_read, generator.get_files, generator.path, state.skipped
        )


def _files_to_read(get_files, root: str, recorded: set[str], paths, exclude=None, extensions=None):
    """The article files Pelican finds, but those a view from the record stands for: Pelican's
    loop over its files costs more per file than anything else a rebuild does with it."""
    return {
        path
        for path in get_files(paths, exclude=exclude, extensions=extensions)
        if os.path.join(root, path) not in recorded
    }


def _compiled_templates(state):
    if state.bytecode_cache is None:
        folder = Path(state.cache.folder) / f"jinja-build-{state.record_digest[:16]}"
        if not folder.is_dir():
            for old in Path(state.cache.folder).glob("jinja-build-*"):
                shutil.rmtree(old, ignore_errors=True)
            folder.mkdir()
        state.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return state.bytecode_cache


def on_article_preread(generator):
    """Parse and render every document before Pelican asks for them one by one (parallel, cached).

    Pelican sends this signal before each file; the work is done at the first one."""
    state = run.of(generator)
    if state is None or state.prepared:
        return
    state.prepared = True
    state.prepared_documents = prepare(state.files, state.site, state.settings, state.cache)
    state.body_texts = {
        item.body_key: item.body.text
        if item.body.text or not item.body.text_length
        else StoredText(item.body_key, item.body.text_length)
        for item in state.prepared_documents.values()
    }
    state.body_keys = {
        item.result.document.source: item.body_key for item in state.prepared_documents.values()
    }
    state.text_lengths = {
        item.body_key: item.body.text_length for item in state.prepared_documents.values()
    }
    state.document_keys = {
        item.result.document.source: item.document_key for item in state.prepared_documents.values()
    }
    settle()
    if not state.recorded:  # the search jobs' early start guesses from all the documents
        disclosure_signals.documents_prepared.send(state, prepared=state.prepared_documents)


def on_readers_init(readers):
    for ext in MARKDOWN_EXTENSIONS:
        readers.reader_classes[ext] = DisclosureReader


def on_article_context(generator, metadata):
    """Fires for every file, cache hit or not: record the document and its problems."""
    doc = metadata.get("document")
    state = run.of(generator)
    if doc is None or state is None:
        return
    state.documents[doc.source] = doc
    state.problems.extend(metadata.get("disclosure_problems", ()))
    if metadata.get("body_pictures"):
        state.pictures[doc.source] = metadata["body_pictures"]


def on_article_pretaxonomy(generator):
    """Views of the documents taken from the record join the articles Pelican read; then a fixed
    order for Pelican's article lists.

    Pelican finds files as a set and sorts them by date only; with translations off (one language,
    ARTICLE_TRANSLATION_ID = None, which spares an O(n²) pass) nothing else would order documents of
    the same date, so order them by slug first, as the translation pass did."""
    state = run.of(generator)
    if state is not None and state.recorded:
        _add_recorded(state, generator)
    order = generator.settings["ARTICLE_ORDER_BY"]
    for name in ("articles", "hidden_articles", "drafts"):
        setattr(
            generator,
            name,
            order_content(sorted(getattr(generator, name), key=attrgetter("slug")), order),
        )
    if state is not None and state.recorded:
        disclosure_signals.documents_read.send(state, articles=generator.articles)


def _add_recorded(state, generator) -> None:
    made = record.views(
        state.recorded, state.settings, generator.context, state.cache, state.record_entries
    )
    keys = []
    for source, view in made.items():
        (generator.articles if view.status == "published" else generator.drafts).append(view)
        metadata = view.metadata
        state.documents[source] = view.document
        state.problems.extend(metadata.get("disclosure_problems", ()))
        if metadata.get("body_pictures"):
            state.pictures[source] = metadata["body_pictures"]
        key = metadata["body_key"]
        keys.append(key)
        state.body_keys[source] = key
        _, _, length, document_key, _ = state.recorded[source]
        state.text_lengths[key] = length
        state.document_keys[source] = document_key
        state.body_texts[key] = StoredText(key, length) if length else ""
        generator.context["generated_content"][source] = view  # {filename} links to it
    state.cache.keep("bodies", keys)
    state.cache.keep("texts", keys)
    state.cache.keep("documents", [entry[3] for entry in state.recorded.values()])


def on_article_finalized(generator):
    """Publish exactly the files published documents list (附件, 数据表) or show (pictures in the
    body), each checked by the domain (:mod:`.published_files`), and nothing else.

    Pelican would publish whatever a ``{static}``/``{attach}`` link in any body names, wherever it
    is; a name in its list that the documents do not account for is an error, never a file
    copied."""
    # Pelican's own category pages are off (the catalogue writes the column pages), but it would
    # still match every article against every category to list them: nothing to match.
    generator.categories = []
    state = run.of(generator)
    if state is None:
        return
    state.prepared_documents = {}  # every file is read now; let the parsed results go
    state.articles = generator.articles + generator.drafts  # for the record (build.py)
    allowed = set()
    for doc in state.documents.values():
        if doc.status == "published":
            allowed.update(a.source for a in doc.attachments + doc.data_tables + doc.photo)
            allowed.update(state.pictures.get(doc.source, ()))
    links = generator.context["static_links"]
    unaccounted = {posixpath.normpath(link) for link in links} - allowed
    flagged = {p.path for p in state.problems.errors if p.field == "正文"}  # told already, better
    if unaccounted:
        for article in generator.articles + generator.drafts:
            if article.metadata["document"].source in flagged:
                continue
            for link in sorted(
                {posixpath.normpath(p) for p in article.get_static_links()} & unaccounted
            ):
                state.problems.add(
                    Problem(
                        article.metadata["document"].source,
                        0,
                        ERROR,
                        "正文",
                        "正文链接的文件不能发布（不在 content 文件夹里、没有写进附件，"
                        "或类型不允许）",
                        link,
                        "把文件写进“附件”，或删除这个链接",
                    )
                )
    links.clear()
    links.update(allowed)
    gate(state)


def gate(state) -> None:
    """Cross-document checks, then stop the build if anything is wrong. Every document is read
    now, and the plugins' generators (catalogue, search…), which assume valid documents, have not
    started: a content error never reaches them as a Python exception."""
    documents = sorted(state.documents.values(), key=lambda d: d.source)
    state.problems.extend(validate_collection(documents))
    state.problems.extend(
        disclosure_signals.collection_problems(documents, state.site, state.plugin_data)
    )
    state.problems.extend(unread_files(state.settings, state.documents, state.files))
    if state.problems.errors:
        raise ContentError(state.problems)


def on_static_finalized(generator):
    """The attachments and pictures whose files did not change since the last build are kept from
    its output (the copy the new output is made from, :mod:`.tree`) instead of copied again: at
    10,000 documents with three attachments each, Pelican's copying was 12 s of a 17 s rebuild.
    A file's output path follows its own: bodies' ``{attach}`` links are ``{static}`` ones."""
    state = run.of(generator)
    if state is None or state.kept_tree is None or not state.unchanged_files:
        return
    root = os.path.join(str(state.site.content_root), "")
    copied = []
    for static in generator.staticfiles:
        source = static.source_path
        source = source[len(root) :] if source.startswith(root) else os.path.relpath(source, root)
        if source.replace(os.sep, "/") in state.unchanged_files and state.kept_tree.has(
            static.save_as
        ):
            state.linked.add(static.save_as)
        else:
            copied.append(static)
    generator.staticfiles[:] = copied  # the list Pelican's context holds too


def on_all_finalized(generators):
    """Every generator has its context: what plugins' pages need of the documents' relations."""
    state = run.of(generators[0]) if generators else None
    if state is None:
        return
    documents = sorted(state.documents.values(), key=lambda d: d.source)
    settle()
    interpretations = {}  # policy source -> its 解读 documents
    for doc in documents:
        if doc.interprets_source:
            interpretations.setdefault(doc.interprets_source, []).append(doc.source)
    for generator in generators:
        generator.context["interpretations"] = interpretations


def settle() -> None:
    """The documents and articles read so far live until the build ends: move them out of the
    garbage collector's way (its full passes would walk all of them, again and again, and touch
    their memory in forked workers). The build unfreezes them when it ends."""
    gc.collect()
    gc.freeze()


def register():
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(on_run_start)
    signals.generator_init.connect(on_generator_init)
    signals.readers_init.connect(on_readers_init)
    signals.article_generator_preread.connect(on_article_preread)
    signals.article_generator_context.connect(on_article_context)
    signals.article_generator_pretaxonomy.connect(on_article_pretaxonomy)
    signals.article_generator_finalized.connect(on_article_finalized)
    signals.static_generator_finalized.connect(on_static_finalized)
    signals.all_generators_finalized.connect(on_all_finalized)

"""Pelican wiring for the disclosure model: reader, per-run state, validation gate."""

from __future__ import annotations

import fnmatch
import gc
import os
import posixpath
from operator import attrgetter
from pathlib import Path

from pelican import signals
from pelican.utils import order_content

from domain.defaults import apply_defaults, setting
from domain.problems import ERROR, ContentError, Problem, ProblemList
from domain.site import Site
from domain.validate import validate_collection

from . import quick
from . import signals as disclosure_signals
from .bodies import StoredText, prepare
from .cache import BuildCache
from .pages import Linker
from .reader import DisclosureReader

MARKDOWN_EXTENSIONS = tuple(DisclosureReader.file_extensions)


class RunState:
    """What one build has read so far. Reset at the start of every run (autoreload-safe)."""

    def __init__(self, settings):
        self.settings = settings
        self.site = Site.from_settings(settings)
        self.documents = {}  # source -> Document
        self.pictures: dict[str, tuple[str, ...]] = {}  # source -> content files its body shows
        self.problems = ProblemList()
        self.problems.extend(self.site.problems)
        self.prepared = False
        self.files: list[Path] | None = None  # the content files, walked once per build
        self.cache = BuildCache(setting(settings, "BUILD_CACHE_PATH"))
        self.page_fingerprints: dict[
            str, str
        ] = {}  # output path -> fingerprint of what it was made from
        self.previous_pages: dict[str, str] | None = None  # the same, as the previous build left it
        self.site_digest = ""
        self.pages_rendered = self.pages_reused = 0
        self.background: list = []  # Spawned jobs the build must wait for (or cancel)
        self.made_folders: set[str] = set()  # output folders known to exist (pages.Reuse.link)
        self.linked: set[str] = (
            set()
        )  # output files hard-linked from the previous build (relative paths)
        self.linker = Linker()  # makes those links (pages.Reuse.link); waited for at `finalized`
        # Body key -> the body's plain text (or where the cache keeps it), for the search index,
        # which
        # lets them go once it has them.
        self.body_texts: dict[str, str | StoredText] = {}
        # Jobs started before the documents were final: name -> (fingerprints, job, what it writes)
        self.early_jobs: dict[str, tuple] = {}
        # For the next quick rebuild (quick.record): the content files' stat records as this build
        # found them before reading, each document's body key, and what plugins record for it.
        self.content_stats: dict | None = None
        self.body_keys: dict[str, str] = {}
        self.quick_records: dict[str, object] = {}


_state: RunState | None = None


def current() -> RunState | None:
    return _state


def on_initialized(pelican):
    global _state
    apply_defaults(pelican.settings)  # under `pelican content` too, the project's settings are set
    _state = RunState(pelican.settings)
    # Pelican walks the content folder too, following links: the folders ours refuses, it skips.
    refused: list[Problem] = []
    _state.files = content_files(pelican.settings, refused)
    _state.problems.extend(refused)
    settings = pelican.settings
    settings["ARTICLE_EXCLUDES"] = list(settings.get("ARTICLE_EXCLUDES", [])) + walk_exclusions(
        refused
    )
    DisclosureReader.site = _state.site
    DisclosureReader.prepared = {}


def on_article_preread(generator):
    """Parse and render every document before Pelican asks for them one by one (parallel, cached).

    Pelican sends this signal before each file; the work is done at the first one."""
    if _state is None or _state.prepared:
        return
    _state.prepared = True
    if _state.cache.folder and setting(_state.settings, "QUICK_REBUILD"):
        _state.content_stats = quick.content_stats(_state.settings["PATH"])
    DisclosureReader.prepared = prepare(_state.files, _state.site, _state.settings, _state.cache)
    _state.body_texts = {
        item.body_key: item.body.text
        if item.body.text or not item.body.text_length
        else StoredText(item.body_key, item.body.text_length)
        for item in DisclosureReader.prepared.values()
    }
    _state.body_keys = {
        item.result.document.source: item.body_key for item in DisclosureReader.prepared.values()
    }
    settle()
    disclosure_signals.documents_prepared.send(_state, prepared=DisclosureReader.prepared)


def on_readers_init(readers):
    for ext in MARKDOWN_EXTENSIONS:
        readers.reader_classes[ext] = DisclosureReader


def on_article_context(generator, metadata):
    """Fires for every file, cache hit or not: record the document and its problems."""
    doc = metadata.get("document")
    if doc is None or _state is None:
        return
    _state.documents[doc.source] = doc
    _state.problems.extend(metadata.get("disclosure_problems", ()))
    if metadata.get("body_pictures"):
        _state.pictures[doc.source] = metadata["body_pictures"]


def on_article_pretaxonomy(generator):
    """A fixed order for Pelican's article lists.

    Pelican finds files as a set and sorts them by date only; with translations off (one language,
    ARTICLE_TRANSLATION_ID = None, which spares an O(n²) pass) nothing else would order documents of
    the same date, so order them by slug first, as the translation pass did."""
    order = generator.settings["ARTICLE_ORDER_BY"]
    for name in ("articles", "hidden_articles", "drafts"):
        setattr(
            generator,
            name,
            order_content(sorted(getattr(generator, name), key=attrgetter("slug")), order),
        )


def on_article_finalized(generator):
    """Publish exactly the files published documents list (附件, 数据表) or show (pictures in the
    body), each checked by the domain (:mod:`.published_files`), and nothing else.

    Pelican would publish whatever a ``{static}``/``{attach}`` link in any body names, wherever it
    is; a name in its list that the documents do not account for is an error, never a file
    copied."""
    DisclosureReader.prepared = {}  # every file is read now; let the parsed results go
    # Pelican's own category pages are off (the catalogue writes the column pages), but it would
    # still match every article against every category to list them: nothing to match.
    generator.categories = []
    if _state is None:
        return
    allowed = set()
    for doc in _state.documents.values():
        if doc.status == "published":
            allowed.update(a.source for a in doc.attachments + doc.data_tables)
            allowed.update(_state.pictures.get(doc.source, ()))
    links = generator.context["static_links"]
    unaccounted = {posixpath.normpath(link) for link in links} - allowed
    flagged = {p.path for p in _state.problems.errors if p.field == "正文"}  # told already, better
    if unaccounted:
        for article in generator.articles + generator.drafts:
            if article.metadata["document"].source in flagged:
                continue
            for link in sorted(
                {posixpath.normpath(p) for p in article.get_static_links()} & unaccounted
            ):
                _state.problems.add(
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
    gate()


def gate() -> None:
    """Cross-document checks, then stop the build if anything is wrong. Every document is read
    now, and the plugins' generators (catalogue, search…), which assume valid documents, have not
    started: a content error never reaches them as a Python exception."""
    documents = sorted(_state.documents.values(), key=lambda d: d.source)
    _state.problems.extend(validate_collection(documents))
    _state.problems.extend(disclosure_signals.collection_problems(documents, _state.site))
    _state.problems.extend(unread_files(_state.settings, _state.documents, _state.files))
    if _state.problems.errors:
        raise ContentError(_state.problems)


def on_all_finalized(generators):
    """Every generator has its context: what plugins' pages need of the documents' relations."""
    if _state is None:
        return
    documents = sorted(_state.documents.values(), key=lambda d: d.source)
    settle()
    interpretations = {}  # policy source -> its 解读 documents
    for doc in documents:
        if doc.interprets_source:
            interpretations.setdefault(doc.interprets_source, []).append(doc.source)
    for generator in generators:
        generator.context["interpretations"] = interpretations


def on_finalized(pelican):
    """Every file is written: the links still being made are made before anything reads the output
    as a whole (the minifier, the build's own comparison of old and new files)."""
    if _state is not None:
        _state.linker.wait()


def settle() -> None:
    """The documents and articles read so far live until the build ends: move them out of the
    garbage collector's way (its full passes would walk all of them, again and again, and touch
    their memory in forked workers). The build unfreezes them when it ends."""
    gc.collect()
    gc.freeze()


MAX_FOLDER_DEPTH = 32  # deeper than any real catalogue; a deeper tree is a mistake or a trap


def content_files(settings, problems: list | None = None) -> list[Path]:
    """Every Markdown file Pelican would look at, in a stable order.

    Linked folders are followed, as Pelican follows them, but only into the content folder and
    only once: a link to a folder outside, to a folder already walked (``news/loop -> ..``) or past
    :data:`MAX_FOLDER_DEPTH` is not walked, and becomes a problem in ``problems`` and an entry of
    ARTICLE_EXCLUDES (see :func:`walk_exclusions`), so that Pelican's own walk skips it too."""
    root = Path(settings["PATH"])
    ignore = settings.get("IGNORE_FILES", [])
    real_root = os.path.realpath(root)
    seen = {real_root}
    found = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        kept = []
        for name in sorted(d for d in dirs if not any(fnmatch.fnmatch(d, p) for p in ignore)):
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            real = os.path.realpath(path)
            if not (real == real_root or real.startswith(real_root + os.sep)):
                why = "这个文件夹是指向 content 文件夹以外的链接（快捷方式），不会读取"
            elif real in seen:
                why = "这个文件夹是指向已有文件夹（或上级文件夹）的链接，会造成重复或循环，不会读取"
            elif rel.count("/") >= MAX_FOLDER_DEPTH:
                why = f"文件夹层级超过 {MAX_FOLDER_DEPTH} 层，不会读取"
            else:
                seen.add(real)
                kept.append(name)
                continue
            if problems is not None:
                problems.append(
                    Problem(
                        rel, 0, ERROR, "", why, hint="删除这个链接，把文件本身放进 content 文件夹"
                    )
                )
        dirs[:] = kept
        for name in sorted(files):
            if name.rsplit(".", 1)[-1].lower() in MARKDOWN_EXTENSIONS and not any(
                fnmatch.fnmatch(name, p) for p in ignore
            ):
                found.append(Path(folder) / name)
    return found


def walk_exclusions(problems) -> list[str]:
    """The folders :func:`content_files` refused to walk, as ARTICLE_EXCLUDES entries."""
    return [p.path for p in problems if not p.line and "文件夹" in p.message]


def unread_files(settings, documents, files=None):
    """Safety net: a Markdown file Pelican skipped is an error, never a silent loss."""
    root = Path(settings["PATH"])
    prefix = os.path.join(str(root), "")  # the walk's paths start with it: cutting it off is enough
    problems = []
    for path in content_files(settings) if files is None else files:
        name = str(path)
        rel = (
            name[len(prefix) :]
            if name.startswith(prefix) and os.sep == "/"
            else path.relative_to(root).as_posix()
        )
        if rel not in documents:
            problems.append(
                Problem(
                    rel,
                    0,
                    ERROR,
                    "",
                    "这个文件没有被读取（读取时出错，见上方日志）",
                    hint="修正文件后重新生成；如需排查请联系技术人员",
                )
            )
    return problems


def register():
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(on_readers_init)
    signals.article_generator_preread.connect(on_article_preread)
    signals.article_generator_context.connect(on_article_context)
    signals.article_generator_pretaxonomy.connect(on_article_pretaxonomy)
    signals.article_generator_finalized.connect(on_article_finalized)
    signals.all_generators_finalized.connect(on_all_finalized)
    signals.finalized.connect(on_finalized)

"""Reading documents fast: every file parsed and every body rendered once, in parallel, cached.

Before Pelican reads the articles, :func:`prepare` reads all content files. For each file it
needs a :class:`~domain.document.ReadResult` (front matter, checked) and a :class:`Body`
(Markdown → HTML, then the body steps plugins registered — the accessible_body sanitiser — and
the plain text search indexes). Both are looked up in the build cache by a hash of everything
they depend on; misses are computed in a pool of worker processes, one per core. Each file is
handled on its own, so the result does not depend on the number of workers or their order.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html as html_lib
import inspect
import multiprocessing
import os
import pickle
import re
import sys
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NamedTuple

import markdown

import domain
from domain import defaults
from domain.document import ReadResult, read_document
from domain.model import Document
from domain.problems import ERROR, Problem
from domain.published_files import check_body_files

from . import fast_block, fast_inline, safe_html, signals
from .cache import BuildCache, digest
from .content import TRUST_STAT_AFTER_NS
from .fast_block import FastBlockExtension
from .fast_inline import FastInlineExtension
from .private_api import article_html

META_EXTENSION = "markdown.extensions.meta"
PARALLEL_FROM = 40  # fewer misses than this are done in this process: a pool takes time to start


class BodyStep(NamedTuple):
    """A plugin's step on every rendered body (receivers of :data:`signals.body_steps` return
    one): ``function(html, title, converter) -> (html, [Chinese problem messages])``, run after
    Markdown in the order the plugins connected, and the Markdown extension class it works with."""

    name: str
    function: object
    extension: type | None = None


def body_steps(settings) -> tuple[BodyStep, ...]:
    """The body steps of the plugins registered for this build."""
    return tuple(step for _, step in signals.body_steps.send(settings) if step is not None)


def make_converter(config: dict, steps: tuple[BodyStep, ...] = ()) -> markdown.Markdown:
    converter = markdown.Markdown(**config)
    extensions = [step.extension() for step in steps if step.extension is not None] + [
        FastInlineExtension(),
        FastBlockExtension(),
    ]
    converter.registerExtensions(extensions, {})
    safe_html.register(converter)
    converter.gk_steps = steps
    return converter


@dataclass(frozen=True)
class Body:
    html: str
    text: (
        str  # plain text, one line per block (search and snippets); "" when kept in the cache only
    )
    problems: tuple[str, ...] = ()  # messages for the 正文 field
    text_length: int = 0  # len(text), also when the text is kept in the cache only
    # Local links and pictures: (tag, URL as in the HTML, line in the body or 0), in order; what
    # they name is checked against the content folder each build (body_files), never cached as
    # valid.
    references: tuple[tuple[str, str, int], ...] = ()


class StoredText(NamedTuple):
    """A body's plain text that is in the build cache (table "texts", by body key), not in memory:
    the search jobs read it there themselves (:func:`disclosure.cache.read_texts`)."""

    key: str
    length: int


BLOCK = re.compile(
    r"<(?:/?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|tr|table|caption|thead|tbody|tfoot|blockquote|pre|"
    r"figure|figcaption|section|article)|br|hr|td|th)\b[^>]*>",
    re.I,
)
TAG = re.compile(r"<[^>]*>")
BLANKS = re.compile(r"[ \t]*\n[\s]*")


def plain_text(html: str) -> str:
    """Text of rendered HTML: a block or cell boundary is a line break, inline markup joins its
    text."""
    text = TAG.sub("", BLOCK.sub("\n", html))
    return BLANKS.sub("\n", html_lib.unescape(text)).strip()


def markdown_config(settings) -> dict:
    """Python-Markdown's arguments for the MARKDOWN setting, as Pelican's reader builds them: every
    extension named in ``extension_configs`` is loaded too (``invoke check`` and the build render
    alike, whether or not a Pelican reader has filled the setting in yet)."""
    config = dict(settings["MARKDOWN"])
    extensions = list(config.get("extensions", []))
    extensions += [e for e in config.get("extension_configs", {}) if e not in extensions]
    # Our own parser removes the header; the meta extension would eat a body line like "注：…".
    config["extensions"] = [e for e in extensions if e != META_EXTENSION]
    return config


def render_body(converter: markdown.Markdown, title: str, source: str) -> Body:
    converter.reset()
    # Set by safe_html.SafeTree, which Markdown skips for a blank body.
    converter.gk_safety, converter.gk_references, converter.gk_raw = [], [], False
    converter.gk_title = title
    converter.gk_braces = (
        "{" in source or "{" in title
    )  # else attribute lists cannot occur (fast_inline)
    try:
        html = converter.convert(source)
    except Exception as exc:
        return Body(
            "",
            "",
            (f"转换正文时程序出错：{type(exc).__name__}: {exc}（请把这条信息告诉技术人员）",),
        )
    problems: list[str] = list(converter.gk_safety)
    references = converter.gk_references
    if converter.gk_raw:  # raw HTML: judged on the tree a browser builds of the serialised body
        html, found, references = safe_html.sanitise_html(html)
        problems += found
    steps = getattr(converter, "gk_steps", ())
    for name, step, _ in steps:
        try:
            html, found = step(html, title, converter)
        except Exception as exc:
            found = [
                f"处理正文时程序出错（{name}）：{type(exc).__name__}: "
                f"{exc}（请把这条信息告诉技术人员）"
            ]
        problems += found
    if converter.gk_raw and steps:
        html = safe_html.clean(html)  # what a step added to raw HTML passes the allow-list too
    text = plain_text(html)
    located = tuple((tag, url, _line_of(source, url)) for tag, url in references)
    return Body(html, text, tuple(dict.fromkeys(problems)), len(text), located)


def _line_of(source: str, url: str) -> int:
    """The body line (1-based) where ``url`` is written, or 0 when it is not found as written."""
    for candidate in (url, html_lib.unescape(url), url.split("#")[0].split("?")[0]):
        at = source.find(candidate) if candidate else -1
        if at >= 0:
            return source.count("\n", 0, at) + 1
    return 0


def _code_digest(steps: tuple[BodyStep, ...]) -> str:
    """Changes whenever the code that turns a file into a document or a body changes: the domain
    model, this module, the sanitiser and fast paths, and the plugins' body steps."""
    h = hashlib.blake2b(digest_size=16)
    modules = {sys.modules[__name__], safe_html, fast_block, fast_inline}
    modules |= {sys.modules[step.function.__module__] for step in steps}
    for path in sorted(inspect.getsourcefile(m) for m in modules):
        h.update(Path(path).read_bytes())
    for path in sorted(Path(domain.__file__).parent.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(markdown.__version__.encode())
    return h.hexdigest()


def reading_failed(rel: str, exc: Exception) -> Problem:
    """A fault of the program while reading a file: told to the editor as a problem of the file,
    never as a traceback."""
    return Problem(
        rel,
        0,
        ERROR,
        "",
        f"读取这个文件时程序出错：{type(exc).__name__}: {exc}",
        hint="请把这条信息告诉技术人员",
    )


class _Job:
    """What reading and rendering need, for this process or for the pool's workers (forked: they
    inherit it, nothing is pickled). Each worker makes its own Markdown converter."""

    def __init__(self, site, config: dict, steps: tuple[BodyStep, ...]):
        self.site, self.config, self.steps = site, config, steps
        self.converter: markdown.Markdown | None = None

    def read(self, path: str) -> ReadResult:
        try:
            return read_document(Path(path), self.site)
        except Exception as exc:
            rel = Path(os.path.relpath(path, self.site.content_root)).as_posix()
            return ReadResult(Document(source=rel), "", 1, [reading_failed(rel, exc)])

    def read_apart(self, path: str) -> tuple[bytes, bytes]:
        """The document without its Markdown (pickled, for the cache) and the Markdown (UTF-8, to
        render now): a rebuild then loads 10,000 front matters, not 10,000 bodies it has rendered
        already."""
        result = self.read(path)
        source, result.body = result.body, ""
        result.body_digest = digest(source)
        return pickle.dumps(result, protocol=5), source.encode("utf-8", "surrogatepass")

    def render(self, item: tuple[str, str]) -> Body:
        if self.converter is None:
            self.converter = make_converter(self.config, self.steps)
        return render_body(self.converter, *item)

    def render_pickled(self, item: tuple[str, str]) -> tuple[bytes]:
        return (pickle.dumps(self.render(item), protocol=5),)

    def render_apart(self, item: tuple[str, str]) -> tuple[bytes, bytes]:
        """The body without its text (pickled), and the text (UTF-8): stored apart, so that a build
        loads texts only for the search blocks it rebuilds."""
        body = self.render(item)
        lean = dataclasses.replace(body, text="")
        return pickle.dumps(lean, protocol=5), body.text.encode("utf-8", "surrogatepass")


_WORKER_JOB: list[_Job] = []  # in a pool worker only: the job it was forked with


def _adopt(job: _Job) -> None:
    _WORKER_JOB[:] = [job]


def _in_worker(method: str, item):
    return getattr(_WORKER_JOB[0], method)(item)


def _map_into_cache(
    job: _Job,
    method: str,
    keyed: list[tuple[str, object]],
    workers: int,
    cache: BuildCache,
    tables: tuple,
) -> dict:
    """key -> result of ``job``'s ``method`` for each (key, item), stored in the cache's
    ``tables`` as they come.

    Memory: pickling a string in CPython leaves a UTF-8 copy of it attached to it. So results
    travel pickled, are stored as they are and unpickled once here (pickling them here would keep
    a copy of every body); and each item leaves ``keyed`` once it is handed to a worker (the
    pool takes items only as workers get free), so the Markdown sources and their copies go as
    the work proceeds. ``method`` gives one blob per table: the first is unpickled and returned, the
    others (texts) are only stored."""
    keys = [key for key, _ in keyed]

    def hand_over():
        for number, (key, item) in enumerate(keyed):
            keyed[number] = (key, None)
            yield item

    if len(keyed) < PARALLEL_FROM or workers < 2:
        return _store(keys, map(getattr(job, method), hand_over()), cache, tables)
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_adopt, initargs=(job,)) as pool:
        chunk = max(1, min(64, len(keyed) // (workers * 8)))
        work = partial(_in_worker, method)
        return _store(keys, pool.imap(work, hand_over(), chunk), cache, tables)


def _store(keys: list[str], results, cache: BuildCache, tables: tuple) -> dict:
    """Each result's first blob is unpickled and returned; blobs with a table are stored in it, and
    any after those are returned with the result, as they are: (result, blob, …)."""
    found, batches = {}, [{} for _ in tables]
    for key, blobs in zip(keys, results):
        value = pickle.loads(blobs[0])
        found[key] = value if len(blobs) == len(tables) else (value, *blobs[len(tables) :])
        for batch, blob in zip(batches, blobs):
            batch[key] = blob
        if len(batches[0]) >= 256:
            for table, batch in zip(tables, batches):
                cache.put_raw(table, batch)
            batches = [{} for _ in tables]
    for table, batch in zip(tables, batches):
        cache.put_raw(table, batch)
    return found


@dataclass
class Prepared:
    result: ReadResult
    body: Body
    body_key: str = ""  # the body's cache key: a hash of everything its HTML is made from
    document_key: str = ""  # the parsed document's cache key (the file's bytes, code, site)

    @property
    def problems(self) -> list[Problem]:
        source = self.result.document.source
        return self.result.problems + [
            Problem(source, 0, ERROR, "正文", message) for message in self.body.problems
        ]

    def body_files(self, site) -> tuple[tuple[str, ...], list[Problem]]:
        """The pictures the body shows (to publish) and the problems of its local links, checked
        against the content folder as it is now (:mod:`.published_files`)."""
        return check_body_files(
            self.result.document,
            self.body.references,
            site,
            self.result.body_line,
            site.reviewed_files,
        )


def _probes_hold(result: ReadResult) -> bool:
    """A cached document is valid only if the attachment files it looked at are as they were."""
    for path, size in result.probed:
        try:
            now = os.stat(path).st_size if os.path.isfile(path) else -1
        except OSError:
            now = -1
        if now != size:
            return False
    return True


def _file_digests(paths: list[Path], cache: BuildCache):
    """(path, real path, digest of its bytes) of each file.

    A file whose size, inode and change times are those the previous build recorded is not read
    again: its recorded digest is used (as git's index does). A write changes the ctime, which no
    tool can set back. A file changed within the last two seconds is always read, so that a write in
    the same clock tick as the recording (same times, new bytes) cannot go unseen."""
    real_folders: dict[str, str] = {}
    stats, real = {}, {}
    for path in paths:
        name = str(path)
        folder, base = os.path.split(name)
        if folder not in real_folders:
            real_folders[folder] = os.path.realpath(folder)
        real[name] = (
            os.path.realpath(name)
            if os.path.islink(name)
            else os.path.join(real_folders[folder], base)
        )
        try:
            st = os.stat(name)
            stats[name] = (name, st.st_size, st.st_ino, st.st_dev, st.st_mtime_ns, st.st_ctime_ns)
        except OSError:
            stats[name] = None
    stat_keys = {name: digest(*record) for name, record in stats.items() if record is not None}
    known = cache.get_many("files", stat_keys.values())
    now, recorded = time.time_ns(), {}
    for path in paths:
        name = str(path)
        found = known.get(stat_keys.get(name))
        if found is None:
            try:
                raw = path.read_bytes()
            except OSError:
                raw = b""
            found = digest(raw)
            record = stats[name]
            if record is not None and now - max(record[4], record[5]) > TRUST_STAT_AFTER_NS:
                recorded[stat_keys[name]] = found
        yield path, real[name], found
    cache.put_many("files", recorded)


def prepare(
    paths: list[Path], site, settings, cache: BuildCache | None = None
) -> dict[str, Prepared]:
    """Absolute path -> prepared document and body, for every path."""
    cache = cache or BuildCache(None)
    workers = defaults.workers(settings)
    config = markdown_config(settings)
    steps = body_steps(settings)
    code = _code_digest(steps)
    site_key = digest(code, site.today, site.content_root, site.config_digest)
    keys = {
        str(path): digest(site_key, str(path), real, raw)
        for path, real, raw in _file_digests(paths, cache)
    }
    cached = cache.get_many("documents", keys.values())
    results: dict[str, ReadResult] = {}
    for path, key in keys.items():
        hit = cached.get(key)
        if hit is not None and _probes_hold(hit):
            results[path] = hit
    del cached
    render_key = digest(code, sorted((k, repr(v)) for k, v in config.items()))

    def body_key(result: ReadResult) -> str:
        return digest(
            render_key, result.document.title or result.document.source, result.body_digest
        )

    body_keys = {p: body_key(r) for p, r in results.items()}
    bodies = cache.get_many("bodies", body_keys.values())
    job = _Job(site, config, steps)
    # Cached documents come without their Markdown; one whose body is not cached either (the
    # Markdown settings changed) is read again for it.
    missing = [p for p in keys if p not in results or body_keys[p] not in bodies]
    read = _map_into_cache(
        job, "read_apart", [(keys[p], p) for p in missing], workers, cache, ("documents",)
    )
    sources = {}
    for path in missing:
        results[path], source = read.pop(keys[path])
        sources[path] = source.decode("utf-8", "surrogatepass")
        body_keys[path] = body_key(results[path])
    bodies |= cache.get_many("bodies", [body_keys[p] for p in missing])
    todo = sorted(
        {
            body_keys[p]: (results[p].document.title or results[p].document.source, sources[p])
            for p in missing
            if body_keys[p] not in bodies
        }.items()
    )
    del sources
    if cache.db is None:  # no cache to keep texts in: they stay with the bodies, in memory
        rendered = _map_into_cache(job, "render_pickled", todo, workers, cache, ("bodies",))
    else:
        rendered = _map_into_cache(job, "render_apart", todo, workers, cache, ("bodies", "texts"))
        cache.keep("texts", body_keys.values())
    bodies |= rendered
    return {p: Prepared(results[p], bodies[body_keys[p]], body_keys[p], keys[p]) for p in keys}


def content_key(article) -> str:
    """Stands for an article's HTML in fingerprints: the body's cache key while the HTML is the body
    the reader prepared (no need to hash 10,000 bodies again), else a hash of the HTML a plugin
    made."""
    metadata = getattr(article, "metadata", {})
    if getattr(article, "html_replaced", None) is False and metadata.get("body_key"):
        return metadata["body_key"]  # a document view whose body was not even loaded
    html = article_html(article)
    if metadata.get("body_key") and metadata.get("body_html") is html:
        return metadata["body_key"]
    return digest("html", html)


def links_key(article) -> str | None:
    """Stands for where a body's ``{filename}``/``{static}`` links point (Pelican fills them in when
    the page is written, from other documents' URLs), in the fingerprints of the pages and feeds
    that show the body: a linked document's new URL remakes them. None for a body without them."""
    if not getattr(article, "metadata", {}).get("intrasite_links"):
        return None
    return digest("links", article.get_content(""))

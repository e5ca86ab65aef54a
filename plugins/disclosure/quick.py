"""Quick rebuilds (快速更新): when only the bodies of documents changed, rewrite only what shows
them.

A full build, even with everything cached, makes 10,000 Pelican articles and fingerprints every
page to find the one that changed. When the only change since the last build is the text of some
documents' bodies (their front matter, every other file, the theme, the code, the settings and the
date all as they were), every listing, feed row, neighbour link and export is known to be as it
was. What shows a body is the document's own page, its entries in the feeds and its search files:
those are made again, and nothing else is touched.

The last full build leaves a record (``quick.marshal`` in the build cache): the stat of every
content file, each document's front-matter digest and body key, the build's warnings, and what
each plugin needs to remake its files for one document (the catalogue: the page's links; search:
the block layout). Plugins take part by answering :data:`signals.quick_rebuild` with a
:class:`QuickPart`; a registered plugin that does not turns quick rebuilds off. Any doubt (a step
raises :class:`Unsupported`) and the full build runs instead, as it always did.

The new files are written to a staging folder beside ``output/``, then moved in. A build killed
while moving them leaves a journal, and the next build finishes the move before anything else.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import marshal
import os
import shutil
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import NamedTuple

from domain.defaults import setting
from domain.problems import Problem, ProblemList
from domain.site import Site

from . import signals, swap
from .background import collect, fork_call
from .bodies import prepare
from .cache import BuildCache, digest
from .content import content_stats, same_file
from .pages import site_digest

logger = logging.getLogger(__name__)
MANIFEST = "quick.marshal"
VERSION = 3  # of the record's format

# Plugins that make nothing from a body: the engine itself.
ALWAYS_SAFE = frozenset({"disclosure"})


class Unsupported(Exception):
    """This change needs the full build (the reason is for the developer log)."""


class QuickPart(NamedTuple):
    """How a plugin takes part in quick rebuilds (receivers of :data:`signals.quick_rebuild`
    return one). ``step(run)`` makes the files the plugin owns for the changed documents (None:
    it makes nothing from a body); ``first``: the step hands slow work to a forked helper
    (:meth:`Run.fork`) and runs before the others, so that the helper works while they do;
    ``changes_body(document)``: the plugin changes this document's HTML after it is rendered (such
    a document is never rebuilt quickly)."""

    name: str
    step: object = None
    first: bool = False
    changes_body: object = None


def parts(settings) -> list[QuickPart]:
    """The registered plugins' parts, the ``first`` steps ahead, each group in connection order."""
    found = [part for _, part in signals.quick_rebuild.send(settings) if part is not None]
    return sorted(found, key=lambda part: not part.first)


@dataclass
class Manifest:
    """What the last full build was made from."""

    output: str
    output_id: (
        tuple  # device and inode of output/: another tree put in its place is not this build's
    )
    site_digest: str
    stats: dict  # content-relative path -> stat record (content_stats; None: could not be read)
    documents: dict  # source -> (front-matter digest, body key)
    warnings: list
    pages: int  # pages the build rendered or reused (for the report)
    records: dict = field(default_factory=dict)  # plugin name -> its own record
    version: int = VERSION


def _folder_id(folder: Path) -> tuple[int, int]:
    st = os.stat(folder)
    return st.st_dev, st.st_ino


def _manifest_path(cache_folder: str) -> str:
    return os.path.join(cache_folder, MANIFEST)


def save(cache_folder: str, manifest: Manifest) -> None:
    """Plain values in marshal's format, quicker to load than a pickle."""
    path = _manifest_path(cache_folder)
    fresh = path + f".{os.getpid()}.new"
    values = dict(vars(manifest), warnings=[astuple(problem) for problem in manifest.warnings])
    with open(fresh, "wb") as handle:
        handle.write(marshal.dumps(values))
    os.replace(fresh, path)


def forget(cache_folder: str) -> None:
    """A build that cannot leave a true record leaves none."""
    with contextlib.suppress(FileNotFoundError):
        os.remove(_manifest_path(cache_folder))


def load(cache_folder: str) -> Manifest | None:
    try:
        with open(_manifest_path(cache_folder), "rb") as handle:
            # In one piece: marshal.load() on the file reads it in small pieces, far slower.
            data = handle.read()
        gc.disable()  # the collector would walk the build's objects again and again as these come
        try:
            values = marshal.loads(data)
        finally:
            gc.enable()
        if values.get("version") != VERSION:
            return None
        values["warnings"] = [Problem(*problem) for problem in values["warnings"]]
        return Manifest(**values)
    except (OSError, EOFError, ValueError, TypeError, AttributeError):
        return None


def record(state, output: Path) -> None:
    """After a full build succeeded: leave the record the next quick rebuild starts from."""
    folder = state.cache.folder
    if not folder:
        return
    if state.content_stats is None or not setting(state.settings, "QUICK_REBUILD"):
        forget(folder)
        return
    documents = {
        doc.source: (digest(doc), state.body_keys.get(doc.source, ""))
        for doc in state.documents.values()
    }
    save(
        folder,
        Manifest(
            str(output),
            _folder_id(output),
            state.site_digest,
            state.content_stats,
            documents,
            state.problems.warnings,
            state.pages_rendered + state.pages_reused,
            dict(state.quick_records),
        ),
    )


@dataclass
class Run:
    """One quick rebuild: what changed, and the files the steps make."""

    settings: dict
    site: object
    output: Path
    staging: Path
    cache: object
    manifest: Manifest
    changed: dict  # source -> bodies.Prepared of each document whose body changed
    files: dict = field(default_factory=dict)  # output-relative path -> text to write
    deletes: set = field(default_factory=set)  # output-relative paths to remove
    stale: set = field(
        default_factory=set
    )  # page-fingerprint keys the next full build must not trust
    rendered: int = 0
    children: list = field(default_factory=list)  # (pid, pipe) of the steps' forked helpers
    staged: list = field(default_factory=list)  # files the helpers staged already (changed ones)
    made: set = field(default_factory=set)  # every file the helpers made, changed or not

    @property
    def records(self) -> dict:
        return self.manifest.records

    def write(self, rel: str, text: str, page: bool = False) -> None:
        self.files[rel] = text
        self.rendered += page

    def fork(self, function, *args) -> None:
        """Make files in a forked copy of this process while the other steps go on:
        ``function(*args)`` returns {output-relative path: text}, or raises (:class:`Unsupported`
        too) to the build. The copy stages the files that changed itself."""

        def make_and_stage():
            files = function(*args)
            return _stage(self.output, self.staging, files), list(files)

        self.children.append(fork_call(make_and_stage))

    def join(self) -> None:
        """Wait for the forked helpers; their files join the others."""
        children, self.children = self.children, []
        results = []
        for number, child in enumerate(children):
            try:
                results.append(collect(child))
            except BaseException:
                self.children = children[number + 1 :]
                raise
        for (changed, _), made in results:
            self.staged += changed
            self.made.update(made)

    def kill(self) -> None:
        for pid, read in self.children:
            with contextlib.suppress(OSError):
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            with contextlib.suppress(OSError):
                os.close(read)
        self.children = []


def changed_sources(manifest: Manifest, now: dict, root: str) -> list[str] | None:
    """Content files that changed; None when one of them is not a document's Markdown (an
    attachment, a data table, the catalogue) or files came or went."""
    if now.keys() != manifest.stats.keys():
        return None
    changed = [
        rel for rel, record in now.items() if not same_file(root, rel, manifest.stats[rel], record)
    ]
    if any(rel not in manifest.documents for rel in changed):
        return None
    return changed


def finish_moves(folder: Path, output: Path) -> None:
    """Put in the changes a journal lists, so that a reader sees the old tree or the new one, never
    a mix: a copy of ``output`` made of hard links (no file's bytes are copied) takes the new files,
    and is swapped in whole (:func:`swap.swap_in`). Idempotent: an interrupted run is done again
    from the start by the next build (the staged files stay until the end)."""
    journal = folder / "journal.json"
    if journal.is_file():
        plan = json.loads(journal.read_text(encoding="utf-8"))
        tree = folder / "tree"
        shutil.rmtree(tree, ignore_errors=True)
        _link_tree(str(output), str(tree))
        for rel in plan["moves"]:
            target = tree / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".gk-new")
            with contextlib.suppress(FileNotFoundError):
                os.remove(temporary)
            os.link(folder / "files" / rel, temporary)
            os.replace(
                temporary, target
            )  # the link to the old file goes; the old file stays in output/
        for rel in plan["deletes"]:
            with contextlib.suppress(FileNotFoundError):
                os.remove(tree / rel)
        os.chmod(tree, 0o755)
        swap.swap_in(tree, output, folder / "old")
    shutil.rmtree(folder, ignore_errors=True)


def _link_tree(source: str, target: str) -> None:
    os.mkdir(target)
    for entry in os.scandir(source):
        path = os.path.join(target, entry.name)
        if entry.is_dir(follow_symlinks=False):
            _link_tree(entry.path, path)
        else:
            os.link(entry.path, path, follow_symlinks=False)


def _stage(output: Path, staging: Path, files: dict) -> tuple[list[str], list[str]]:
    """Write the files whose bytes changed to the staging folder: (changed, unchanged)."""
    changed, same = [], []
    folders = set()
    for rel, text in sorted(files.items()):
        data = text.encode("utf-8") if isinstance(text, str) else text
        try:
            with open(output / rel, "rb") as handle:
                if handle.read() == data:
                    same.append(rel)
                    continue  # the same bytes: the file keeps its time (rsync skips it)
        except OSError:
            pass
        target = staging / "files" / rel
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        target.write_bytes(data)
        changed.append(rel)
    return changed, same


def commit(run: Run) -> int:
    """Move the new files in. Returns how many files changed."""
    moves = sorted(_stage(run.output, run.staging, run.files)[0] + run.staged)
    made = set(run.files) | run.made
    deletes = sorted(rel for rel in run.deletes if rel not in made and (run.output / rel).exists())
    if not moves and not deletes:
        shutil.rmtree(run.staging, ignore_errors=True)
        return 0
    journal = run.staging / "journal.json"
    fresh = run.staging / "journal.new"
    fresh.write_text(
        json.dumps({"moves": moves, "deletes": deletes}, ensure_ascii=False), encoding="utf-8"
    )
    os.replace(
        fresh, journal
    )  # from here on the move is as good as made: the next build completes it
    finish_moves(run.staging, run.output)
    return len(moves) + len(deletes)


@dataclass
class Result:
    ok: bool
    problems: object  # ProblemList
    documents: int
    pages: tuple[int, int]  # files remade, files left as they were
    changed: int  # files of output/ written or removed


def _full(reason: str) -> None:
    logger.debug("full build: %s", reason)
    return


def attempt(settings: dict, output: Path, plugin_names: list[str]) -> Result | None:
    """Rebuild quickly when only bodies changed since the last full build; None: run the full build.

    Plugins must be registered (their steps and declarations) before this is called."""
    folder = setting(settings, "BUILD_CACHE_PATH")
    if not folder or not setting(settings, "QUICK_REBUILD") or not output.is_dir():
        return _full("no cache, no output, or QUICK_REBUILD is off")
    manifest = load(folder)
    if (
        manifest is None
        or manifest.output != str(output)
        or tuple(manifest.output_id) != _folder_id(output)
    ):
        return _full("no record of the last build for this output")
    taking_part = parts(settings)
    safe = ALWAYS_SAFE | {part.name for part in taking_part}
    if any(name not in safe for name in plugin_names):
        return _full(f"a plugin without a quick step: {sorted(set(plugin_names) - safe)}")
    now = content_stats(settings)
    try:
        changed = changed_sources(manifest, now, settings["PATH"])
    except (TypeError, IndexError, KeyError, ValueError):
        return _full("the record of the last build is damaged")
    if changed is None:
        return _full("a file other than a document's Markdown changed, came or went")
    site = Site.from_settings(settings)
    from pelican.readers import Readers

    Readers(
        settings
    )  # as in the full build: Pelican's Markdown reader completes settings["MARKDOWN"]
    if (
        any(p.is_error for p in site.problems)
        or site_digest(settings, site.today, site.config_digest) != manifest.site_digest
    ):
        return _full("the theme, code, settings, catalogue or date changed")
    cache = BuildCache(folder)
    try:
        return _rebuild(settings, output, site, cache, manifest, now, changed, taking_part)
    finally:
        cache.close()


def _rebuild(
    settings,
    output: Path,
    site,
    cache,
    manifest: Manifest,
    now: dict,
    changed: list[str],
    taking_part: list[QuickPart],
) -> Result | None:
    root = site.content_root
    found = prepare([root / rel for rel in changed], site, settings, cache)
    prepared = {rel: found[str(root / rel)] for rel in changed}
    problems = ProblemList()
    problems.extend(site.problems)
    problems.extend(problem for problem in manifest.warnings if problem.path not in prepared)
    bodies = {}
    for rel, item in prepared.items():
        problems.extend(item.problems)
        doc = item.result.document
        if digest(doc) != manifest.documents[rel][0] or any(
            part.changes_body(doc) for part in taking_part if part.changes_body
        ):
            return _full(f"{rel}: its front matter changed, or a plugin changes its body")
        if item.body.references:
            return _full(f"{rel}: its body links files or pictures (what is published may change)")
        if item.body_key != manifest.documents[rel][1]:
            bodies[rel] = item
    if problems.errors:
        return Result(False, problems, len(manifest.documents), (0, 0), 0)
    staging = output.parent / f".{output.name}-quick-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    run = Run(settings, site, output, staging, cache, manifest, bodies)
    try:
        if bodies:
            for part in taking_part:
                if part.step is not None:
                    part.step(run)
            run.join()
    except (
        BaseException
    ) as exc:  # nothing of this attempt stays; the full build runs (Ctrl-C stops)
        run.kill()
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, Unsupported):
            return _full(str(exc))
        if not isinstance(exc, Exception):
            raise
        # A fault of this shortcut must not fail the build.
        logger.warning("快速更新出错，改为完整生成：%s: %s", type(exc).__name__, exc)
        return None
    written = commit(run)
    # The record follows: these files are what the next quick rebuild compares with.
    for rel, item in bodies.items():
        manifest.documents[rel] = (manifest.documents[rel][0], item.body_key)
    manifest.stats = now
    manifest.output_id = _folder_id(output)  # the tree swapped in is a new folder
    manifest.warnings = problems.warnings
    if run.stale:
        with cache.db:
            cache.db.executemany(
                "DELETE FROM pages WHERE key = ?", [(key,) for key in sorted(run.stale)]
            )
    save(cache.folder, manifest)
    return Result(
        True,
        problems,
        len(manifest.documents),
        (run.rendered, manifest.pages - run.rendered),
        written,
    )

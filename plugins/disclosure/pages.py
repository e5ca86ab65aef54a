"""Writing pages only when they changed.

Every page is written with a fingerprint: a hash of the theme, the code, the settings and the
page's own inputs (the caller names them). When the previous build wrote the same page from the
same fingerprint, its file is hard-linked from the previous ``output/`` instead of rendered again:
no template work, and the file keeps its bytes and its modification time, so an rsync deploy moves
only what changed. A clean build and a cached build therefore give the same bytes; a test checks it.
"""

from __future__ import annotations

import errno
import hashlib
import importlib.metadata
import os
import pickle
import shutil
import struct
from pathlib import Path

from domain.defaults import setting, workers

from .background import collect, fork_call
from .cache import digest, stable
from .private_api import announce_written

# Settings that name this run's folders, not what the pages say.
VOLATILE_SETTINGS = {
    "OUTPUT_PATH",
    "PREVIOUS_OUTPUT_PATH",
    "BUILD_CACHE_PATH",
    "PATH",
    "CACHE_PATH",
    "QUICK_REBUILD",
    "DISCLOSURE_RUN",
    "DISCLOSURE_EXCLUDES",  # ARTICLE_EXCLUDES as the settings file gave it (hashed as such)
}


def _tree_digest(h, folder: Path, suffixes: tuple[str, ...]) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts:
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())


LIBRARIES = (
    "pelican",
    "jinja2",
    "markupsafe",
    "feedgenerator",
    "markdown",
)  # an upgrade may change any page


def _version(library: str) -> str:
    try:
        return importlib.metadata.version(library)
    except importlib.metadata.PackageNotFoundError:
        return ""


def site_digest(settings: dict, today, config_digest: str) -> str:
    """What every page depends on: theme files, our plugins' code, the libraries that write pages
    and feeds, the settings, the catalogue and publisher registry, the build date."""
    h = hashlib.blake2b(digest_size=20)
    for library in LIBRARIES:
        h.update(f"{library}={_version(library)}\n".encode())
    _tree_digest(
        h, Path(settings["THEME"]), (".html", ".css", ".js", ".svg", ".png", ".ico", ".woff2")
    )
    _tree_digest(h, Path(__file__).resolve().parents[1], (".py", ".yml"))
    for key in sorted(settings):
        value = repr(stable(settings[key]))
        if (
            key not in VOLATILE_SETTINGS and " at 0x" not in value
        ):  # function reprs change every run
            h.update(f"{key}={value}\n".encode())
    if settings.get(
        "CMS_ADMIN"
    ):  # admin/ (cms_admin): the editor's page, its config and Decap's bundle
        _tree_digest(h, Path(setting(settings, "CMS_ADMIN_DIR")), (".html", ".yml"))
        h.update(
            str((Path(setting(settings, "CMS_DECAP_DIR")) / "decap-cms.js").is_file()).encode()
        )
    h.update(f"{today}\n{config_digest}".encode())
    return h.hexdigest()


class Reuse:
    """Fingerprints of this build's output files and the previous build's, and hard-linking."""

    def __init__(self, state, settings, output_path):
        self.state, self.output = state, Path(output_path)
        previous = setting(settings, "PREVIOUS_OUTPUT_PATH")
        self.previous = Path(previous) if previous and Path(previous).is_dir() else None
        self.output_folder, self.previous_folder = str(self.output), str(self.previous)
        if state.previous_pages is None:
            state.previous_pages = state.cache.all("pages") if self.previous else {}
            state.site_digest = site_digest(settings, state.site.today, state.site.config_digest)
        self.base = state.site_digest

    def fingerprint(self, path: str, *inputs) -> str:
        """Record what ``path`` is made from; True-ish reuse is decided by :meth:`unchanged`."""
        fingerprint = digest(self.base, path, inputs)
        self.state.page_fingerprints[path] = fingerprint
        return fingerprint

    def unchanged(self, path: str) -> bool:
        return self.previous is not None and self.state.previous_pages.get(
            path
        ) == self.state.page_fingerprints.get(path)

    def link(self, path: str) -> bool:
        """Hard-link the previous build's file into this output (same bytes, same mtime).

        False when the previous file is not there (the page is then rendered). The link itself is
        made by the run's :class:`Linker` helper, all but the first."""
        new = os.path.join(self.output_folder, path)
        old = os.path.join(self.previous_folder, path)
        linker = self.state.linker
        try:
            folder = os.path.dirname(new)
            if folder not in self.state.made_folders:
                os.makedirs(folder, exist_ok=True)
                self.state.made_folders.add(folder)
            if (
                linker.works is None
            ):  # the first link shows whether this output can link to the previous one
                os.link(old, new)
                linker.works, by_helper = True, False
            elif linker.works and os.path.isfile(old):
                by_helper = True
            else:
                return False
        except OSError as exc:
            if exc.errno in (errno.EXDEV, errno.EPERM, errno.ENOTSUP):
                linker.works = False
            return False
        if by_helper:
            linker.add(old, new)  # what it cannot make fails the build (Linker.wait)
        self.state.linked.add(path)
        return True

    def link_all(self, paths: list[str]) -> bool:
        """Link all of ``paths`` or, when one of them is missing from the previous build, none (the
        caller writes them all, and a file it writes is never one a link is still on its way to)."""
        if not all(os.path.isfile(os.path.join(self.previous_folder, path)) for path in paths):
            return False
        return all(self.link(path) for path in paths)


class Linker:
    """Hard links made by a forked helper while the build goes on: a rebuild links every unchanged
    file, and ``os.link`` is mostly the kernel's time. A process, not a thread: a thread takes the
    interpreter lock back after every link (docs/performance.md).

    A link that fails although the previous file was there (a full disk…) is made by copying,
    times kept: the same bytes either way. One that cannot be made at all fails the build at
    :meth:`wait`, which the build calls before anything reads the output as a whole."""

    BATCH = 512

    def __init__(self):
        self.works: bool | None = (
            None  # can this output link to the previous one? (None: not tried)
        )
        self.pending: list[tuple[str, str]] = []
        self.helper: tuple[tuple[int, int], int] | None = None  # (its fork_call), pipe to it

    def add(self, old: str, new: str) -> None:
        self.pending.append((old, new))
        if len(self.pending) >= self.BATCH:
            self._hand_over()

    def _hand_over(self) -> None:
        if not self.pending:
            return
        if self.helper is None:
            self.helper = self._fork()
        data = pickle.dumps(self.pending, protocol=5)
        self.pending = []
        with open(self.helper[1], "wb", closefd=False) as pipe:
            pipe.write(struct.pack("<Q", len(data)) + data)

    def _fork(self) -> tuple[tuple[int, int], int]:
        links_read, links_write = os.pipe()
        helper = fork_call(_link_batches, links_read, links_write)
        os.close(links_read)
        return helper, links_write

    def wait(self) -> None:
        """Every link is made; raises when one could not be."""
        self._hand_over()
        if self.helper is None:
            return
        helper, to_helper = self.helper
        self.helper = None
        os.close(to_helper)
        failures = collect(helper)
        if failures:
            raise RuntimeError(
                f"沿用上次生成的文件失败（{len(failures)} 个）：" + "；".join(failures[:3])
            )


def _link_batches(links_read: int, links_write: int) -> list[str]:
    """In the helper: make the links of every batch the pipe brings, until it closes."""
    os.close(links_write)  # this copy's end, or the pipe would never close
    pipe = os.fdopen(links_read, "rb")
    failures = []
    while header := pipe.read(8):
        for old, new in pickle.loads(pipe.read(struct.unpack("<Q", header)[0])):
            try:
                os.link(old, new)
            except OSError as exc:
                if exc.errno == errno.EEXIST:  # written by the build too: a bug, never overwritten
                    failures.append(f"{new}: {exc}")
                    continue
                try:
                    shutil.copy2(old, new)
                except OSError as again:
                    failures.append(f"{new}: {again}")
    return failures


PARALLEL_PAGES_FROM = 200  # fewer pages to render than this are rendered in this process


class PageWriter(Reuse):
    """Renders a generator's pages through Pelican's writer, reusing unchanged ones."""

    def __init__(self, generator, writer, state):
        super().__init__(state, generator.settings, generator.output_path)
        self.generator, self.writer = generator, writer
        self.workers = workers(generator.settings)
        self.queue: list[
            tuple[str, str, dict]
        ] = []  # pages to render: (save_as, template, arguments)

    def write(self, save_as: str, template: str, inputs, **kwargs) -> None:
        """Write ``save_as`` from ``template``; ``inputs`` is everything the page shows beyond the
        generator's shared context (a tuple of plain values)."""
        self.add(save_as, template, inputs, **kwargs)
        self.flush()

    def add(self, save_as: str, template: str, inputs, **kwargs) -> None:
        """Like :meth:`write`, but a page that must be rendered waits for :meth:`flush`."""
        self.fingerprint(save_as, template, inputs)
        if self.unchanged(save_as) and self.link(save_as):
            announce_written(os.path.join(self.output_folder, save_as), self.generator.context)
            self.state.pages_reused += 1
        else:
            self.queue.append((save_as, template, kwargs))

    def flush(self) -> None:
        """Render the waiting pages over all cores.

        Each other core gets a forked copy of this process, context and all (nothing is sent to it),
        and renders every n-th page; each page is rendered on its own, so its bytes do not depend on
        which process rendered it. A failure in a worker fails the build, with its message."""
        todo, self.queue = self.queue, []
        workers = self.workers if len(todo) >= PARALLEL_PAGES_FROM else 1
        children = [
            fork_call(self._render_all, todo[worker::workers]) for worker in range(1, workers)
        ]
        try:
            self._render_all(todo[0::workers])
        finally:
            failures = [message for message in map(_wait, children) if message is not None]
        if failures:
            raise RuntimeError("；".join(failures))
        for worker in range(
            1, workers
        ):  # this process keeps the list of pages written (the sitemap)
            for save_as, _, _ in todo[worker::workers]:
                announce_written(os.path.join(self.output_folder, save_as), self.generator.context)
        self.state.pages_rendered += len(todo)

    def _render(self, save_as: str, template: str, kwargs: dict) -> None:
        self.writer.write_file(
            save_as,
            self.generator.get_template(template),
            self.generator.context,
            self.generator.settings["RELATIVE_URLS"],
            url=save_as,
            page_url=save_as,
            **kwargs,
        )

    def _render_all(self, pages: list) -> None:
        for page in pages:
            self._render(*page)


def _wait(child: tuple[int, int]) -> str | None:
    """None when the worker succeeded, else what went wrong."""
    try:
        collect(child)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None

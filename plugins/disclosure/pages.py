"""Writing pages only when they changed.

Every page is written with a fingerprint: a hash of the theme, the code, the settings and the
page's own inputs (the caller names them). When the previous build wrote the same page from the
same fingerprint, its file is hard-linked from the previous ``output/`` instead of rendered again:
no template work, and the file keeps its bytes and its modification time, so an rsync deploy moves
only what changed. A clean build and a cached build therefore give the same bytes; a test checks it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from pathlib import Path

from domain.defaults import setting, workers

from .background import collect, fork_call
from .cache import digest, stable
from .private_api import announce_written

# Settings that name this run's folders, not what the pages say.
VOLATILE_SETTINGS = {
    "OUTPUT_PATH",
    "PREVIOUS_OUTPUT_PATH",
    "CONTENT_WALK",
    "BUILD_CACHE_PATH",
    "PATH",
    "CACHE_PATH",
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
        """Keep the previous build's file (same bytes, same time): it is in the copy of the
        previous output (:mod:`.tree`) the new output is made from. False when the previous
        output does not have it (the page is then rendered)."""
        tree = self.state.kept_tree
        if tree is None or not tree.has(path):
            return False
        self.state.linked.add(path)
        return True

    def link_all(self, paths: list[str]) -> bool:
        """Keep all of ``paths`` or, when the previous output lacks one of them, none (the
        caller writes them all)."""
        tree = self.state.kept_tree
        if tree is None or not all(tree.has(path) for path in paths):
            return False
        self.state.linked.update(paths)
        return True


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

"""Writing pages only when they changed.

Every page is written with a fingerprint: a hash of the theme, the code, the settings and the
page's own inputs (the caller names them). When the previous build wrote the same page from the
same fingerprint, its file is hard-linked from the previous ``output/`` instead of rendered again:
no template work, and the file keeps its bytes and its modification time, so an rsync deploy moves
only what changed. A clean build and a cached build therefore give the same bytes; a test checks it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pelican import signals

from .cache import digest, stable

# Settings that name this run's folders, not what the pages say.
VOLATILE_SETTINGS = {"OUTPUT_PATH", "PREVIOUS_OUTPUT_PATH", "BUILD_CACHE_PATH", "PATH", "CACHE_PATH"}


def _tree_digest(h, folder: Path, suffixes: tuple[str, ...]) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts:
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())


def site_digest(settings: dict, today, config_digest: str) -> str:
    """What every page depends on: theme files, our plugins' code, the settings, the catalogue and
    publisher registry, the build date."""
    h = hashlib.blake2b(digest_size=20)
    _tree_digest(h, Path(settings["THEME"]), (".html", ".css", ".js", ".svg", ".png", ".ico", ".woff2"))
    _tree_digest(h, Path(__file__).resolve().parents[1], (".py", ".yml"))
    for key in sorted(settings):
        value = repr(stable(settings[key]))
        if key not in VOLATILE_SETTINGS and " at 0x" not in value:  # function reprs change every run
            h.update(f"{key}={value}\n".encode())
    h.update(f"{today}\n{config_digest}".encode())
    return h.hexdigest()


class Reuse:
    """Fingerprints of this build's output files and the previous build's, and hard-linking."""

    def __init__(self, state, settings, output_path):
        self.state, self.output = state, Path(output_path)
        previous = settings.get("PREVIOUS_OUTPUT_PATH")
        self.previous = Path(previous) if previous and Path(previous).is_dir() else None
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
        return self.previous is not None and self.state.previous_pages.get(path) == \
            self.state.page_fingerprints.get(path)

    def link(self, path: str) -> bool:
        """Hard-link the previous build's file into this output (same bytes, same mtime)."""
        old, new = self.previous / path, self.output / path
        try:
            new.parent.mkdir(parents=True, exist_ok=True)
            os.link(old, new)
        except OSError:
            return False
        return True


class PageWriter(Reuse):
    """Renders a generator's pages through Pelican's writer, reusing unchanged ones."""

    def __init__(self, generator, writer, state):
        super().__init__(state, generator.settings, generator.output_path)
        self.generator, self.writer = generator, writer

    def write(self, save_as: str, template: str, inputs, **kwargs) -> None:
        """Write ``save_as`` from ``template``; ``inputs`` is everything the page shows beyond the
        generator's shared context (a tuple of plain values)."""
        self.fingerprint(save_as, template, inputs)
        if self.unchanged(save_as) and self.link(save_as):
            signals.content_written.send(str(self.output / save_as), context=self.generator.context)
            self.state.pages_reused += 1
            return
        self.state.pages_rendered += 1
        self.writer.write_file(save_as, self.generator.get_template(template), self.generator.context,
                               self.generator.settings["RELATIVE_URLS"], url=save_as, page_url=save_as, **kwargs)

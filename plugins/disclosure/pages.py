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

# Settings that name this run's folders, not what the pages say.
VOLATILE_SETTINGS = {"OUTPUT_PATH", "PREVIOUS_OUTPUT_PATH", "BUILD_CACHE_PATH", "PATH", "CACHE_PATH"}


def stable(value):
    """A repr-able form whose text does not depend on hash seeds (sets become sorted lists)."""
    if isinstance(value, (set, frozenset)):
        return sorted(map(stable, value), key=repr)
    if isinstance(value, dict):
        return sorted(((stable(k), stable(v)) for k, v in value.items()), key=repr)
    if isinstance(value, (list, tuple)):
        return [stable(v) for v in value]
    return value


def digest(*parts) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()


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


class PageWriter:
    """Renders a generator's pages through Pelican's writer, reusing unchanged ones."""

    def __init__(self, generator, writer, state):
        self.generator, self.writer, self.state = generator, writer, state
        settings = generator.settings
        self.output = Path(generator.output_path)
        previous = settings.get("PREVIOUS_OUTPUT_PATH")
        self.previous = Path(previous) if previous and Path(previous).is_dir() else None
        if state.previous_pages is None:
            state.previous_pages = state.cache.all("pages") if self.previous else {}
            state.site_digest = site_digest(settings, state.site.today, state.site.config_digest)
        self.base = state.site_digest

    def write(self, save_as: str, template: str, inputs, **kwargs) -> None:
        """Write ``save_as`` from ``template``; ``inputs`` is everything the page shows beyond the
        generator's shared context (a tuple of plain values)."""
        fingerprint = digest(self.base, template, save_as, inputs)
        self.state.page_fingerprints[save_as] = fingerprint
        if self.state.previous_pages.get(save_as) == fingerprint and self._reuse(save_as):
            self.state.pages_reused += 1
            return
        self.state.pages_rendered += 1
        self.writer.write_file(save_as, self.generator.get_template(template), self.generator.context,
                               self.generator.settings["RELATIVE_URLS"], url=save_as, page_url=save_as, **kwargs)

    def _reuse(self, save_as: str) -> bool:
        old, new = self.previous / save_as, self.output / save_as
        try:
            new.parent.mkdir(parents=True, exist_ok=True)
            os.link(old, new)
        except OSError:
            return False
        signals.content_written.send(str(new), context=self.generator.context)
        return True

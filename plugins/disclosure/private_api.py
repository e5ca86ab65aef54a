"""The private parts of Pelican and Python-Markdown the engine and plugins use, each in one place.

There is no public way to do these things. Each use was read against the versions in
:data:`CHECKED_AGAINST` (pinned in requirements.txt); ``tests/test_private_api.py`` fails when an
installed version differs, so an upgrade is read against every use here before it lands, and no
other module touches these names (the same test scans for them).
"""

from __future__ import annotations

import importlib.metadata

CHECKED_AGAINST = {"pelican": "4.12.0", "Markdown": "3.11.3"}


def installed(library: str) -> str:
    try:
        return importlib.metadata.version(library)
    except importlib.metadata.PackageNotFoundError:
        return ""


def markdown_as_checked() -> bool:
    """The Markdown fast paths (:mod:`.fast_block`, :mod:`.fast_inline`) were derived from this
    Markdown's processors and patterns; on any other version they stay off (plain Markdown)."""
    return installed("Markdown") == CHECKED_AGAINST["Markdown"]


def register_plugins(settings) -> list[str]:
    """Register the settings' plugins as Pelican does (``pelican.plugins._utils``: Pelican 4.12
    has no public loader); returns their names."""
    from pelican.plugins._utils import get_plugin_name, load_plugins

    names = []
    for plugin in load_plugins(settings):
        plugin.register()
        names.append(get_plugin_name(plugin).rsplit(".", 1)[-1])
    return names


def article_html(article) -> str:
    """An article's HTML as its reader made it (``Content._content``), before Pelican fills in
    ``{filename}`` links: what a plugin that changes a body starts from."""
    return article._content


def set_article_html(article, html: str) -> None:
    """Replace an article's HTML (``Content._content``), as plugins for Pelican 4.12 do: every page,
    feed and summary reads it from there."""
    article._content = html


def announce_written(path: str, context: dict) -> None:
    """Pelican's ``content_written``, sent for a page our page writer linked from the previous build
    or had a forked worker render, as Pelican's Writer sends it for a page it writes itself (the
    sitemap and other plugins count pages by it)."""
    from pelican import signals

    signals.content_written.send(path, context=context)


def treeprocessor_priority(md, name: str) -> float:
    """The priority ``name`` is registered with among a converter's tree processors
    (``Registry._priority``; Python-Markdown has no public getter), to put a replacement there."""
    return next(item.priority for item in md.treeprocessors._priority if item.name == name)

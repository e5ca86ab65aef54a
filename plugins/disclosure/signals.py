"""The engine's extension points: named blinker signals, as ``pelican/plugins/signals.py``
declares Pelican's. A plugin connects to them in its ``register()``."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

documents_prepared = _signals.signal("disclosure-documents-prepared")
"""Sent by the disclosure plugin when every document is read and its body rendered, before Pelican
makes articles of them: sender the run's state, ``prepared`` (source -> Prepared). Plugins start
slow work early here (the search index)."""

collection_check = _signals.signal("disclosure-collection-check")
"""Sent by the engine when all documents are known, after the domain's own cross-document checks:
sender the Site, ``documents``; each receiver returns the problems it found (annual reports, data
tables)."""


def collection_problems(documents, site) -> list:
    """The problems the receivers of :data:`collection_check` found, in the order they connected."""
    return [
        problem
        for _, found in collection_check.send(site, documents=documents)
        for problem in found or ()
    ]

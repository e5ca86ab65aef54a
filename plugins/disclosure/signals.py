"""The engine's extension points: named blinker signals, as ``pelican/plugins/signals.py``
declares Pelican's. A plugin connects to them in its ``register()``."""

from __future__ import annotations

from blinker import NamedSignal
from ordered_set import OrderedSet


class _Signal(NamedSignal):
    # Receivers are called in the order they connected, as Pelican's own signals are (Pelican sets
    # this for every blinker signal made after its signals module is imported; ours may come first).
    set_class = OrderedSet


class _Signals(dict):
    def signal(self, name: str) -> _Signal:
        return self.setdefault(name, _Signal(name))


_signals = _Signals()

documents_prepared = _signals.signal("disclosure-documents-prepared")
"""Sent by the disclosure plugin when every document is read and its body rendered, before Pelican
makes articles of them: sender the run's state, ``prepared`` (source -> Prepared). Plugins start
slow work early here (the search index)."""

documents_read = _signals.signal("disclosure-documents-read")
"""Sent by the disclosure plugin on a rebuild from the record, when Pelican has made articles of
the files it read and the views of the unchanged documents have joined them (before the taxonomy
and the other generators): sender the run's state, ``articles``: the published ones, in Pelican's
order. Plugins start slow work early here, as on a cold build at :data:`documents_prepared`."""

body_steps = _signals.signal("disclosure-body-steps")
"""Sent by the engine before it renders bodies (and when it hashes the code they depend on):
sender the settings. Each receiver returns a :class:`disclosure.bodies.BodyStep`, a step run on
every rendered body in the order the plugins connected, with its Markdown extension."""

collection_check = _signals.signal("disclosure-collection-check")
"""Sent by the engine when all documents are known, after the domain's own cross-document checks:
sender the Site, ``documents``, and ``kept``: the build's dict of what plugins keep for the rest of
the build, by plugin name (what a check read, the renderer uses). Each receiver returns the
problems it found (annual reports, data tables)."""


def collection_problems(documents, site, kept: dict) -> list:
    """The problems the receivers of :data:`collection_check` found, in the order they connected."""
    return [
        problem
        for _, found in collection_check.send(site, documents=documents, kept=kept)
        for problem in found or ()
    ]

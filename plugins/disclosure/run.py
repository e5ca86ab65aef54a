"""One build's state (:class:`RunState`), owned by the run and found from any Pelican signal.

Pelican keeps one settings dict for a run, shared by the Pelican object, every generator and
reader, and copied into the context the writer sends with ``content_written``. The run's state is
kept in it under :data:`RUN_KEY`: made when a run starts (Pelican sends ``get_generators`` at the
start of every run, also under ``pelican -r``), put into the generators' shared context, and
reachable with :func:`of` from whatever a signal sends.
"""

from __future__ import annotations

from pathlib import Path

from domain.defaults import setting
from domain.problems import ProblemList
from domain.site import Site

from .bodies import StoredText
from .cache import BuildCache

RUN_KEY = "DISCLOSURE_RUN"


class RunState:
    """Everything one build owns. A new one is made at the start of every Pelican run
    (:func:`start`), so nothing of a run survives into the next (``pelican -r``)."""

    def __init__(self, settings):
        self.settings = settings
        self.site = Site.from_settings(settings)
        self.documents = {}  # source -> Document
        self.pictures: dict[str, tuple[str, ...]] = {}  # source -> content files its body shows
        self.problems = ProblemList()
        self.problems.extend(self.site.problems)
        self.prepared = False
        self.prepared_documents: dict = {}  # absolute path -> bodies.Prepared, until all are read
        self.files: list[Path] | None = None  # the content files, walked once per build
        self.cache = BuildCache(setting(settings, "BUILD_CACHE_PATH"))
        self.page_fingerprints: dict[
            str, str
        ] = {}  # output path -> fingerprint of what it was made from
        self.previous_pages: dict[str, str] | None = None  # the same, as the previous build left it
        self.site_digest = ""
        self.pages_rendered = self.pages_reused = 0
        self.background: list = []  # Spawned jobs the build must wait for (or cancel)
        # Output files kept from the previous build (relative paths; pages.Reuse.link), and the
        # previous output's copy they are kept in (tree.KeptTree; None: nothing can be kept).
        self.linked: set[str] = set()
        self.kept_tree = None
        # Body key -> the body's plain text (or where the cache keeps it), for the search index,
        # which lets them go once it has them.
        self.body_texts: dict[str, str | StoredText] = {}
        # Jobs started before the documents were final: name -> (fingerprints, job, what it writes)
        self.early_jobs: dict[str, tuple] = {}
        # For the record of documents (record.save): the content files' stat records as this
        # build found them before reading (None: no cache, no record), each document's body key.
        self.content_stats: dict | None = None
        self.body_keys: dict[str, str] = {}
        # What plugins keep for the rest of the build (the report tables they read, the pages
        # they wrote…), by plugin name: :meth:`kept`.
        self.plugin_data: dict[str, dict] = {}
        # The documents taken from the last build's record (source -> what it recorded), and their
        # files, which Pelican's reading skips; every article for the next record; body key ->
        # the length of the body's text.
        self.recorded: dict = {}
        self.record_entries: dict = {}  # source -> its entry as the record holds it (record.load)
        # The site digest (pages.site_digest) as this run works it out before Pelican's readers
        # complete the settings: the record, the kept tree and the compiled templates go by it.
        self.record_digest = ""
        self.bytecode_cache = None  # the generators' compiled templates (plugin.on_generator_init)
        self.skipped: set[str] = set()
        # content files (relative, "/"-separated) as the last build found them: the static files
        # among them are kept from its output (plugin.on_static_finalized)
        self.unchanged_files: set[str] = set()
        self.articles: list = []
        self.text_lengths: dict[str, int] = {}
        self.document_keys: dict[str, str] = {}  # source -> its parsed document's cache key
        self.search_jobs: list = []  # the search index's jobs, waited for by its generator

    def kept(self, plugin: str) -> dict:
        """The dict ``plugin`` keeps its per-build data in."""
        return self.plugin_data.setdefault(plugin, {})


def start(settings: dict) -> RunState:
    """A new run's state, in place of the previous run's."""
    state = settings[RUN_KEY] = RunState(settings)
    return state


def of(holder) -> RunState | None:
    """The run's state from a settings or context dict, or anything with ``settings`` (a
    generator, a reader, the Pelican object); None outside a run."""
    settings = holder if isinstance(holder, dict) else getattr(holder, "settings", None)
    return settings.get(RUN_KEY) if isinstance(settings, dict) else None

"""The record of the documents a build made pages of: each document's article metadata as the
reader gave it (without the body's HTML: the body's key finds it in the build cache), from which
the next build makes :class:`~disclosure.views.DocumentView` objects instead of reading and
rendering files that did not change (the one incremental model, docs/architecture.md).

One pickle file in the build cache, written after a build succeeded, keyed by the site digest
(theme, code, settings, catalogue, date): a record made under anything else is not used.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import pickle

from pelican.urlwrappers import Category

from .cache import digest
from .views import DocumentView

RECORD = "documents.pickle"
VERSION = 4


def save(
    cache_folder: str,
    site_digest: str,
    articles,
    stats: dict,
    text_lengths: dict,
    document_keys: dict,
    outcome: dict | None = None,
) -> str:
    """Record every article (published or not) of a build, with the stat records of the content
    folder as the build found it, each body's text length (body key ->) and each parsed
    document's cache key (source ->: kept in the cache while the record stands). ``outcome``:
    what the build reported (its warnings, how many documents and pages), told again by a build
    that finds nothing changed. Written beside the record; returns the file, which
    :func:`put_in_place` makes the record once the build succeeded."""
    fresh = os.path.join(cache_folder, f"{RECORD}.{os.getpid()}.new")
    with open(fresh, "wb") as handle:
        # A header, then one small pickle per document: written as they are made, so that the
        # helper writing it holds one document's copy at a time, not all of them.
        header = {"version": VERSION, "site_digest": site_digest, "stats": stats}
        pickle.dump(dict(outcome or {}, **header), handle, 5)
        for article in articles:
            entry = getattr(article, "record_entry", None)
            if entry is not None:  # a view whose metadata nothing changed: its entry as it was
                handle.write(entry)
                continue
            metadata = {
                key: value
                for key, value in article.metadata.items()
                if key not in ("body_html", "category")  # the body is in the cache; see views()
            }
            category = getattr(article, "category", None)
            metadata["category"] = category.name if category is not None else None
            source = article.metadata["document"].source
            entry = (
                article.source_path,
                metadata,
                text_lengths.get(metadata["body_key"], 0),
                document_keys.get(source, ""),
                digest(metadata["document"]),  # what lists and fingerprints know it by
            )
            pickle.dump((source, entry), handle, 5)
    return fresh


def put_in_place(fresh: str) -> None:
    os.replace(fresh, os.path.join(os.path.dirname(fresh), RECORD))


def forget(cache_folder: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(os.path.join(cache_folder, RECORD))


def header(cache_folder: str, site_digest: str) -> dict | None:
    """The record's header alone (site digest, stat records, the build's outcome); None when
    there is no record made under this site digest."""
    try:
        with open(os.path.join(cache_folder, RECORD), "rb") as handle:
            values = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return None
    if values.get("version") != VERSION or values.get("site_digest") != site_digest:
        return None
    return values


def load(cache_folder: str, site_digest: str) -> dict | None:
    """The record (``documents``: source -> (source path, metadata, text length, document key,
    digest of the document); ``stats``: the content folder's stat records); None when there is
    none made under this site digest."""
    try:
        with open(os.path.join(cache_folder, RECORD), "rb") as handle:
            data = io.BytesIO(handle.read())
        gc.disable()  # the collector would walk the objects again and again as they come
        try:
            values = pickle.load(data)
            if values.get("version") != VERSION or values.get("site_digest") != site_digest:
                return None
            documents, entries = {}, {}
            buffer = data.getbuffer()
            size = len(buffer)
            while data.tell() < size:
                start = data.tell()
                source, entry = pickle.load(data)
                documents[source] = entry
                entries[source] = buffer[start : data.tell()]
        finally:
            gc.enable()
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return None
    values["documents"] = documents
    values["entries"] = entries  # source -> the entry as written: a view writes it again as it is
    return values


def views(
    recorded: dict, settings: dict, context: dict, cache, entries: dict | None = None
) -> dict[str, DocumentView]:
    """A view of each recorded document; its body's HTML is read from ``cache`` when first
    needed. One Category per column, as the reader makes them. ``entries``: each document's
    entry as the record holds it (:func:`load`), which :func:`save` writes again unchanged."""
    categories: dict = {}
    made = {}
    for source, (source_path, metadata, *_, document_digest) in recorded.items():
        metadata = dict(metadata)
        name = metadata.pop("category")
        if name is not None:
            if name not in categories:
                categories[name] = Category(name, settings)
            metadata["category"] = categories[name]
        view = made[source] = DocumentView(
            source_path, metadata, _loader(cache, metadata["body_key"]), settings, context
        )
        view.document_digest = document_digest
        view.record_entry = (entries or {}).get(source)
    return made


def _loader(cache, body_key: str):
    def load() -> str:
        return cache.get_many("bodies", [body_key])[body_key].html

    return load

"""Pelican reader for disclosure documents: our front matter, Pelican's Markdown."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import string
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.readers import MarkdownReader
from pelican.utils import SafeDatetime

from domain.model import Document
from domain.published_files import INTRASITE
from domain.site import Site

from . import run
from .bodies import prepare, reading_failed


def slug_only(settings, key: str, slug: str) -> str | None:
    """A document's ``url`` or ``save_as`` when the setting (ARTICLE_URL…) uses no field but {slug},
    as Pelican would format it; None when it uses others ({date:%Y}…), which Pelican works out."""
    pattern = settings.get(f"ARTICLE_{key.upper()}", "")
    return pattern.format(slug=slug) if _uses_only_slug(pattern) else None


@functools.lru_cache(maxsize=16)
def _uses_only_slug(pattern: str) -> bool:
    return {
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(pattern)
        if name is not None
    } <= {"slug"}


# A format of ASCII text and C89 directives, without Pelican's "-" flag.
PLAIN_FORMAT = re.compile(r"(?:[^%]|%[aAbBcdfGHIjmMpSUuVwWxXyYzZ%])*")


@functools.lru_cache(maxsize=64)
def _plain_format(fmt: str) -> bool:
    return fmt.isascii() and PLAIN_FORMAT.fullmatch(fmt) is not None


class DocumentDate(SafeDatetime):
    """An article's date. Pelican formats a SafeDatetime directive by directive, in Python, for
    every article; a plain format comes out the same from one call."""

    def strftime(self, fmt, safe=True):
        if safe and not _plain_format(fmt):
            return super().strftime(fmt, safe)
        return dt.datetime.strftime(self, fmt)


def article_timezone(settings) -> ZoneInfo | None:
    """The zone Pelican would give an article's date, or None when metadata may name another one."""
    sources = [
        settings.get("DEFAULT_METADATA") or {},
        *(settings.get("EXTRA_PATH_METADATA") or {}).values(),
    ]
    patterns = (settings.get("FILENAME_METADATA") or "") + (settings.get("PATH_METADATA") or "")
    if (
        any("timezone" in {str(k).lower() for k in source} for source in sources)
        or "timezone" in patterns.lower()
    ):
        return None
    return ZoneInfo(settings.get("TIMEZONE") or "UTC")


class DisclosureReader(MarkdownReader):
    """Reads ``.md`` documents; their problems travel in the metadata (cache-safe)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One Category per column, not per document: Pelican hashes categories by their slug, which
        # each new object works out again with slugify.
        self.categories: dict = {}  # column code -> pelican.urlwrappers.Category
        # Dates are given with their zone, as Pelican would set it, so that they stay DocumentDates.
        self.timezone = article_timezone(self.settings)

    def read(self, source_path):
        state = run.of(self)
        site = state.site if state else Site.from_settings(self.settings)
        try:
            return self._read(str(source_path), site, state.prepared_documents if state else {})
        except Exception as exc:
            rel = Path(source_path).resolve().relative_to(site.content_root).as_posix()
            problem = reading_failed(rel, exc)
            doc = Document(source=rel)
            return "", {
                "title": rel,
                "date": dt.datetime(1970, 1, 1),
                "slug": "invalid",
                "document": doc,
                "disclosure_problems": (problem,),
            }

    def article_date(self, value: dt.datetime) -> dt.datetime:
        if self.timezone is None or value.tzinfo is not None:
            return value
        return DocumentDate(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            self.timezone,
        )

    def _read(self, source_path: str, site: Site, ready: dict):
        """``ready``: absolute path -> bodies.Prepared, what the run prepared before reading."""
        # Pelican's absolute path is normally the walk's as it is.
        prepared = ready.get(source_path) or ready.get(str(Path(source_path)))
        if prepared is None:  # not announced by the preread pass (e.g. a file added meanwhile)
            prepared = prepare([Path(source_path)], site, self.settings)[str(Path(source_path))]
        result, body = prepared.result, prepared.body
        content = body.html
        doc = result.document
        pictures, file_problems = prepared.body_files(site) if body.references else ((), [])
        metadata = {
            # Fallbacks only keep Pelican from dropping a broken file before we report it;
            # a file with errors stops the build, so they are never published.
            "title": doc.title or doc.source,
            "date": self.article_date(doc.date or dt.datetime(1970, 1, 1)),
            "slug": doc.slug or "invalid",
            # Pelican knows drafts; a scheduled document waits as one until its date (never
            # written).
            "status": "published" if doc.status == "published" else "draft",
            "document": doc,
            "disclosure_problems": tuple(prepared.problems + file_problems),
            # content files the body shows: published with the attachments
            "body_pictures": pictures,
            # Pelican fills in {filename}/{static} links at writing time, from other documents'
            # URLs.
            "intrasite_links": any(INTRASITE.match(url) for _, url, _ in body.references),
            # As prepared: while the content is this very string, body_key stands for it
            # (fingerprints) and the run state's body_texts has its plain text (search).
            "body_html": body.html,
            "body_key": prepared.body_key,
        }
        for key in ("url", "save_as"):  # Pelican would work them out from the settings on every use
            value = slug_only(self.settings, key, metadata["slug"])
            if value is not None:
                metadata[key] = value
        if doc.column:
            if doc.column not in self.categories:
                self.categories[doc.column] = self.process_metadata("category", doc.column)
            metadata["category"] = self.categories[doc.column]
        if doc.summary:
            metadata["summary"] = html.escape(doc.summary)
        return content, metadata

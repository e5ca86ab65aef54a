"""search: client-side Chinese full-text search (lunr), built at build time, usable from file://."""

from .generator import register  # noqa: F401

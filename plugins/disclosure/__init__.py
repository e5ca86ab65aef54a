"""disclosure: the build engine and its Pelican wiring.

Reading documents into Pelican articles, rendering and sanitising bodies, the build cache and
workers, the page writer, staging and the atomic swap, and quick rebuilds. The rules about
documents are the domain model's (package ``domain``), which this package imports.
"""

from .plugin import register  # noqa: F401

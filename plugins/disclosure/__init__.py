"""disclosure: the build engine and its Pelican wiring.

Reading documents into Pelican articles, rendering and sanitising bodies, the build cache and
workers, the page writer, the record of documents rebuilds start from, the copy of the previous
output, staging and the atomic swap. The rules about documents are the domain model's (package
``domain``), which this package imports.
"""

from .plugin import register  # noqa: F401

"""disclosure: the domain model of a government information-disclosure site (政府信息公开).

Field schema and Chinese aliases, the front-matter reader, normalisation, 索引号,
the catalogue tree, publishers, and validation. Knows nothing of HTML or search.
"""

from .plugin import register  # noqa: F401

"""catalogue: places documents in the 信息公开目录 and writes one page per column (栏目)."""

from .generator import register  # noqa: F401

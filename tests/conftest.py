"""Shared helpers: build small fixture sites in a temporary folder and inspect the result."""

from __future__ import annotations

import hashlib
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from disclosure import build as site_build  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"


def document(title="测试文件", index="003186648/201503-00001", column="news", date="2015-03-09",
             extra="", body="正文第一段。", **fields) -> str:
    """A valid document in Chinese keys; pass None to leave a field out."""
    lines = ["---"]
    for key, value in (("名称", title), ("索引号", index), ("栏目", column), ("发文日期", date)):
        if value is not None:
            lines.append(f"{key}: {value}")
    for key, value in fields.items():
        lines.append(f"{key}: {value}")
    if extra:
        lines.append(textwrap.dedent(extra).strip("\n"))
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body + "\n"


class FixtureSite:
    """A throwaway site: base catalogue and publishers plus the documents a test writes."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.output = root / "output"
        shutil.copytree(FIXTURES / "base", self.content)

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def overrides(self, **extra) -> dict:
        return {"PATH": str(self.content), "OUTPUT_PATH": str(self.output), **extra}

    def build(self, **extra):
        return site_build.build(ROOT / "pelicanconf.py", self.overrides(**extra))

    def check(self, **extra):
        return site_build.check(ROOT / "pelicanconf.py", self.overrides(**extra))

    def page(self, rel: str) -> str:
        return (self.output / rel).read_text(encoding="utf-8")

    def tree_digest(self) -> dict[str, str]:
        """Every output file and its SHA-256, to compare whole builds byte for byte."""
        return {
            p.relative_to(self.output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(self.output.rglob("*")) if p.is_file()
        }


@pytest.fixture
def site(tmp_path) -> FixtureSite:
    return FixtureSite(tmp_path)

"""Shared test helpers: build small fixture sites in a temporary folder and inspect the result."""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
import textwrap
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from disclosure import build as site_build  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"


def document(
    title="测试文件",
    index="003186648/201503-00001",
    column="news",
    date="2015-03-09",
    extra="",
    body="正文第一段。",
    **fields,
) -> str:
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
        # The web editor (admin/, 7 MB of Decap) is left out of these content sites; its own tests
        # (test_cms_browser, test_nginx) and the sample site have it.
        return {
            "PATH": str(self.content),
            "OUTPUT_PATH": str(self.output),
            "CMS_ADMIN": False,
            **extra,
        }

    def build(self, **extra):
        return site_build.build(ROOT / "pelicanconf.py", self.overrides(**extra))

    def check(self, **extra):
        return site_build.check(ROOT / "pelicanconf.py", self.overrides(**extra))

    def page(self, rel: str) -> str:
        return (self.output / rel).read_text(encoding="utf-8")

    def tree_digest(self) -> dict[str, str]:
        """Every output file and its SHA-256, and every folder ("name/": ""), to compare whole
        builds byte for byte."""
        return {
            p.relative_to(self.output).as_posix() + ("" if p.is_file() else "/"): hashlib.sha256(
                p.read_bytes()
            ).hexdigest()
            if p.is_file()
            else ""
            for p in sorted(self.output.rglob("*"))
        }


def notices(root: Path, count: int, more_body: str = "", **fields) -> FixtureSite:
    """A fixture site with ``count`` notices in 部门动态, one a day from 2015-03-02."""
    site = FixtureSite(root)
    for n in range(1, count + 1):
        site.write(
            f"news/n{n}.md",
            document(
                title=f"第{n}号通知",
                index=f"003186648/201503-{n:05d}",
                date=f"2015-03-{n + 1:02d}",
                body=f"第{n}号通知的正文。{more_body}",
                **fields,
            ),
        )
    return site


def broken_links(output: Path) -> list[str]:
    """Every href/src in output/ names a file that exists, resolved as a browser does on file://.

    Directory links (ending in /) are broken on file://, so they count as broken too.
    Anchors (#id) must exist in the target page.
    """
    broken, ids = [], {}
    for page in sorted(output.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["a", "link", "img", "script", "iframe", "source"]):
            ref = tag.get("href") or tag.get("src")
            if ref is None or re.match(r"^[a-z][a-z0-9+.-]*:", ref):
                continue
            parts = urlsplit(ref)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if (
                parts.path.endswith("/")
                or not target.is_file()
                or output.resolve() not in target.parents
            ):
                broken.append(f"{page.relative_to(output)} -> {ref}")
            elif parts.fragment:
                if target not in ids:
                    ids[target] = {
                        t["id"]
                        for t in BeautifulSoup(target.read_text("utf-8"), "html.parser").find_all(
                            id=True
                        )
                    }
                if parts.fragment not in ids[target]:
                    broken.append(f"{page.relative_to(output)} -> {ref} (no such anchor)")
    return broken


def search_fixture(root: Path) -> FixtureSite:
    """The search fixture site (tests/fixtures/search-site), built."""
    site = FixtureSite(root)
    for source in (FIXTURES / "search-site").glob("*.md"):
        shutil.copy(source, site.content / source.name)
    outcome = site.build()
    assert outcome.ok, outcome.report()
    return site

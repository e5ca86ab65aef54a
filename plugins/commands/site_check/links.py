"""Link checking of a built site, resolved as a browser resolves relative links on file://."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


@dataclass
class PageLinks:
    page: str  # output-relative path
    internal: int = 0
    broken: list = field(default_factory=list)  # (line, ref, reason)
    external: list = field(default_factory=list)  # (line, url)


class LinkChecker:
    def __init__(self, output: Path):
        self.output = output.resolve()
        self._ids: dict[Path, set] = {}
        self._soups: dict[Path, BeautifulSoup] = {}

    def soup(self, path: Path) -> BeautifulSoup:
        if path not in self._soups:
            self._soups[path] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        return self._soups[path]

    def ids(self, path: Path) -> set:
        if path not in self._ids:
            self._ids[path] = {t["id"] for t in self.soup(path).find_all(id=True)}
        return self._ids[path]

    def pages(self) -> list[Path]:
        """The public pages; the web editor's page (admin/) is a tool for editors, not one of
        them."""
        return sorted(
            p for p in self.output.rglob("*.html") if p.relative_to(self.output).parts[0] != "admin"
        )

    def check_page(self, page: Path) -> PageLinks:
        result = PageLinks(page.relative_to(self.output).as_posix())
        for tag in self.soup(page).find_all(["a", "link", "img", "script", "iframe", "source"]):
            ref = tag.get("href") if tag.name in ("a", "link") else tag.get("src")
            if ref is None:
                continue
            line = tag.sourceline or 0
            if EXTERNAL.match(ref):
                if ref.lower().startswith(("http:", "https:")):
                    result.external.append((line, ref))
                continue
            result.internal += 1
            reason = self.problem(page, ref)
            if reason:
                result.broken.append((line, ref, reason))
        return result

    def problem(self, page: Path, ref: str) -> str | None:
        parts = urlsplit(ref)
        target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if parts.path.endswith("/"):
            return "指向文件夹而不是文件（从本地文件夹打开时会失效）"
        if self.output not in target.parents:
            return "指向网站以外的位置"
        if not target.is_file():
            return "目标文件不存在"
        if parts.fragment and target.suffix == ".html" and parts.fragment not in self.ids(target):
            return f"目标页面中没有锚点 #{parts.fragment}"
        return None

"""Make an editor's Markdown body accessible: heading levels, table captions and scopes, image alts.

Editors write ``#`` or ``##`` as they like; the page already has its ``<h1>`` (the document title),
so the body's top heading level becomes ``<h2>`` and the rest keep their relative depth. Tables get
a caption (the heading or sentence just before them, else “<title>（表n）”), ``scope`` on header
cells, and a focusable scroll box so that a wide table scrolls inside itself on a phone.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def improve(html: str, title: str) -> tuple[str, list[str]]:
    """Return the improved HTML and the problems an editor must fix (Chinese messages)."""
    if not re.search(r"<(h[1-6]|table|img)\b", html):
        return html, []
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    _shift_headings(soup)
    for number, table in enumerate(soup.find_all("table"), start=1):
        _table(soup, table, title, number)
    for img in soup.find_all("img"):
        if img.get("alt") is None:
            problems.append(f"图片 {img.get('src', '')} 缺少替代文字：写成 ![图片内容的说明](文件名)；纯装饰图片写 ![](文件名)")
    return str(soup), problems


def _shift_headings(soup) -> None:
    found = soup.find_all(HEADINGS)
    if not found:
        return
    shift = 2 - min(int(h.name[1]) for h in found)
    for heading in found:
        heading.name = f"h{min(6, int(heading.name[1]) + shift)}"


def _table(soup, table, title: str, number: int) -> None:
    if table.caption is None:
        # Generated captions repeat what sighted readers see just above: hidden from view only.
        caption = soup.new_tag("caption", attrs={"class": "gk-visually-hidden"})
        caption.string = _caption_text(table) or f"{title}（表{number}）"
        table.insert(0, caption)
    for th in table.find_all("th"):
        if not th.get("scope"):
            th["scope"] = "col" if th.find_parent("thead") else "row"
    box = soup.new_tag("div", attrs={"class": "gk-table-wrap", "tabindex": "0", "role": "region",
                                     "aria-label": caption_text(table)})
    table.wrap(box)


def caption_text(table) -> str:
    return table.caption.get_text(strip=True) if table.caption else ""


def _caption_text(table) -> str:
    """The heading right before the table, or a lead-in sentence ending with a colon."""
    previous = table.find_previous_sibling()
    if previous is None:
        return ""
    text = previous.get_text(strip=True)
    if previous.name in HEADINGS or (previous.name == "p" and text.endswith(("：", ":")) and len(text) <= 40):
        return text.rstrip("：:")
    return ""

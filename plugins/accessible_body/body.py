"""Make an editor's Markdown body accessible.

Safety is the engine's (``disclosure.safe_html``, applied to every body before this step runs).

Accessibility: heading levels, table captions and scopes, image alts.

Editors write ``#`` or ``##`` as they like; the page already has its ``<h1>`` (the document title),
so the body's top heading level becomes ``<h2>`` and the rest keep their relative depth. Tables get
a caption (the heading or sentence just before them, else “<title>（表n）”), ``scope`` on header
cells, and a focusable scroll box so that a wide table scrolls inside itself on a phone.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from disclosure import safe_html

HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def improve(html: str, title: str, converter=None) -> tuple[str, list[str]]:
    """Return the safe, improved HTML and the problems an editor must fix (Chinese messages).

    When Markdown produced every tag itself (no raw HTML), :class:`AccessibleTree` already did this
    work on Markdown's element tree, and the HTML is returned as it is."""
    done = getattr(converter, "gk_accessible", None)
    if done is not None:
        return html, done
    if "<" not in html:
        return html, []
    from bs4 import BeautifulSoup  # here: only a body with raw HTML needs it

    # The engine has sanitised and serialised this HTML already (disclosure.safe_html): Python's
    # parser reads it as a browser would.
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    _shift_headings(soup)
    for number, table in enumerate(soup.find_all("table"), start=1):
        _table(soup, table, title, number)
    for img in soup.find_all("img"):
        if img.get("alt") is None:
            problems.append(
                f"图片 {img.get('src', '')} 缺少替代文字：写成 ![图片内容的说明](文件名)；"
                "纯装饰图片写 ![](文件名)"
            )
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
    box = soup.new_tag(
        "div",
        attrs={
            "class": "gk-table-wrap",
            "tabindex": "0",
            "role": "region",
            "aria-label": caption_text(table),
        },
    )
    table.wrap(box)


def caption_text(table) -> str:
    return table.caption.get_text(strip=True) if table.caption else ""


def _caption_text(table) -> str:
    """The heading right before the table, or a lead-in sentence ending with a colon."""
    previous = table.find_previous_sibling()
    if previous is None:
        return ""
    text = previous.get_text(strip=True)
    if previous.name in HEADINGS or (
        previous.name == "p" and text.endswith(("：", ":")) and len(text) <= 40
    ):
        return text.rstrip("：:")
    return ""


# -- the fast path: the same rules on Markdown's element tree, before it is serialised ------------


class AccessibleTree(Treeprocessor):
    """Runs after Markdown's inline patterns. A body with raw HTML (anything in the HTML stash) is
    left to :func:`improve`, which parses the serialised HTML; every other body is fixed here."""

    def run(self, root):
        md = self.md
        md.gk_accessible = None
        elements = [e for e in root.iter() if e is not root]
        if md.htmlStash.rawHtmlBlocks or any(e.tag not in safe_html.ALLOWED_TAGS for e in elements):
            return
        problems, parents = [], {child: parent for parent in root.iter() for child in parent}
        headings = [e for e in elements if e.tag in HEADINGS]
        if headings:
            shift = 2 - min(int(h.tag[1]) for h in headings)
            for heading in headings:
                heading.tag = f"h{min(6, int(heading.tag[1]) + shift)}"
        for number, table in enumerate((e for e in elements if e.tag == "table"), start=1):
            self._table(table, parents, getattr(md, "gk_title", ""), number)
        for img in (e for e in elements if e.tag == "img"):
            if "alt" not in img.attrib:
                problems.append(
                    f"图片 {img.get('src', '')} 缺少替代文字：写成 ![图片内容的说明](文件名)；"
                    "纯装饰图片写 ![](文件名)"
                )
        md.gk_accessible = problems
        return

    @staticmethod
    def _table(table, parents, title, number):
        parent = parents[table]
        position = list(parent).index(table)
        caption = table.find("caption")
        if caption is None:
            caption = etree.Element("caption", {"class": "gk-visually-hidden"})
            previous = parent[position - 1] if position else None
            text = "".join(t.strip() for t in previous.itertext()) if previous is not None else ""
            lead = previous is not None and (
                previous.tag in HEADINGS
                or (previous.tag == "p" and text.endswith(("：", ":")) and len(text) <= 40)
            )
            caption.text = (
                text.rstrip("：:") if lead and text.rstrip("：:") else f"{title}（表{number}）"
            )
            table.insert(0, caption)
        for section in table:
            for th in section.iter("th"):
                th.set("scope", th.get("scope") or ("col" if section.tag == "thead" else "row"))
        box = etree.Element(
            "div",
            {
                "class": "gk-table-wrap",
                "tabindex": "0",
                "role": "region",
                "aria-label": "".join(t.strip() for t in caption.itertext()),
            },
        )
        box.tail, table.tail = table.tail, "\n"
        parent.remove(table)
        box.append(table)
        parent.insert(position, box)


class AccessibleBodyExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(AccessibleTree(md), "gk_accessible", 15)

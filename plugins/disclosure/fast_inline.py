"""Markdown's inline pass, minus the work on text no inline pattern can touch.

Python-Markdown tries every inline pattern (emphasis, links, code, escapes, footnote marks…) on
every text node through a generic loop that costs ~100 µs a node, about 40 % of the time it takes
to convert a typical Chinese body, most of whose paragraphs contain no markup at all. Before that
pass, :class:`MarkPlainText` tries the same compiled patterns directly on each element's text; text
that none of them can match would come out of the pass unchanged, so it is marked atomic (the
documented way to make the pass skip a string). :class:`UnmarkPlainText` turns the marks back into
plain strings right after, so later steps (abbreviations, attribute lists) see exactly what they
would have seen. The HTML is byte-identical with or without this extension.
"""

from __future__ import annotations

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

INLINE_PRIORITY = 20  # Python-Markdown's own "inline" tree processor


class _Plain(AtomicString):
    """Text marked by :class:`MarkPlainText` (told apart from atomic strings Markdown made)."""


class MarkPlainText(Treeprocessor):
    def run(self, root):
        patterns = [pattern.getCompiledRegExp().search for pattern in self.md.inlinePatterns]
        for element in root.iter():
            text = element.text
            # Only text: a tail is rebuilt by the inline pass, which would drop the mark's type.
            if text and type(text) is str and not any(search(text) for search in patterns):
                element.text = _Plain(text)


class UnmarkPlainText(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            if type(element.text) is _Plain:
                element.text = str(element.text)


class FastInlineExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's API
        md.treeprocessors.register(MarkPlainText(md), "gk_mark_plain", INLINE_PRIORITY + 0.5)
        md.treeprocessors.register(UnmarkPlainText(md), "gk_unmark_plain", INLINE_PRIORITY - 0.5)

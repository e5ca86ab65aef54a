"""Markdown's block pass, minus the tour of every block processor for a plain paragraph.

Python-Markdown hands each block (text between blank lines) to its block processors in priority
order until one claims it: with "extra" and "sane_lists" that is sixteen tests before the paragraph
processor takes it, about half the time a typical Chinese body takes to convert, whose blocks are
nearly all plain paragraphs. :class:`PlainParagraphProcessor` runs first and gives a block straight
to the paragraph processor when none of the others could claim it. That is decided by one regular
expression, :data:`MAY_BE_CLAIMED`, a superset of what each known processor looks for (read from
Python-Markdown's source; the table is :data:`KNOWN`). When a converter has any other block
processor (a plugin's), the shortcut is off for it. The HTML is byte-identical with or without it.
"""

from __future__ import annotations

import re

from markdown import blockprocessors as core
from markdown.extensions import Extension, abbr, def_list, footnotes, md_in_html, sane_lists, tables

from . import private_api

# What each known processor needs in a block before it can claim it, read from the tests and runs of
# Python-Markdown 3.11 (pinned in requirements.txt; the property tests compare the HTML with plain
# Python-Markdown, so an upgrade that changes a processor fails them). A processor whose test is
# always true claims a block only when its run's regex matches:
#   empty block or one starting with a newline                  EmptyBlock
#   a leading space (indentation)                               ListIndent, DefListIndent, CodeBlock
#   a leading number ("1. ")                                     OList, SaneOList
#   a line starting with "-", "*" or "+" (lists, rules), "_" (rules), "=" or "-" (setext
#   headings), "#" (headings), ">" (quotes), ":" (definition lists), "[" (references,
#   footnotes), "*[" (abbreviations)                            the rest
#   a "|" anywhere                                              Table
#   the raw-HTML placeholder (STX)                              MarkdownInHtml
KNOWN = {
    core.EmptyBlockProcessor,
    core.ListIndentProcessor,
    core.CodeBlockProcessor,
    core.HashHeaderProcessor,
    core.SetextHeaderProcessor,
    core.HRProcessor,
    core.OListProcessor,
    core.UListProcessor,
    core.BlockQuoteProcessor,
    core.ReferenceProcessor,
    sane_lists.SaneOListProcessor,
    sane_lists.SaneUListProcessor,
    tables.TableProcessor,
    def_list.DefListProcessor,
    def_list.DefListIndentProcessor,
    footnotes.FootnoteBlockProcessor,
    abbr.AbbrBlockprocessor,
    md_in_html.MarkdownInHtmlProcessor,
}
# Indentation means ASCII spaces (tabs are expanded before); a full-width space (U+3000) starting a
# Chinese paragraph is text. ``\d`` is any Unicode digit, as in the list processors' own patterns.
MAY_BE_CLAIMED = re.compile(r"\A(?:[ \t\n]|\Z|\d)|[\x02|]|(?:\A|\n) *[-_*+=#>:\[]")


class PlainParagraphProcessor(core.BlockProcessor):
    """Gives a block no other processor could claim to the paragraph processor, skipping the
    others."""

    def __init__(self, parser):
        super().__init__(parser)
        self._paragraph = (
            None  # the paragraph processor, once every other processor is known to be ours to judge
        )

    def test(self, parent, block: str) -> bool:
        if self._paragraph is None:
            self._paragraph = self._plan() or False
        return bool(self._paragraph) and not MAY_BE_CLAIMED.search(block)

    def run(self, parent, blocks):
        return self._paragraph.run(parent, blocks)

    def _plan(self):
        """The paragraph processor, or None when a processor not in :data:`KNOWN` is registered."""
        if self.tab_length < 1:
            return None
        paragraph = None
        for processor in self.parser.blockprocessors:
            if processor is self:
                continue
            if type(processor) is core.ParagraphProcessor:
                paragraph = processor
            elif type(processor) not in KNOWN:
                return None
        return paragraph


class FastBlockExtension(Extension):
    def extendMarkdown(self, md):
        if not private_api.markdown_as_checked():
            return  # the table of processors above was read from that version only
        md.parser.blockprocessors.register(
            PlainParagraphProcessor(md.parser), "gk_plain_paragraph", 1000
        )

"""Markdown's inline pass, minus the work on text no inline pattern can touch.

Python-Markdown tries every inline pattern (emphasis, links, code, escapes, footnote marks…) on
every text node through a generic loop, a large part of the time it takes to convert a typical
Chinese body, most of whose paragraphs contain no markup at all (docs/performance.md). Before that
pass, :class:`MarkPlainText` tries the same compiled patterns directly on each element's text; text
that none of them can match would come out of the pass unchanged, so it is marked atomic (the
documented way to make the pass skip a string). :class:`UnmarkPlainText` turns the marks back into
plain strings right after, so later steps (abbreviations, attribute lists) see exactly what they
would have seen. The HTML is byte-identical with or without this extension.

Trying all the patterns is itself costly, so a first test comes before it:
from each pattern's parsed regex, :func:`required_characters` finds characters one of which any
match needs in the text (``[`` for a link, `` ` `` or ``\\`` for code…). Text with none of them
(nearly all Chinese prose) cannot match those patterns; a pattern for which no such set is found
(a plugin's) is always tried.

The attribute-list tree processor ("extra") walks every element looking for ``{: …}``; a body
whose source and title hold no ``{`` cannot have one, and :class:`AttributeListsIfBraces` skips it.
"""

from __future__ import annotations

import functools
import re

from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from . import private_api

INLINE_PRIORITY = 20  # Python-Markdown's own "inline" tree processor


class _Plain(AtomicString):
    """Text marked by :class:`MarkPlainText` (told apart from atomic strings Markdown made)."""


def required_characters(regex: re.Pattern) -> frozenset[str] | None:
    """Characters one of which the searched text holds whenever ``regex`` matches in it, or None
    when no such set is found (case-insensitive patterns, back references, negated classes…)."""
    if regex.flags & re.IGNORECASE or not isinstance(regex.pattern, str):
        return None
    try:
        from re import _parser as parser  # Python's own regex parser (sre_parse before 3.11)

        return _required(list(parser.parse(regex.pattern, regex.flags)), parser)
    except Exception:
        return None


def _cost(chars: frozenset[str]) -> int:
    # Of several sets any of which would do, the one least often in running text.
    return len(chars) + 100 * sum(ch.isspace() for ch in chars) + 1000 * (" " in chars)


def _required(items: list, parser) -> frozenset[str] | None:
    """A sequence matches only if each of its items does: any item's set will do, the rarest is
    best."""
    best = None
    for op, value in items:
        found = _required_item(op, value, parser)
        if found is not None and (best is None or _cost(found) < _cost(best)):
            best = found
    return best


def _required_item(op, value, parser) -> frozenset[str] | None:
    c = parser
    if op is c.LITERAL:
        return frozenset(chr(value))
    if op is c.IN:
        chars = set()
        for kind, item in value:
            if kind is c.LITERAL:
                chars.add(chr(item))
            elif kind is c.RANGE and item[1] - item[0] < 128:
                chars.update(map(chr, range(item[0], item[1] + 1)))
            else:  # a negation or a category (\d, \s…): too wide to help
                return None
        return frozenset(chars)
    if op is c.SUBPATTERN:
        _, added, _, items = value
        return None if added & re.IGNORECASE else _required(list(items), parser)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, _, items = value
        return _required(list(items), parser) if low >= 1 else None
    if op is c.BRANCH:
        found = [_required(list(items), parser) for items in value[1]]
        return None if any(chars is None for chars in found) else frozenset().union(*found)
    if (
        op is c.ASSERT
    ):  # a lookahead or lookbehind that must hold: its text is in the searched text too
        return _required(list(value[1]), parser)
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _required(list(value), parser)
    return None  # anything else may match without a particular character


@functools.lru_cache(maxsize=64)
def _plan(regexes: tuple[re.Pattern, ...]):
    """(guard, every search, the searches no guard covers) for a converter's inline patterns."""
    guarded, always = [], []
    for regex in regexes:
        chars = required_characters(regex)
        (always if chars is None else guarded).append((regex.search, chars))
    needed = frozenset().union(*(chars for _, chars in guarded))
    guard = (
        re.compile("[" + "".join(map(re.escape, sorted(needed))) + "]").search if needed else None
    )
    return guard, [search for search, _ in guarded + always], [search for search, _ in always]


class MarkPlainText(Treeprocessor):
    def run(self, root):
        guard, every, unguarded = _plan(
            tuple(pattern.getCompiledRegExp() for pattern in self.md.inlinePatterns)
        )
        for element in root.iter():
            text = element.text
            # Only text: a tail is rebuilt by the inline pass, which would drop the mark's type.
            if text and type(text) is str:
                searches = every if guard is not None and guard(text) else unguarded
                if not any(search(text) for search in searches):
                    element.text = _Plain(text)


class UnmarkPlainText(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            if type(element.text) is _Plain:
                element.text = str(element.text)


class AttributeListsIfBraces(Treeprocessor):
    """Python-Markdown's attribute-list processor, run only when the body may hold a ``{``.

    Each of its patterns needs a ``{`` in an element's text. The tree's text comes from the source,
    and from the title (our table captions); entities and raw HTML are placeholders until the end.
    ``render_body`` says whether either holds one (``gk_braces``); unsaid, it always runs."""

    def __init__(self, md, attribute_lists: AttrListTreeprocessor):
        super().__init__(md)
        self.attribute_lists = attribute_lists

    def run(self, root):
        if getattr(self.md, "gk_braces", True):
            self.attribute_lists.run(root)


class FastInlineExtension(Extension):
    def extendMarkdown(self, md):
        if not private_api.markdown_as_checked():
            return
        if (
            "attr_list" in md.treeprocessors
            and type(md.treeprocessors["attr_list"]) is AttrListTreeprocessor
        ):
            priority = private_api.treeprocessor_priority(md, "attr_list")
            md.treeprocessors.register(
                AttributeListsIfBraces(md, md.treeprocessors["attr_list"]), "attr_list", priority
            )
        md.treeprocessors.register(MarkPlainText(md), "gk_mark_plain", INLINE_PRIORITY + 0.5)
        md.treeprocessors.register(UnmarkPlainText(md), "gk_unmark_plain", INLINE_PRIORITY - 0.5)

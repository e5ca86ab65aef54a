"""Splitting a document into its front matter (文件头) and body, with line numbers.

Python-Markdown's ``meta`` extension drops headers with Chinese keys, so we parse
``键: 值`` lines ourselves. Two layouts are accepted:

* fenced: the file starts with ``---`` and the header ends at the next ``---``;
* bare (Pelican style): ``键: 值`` lines from the first line up to the first blank line.

A key may be followed by an ASCII or a full-width colon, with spaces or tabs.
A key with an empty value may be followed by ``- item`` lines (a list).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .problems import ERROR, Problem

FENCE = re.compile(r"^(---|\.\.\.)\s*$")
KEY_LINE = re.compile(r"^(?P<key>[^\s:：#\-][^:：]{0,40}?)[ \t]*[:：][ \t]*(?P<value>.*?)\s*$")
ITEM_LINE = re.compile(r"^[ \t]*[-*][ \t]+(?P<value>.*?)\s*$")


@dataclass
class Entry:
    key: str  # as written
    value: str | list[str]
    line: int


@dataclass
class Split:
    entries: list[Entry] = field(default_factory=list)
    body: str = ""
    body_line: int = 1  # line of the file where the body starts
    has_header: bool = False
    problems: list[Problem] = field(default_factory=list)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def split(text: str, rel: str) -> Split:
    """Parse the header of ``text`` (already decoded, newlines normalised to \\n)."""
    lines = text.split("\n")
    result = Split()
    if lines and FENCE.match(lines[0]) and lines[0].startswith("---"):
        end = next((i for i in range(1, len(lines)) if FENCE.match(lines[i])), None)
        if end is None:
            result.problems.append(
                Problem(
                    rel,
                    1,
                    ERROR,
                    "",
                    "文件头以 --- 开始，但没有结束的 --- 行",
                    hint="在最后一个“键: 值”行的下一行单独写 ---，再空一行写正文",
                )
            )
            header, body_start = lines[1:], len(lines)
        else:
            header, body_start = lines[1:end], end + 1
        first_line = 2
        fenced = True
    else:
        if not lines or not KEY_LINE.match(lines[0]):
            result.body = text
            return result
        end = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
        header, body_start, first_line, fenced = lines[:end], end, 1, False
    result.has_header = True
    current: Entry | None = None
    for offset, raw in enumerate(header):
        number = first_line + offset
        if not raw.strip() or (fenced and raw.lstrip().startswith("#")):
            continue
        item = ITEM_LINE.match(raw)
        key_match = KEY_LINE.match(raw)
        if item and current is not None and (raw[0] in " \t" or not key_match):
            if isinstance(current.value, str):
                if current.value:
                    current.value = [current.value]
                else:
                    current.value = []
            current.value.append(_unquote(item["value"]))
        elif key_match and raw[0] not in " \t":
            current = Entry(key_match["key"], _unquote(key_match["value"]), number)
            result.entries.append(current)
        elif current is not None and raw[0] in " \t" and isinstance(current.value, str):
            # A wrapped long value: join without a space (Chinese text has none).
            current.value = current.value + raw.strip()
        else:
            result.problems.append(
                Problem(
                    rel,
                    number,
                    ERROR,
                    "",
                    "这一行既不是“键: 值”，也不是列表项",
                    value=raw.strip()[:60],
                    hint="每行写成“名称: 值”；列表项写成“- 值”；正文前留一个空行",
                )
            )
    result.body = "\n".join(lines[body_start:])
    result.body_line = body_start + 1
    return result

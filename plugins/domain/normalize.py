"""Normalisation of editor-typed values: full-width forms, invisible characters, dates."""

from __future__ import annotations

import datetime as dt
import re

# Characters an editor cannot see but that break exact matching (索引号 lookups).
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Space-like characters that should count as a plain space.
SPACES = dict.fromkeys(map(ord, "\u00a0\u3000\u2002\u2003\u2009\u202f"), " ")
# Dashes and slashes that Chinese input methods produce in place of ASCII ones.
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"), "-")


def fold_width(text: str) -> str:
    """Full-width ASCII forms (２０１４／－) to half-width; leaves Han characters alone."""
    return "".join(chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else ch for ch in text)


def normalise_code(text: str) -> tuple[str, list[str]]:
    """Normalise an identifier (索引号, dates); return it and notes on what changed."""
    notes = []
    cleaned = text.translate(INVISIBLE)
    if cleaned != text:
        notes.append("删除了看不见的字符（如零宽空格）")
    spaced = cleaned.translate(SPACES)
    if spaced != cleaned:
        notes.append("把特殊空格换成了普通空格")
    folded = fold_width(spaced).translate(DASHES)
    if folded != spaced:
        notes.append("把全角数字或符号换成了半角")
    return folded.strip(), notes


DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
]

DATE_EXAMPLE = "2014-03-09 或 2014年3月9日"


class DateError(ValueError):
    """A date the editor wrote that cannot be a real date."""


def parse_date(text: str) -> dt.datetime:
    """Parse one of the accepted date spellings; raise DateError with a Chinese reason."""
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = [int(g) if g else 0 for g in match.groups()]
            parts += [0] * (6 - len(parts))
            year, month, day, hour, minute, second = parts
            try:
                return dt.datetime(year, month, day, hour, minute, second)
            except ValueError:
                raise DateError(f"{year}年{month}月{day}日 不是日历上存在的日期") from None
    raise DateError("无法识别的日期写法")

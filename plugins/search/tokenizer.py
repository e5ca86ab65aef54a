"""The one tokenisation scheme of our search, shared with ``theme/static/js/search-core.js``.

* Full-width ASCII forms fold to half-width, the ideographic space to a space, Latin to lower case.
* A run of Han characters becomes its overlapping bigrams (预算公开 → 预算 算公 公开); a run of one
  Han character is kept as a unigram. (A one-character query finds titles through a lunr wildcard
  over the bigrams, ``*税*``, so no unigrams are indexed.)
* A run of Latin letters and digits is one token (apec, 2014, 00012).
* Everything else separates tokens. No trimmer, stemmer or stop words.

Each token carries its character offset, so a phrase can be checked for adjacency. In the
tier-2 postings a token's occurrences are summed up by their *contexts*: the character before and
the character after (a token character or a space for anything else), which is enough to check a
phrase from its middle token alone.
``tests/fixtures/tokenizer_cases.json`` pins the behaviour on both sides.
"""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN = re.compile(f"[{HAN}]+|[a-z0-9]+")
NOT_TOKEN = re.compile(f"[^{HAN}a-z0-9]")
EXACT_PREFIX = "="


FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


WIDE = re.compile("[\uff01-\uff5e\u3000]")


def _fold(match) -> str:
    return chr(FOLD[ord(match.group())])


def normalise(text: str) -> str:
    # The same as text.translate(FOLD), which is slow on long CJK text; a body has few wide forms.
    return WIDE.sub(_fold, text).lower()


WIDE_TOKEN = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")  # wide forms of a-z, A-Z, 0-9


def token_characters(text: str) -> str:
    """The normalised text with every character no token has (punctuation, line breaks…) a space.

    The same as ``NOT_TOKEN.sub(" ", normalise(text))``, but only wide letters and digits are
    folded: any other wide form becomes a space either way, and a body has many (，：；（）)."""
    return NOT_TOKEN.sub(" ", WIDE_TOKEN.sub(_fold, text).lower())


def positioned(text: str) -> list[tuple[str, int]]:
    """(token, character offset) pairs in text order."""
    out = []
    for match in RUN.finditer(normalise(text)):
        run, start = match.group(), match.start()
        if run[0] > "z" and len(run) > 1:  # a Han run
            out += [(run[i : i + 2], start + i) for i in range(len(run) - 1)]
        else:
            out.append((run, start))
    return out


def offsets_by_token(text: str) -> dict[str, list[int]]:
    """token -> ascending offsets; the same result as grouping ``positioned``, built faster."""
    found: dict[str, list[int]] = {}
    for match in RUN.finditer(normalise(text)):
        run, start = match.group(), match.start()
        if run[0] > "z" and len(run) > 1:
            for i in range(len(run) - 1):
                token = run[i : i + 2]
                if token in found:
                    found[token].append(start + i)
                else:
                    found[token] = [start + i]
        elif run in found:
            found[run].append(start)
        else:
            found[run] = [start]
    return found


def contexts_by_token(text: str) -> dict[str, tuple[int, str]]:
    """token -> (occurrences, its distinct contexts: sorted (before, after) character pairs,
    joined).

    Context characters are token characters, or a space for anything else (start and end of the
    text, punctuation, line breaks)."""
    padded = " " + token_characters(text) + " "
    out = {}
    for token, found in offsets_by_token(text).items():
        after = len(token) + 1
        out[token] = (len(found), "".join(sorted({padded[p] + padded[p + after] for p in found})))
    return out


def tokens(text: str) -> list[str]:
    return [token for token, _ in positioned(text)]


def exact_key(text: str) -> str:
    """One token for a whole 索引号 or 文号, whatever brackets, widths and separators were typed."""
    joined = "".join(RUN.findall(normalise(text)))
    return EXACT_PREFIX + joined if joined else ""


def shard_of(token: str, count: int) -> int:
    """32-bit FNV-1a over code points, modulo the shard count (same arithmetic in JavaScript)."""
    value = 0x811C9DC5
    for ch in token:
        value = ((value ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return value % count

"""Building the search files: tier 1 (lunr index of titles and metadata) and tier 2 (body postings).

Tier 1 is one lunr.py index, always loaded by the search page. Tier 2 keeps, for every token of
every body, the documents it occurs in with its count (``t2/``), and apart from them the contexts
of its occurrences in each (``t2c/``, the characters before and after), enough to check a phrase;
tokens are spread over shards by hash so that a query loads only the shards of its own tokens.
Every file is a classic script (``gkSearch…(…)`` calls), because ``fetch()`` of a local file is
blocked on file://.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import defaultdict

from lunr import __TARGET_JS_VERSION__ as LUNR_SCHEMA_VERSION

from disclosure.bodies import StoredText, content_key, plain_text
from disclosure.cache import read_texts
from disclosure.private_api import article_html

from .tokenizer import exact_key, shard_of, token_characters, tokens

# Field boosts of tier 1: a title hit outranks a summary hit; exact 索引号/文号 outrank all.
FIELDS = {
    "title": 10,
    "doc_number": 5,
    "keywords": 3,
    "column": 2,
    "publisher": 1,
    "summary": 1,
    "exact": 100,
}
SHARD_TARGET_CHARS = 12000  # body characters per shard (a few KB of document lists, gzipped)
BLOCK_DOCS = 2000  # documents per tier-2 block (doubled while there would be over MAX_BLOCKS)
MAX_BLOCKS = 10
TERM_SHARD_CHARS = 16000  # tier-1 postings characters per term shard
OWN_TERM_CHARS = 2000  # a tier-1 entry longer than this goes in a file of its own
STORE_DOCS = 8  # docs-store rows per file: a result page loads one file per shown result at most
WILDCARD_FIELDS = ("title", "keywords", "doc_number")  # what a lone Han character searches
COLUMN_CHAR = 0x100  # search/t1c.js: column number n is the character U+0100 + n
OWN_FILE_CONTEXT_CHARS = (
    2000  # a token's contexts in a block longer than this go in a file of their own
)
OWN_LIST_RATIO = 2  # and its document list, when longer than twice that
PART_DOCS = 2000  # a block's postings are counted this many documents at a time (memory)


def body_text(article, prepared_texts: dict) -> str | StoredText:
    """Plain text of a body (block boundaries are line breaks, so no bigram spans two blocks).

    The build prepared it with the HTML (``prepared_texts``: body key -> text); a plugin that
    changed the body since (the annual report's tables) gets its text taken again."""
    metadata = getattr(article, "metadata", {})
    if getattr(article, "html_replaced", None) is False and metadata["body_key"] in prepared_texts:
        return prepared_texts[metadata["body_key"]]  # a document view: its body is not loaded
    html = article_html(article)
    if metadata.get("body_html") is html and metadata.get("body_key") in prepared_texts:
        return prepared_texts[metadata["body_key"]]
    return plain_text(html)


def lunr_postings(documents: list[dict], boosts: dict[str, int]) -> dict:
    """Tier 1's lunr index, term by term, scored exactly as lunr.py's ``Builder`` scores it.

    ``documents`` are lunr documents (field -> its tokens, already tokenised; ref = position) and
    ``boosts`` the fields in order with their boosts. lunr.py builds the same scores (BM25, k1 1.2,
    b 0.75, rounded to 1/1000) through token objects, sorted vectors and a token trie the browser
    never gets (docs/performance.md has the figures); the tests check that both agree exactly.

    Per term (terms sorted) a string of numbers is sent, "field number,count,document delta,score
    × 1000,…": a browser reads one string per term far faster than the same numbers as arrays (and
    keeps fewer objects), and decodes only the terms of a query. The browser (search-core.js) turns
    the postings of a query's terms into a small ``lunr.Index`` holding exactly those terms."""
    fields, terms, runs = lunr_runs(documents, boosts)
    postings = [",".join(text for _, text in parts) for parts in runs]
    return {"version": LUNR_SCHEMA_VERSION, "fields": fields, "terms": terms, "postings": postings}


def lunr_runs(documents: list[dict], boosts: dict[str, int]) -> tuple[list, list, list]:
    """(fields, sorted terms, per term its [(field number, "field,count,delta,score,…")]): the
    postings of :func:`lunr_postings`, field by field."""
    import numpy as np

    k1, b = 1.2, 0.75  # lunr's defaults
    fields = list(boosts)
    count = len(documents)
    term_ids: dict[str, int] = {}
    # Every occurrence of a term in a field, as (term id, field, document); each field's length.
    ids: list[int] = []
    where: list[int] = []
    lengths = np.zeros((len(fields), max(count, 1)), dtype=np.int64)
    for field, name in enumerate(fields):
        for ref, document in enumerate(documents):
            terms = document[name]
            lengths[field, ref] = len(terms)
            for token in terms:
                term = str(token).lower() if token else ""  # as lunr.py's Tokenizer
                ids.append(term_ids.setdefault(term, len(term_ids)))
            where += [field * count + ref] * len(terms)
    terms = sorted(term_ids)
    if not terms:
        return fields, [], []
    rank = np.empty(len(terms), dtype=np.int64)
    rank[[term_ids[term] for term in terms]] = np.arange(len(terms))
    # One number per occurrence, ordered by term (sorted), field, document: counting the equal
    # numbers gives each (term, field, document)'s frequency, in the order the postings list them.
    stride = len(fields) * count
    keys, tf = np.unique(rank[np.array(ids, dtype=np.int64)] * stride + where, return_counts=True)
    term_of, place = np.divmod(keys, stride)
    field_of, ref_of = np.divmod(place, count)
    # lunr's idf counts the (document, field) pairs holding a term; math.log as lunr.py calls it.
    held = np.bincount(term_of, minlength=len(terms)).tolist()
    idf = np.array([math.log(1 + abs((count - h + 0.5) / (h + 0.5))) for h in held])
    totals = lengths.sum(axis=1).tolist()
    average = np.array([total / count for total in totals])
    boost = np.array([boosts[name] for name in fields], dtype=np.float64)
    length = lengths[field_of, ref_of].astype(np.float64)
    # lunr.py's arithmetic, operation by operation in its order: the same float64 results.
    score = idf[term_of] * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / average[field_of])) + tf)
    score *= boost[field_of]
    scaled = _thousandths(score)
    # "field,entries,document delta,score×1000,…" per term and field: where each term's and each
    # field's run of entries starts.
    term_starts = np.flatnonzero(np.r_[True, term_of[1:] != term_of[:-1]]).tolist() + [len(keys)]
    field_starts = np.r_[True, (term_of[1:] != term_of[:-1]) | (field_of[1:] != field_of[:-1])]
    delta = np.where(field_starts, ref_of, ref_of - np.r_[0, ref_of[:-1]])
    run_starts = np.flatnonzero(field_starts).tolist() + [len(keys)]
    fields_list, delta_list, scaled_list = field_of.tolist(), delta.tolist(), scaled.tolist()
    runs = []
    run = 0
    for number in range(len(terms)):
        end = term_starts[number + 1]
        parts = []
        while run_starts[run] < end:
            start, stop = run_starts[run], run_starts[run + 1]
            pairs = ",".join(f"{delta_list[i]},{scaled_list[i]}" for i in range(start, stop))
            parts.append((fields_list[start], f"{fields_list[start]},{stop - start},{pairs}"))
            run += 1
        runs.append(parts)
    return fields, terms, runs


def _thousandths(score):
    """``round(round(score, 3) * 1000)`` of each score, as lunr.py rounds (Python's round is
    correctly rounded in decimal): done in bulk where the product is clearly on one side of a
    half, by Python's own round for the few that come within a hair of one."""
    import numpy as np

    product = score * 1000
    floor = np.floor(product)
    fraction = product - floor
    result = (floor + (fraction > 0.5)).astype(np.int64)
    for i in np.flatnonzero(np.abs(fraction - 0.5) < 1e-6).tolist():
        result[i] = round(round(float(score[i]), 3) * 1000)
    return result


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _js_string(text: str) -> str:
    return (
        "'"
        + text.replace("\\", "\\\\")
        .replace("'", "\\'")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
        + "'"
    )


def script_args(text: str) -> list:
    """The arguments of a search script file (``name(…);``), as Python values."""
    inner = text[text.index("(") + 1 : text.rindex(")")]
    parsed = re.fullmatch(r"JSON\.parse\('(.*)'\)", inner, re.S)
    # tier 1: a JSON text in a string literal (browsers parse that faster than an object literal)
    if parsed:
        return [
            json.loads(
                re.sub(
                    r"\\(.)",
                    lambda m: {"\\": "\\", "'": "'"}.get(m.group(1), m.group(0)),
                    parsed.group(1),
                )
            )
        ]
    return json.loads(f"[{inner}]")


def lunr_document(
    ref: int,
    title: str,
    doc_number: str,
    keywords: str,
    column: str,
    publisher: str,
    summary: str,
    index_number: str,
) -> dict:
    """The tier-1 document of one record: each field's tokens."""
    return {
        "id": str(ref),
        "title": tokens(title),
        "doc_number": tokens(doc_number),
        "keywords": tokens(keywords),
        "column": tokens(column),
        "publisher": tokens(publisher),
        "summary": tokens(summary),
        "exact": [k for k in (exact_key(index_number), exact_key(doc_number)) if k],
    }


def tier1_files(
    fields: list, docs: list, columns: dict, publishers: list, blocks: list, tree: list
) -> dict[str, str]:
    """Tier 1, split so that a query loads only what it needs (module functions with plain
    arguments: the build runs them in a fresh process):

    - ``search/tier1.js``, the core every search page loads: fields, counts, the dates of the
      documents (runs over refs, which follow the date), columns, publishers, the tier-2 blocks;
    - ``search/t1/<shard>.js``: each term's postings, sharded by term, scores as lunr.py makes them
      over the whole index (a long one in a file of its own, named in its shard by number);
    - ``search/t1w/<shard>.js``: per Han character, every term holding it (a lone character is a
      wildcard over them) and those terms' postings in the fields it searches;
    - ``search/t1d/<n>.js``: the docs store, the rows the result list shows, STORE_DOCS a file;
    - ``search/t1c.js``: each document's column, loaded by the column filter only."""
    names, terms, runs = lunr_runs(
        [lunr_document(ref, *record) for ref, record in enumerate(fields)], FIELDS
    )
    postings = [
        (term, '"' + ",".join(text for _, text in parts) + '"') for term, parts in zip(terms, runs)
    ]
    wild_fields = {names.index(name) for name in WILDCARD_FIELDS}
    holding: dict[str, list[str]] = defaultdict(list)
    restricted: dict[str, list[str]] = defaultdict(list)
    for term, parts in zip(terms, runs):
        kept = ",".join(text for field, text in parts if field in wild_fields)
        for char in sorted(set(term)):
            if char > "z":  # a Han character (terms hold nothing else above "z")
                holding[char].append(term)
                if kept:
                    restricted[char].append(f'"{term}":"{kept}"')
    wild = [
        (char, f'["{" ".join(holding[char])}",{{{",".join(restricted[char])}}}]')
        for char in sorted(holding)
    ]
    term_shards = _rounded_count(sum(len(v) for _, v in postings), TERM_SHARD_CHARS)
    # A character's terms are mostly one file of its own (OWN_TERM_CHARS): shards hold the rest,
    # a few hundred characters in all, and an empty shard would still be a file.
    wild_shards = _rounded_count(
        sum(len(v) for _, v in wild if len(v) <= OWN_TERM_CHARS), TERM_SHARD_CHARS
    )
    files = _sharded("t1", "gkSearchTerms", postings, term_shards)
    files |= _sharded("t1w", "gkSearchWild", wild, wild_shards)
    for n in range(0, len(docs), STORE_DOCS):
        files[f"search/t1d/{n // STORE_DOCS}.js"] = (
            f"gkSearchDocs({n // STORE_DOCS},{_compact(docs[n : n + STORE_DOCS])});\n"
        )
    codes = {code: chr(COLUMN_CHAR + number) for number, code in enumerate(columns)}
    chars = "".join(codes[doc[1]] for doc in docs)
    files["search/t1c.js"] = f'gkSearchColumns({_compact(list(codes))},"{chars}");\n'
    # The dates as runs over the refs: "days since the previous run's date,documents,…", the first
    # counted from ``dateFrom``.
    runs: list[int] = []
    first = _day(docs[0][2]) if docs else 0
    last = first
    for doc in docs:
        day = _day(doc[2])
        if runs and day == last:
            runs[-1] += 1
        else:
            runs += [day - last, 1]
            last = day
    core = {
        "version": LUNR_SCHEMA_VERSION,
        "fields": names,
        "count": len(docs),
        "termShards": term_shards,
        "wildShards": wild_shards,
        "store": STORE_DOCS,
        "dateFrom": docs[0][2] if docs else "",
        "dates": ",".join(map(str, runs)),
        "columns": columns,
        "tree": tree,
        "publishers": publishers,
        "blocks": blocks,
    }
    files["search/tier1.js"] = f"gkSearchData(JSON.parse({_js_string(_compact(core))}));\n"
    return files


def _day(iso: str) -> int:
    """Days since 1970-01-01 of an ISO date (as the browser counts them)."""
    import datetime as dt

    return (dt.date.fromisoformat(iso) - dt.date(1970, 1, 1)).days


class ShardedScripts:
    """Script files ``call("id",{key:value,…});`` of entries sharded by key (keys are tokens: no
    escaping). A long value goes in a file of its own, which its shard names by number, so that a
    rare key's shard stays small. Ids: "shard" and "shard-n", or with a block "block-shard" and
    "block/shard-n"."""

    def __init__(self, folder: str, call: str, block: int | None = None):
        self.folder, self.call, self.block = folder, call, block
        self.shards: dict[int, list[str]] = defaultdict(list)
        self.numbers: dict[int, int] = defaultdict(int)
        self.own: dict[str, str] = {}

    def add(self, shard: int, key: str, value: str, apart: bool) -> None:
        if not apart:
            self.shards[shard].append(f'"{key}":{value}')
            return
        number = self.numbers[shard]
        self.numbers[shard] += 1
        self.shards[shard].append(f'"{key}":{number}')
        name = f"{shard}-{number}" if self.block is None else f"{self.block}/{shard}-{number}"
        self.own[f"search/{self.folder}/{name}.js"] = (
            f'{self.call}("{name}",{{"{key}":{value}}});\n'
        )

    def files(self, count: int) -> dict[str, str]:
        """Every shard's file (an empty one too: the browser loads it to learn a key is absent)."""
        files = {}
        for shard in range(count):
            name = str(shard) if self.block is None else f"{self.block}-{shard}"
            entries = ",".join(self.shards[shard])
            files[f"search/{self.folder}/{name}.js"] = f'{self.call}("{name}",{{{entries}}});\n'
        return files | self.own


def _sharded(folder: str, call: str, entries: list[tuple[str, str]], count: int) -> dict:
    """Tier-1 files of ``(key, JSON value)`` entries; a value longer than OWN_TERM_CHARS apart."""
    scripts = ShardedScripts(folder, call)
    for key, value in entries:
        scripts.add(shard_of(key, count), key, value, len(value) > OWN_TERM_CHARS)
    return scripts.files(count)


def tier1_names(output_path: str) -> list[str]:
    """The tier-1 files a build wrote (to link them from the previous build as they are)."""
    root = os.path.join(output_path, "search")
    names = ["search/tier1.js", "search/t1c.js"]
    for folder in ("t1", "t1w", "t1d"):
        if os.path.isdir(os.path.join(root, folder)):
            names += sorted(f"search/{folder}/{n}" for n in os.listdir(os.path.join(root, folder)))
    return names


def read_tier1(output_path) -> dict:
    """The whole of a built tier 1 in one piece (for tests and ``invoke bench``): ``index`` (fields,
    sorted terms, their postings, as :func:`lunr_postings` gives them), ``docs`` (the rows, in ref
    order), ``columns``, ``tree``, ``publishers``, ``blocks``."""
    from pathlib import Path

    search = Path(output_path) / "search"

    def call(path: Path):
        return script_args(path.read_text(encoding="utf-8"))

    [core] = call(search / "tier1.js")
    found: dict[str, str] = {}
    for shard in range(core["termShards"]):
        _, entries = call(search / f"t1/{shard}.js")
        for term, value in entries.items():
            found[term] = (
                call(search / f"t1/{shard}-{value}.js")[1][term]
                if isinstance(value, int)
                else value
            )
    docs = []
    for n in range(-(-core["count"] // core["store"])):
        docs += call(search / f"t1d/{n}.js")[1]
    terms = sorted(found)
    index = {
        "version": core["version"],
        "fields": core["fields"],
        "terms": terms,
        "postings": [found[t] for t in terms],
    }
    keys = ("columns", "tree", "publishers", "blocks")
    return {"index": index, "docs": docs} | {key: core[key] for key in keys} | {"core": core}


LATIN = re.compile("[a-z0-9]+")


def postings(texts: list[str], lasts: dict | None = None) -> dict[str, tuple[str, str]]:
    """token -> (document list "docDelta,count,docDelta,count…", contexts "pairs|pairs|…") over the
    texts, documents ascending; the first docDelta counts from the first text. ``lasts``, if given,
    gets each token's last document.

    The same as grouping :func:`~search.tokenizer.contexts_by_token` of every text (a test checks
    it), but Han bigrams, nearly all the tokens, are counted with numpy: every bigram occurrence
    becomes a (token, document, context) triple of numbers, sorted once."""
    padded = [" " + token_characters(text) + " " for text in texts]
    found = _bigram_postings(padded, lasts)
    found.update(_other_postings(padded, lasts))
    return found


def block_postings(texts: list[str], part_docs: int | None = None) -> dict[str, tuple[str, str]]:
    """:func:`postings` of a block's texts, counted PART_DOCS texts at a time and joined: the same
    lists and contexts, with the memory of a part (the arrays of 16,000 texts took 1.1 GB)."""
    part_docs = part_docs or PART_DOCS
    if len(texts) <= part_docs:
        return postings(texts)
    merged: dict[str, list] = {}  # token -> [list parts, context parts, its last document]
    for offset in range(0, len(texts), part_docs):
        lasts: dict[str, int] = {}
        for token, (flat, joined) in postings(texts[offset : offset + part_docs], lasts).items():
            entry = merged.get(token)
            # A part's first delta counts from the part's first text: from the token's last
            # document before it (or the block's first text) instead.
            shift = offset if entry is None else offset - entry[2]
            head, comma, rest = flat.partition(",")
            flat = f"{int(head) + shift}{comma}{rest}"
            if entry is None:
                merged[token] = [[flat], [joined], offset + lasts[token]]
            else:
                entry[0].append(flat)
                entry[1].append(joined)
                entry[2] = offset + lasts[token]
    return {token: (",".join(f), "|".join(c)) for token, (f, c, _) in merged.items()}


def _sorted_bigrams(padded: list[str]):
    """Every Han bigram occurrence, and every lone Han character (a token of its own, numbered as
    the character followed by a space), as (token, document, context) numbers, sorted in that order.

    Characters are numbered densely in code point order (``alphabet`` turns a number back into its
    code point; ``bits`` per character), so the numbers sort as the strings would. When the four
    characters of an occurrence and its document fit in 64 bits — a block's text uses a few thousand
    distinct characters — one sort of plain numbers does it; otherwise a three-key sort. Arrays are
    built in place and dropped as soon as they are used: a block's arrays are the job's peak
    memory."""
    # here: only the search jobs count bigrams; the build process never needs numpy
    import numpy as np

    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32)
    han = codes > ord("z")  # only Han characters (all below U+10000), a-z, 0-9 and spaces are left
    at = np.flatnonzero(han[1:-2] & han[2:-1]).astype(
        np.int32
    )  # a bigram starts at at + 1 (never in
    at += 1  # a text's padding); sizes fit 32 bits
    lone = np.flatnonzero(han[1:-1] & ~han[:-2] & ~han[2:]).astype(
        np.int32
    )  # a lone one at lone + 1
    lone += 1
    del han
    doc = np.searchsorted(
        np.cumsum([0] + [len(text) for text in padded[:-1]]),
        np.concatenate((at, lone)),
        side="right",
    ).astype(np.int32)
    doc -= 1
    present = np.zeros(0x10000, bool)
    present[codes] = True
    alphabet = np.flatnonzero(present)
    dense = (np.cumsum(present, dtype=np.uint32) - 1)[codes]
    space = int(np.count_nonzero(present[: ord(" ")]))  # the padding's number
    del codes
    bits = max(1, int(alphabet.size - 1).bit_length())
    doc_bits = max(1, (len(padded) - 1).bit_length())

    def pair(offset_a: int, offset_b: int | None, lone_a: int, lone_b: int | None):
        """(dense[p + a] << bits) | dense[p + b] as 64-bit numbers, bigrams then lone characters (a
        missing offset is the space)."""
        out = np.concatenate((dense[at + offset_a], dense[lone + lone_a])).astype(np.uint64)
        out <<= bits
        out |= np.concatenate(
            (
                dense[at + offset_b],
                dense[lone + lone_b]
                if lone_b is not None
                else np.full(lone.size, space, np.uint32),
            )
        )
        return out

    if 4 * bits + doc_bits <= 64:
        key = pair(0, 1, 0, None)
        key <<= doc_bits
        key |= doc.astype(np.uint64)
        del doc
        key <<= 2 * bits
        key |= pair(-1, 2, -1, 1)
        del at, lone, dense
        key.sort()
        context = (key & np.uint64((1 << 2 * bits) - 1)).astype(np.uint32)
        key >>= 2 * bits
        doc = (key & np.uint64((1 << doc_bits) - 1)).astype(np.uint32)
        key >>= doc_bits
        token = key.astype(np.uint32)
        del key
    else:
        token, context = pair(0, 1, 0, None), pair(-1, 2, -1, 1)
        order = np.lexsort((context, doc, token))
        token, doc, context = token[order], doc[order], context[order]
    return token, doc, context, alphabet, bits


def _bigram_postings(padded: list[str], lasts: dict | None = None) -> dict[str, tuple[str, str]]:
    # here: only the search jobs count bigrams; the build process never needs numpy
    import numpy as np

    if not padded:
        return {}
    token, doc, context, alphabet, bits = _sorted_bigrams(padded)
    if not token.size:
        return {}
    low = (1 << bits) - 1
    new_token = np.ones(token.size, bool)
    new_token[1:] = token[1:] != token[:-1]
    new_pair = new_token.copy()
    new_pair[1:] |= doc[1:] != doc[:-1]
    new_triple = new_pair.copy()
    new_triple[1:] |= context[1:] != context[:-1]
    # Per token (its first occurrence): its two characters. Sizes fit 32 bits (a block's text does).
    token_at = np.flatnonzero(new_token)
    firsts = alphabet[token[token_at] >> bits].tolist()
    seconds = alphabet[token[token_at] & low].tolist()
    del token, token_at
    # Document lists: per (token, document) pair its document delta and count.
    pair_at = np.flatnonzero(new_pair).astype(np.int32)
    numbers = np.empty(
        (pair_at.size, 2), np.int32
    )  # (delta, count) rows, turned into text token by token
    numbers[:-1, 1] = np.diff(pair_at)
    numbers[-1, 1] = new_pair.size - pair_at[-1]
    pair_doc = doc[pair_at].astype(np.int32)
    del doc
    first = new_token[pair_at]
    numbers[:, 0] = pair_doc
    numbers[1:, 0] -= pair_doc[:-1]
    numbers[first, 0] = pair_doc[first]
    pair_bounds = np.append(np.flatnonzero(first), pair_at.size)
    last_docs = pair_doc[pair_bounds[1:] - 1].tolist() if lasts is not None else None
    pair_bounds = pair_bounds.tolist()
    del pair_doc
    numbers = numbers.ravel()
    del pair_at, first
    # Contexts: each distinct triple's two characters, "|" before each pair but a token's first.
    triple_at = np.flatnonzero(new_triple).astype(np.int32)
    del new_triple
    separated = (new_pair & ~new_token)[triple_at].astype(np.int32)
    starts_token = new_token[triple_at]
    del new_pair, new_token
    offset = np.cumsum(separated, dtype=np.int32)  # where each triple's characters start
    offset += 2 * np.arange(triple_at.size, dtype=np.int32)
    size = int(offset[-1]) + 2 if triple_at.size else 0
    chars = np.full(size, ord("|"), dtype=np.uint32)
    pairs = context[triple_at]
    del context, triple_at
    chars[offset] = alphabet[pairs >> bits]
    chars[offset + 1] = alphabet[pairs & low]
    del pairs
    joined = chars.tobytes().decode("utf-32-le")
    del chars
    text_bounds = (offset[starts_token] - separated[starts_token]).tolist() + [len(joined)]
    del offset, separated, starts_token
    # Numbers in text: deltas and counts are small (below the block's size or a text's length), so a
    # table of their decimal texts replaces a str() call for each of the millions of them.
    decimal = list(map(str, range(int(numbers.max()) + 1 if numbers.size else 0))).__getitem__
    out = {}
    for i, (a, b) in enumerate(zip(firsts, seconds)):
        token = chr(a) + chr(b) if b != 32 else chr(a)  # 32: a lone character's space
        if last_docs is not None:
            lasts[token] = last_docs[i]
        out[token] = (
            ",".join(map(decimal, numbers[2 * pair_bounds[i] : 2 * pair_bounds[i + 1]].tolist())),
            joined[text_bounds[i] : text_bounds[i + 1]],
        )
    return out


def _other_postings(padded: list[str], lasts: dict | None = None) -> dict[str, tuple[str, str]]:
    """Latin and digit runs: few, counted one by one."""
    found: dict[str, dict[int, tuple[int, set]]] = {}
    for doc, text in enumerate(padded):
        for match in LATIN.finditer(text):
            run, start = match.group(), match.start()
            seen = found.setdefault(run, {})
            count, pairs = seen.get(doc, (0, set()))
            pairs.add(text[start - 1] + text[match.end()])
            seen[doc] = (count + 1, pairs)
    out = {}
    for run, seen in found.items():
        flat, last = [], 0
        for doc, (count, _) in seen.items():
            flat += [doc - last, count]
            last = doc
        if lasts is not None:
            lasts[run] = last
        out[run] = (
            ",".join(map(str, flat)),
            "|".join("".join(sorted(pairs)) for _, pairs in seen.values()),
        )
    return out


def block_files(
    block: int,
    start: int,
    count: int,
    texts: list[str],
    own_file_chars: int | None = None,
    found: dict | None = None,
) -> dict[str, str]:
    """The shards of one block (``texts`` are its documents', the first is ref ``start``): document
    lists (t2/) and, apart, the contexts (t2c/). A token whose contexts or document list are long (a
    common word's) gets a file of its own for them, named in its shard by number, so that a rare
    token's shard stays small.
    Tokens, contexts and numbers need no JSON escaping, so the objects are written directly (keys
    sorted, as ``_compact`` would)."""
    own_file_chars = OWN_FILE_CONTEXT_CHARS if own_file_chars is None else own_file_chars
    lists = ShardedScripts("t2", "gkSearchShard", block)
    contexts = ShardedScripts("t2c", "gkSearchContext", block)
    for token, (flat, joined) in sorted(
        (block_postings(texts) if found is None else found).items()
    ):
        shard = shard_of(token, count)
        lists.add(shard, token, f"[{flat}]", len(flat) > own_file_chars * OWN_LIST_RATIO)
        contexts.add(shard, token, f'"{joined}"', len(joined) > own_file_chars)
    return lists.files(count) | contexts.files(count)


def text_file(ref: int, text: str) -> tuple[str, str]:
    return f"search/text/{ref}.js", f"gkSearchText({ref},{_compact(text)});\n"


def write_files(output_path: str, files: dict[str, str]) -> None:
    if not os.path.isdir(output_path):  # the build was given up and its staging folder removed
        raise FileNotFoundError(output_path)
    folders = set()
    for path, text in files.items():
        target = os.path.join(output_path, path)
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        try:  # a new file (nearly always: the output folder is this build's own)
            handle = open(target, "x", encoding="utf-8", newline="\n")  # noqa: SIM115 (with below)
        except FileExistsError:  # never write through a hard link to the previous build's file
            fresh = target + ".new"
            with open(fresh, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.replace(fresh, target)
            continue
        with handle:
            handle.write(text)


def write_tier1(output_path: str, inputs: tuple) -> None:
    write_files(output_path, tier1_files(*inputs))


def write_tier2(
    output_path: str,
    blocks: list[tuple],
    texts: list[tuple[int, str | StoredText]],
    own_file_chars: int,
    cache_folder: str = "",
) -> None:
    """The tier-2 blocks [(block, first ref, shard count, body texts, metadata texts)] and snippet
    texts [(ref, text)] given; a text may be a :class:`~disclosure.bodies.StoredText`, read from
    the build cache here."""
    for block, start, count, bodies, metas in blocks:
        write_files(
            output_path,
            block_files(
                block,
                start,
                count,
                searched(metas, resolve_texts(bodies, cache_folder)),
                own_file_chars,
            ),
        )
    refs = [ref for ref, _ in texts]
    write_files(
        output_path,
        dict(map(text_file, refs, resolve_texts([text for _, text in texts], cache_folder))),
    )


def resolve_texts(texts: list, cache_folder: str) -> list[str]:
    """The texts, with those kept in the build cache read from it."""
    stored = [text.key for text in texts if isinstance(text, StoredText)]
    if not stored:
        return list(texts)
    found = read_texts(cache_folder, stored)
    return [found[text.key] if isinstance(text, StoredText) else text for text in texts]


def shard_count(size: int) -> int:
    """Shards of a block whose texts hold ``size`` characters (see :meth:`SearchIndex.blocks`)."""
    return _rounded_count(size, SHARD_TARGET_CHARS)


def _rounded_count(size: int, target: int) -> int:
    """Files for ``size`` characters at ``target`` a file; above 16, a multiple of 16 so that an
    edit seldom changes the count (and with it every file)."""
    raw = math.ceil(size / target)
    return max(1, raw if raw <= 16 else 16 * math.ceil(raw / 16))


def column_tree(catalogue, holding: set[str]) -> list[list]:
    """[code, name, depth] of the columns that hold a searched document or are above one, in
    the catalogue's order: the search page's column filter, each column with its sub-columns."""
    if catalogue is None:
        return []
    return [
        [node.code, node.name, len(node.path) - 1]
        for node in catalogue.nodes
        if any(n.code in holding for n in node.walk())
    ]


class SearchIndex:
    """Everything the browser needs, from (article, column path name) pairs in a fixed order."""

    def __init__(self, entries, prepared_texts: dict[str, str] | None = None, catalogue=None):
        self.entries = entries  # [(article, column_name)]
        self.tree = column_tree(catalogue, {a.document.column for a, _ in entries})
        self.publishers = sorted({a.document.publisher for a, _ in entries if a.document.publisher})
        # A text is a str, or a StoredText the job that needs it reads from the build cache.
        self.texts = [body_text(a, prepared_texts or {}) for a, _ in entries]
        self.text_keys = [
            content_key(a) for a, _ in entries
        ]  # what each text is made from (fingerprints)
        self._records = None

    def records(self) -> tuple[list, list]:
        """(lunr documents, docs store rows) in ref order: everything tier 1 is made from.
        Worked out once (the build fingerprints them before the tier-1 process uses them)."""
        if self._records is None:
            self._records = self._make_records()
        return self._records

    def _make_records(self) -> tuple[list, list]:
        fields, docs = [], []
        for article, column_name in self.entries:
            doc = article.document
            # Tokenised by the tier-1 process (lunr_document); the build only fingerprints the text.
            fields.append(
                (
                    doc.title,
                    doc.doc_number,
                    " ".join(doc.keywords),
                    column_name,
                    doc.publisher,
                    doc.summary,
                    doc.index_number,
                )
            )
            # The URL is left out when the browser can derive it from the 索引号 (most documents).
            derived = "docs/" + doc.index_number.replace("/", "-").lower() + ".html"
            docs.append(
                [
                    doc.title,
                    doc.column,
                    doc.date.date().isoformat(),
                    doc.doc_number,
                    doc.index_number,
                    " ".join(doc.keywords),
                    self.publishers.index(doc.publisher) if doc.publisher else -1,
                    "" if article.url == derived else article.url,
                    doc.summary,
                ]
            )
        return fields, docs

    def tier1_inputs(self) -> tuple:
        """The arguments of :func:`tier1_files`: plain data, cheap to send to another process."""
        fields, docs = self.records()
        columns = dict(sorted({a.document.column: name for a, name in self.entries}.items()))
        return fields, docs, columns, self.publishers, self.blocks(), self.tree

    def metadata_texts(self) -> list[str]:
        """Per document, the text of its tier-1 fields (title, 文号, keywords, column, publisher,
        summary): tier 2 indexes it before the body, so that a phrase is checked in the metadata
        the way it is in the body, without the docs store."""
        return ["\n".join(record[:6]) for record in self.records()[0]]

    def block_size(self) -> int:
        """Documents per tier-2 block: BLOCK_DOCS, doubled while there would be more than
        MAX_BLOCKS blocks (a query loads a file of each block for each of its tokens)."""
        size = BLOCK_DOCS
        while math.ceil(len(self.texts) / size) > MAX_BLOCKS:
            size *= 2
        return size

    def blocks(self) -> list[list[int]]:
        """[first ref, shard count] of every block of :meth:`block_size` documents.

        Tier 2 is split by documents into blocks, and each block by token into shards, so that a
        changed or added document (added ones come last: refs follow the date) rebuilds only its
        block. The shard count follows the block's text, rounded up to a multiple of 16 so that an
        edit seldom changes it."""
        out, size = [], self.block_size()
        for start in range(0, max(1, len(self.texts)), size):
            length = sum(
                text.length if isinstance(text, StoredText) else len(text)
                for text in self.texts[start : start + size]
            )
            out.append([start, shard_count(length)])
        return out

    def block_inputs(self) -> list[tuple]:
        """(block, first ref, shard count, body texts, metadata texts) of every tier-2 block."""
        size, metas = self.block_size(), self.metadata_texts()
        return [
            (block, start, count, self.texts[start : start + size], metas[start : start + size])
            for block, (start, count) in enumerate(self.blocks())
        ]

    def files(self, cache_folder: str = "") -> dict[str, str]:
        """Relative path -> text of every search file (all built here, in this process)."""
        files = tier1_files(*self.tier1_inputs())
        texts = resolve_texts(self.texts, cache_folder)
        size, metas = self.block_size(), self.metadata_texts()
        for block, (start, count) in enumerate(self.blocks()):
            end = start + size
            files |= block_files(block, start, count, searched(metas[start:end], texts[start:end]))
        files.update(text_file(ref, text) for ref, text in enumerate(texts))
        return files


def searched(metas: list[str], bodies: list[str]) -> list[str]:
    """What tier 2 indexes of each document: its metadata text, a line break, its body."""
    return [meta + "\n" + body for meta, body in zip(metas, bodies)]

"""Building the search files: tier 1 (lunr index of titles and metadata) and tier 2 (body postings).

Tier 1 is one lunr.py index, always loaded by the search page. Tier 2 keeps, for every token of
every body, the documents and character offsets where it occurs; tokens are spread over shards by
hash so that a query loads only the shards of its own tokens. Every file is a classic script
(``gkSearch…(…)`` calls), because ``fetch()`` of a local file is blocked on file://.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from itertools import chain
from operator import sub

from lunr.builder import Builder

from disclosure.bodies import plain_text

from .tokenizer import exact_key, offsets_by_token, shard_of, tokens

# Field boosts of tier 1: a title hit outranks a summary hit; exact 索引号/文号 outrank all.
FIELDS = {"title": 10, "doc_number": 5, "keywords": 3, "column": 2, "publisher": 1, "summary": 1, "exact": 100}
SHARD_TARGET_CHARS = 3000  # body characters per shard (about 6,000 posting numbers, a few KB gzipped)
BLOCK_DOCS = 2000  # documents per tier-2 block


def body_text(article) -> str:
    """Plain text of a body (block boundaries are line breaks, so no bigram spans two blocks).

    The reader prepared it with the HTML; a plugin that changed the body since (the annual report's
    tables) gets its text taken again."""
    metadata = getattr(article, "metadata", {})
    if metadata.get("body_text") is not None and metadata.get("body_html") is article._content:
        return metadata["body_text"]
    return plain_text(article._content)


def compact_index(serialized: dict) -> dict:
    """lunr.py's serialised index in fewer bytes; ``expand_index`` (and search-core.js) restore it.

    The inverted index of a lunr index holds nothing the field vectors do not (no term metadata is
    kept), so only the terms are sent, in ``_index`` order, with each field's vectors as
    [ref delta, term delta, score, term delta, score…] rows."""
    inverted = serialized["invertedIndex"]
    terms = [""] * len(inverted)
    for term, posting in inverted:
        terms[posting["_index"]] = term
    vectors = {name: [] for name in serialized["fields"]}
    last_ref = {name: 0 for name in serialized["fields"]}
    for field_ref, elements in sorted(serialized["fieldVectors"], key=lambda v: int(v[0].split("/", 1)[1])):
        name, ref = field_ref.split("/", 1)
        if not elements:
            continue
        row, last = [int(ref) - last_ref[name]], 0
        for i in range(0, len(elements), 2):
            row += [elements[i] - last, elements[i + 1]]
            last = elements[i]
        vectors[name].append(row)
        last_ref[name] = int(ref)
    return {"version": serialized["version"], "fields": serialized["fields"], "terms": terms, "vectors": vectors}


def expand_index(compact: dict, refs: int) -> dict:
    """The lunr serialisation ``compact_index`` was made from (for ``lunr.Index.load``)."""
    postings = [{"_index": i} | {name: {} for name in compact["fields"]} for i in range(len(compact["terms"]))]
    vectors = {}
    for name, rows in compact["vectors"].items():
        ref = 0
        for row in rows:
            ref += row[0]
            elements, term = [], 0
            for i in range(1, len(row), 2):
                term += row[i]
                elements += [term, row[i + 1]]
                postings[term][name][str(ref)] = {}
            vectors[f"{name}/{ref}"] = elements
    field_vectors = [[f"{name}/{ref}", vectors.get(f"{name}/{ref}", [])]
                     for ref in range(refs) for name in compact["fields"]]
    inverted = sorted(zip(compact["terms"], postings), key=lambda pair: pair[0])
    return {"version": compact["version"], "fields": compact["fields"], "fieldVectors": field_vectors,
            "invertedIndex": [list(pair) for pair in inverted], "pipeline": []}


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class SearchIndex:
    """Everything the browser needs, from (article, column path name) pairs in a fixed order."""

    def __init__(self, entries):
        self.entries = entries  # [(article, column_name)]
        self.publishers = sorted({a.document.publisher for a, _ in entries if a.document.publisher})
        self.texts = [body_text(a) for a, _ in entries]
        self._records = None

    def records(self) -> tuple[list, list]:
        """(lunr documents, docs store rows) in ref order: everything tier 1 is made from.
        Worked out once (the build fingerprints them before the tier-1 process uses them)."""
        if self._records is None:
            self._records = self._make_records()
        return self._records

    def _make_records(self) -> tuple[list, list]:
        fields, docs = [], []
        for ref, (article, column_name) in enumerate(self.entries):
            doc = article.document
            fields.append({
                "id": str(ref),
                "title": tokens(doc.title),
                "doc_number": tokens(doc.doc_number),
                "keywords": tokens(" ".join(doc.keywords)),
                "column": tokens(column_name.split("/")[-1]),
                "publisher": tokens(doc.publisher),
                "summary": tokens(doc.summary),
                "exact": [k for k in (exact_key(doc.index_number), exact_key(doc.doc_number)) if k],
            })
            # The URL is left out when the browser can derive it from the 索引号 (most documents).
            derived = "docs/" + doc.index_number.replace("/", "-").lower() + ".html"
            docs.append([doc.title, doc.column, doc.date.date().isoformat(), doc.doc_number, doc.index_number,
                         " ".join(doc.keywords), self.publishers.index(doc.publisher) if doc.publisher else -1,
                         "" if article.url == derived else article.url, doc.summary])
        return fields, docs

    def tier1(self) -> dict:
        builder = Builder()
        builder.pipeline.reset()
        builder.search_pipeline.reset()
        builder.ref("id")
        for name, boost in FIELDS.items():
            builder.field(name, boost=boost)
        fields, docs = self.records()
        for record in fields:
            builder.add(record)
        columns = {a.document.column: name for a, name in self.entries}
        return {"index": compact_index(builder.build().serialize()), "docs": docs, "columns": dict(sorted(columns.items())),
                "publishers": self.publishers}

    def blocks(self) -> list[list[int]]:
        """[first ref, shard count] of every block of BLOCK_DOCS documents.

        Tier 2 is split by documents into blocks, and each block by token into shards, so that a
        changed or added document (added ones come last: refs follow the date) rebuilds only its
        block. The shard count follows the block's text, rounded up to a multiple of 16 so that an
        edit seldom changes it."""
        out = []
        for start in range(0, max(1, len(self.texts)), BLOCK_DOCS):
            raw = math.ceil(sum(map(len, self.texts[start:start + BLOCK_DOCS])) / SHARD_TARGET_CHARS)
            out.append([start, max(1, raw if raw <= 16 else 16 * math.ceil(raw / 16))])
        return out

    def postings(self, start: int = 0, end: int | None = None) -> dict[str, list[int]]:
        """token -> [docDelta, count, firstOffset, offsetDelta…, docDelta, …] for refs start..end,
        docs ascending; the first docDelta counts from ``start``."""
        encoded: dict[str, list[int]] = {}
        last_doc: dict[str, int] = {}
        for ref in range(start, len(self.texts) if end is None else min(end, len(self.texts))):
            text = self.texts[ref]
            for token, found in offsets_by_token(text).items():
                flat = encoded.get(token)
                if flat is None:
                    flat = encoded[token] = []
                flat.append(ref - last_doc.get(token, start))
                flat.append(len(found))
                flat.extend(map(sub, found, chain((0,), found)))  # offset deltas, at C speed
                last_doc[token] = ref
        return encoded

    def tier1_files(self) -> dict[str, str]:
        data = self.tier1() | {"blocks": self.blocks()}
        return {"search/tier1.js": f"gkSearchData({_compact(data)});\n"}

    def block_files(self, block: int, start: int, count: int) -> dict[str, str]:
        shards: dict[int, dict] = defaultdict(dict)
        for token, flat in self.postings(start, start + BLOCK_DOCS).items():
            shards[shard_of(token, count)][token] = flat
        return {f"search/t2/{block}-{shard}.js": f'gkSearchShard("{block}-{shard}",{_compact(shards.get(shard, {}))});\n'
                for shard in range(count)}

    def text_file(self, ref: int) -> tuple[str, str]:
        return f"search/text/{ref}.js", f"gkSearchText({ref},{_compact(self.texts[ref])});\n"

    def tier2_files(self) -> dict[str, str]:
        files = {}
        for block, (start, count) in enumerate(self.blocks()):
            files |= self.block_files(block, start, count)
        files.update(self.text_file(ref) for ref in range(len(self.texts)))
        return files

    def files(self) -> dict[str, str]:
        """Relative path -> text of every search file."""
        return self.tier1_files() | self.tier2_files()

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

from bs4 import BeautifulSoup
from lunr.builder import Builder

from .tokenizer import exact_key, offsets_by_token, shard_of, tokens

# Field boosts of tier 1: a title hit outranks a summary hit; exact 索引号/文号 outrank all.
FIELDS = {"title": 10, "doc_number": 5, "keywords": 3, "exact": 100}
SHARD_TARGET_NUMBERS = 6000  # posting numbers per shard (a few KB gzipped each)


def body_text(html: str) -> str:
    """Plain text of a rendered body; block boundaries become line breaks (no fake bigrams)."""
    return BeautifulSoup(html, "html.parser").get_text("\n")


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class SearchIndex:
    """Everything the browser needs, from (article, column path name) pairs in a fixed order."""

    def __init__(self, entries):
        self.entries = entries  # [(article, column_name)]
        self.publishers = sorted({a.document.publisher for a, _ in entries if a.document.publisher})
        self.texts = [body_text(a.content) for a, _ in entries]

    def tier1(self) -> dict:
        builder = Builder()
        builder.pipeline.reset()
        builder.search_pipeline.reset()
        builder.ref("id")
        for name, boost in FIELDS.items():
            builder.field(name, boost=boost)
        docs, columns = [], {}
        for ref, (article, column_name) in enumerate(self.entries):
            doc = article.document
            columns[doc.column] = column_name
            builder.add({
                "id": str(ref),
                "title": tokens(doc.title),
                "doc_number": tokens(doc.doc_number),
                "keywords": tokens(" ".join(doc.keywords)),
                "exact": [k for k in (exact_key(doc.index_number), exact_key(doc.doc_number)) if k],
            })
            # The URL is left out when the browser can derive it from the 索引号 (most documents).
            derived = "docs/" + doc.index_number.replace("/", "-").lower() + ".html"
            docs.append([doc.title, doc.column, doc.date.date().isoformat(), doc.doc_number, doc.index_number,
                         " ".join(doc.keywords), self.publishers.index(doc.publisher) if doc.publisher else -1,
                         "" if article.url == derived else article.url])
        return {"index": builder.build().serialize(), "docs": docs, "columns": columns,
                "publishers": self.publishers}

    def postings(self) -> dict[str, list[int]]:
        """token -> [docDelta, count, firstOffset, offsetDelta…, docDelta, …], docs ascending."""
        encoded: dict[str, list[int]] = {}
        last_doc: dict[str, int] = {}
        for ref, text in enumerate(self.texts):
            for token, found in offsets_by_token(text).items():
                flat = encoded.get(token)
                if flat is None:
                    flat = encoded[token] = []
                flat.append(ref - last_doc.get(token, 0))
                flat.append(len(found))
                flat.extend(map(sub, found, chain((0,), found)))  # offset deltas, at C speed
                last_doc[token] = ref
        return encoded

    def files(self) -> dict[str, str]:
        """Relative path -> text of every search file."""
        postings = self.postings()
        total = sum(len(v) for v in postings.values())
        count = max(1, math.ceil(total / SHARD_TARGET_NUMBERS))
        shards: dict[int, dict] = defaultdict(dict)
        for token, flat in postings.items():
            shards[shard_of(token, count)][token] = flat
        data = self.tier1() | {"shardCount": count}
        files = {"search/tier1.js": f"gkSearchData({_compact(data)});\n"}
        for shard in range(count):
            files[f"search/t2/{shard}.js"] = f"gkSearchShard({shard},{_compact(shards.get(shard, {}))});\n"
        for ref, text in enumerate(self.texts):
            files[f"search/text/{ref}.js"] = f"gkSearchText({ref},{_compact(text)});\n"
        return files

"""Search files in a quick rebuild (:mod:`disclosure.quick`): only some documents' bodies changed.

Tier 1 is made of front matter only, so it stays. Each edited document's tier-2 block (its
document lists and contexts) and its snippet text are made again from the texts of the block,
which the build cache holds; a block whose shard count the edit changes (tier 1 names it) is left
to the full build.
"""

from __future__ import annotations

import bisect
import glob
import os

from disclosure import quick
from disclosure.bodies import StoredText
from disclosure.cache import read_texts

from .index import OWN_FILE_CONTEXT_CHARS, block_files, shard_count, split_postings, text_file


def records(index) -> dict:
    """Where each document is in the index, and what each text is (its body key, or the text itself
    when a plugin changed the body: the cache has only bodies' texts)."""
    refs, own_texts = {}, {}
    for ref, (article, _) in enumerate(index.entries):
        refs[article.document.source] = ref
        if index.text_keys[ref] != article.metadata.get("body_key"):
            text = index.texts[ref]
            own_texts[ref] = (
                text if isinstance(text, str) else None
            )  # None: not at hand, never rebuilt quickly
    lengths = [text.length if isinstance(text, StoredText) else len(text) for text in index.texts]
    return {
        "refs": refs,
        "blocks": index.blocks(),
        "keys": list(index.text_keys),
        "lengths": lengths,
        "texts": own_texts,
    }


def rebuild(run) -> None:
    """Quick step: the tier-2 blocks and snippet texts of the documents whose body changed."""
    record = run.records.get("search")
    if record is None:
        raise quick.Unsupported("the last build left no search record")
    keys, lengths, blocks, own = (
        record["keys"],
        record["lengths"],
        record["blocks"],
        record["texts"],
    )
    starts = [start for start, _ in blocks]
    touched: dict[int, list[int]] = {}
    for source, item in sorted(run.changed.items()):
        ref = record["refs"].get(source)
        if ref is None or ref in own:
            raise quick.Unsupported(f"{source}: not in the search index as its body")
        keys[ref], lengths[ref] = item.body_key, item.body.text_length
        touched.setdefault(bisect.bisect_right(starts, ref) - 1, []).append(ref)
    spans = {
        block: (starts[block], starts[block + 1] if block + 1 < len(starts) else len(keys))
        for block in touched
    }
    for block, (start, end) in spans.items():
        if shard_count(sum(lengths[start:end])) != blocks[block][1]:
            raise quick.Unsupported(f"search block {block}: its shard count changes")
        if any(own.get(ref, "") is None for ref in range(start, end)):
            raise quick.Unsupported(f"search block {block}: a text is not at hand")
    output = str(run.output)
    for block in touched:
        for pattern in (
            f"search/t2/{block}-*.js",
            f"search/t2c/{block}-*.js",
            f"search/t2c/{block}/*.js",
        ):
            run.deletes.update(
                os.path.relpath(path, output).replace(os.sep, "/")
                for path in glob.glob(os.path.join(glob.escape(output), pattern))
            )
        run.stale.add(f"search/t2/{block}")
    for refs in touched.values():
        run.stale.update(f"search/text/{ref}.js" for ref in refs)
    # Counting a block's bigrams takes a second: in a forked copy, while the pages are rendered.
    work = {block: (spans[block], blocks[block][1], refs) for block, refs in touched.items()}
    run.fork(_files, run.cache.folder, work, keys, own)


def _files(cache_folder: str, touched: dict, keys: list, own: dict) -> dict[str, str]:
    wanted = [
        keys[ref]
        for (start, end), _, _ in touched.values()
        for ref in range(start, end)
        if ref not in own
    ]
    try:
        found = read_texts(cache_folder, wanted)
    except LookupError as exc:
        raise quick.Unsupported(str(exc)) from None
    files = {}
    for block, ((start, end), count, refs) in sorted(touched.items()):
        texts = [own[ref] if ref in own else found[keys[ref]] for ref in range(start, end)]
        # Both cores: this page's other steps are done in a fraction of the time.
        files.update(
            block_files(block, start, count, texts, OWN_FILE_CONTEXT_CHARS, split_postings(texts))
        )
        files.update(text_file(ref, found[keys[ref]]) for ref in refs)
    return files

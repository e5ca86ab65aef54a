"""Search: the shared tokeniser, tier 1 exact lookups, tier 2 shards, and the JavaScript tests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter

import pytest
from lunr.index import Index

from helpers import FIXTURES, ROOT, search_fixture
from search.index import compact_index, expand_index
from search.tokenizer import exact_key, positioned, shard_of, tokens

CASES = json.loads((FIXTURES / "tokenizer_cases.json").read_text(encoding="utf-8"))


def load_call(path, name):
    """The JSON argument of a `name(…)` script file."""
    text = path.read_text(encoding="utf-8")
    match = re.fullmatch(rf"{name}\((.*)\);\n", text, re.S)
    return json.loads(f"[{match.group(1)}]")


@pytest.fixture(scope="module")
def search_site(tmp_path_factory):
    return search_fixture(tmp_path_factory.mktemp("search"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_tokenizer_cases(case):
    assert tokens(case["text"]) == case["tokens"]


def test_offsets_and_exact_keys():
    assert positioned("2014年预算") == [("2014", 0), ("年预", 4), ("预算", 5)]
    spellings = ["皖外办〔2014〕12号", "皖外办(2014)12号", "皖外办［２０１４］１２号", "皖外办 2014 12号"]
    assert {exact_key(s) for s in spellings} == {"=皖外办201412号"}
    assert exact_key("003186648/201404-00001") == exact_key("003186648 / 201404 - 00001")
    assert shard_of("预算", 7) == shard_of("预算", 7) < 7


def tier1(site):
    [data] = load_call(site.output / "search/tier1.js", "gkSearchData")
    return data, Index.load(expand_index(data["index"], len(data["docs"])))


@pytest.mark.parametrize("query", ["皖外办〔2014〕12号", "皖外办(2014)12号", "皖外办［２０１４］１２号",
                                   "003186648/201404-00001"])
def test_exact_lookup_puts_the_document_first(search_site, query):
    data, index = tier1(search_site)
    hits = index.query(index.create_query().term(exact_key(query), use_pipeline=False))
    assert hits, query
    assert data["docs"][int(hits[0]["ref"])][0] == "关于规范因公出国审批的通知"


def test_shards_hold_every_body_token_of_every_document_exactly_once(search_site):
    data, _ = tier1(search_site)
    seen = Counter()
    blocks = data["blocks"]
    for block, (start, count) in enumerate(blocks):
        end = blocks[block + 1][0] if block + 1 < len(blocks) else len(data["docs"])
        for shard in range(count):
            shard_id, postings = load_call(search_site.output / f"search/t2/{block}-{shard}.js", "gkSearchShard")
            assert shard_id == f"{block}-{shard}"
            for token, flat in postings.items():
                assert shard_of(token, count) == shard
                doc, i = start, 0
                while i < len(flat):
                    doc += flat[i]
                    assert start <= doc < end
                    n = flat[i + 1]
                    seen[(token, doc)] += 1
                    offsets = [flat[i + 2]]
                    for delta in flat[i + 3: i + 2 + n]:
                        offsets.append(offsets[-1] + delta)
                    [text_ref, text] = load_call(search_site.output / f"search/text/{doc}.js", "gkSearchText")
                    assert offsets == [o for t, o in positioned(text) if t == token]
                    i += 2 + n
    expected = Counter()
    for ref in range(len(data["docs"])):
        [_, text] = load_call(search_site.output / f"search/text/{ref}.js", "gkSearchText")
        for token in {t for t, _ in positioned(text)}:
            expected[(token, ref)] += 1
    assert seen == expected
    assert max(seen.values()) == 1


def test_tier_two_blocks_split_the_documents_and_each_block_stands_alone(monkeypatch, tmp_path):
    """With several blocks, every posting sits in its document's block, and a query still finds all."""
    import search.index as index

    monkeypatch.setattr(index, "BLOCK_DOCS", 4)
    import search.generator as generator

    monkeypatch.setattr(generator, "BLOCK_DOCS", 4)
    site = search_fixture(tmp_path)
    data, _ = tier1(site)
    assert len(data["blocks"]) == -(-len(data["docs"]) // 4) > 2
    test_shards_hold_every_body_token_of_every_document_exactly_once(site)


def test_javascript_suite_against_the_python_built_index(search_site):
    """node --test runs the browser's own search code on the files Python wrote."""
    node = shutil.which("node")
    assert node, "Node.js is required"
    assert (ROOT / "node_modules/lunr/lunr.js").exists(), "run `make setup` (npm ci) first"
    env = {**os.environ, "SEARCH_SITE_OUTPUT": str(search_site.output)}
    result = subprocess.run([node, "--test", "tests/js/"], cwd=ROOT, env=env, capture_output=True,
                            text=True, encoding="utf-8")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"^# pass [1-9]", result.stdout, re.M) and re.search(r"^# fail 0$", result.stdout, re.M)


def test_vendored_lunr_is_the_pinned_npm_release():
    vendored = (ROOT / "theme/static/js/vendor/lunr.min.js").read_bytes()
    assert vendored == (ROOT / "node_modules/lunr/lunr.min.js").read_bytes()
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/lunr"]["version"] == "2.3.9"
    assert b"2.3.9" in vendored[:200]


def test_compact_tier1_expands_to_exactly_what_lunr_py_built():
    """The transport format loses nothing: expanded, it is lunr.py's own serialisation."""
    from lunr.builder import Builder

    builder = Builder()
    builder.pipeline.reset()
    builder.search_pipeline.reset()
    builder.ref("id")
    for name in ("title", "summary"):
        builder.field(name)
    texts = [("预算公开", "二〇一四年部门预算"), ("决算公开", ""), ("预算 决算", "预算执行")]
    for ref, (title, summary) in enumerate(texts):
        builder.add({"id": str(ref), "title": tokens(title), "summary": tokens(summary)})
    serialized = builder.build().serialize()
    expanded = expand_index(json.loads(json.dumps(compact_index(serialized))), len(texts))
    assert sorted(map(str, expanded["fieldVectors"])) == sorted(map(str, serialized["fieldVectors"]))
    assert expanded["invertedIndex"] == [list(pair) for pair in serialized["invertedIndex"]]
    hits = Index.load(expanded).query(Index.load(expanded).create_query().term("预算", use_pipeline=False))
    assert {h["ref"] for h in hits} == {"0", "2"}

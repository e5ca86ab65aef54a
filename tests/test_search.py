"""Search: the shared tokeniser, tier 1 exact lookups, tier 2 shards, and the JavaScript tests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lunr.index import Index

from helpers import FIXTURES, ROOT, search_fixture
from search.index import lunr_postings, read_tier1, script_args
from search.tokenizer import (
    NOT_TOKEN,
    exact_key,
    normalise,
    positioned,
    shard_of,
    token_characters,
    tokens,
)

CASES = json.loads((FIXTURES / "tokenizer_cases.json").read_text(encoding="utf-8"))


def load_call(path, name):
    """The arguments of a `name(…)` script file."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith(name + "(") and text.endswith(");\n"), text[:80]
    return script_args(text)


def expand_index(compact: dict, refs: int) -> dict:
    """The lunr serialisation a compact tier 1 was made from (lunr.py numbers terms in sorted
    order)."""
    fields, terms = compact["fields"], compact["terms"]
    postings = [{"_index": i} | {name: {} for name in fields} for i in range(len(terms))]
    vectors = {}
    for number, text in enumerate(compact["postings"]):
        flat, k = [int(x) for x in text.split(",") if x], 0
        while k < len(flat):
            name, count, ref = fields[flat[k]], flat[k + 1], 0
            k += 2
            for _ in range(count):
                ref += flat[k]
                postings[number][name][str(ref)] = {}
                vectors.setdefault(f"{name}/{ref}", []).extend([number, flat[k + 1] / 1000])
                k += 2
    field_vectors = [
        [f"{name}/{ref}", vectors.get(f"{name}/{ref}", [])]
        for ref in range(refs)
        for name in fields
    ]
    return {
        "version": compact["version"],
        "fields": fields,
        "fieldVectors": field_vectors,
        "invertedIndex": [list(pair) for pair in zip(terms, postings)],
        "pipeline": [],
    }


@pytest.fixture(scope="module")
def search_site(tmp_path_factory):
    import search.index

    with pytest.MonkeyPatch.context() as patch:  # several shards per block, as on a real site
        patch.setattr(search.index, "SHARD_TARGET_CHARS", 100)
        # several blocks (16 documents), as on a large site
        patch.setattr(search.index, "BLOCK_DOCS", 5)
        # and common tokens' contexts and lists apart
        patch.setattr(search.index, "OWN_FILE_CONTEXT_CHARS", 8)
        # tier 1 in several shards, common terms' postings apart
        patch.setattr(search.index, "TERM_SHARD_CHARS", 300)
        patch.setattr(search.index, "OWN_TERM_CHARS", 60)
        return search_fixture(tmp_path_factory.mktemp("search"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_tokenizer_cases(case):
    assert tokens(case["text"]) == case["tokens"]


def test_offsets_and_exact_keys():
    assert positioned("2014年预算") == [("2014", 0), ("年预", 4), ("预算", 5)]
    spellings = [
        "皖外办〔2014〕12号",
        "皖外办(2014)12号",
        "皖外办［２０１４］１２号",
        "皖外办 2014 12号",
    ]
    assert {exact_key(s) for s in spellings} == {"=皖外办201412号"}
    assert exact_key("003186648/201404-00001") == exact_key("003186648 / 201404 - 00001")
    assert shard_of("预算", 7) == shard_of("预算", 7) < 7


def tier1(site):
    data = read_tier1(site.output)
    return data, Index.load(expand_index(data["index"], len(data["docs"])))


@pytest.mark.parametrize(
    "query",
    [
        "皖外办〔2014〕12号",
        "皖外办(2014)12号",
        "皖外办［２０１４］１２号",
        "003186648/201404-00001",
    ],
)
def test_exact_lookup_puts_the_document_first(search_site, query):
    data, index = tier1(search_site)
    hits = index.query(index.create_query().term(exact_key(query), use_pipeline=False))
    assert hits, query
    assert data["docs"][int(hits[0]["ref"])][0] == "关于规范因公出国审批的通知"


def test_shards_hold_every_body_token_of_every_document_exactly_once(search_site):
    """Every (token, document) pair is listed once, in its token's shard, with its count; the
    contexts file beside it gives the characters around each occurrence (space for a non-token),
    or names the file of its own that a common token's contexts are in; a common token's document
    list is in a file of its own too."""
    own = check_shards(search_site)
    assert own["t2c"] and own["t2"]


def check_shards(search_site) -> dict[str, set[str]]:
    """Check every tier-2 file of a built site; the files of their own found (t2c: contexts, t2:
    document lists)."""
    data, _ = tier1(search_site)
    seen, own_files, own_lists = Counter(), set(), set()
    blocks = data["blocks"]
    # Tier 2 indexes each document's metadata text, a line break, then its body (the snippet text).
    texts = [
        metadata_text(data, doc)
        + "\n"
        + load_call(search_site.output / f"search/text/{ref}.js", "gkSearchText")[1]
        for ref, doc in enumerate(data["docs"])
    ]
    for block, (start, count) in enumerate(blocks):
        end = blocks[block + 1][0] if block + 1 < len(blocks) else len(data["docs"])
        for shard in range(count):
            shard_id, lists = load_call(
                search_site.output / f"search/t2/{block}-{shard}.js", "gkSearchShard"
            )
            context_id, contexts = load_call(
                search_site.output / f"search/t2c/{block}-{shard}.js", "gkSearchContext"
            )
            assert shard_id == context_id == f"{block}-{shard}"
            assert lists.keys() == contexts.keys()
            for token, flat in lists.items():
                assert shard_of(token, count) == shard
                if isinstance(flat, int):  # a common token's list, in a file of its own
                    name = f"{block}/{shard}-{flat}"
                    own_id, own = load_call(
                        search_site.output / f"search/t2/{name}.js", "gkSearchShard"
                    )
                    assert own_id == name and list(own) == [token]
                    own_lists.add(name)
                    flat = own[token]
                if isinstance(contexts[token], int):  # in a file of its own
                    name = f"{block}/{shard}-{contexts[token]}"
                    own_id, own = load_call(
                        search_site.output / f"search/t2c/{name}.js", "gkSearchContext"
                    )
                    assert own_id == name and list(own) == [token]
                    own_files.add(name)
                    contexts[token] = own[token]
                found = contexts[token].split("|")
                assert len(found) == len(flat) // 2
                doc = start
                for i in range(0, len(flat), 2):
                    doc += flat[i]
                    assert start <= doc < end
                    seen[(token, doc)] += 1
                    offsets = [o for t, o in positioned(texts[doc]) if t == token]
                    assert flat[i + 1] == len(offsets)
                    padded = " " + NOT_TOKEN.sub(" ", normalise(texts[doc])) + " "
                    pairs = {padded[o] + padded[o + len(token) + 1] for o in offsets}
                    assert found[i // 2] == "".join(sorted(pairs))
    expected = Counter()
    for ref, text in enumerate(texts):
        for token in {t for t, _ in positioned(text)}:
            expected[(token, ref)] += 1
    assert seen == expected
    assert max(seen.values()) == 1
    for kind, found in (("t2c", own_files), ("t2", own_lists)):
        assert found == {
            p.relative_to(search_site.output / f"search/{kind}").with_suffix("").as_posix()
            for p in (search_site.output / f"search/{kind}").glob("*/*.js")
        }
    return {"t2c": own_files, "t2": own_lists}


def metadata_text(data: dict, doc: list) -> str:
    """A document's tier-1 fields as tier 2 indexes them, from the docs store row."""
    title, column, _, doc_number, _, keywords, publisher, _, summary = doc
    publisher_name = data["publishers"][publisher] if publisher >= 0 else ""
    return "\n".join(
        [title, doc_number, keywords, data["columns"][column], publisher_name, summary]
    )


def test_contexts_name_the_neighbouring_characters():
    from search.tokenizer import contexts_by_token

    found = contexts_by_token("预算公开，预算执行。2014年预算")
    assert found["预算"] == (3, " 公 执年 ")  # (before, after) pairs: " 公", " 执", "年 "
    assert found["算公"] == (1, "预开")
    assert found["2014"] == (1, " 年")
    assert found["年预"] == (1, "4算")


def _postings_one_text_at_a_time(texts: list[str]) -> dict[str, tuple[str, str]]:
    """The document lists and contexts of a block, text by text, from the tokenizer's definition."""
    from search.tokenizer import contexts_by_token

    found: dict[str, tuple[list, list]] = {}
    last: dict[str, int] = {}
    for doc, text in enumerate(texts):
        for token, (count, contexts) in contexts_by_token(text).items():
            flat, pairs = found.setdefault(token, ([], []))
            flat += [doc - last.get(token, 0), count]
            pairs.append(contexts)
            last[token] = doc
    return {
        token: (",".join(map(str, flat)), "|".join(pairs)) for token, (flat, pairs) in found.items()
    }


# Han characters from two far-apart ranges (so that dense numbering has gaps), wide and narrow
# Latin, digits, punctuation, spaces, line breaks and a character outside the BMP.
BLOCK_ALPHABET = (
    "预算公开执行年度部门决算䶵龥豈"
    + "abcXYZ019"
    + "ＡＢｃ１２"
    + "，。、（）《》 \n\t-/"
    + "\U00020000"
)


@given(st.lists(st.text(alphabet=BLOCK_ALPHABET, max_size=60), max_size=12))
@settings(max_examples=300, deadline=None)
def test_block_postings_counted_in_bulk_equal_the_text_by_text_definition(texts):
    from search.index import postings

    assert postings(texts) == _postings_one_text_at_a_time(texts)


@given(
    st.lists(st.text(alphabet=BLOCK_ALPHABET, max_size=60), max_size=12),
    st.integers(min_value=1, max_value=5),
)
@settings(max_examples=200, deadline=None)
def test_a_block_counted_in_parts_gives_the_same_postings(texts, part_docs):
    """A large block is counted a few thousand texts at a time (memory) and the parts joined."""
    from search.index import block_postings, postings

    assert block_postings(texts, part_docs) == postings(texts)


def test_block_postings_with_more_characters_than_one_sort_key_holds(monkeypatch):
    """A block using over 16,384 distinct characters takes the three-key sort; same result."""
    import numpy

    from search.index import postings

    han = [chr(0x4E00 + n) for n in range(17000)]
    texts = [
        "".join(han[i : i + 500]) + "。2014年预算，预算" + "".join(han[i + 3 : i + 40])
        for i in range(0, 17000, 500)
    ]
    sorts = []
    real = numpy.lexsort
    monkeypatch.setattr(numpy, "lexsort", lambda keys: sorts.append(len(keys[0])) or real(keys))
    assert postings(texts) == _postings_one_text_at_a_time(texts)
    assert sorts  # the three-key sort did run


def test_tier_one_script_is_json_in_a_string_literal(search_site):
    """Browsers parse a JSON text faster than the same object as a literal; quotes and backslashes
    in titles survive the escaping."""
    text = (search_site.output / "search/tier1.js").read_text(encoding="utf-8")
    assert text.startswith("gkSearchData(JSON.parse('")
    [data] = script_args(text)
    assert {"fields", "count", "dates", "blocks", "columns", "publishers"} <= data.keys()
    tricky = {"title": "引号'和\\反斜杠\u2028"}
    from search.index import _compact, _js_string

    assert script_args(f"f(JSON.parse({_js_string(_compact(tricky))}));\n") == [tricky]


def test_tier_two_blocks_split_the_documents_and_each_block_stands_alone(monkeypatch, tmp_path):
    """With several blocks, every posting sits in its document's block, and a query still finds
    all."""
    import search.index as index

    monkeypatch.setattr(index, "BLOCK_DOCS", 4)
    site = search_fixture(tmp_path)
    data, _ = tier1(site)
    assert len(data["blocks"]) == -(-len(data["docs"]) // 4) > 2
    # with the default thresholds, no token of the fixture has a file apart
    assert check_shards(site) == {"t2c": set(), "t2": set()}


def test_javascript_suite_against_the_python_built_index(search_site):
    """node --test runs the browser's own search code on the files Python wrote."""
    node = shutil.which("node")
    assert node, "Node.js is required"
    assert (ROOT / "node_modules/lunr/lunr.js").exists(), "run `make setup` (npm ci) first"
    env = {**os.environ, "SEARCH_SITE_OUTPUT": str(search_site.output)}
    result = subprocess.run(
        [node, "--test", "tests/js/"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"^# pass [1-9]", result.stdout, re.M) and re.search(
        r"^# fail 0$", result.stdout, re.M
    )


def test_vendored_lunr_is_the_pinned_npm_release():
    vendored = (ROOT / "theme/static/js/vendor/lunr.min.js").read_bytes()
    assert vendored == (ROOT / "node_modules/lunr/lunr.min.js").read_bytes()
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/lunr"]["version"] == "2.3.9"
    assert b"2.3.9" in vendored[:200]


def lunr_py_index(documents: list[dict], boosts: dict[str, int]):
    """What lunr.py's own Builder makes of the documents: the reference our tier 1 must equal."""
    from lunr.builder import Builder

    builder = Builder()
    builder.pipeline.reset()
    builder.search_pipeline.reset()
    builder.ref("id")
    for name, boost in boosts.items():
        builder.field(name, boost=boost)
    for ref, document in enumerate(documents):
        builder.add({"id": str(ref)} | document)
    return builder.build()


def assert_same_as_lunr_py(compact: dict, documents: list[dict], boosts: dict[str, int]) -> None:
    """Compact tier-1 postings, expanded, are exactly lunr.py's serialisation of the same documents
    (terms numbered in sorted order): the same terms, documents and scores."""
    serialized = lunr_py_index(documents, boosts).serialize()
    expanded = expand_index(json.loads(json.dumps(compact)), len(documents))
    term_of = {posting["_index"]: term for term, posting in serialized["invertedIndex"]}

    def by_term(vectors, names):
        return sorted(
            (ref, names[e[i]], e[i + 1]) for ref, e in vectors for i in range(0, len(e), 2)
        )

    assert by_term(
        expanded["fieldVectors"], expanded_terms := [t for t, _ in expanded["invertedIndex"]]
    ) == by_term(serialized["fieldVectors"], term_of)
    assert [
        (t, {k: v for k, v in p.items() if k != "_index"}) for t, p in expanded["invertedIndex"]
    ] == [
        (t, {k: v for k, v in p.items() if k != "_index"}) for t, p in serialized["invertedIndex"]
    ]
    assert expanded_terms == sorted(expanded_terms)


def test_tier1_scores_are_exactly_lunr_py_s():
    """Tier 1 is scored by a loop of ours, not by lunr.py's Builder (about four times slower): both
    agree, and lunr queries over either give the same hits with the same scores."""
    boosts = {"title": 1, "summary": 1}
    texts = [("预算公开", "二〇一四年部门预算"), ("决算公开", ""), ("预算 决算", "预算执行")]
    documents = [{"title": tokens(title), "summary": tokens(summary)} for title, summary in texts]
    assert_same_as_lunr_py(lunr_postings(documents, boosts), documents, boosts)
    index = Index.load(
        expand_index(json.loads(json.dumps(lunr_postings(documents, boosts))), len(texts))
    )
    original = Index.load(lunr_py_index(documents, boosts).serialize())
    hits = index.query(index.create_query().term("预算", use_pipeline=False))
    assert [(h["ref"], h["score"]) for h in hits] == [
        (h["ref"], h["score"])
        for h in original.query(original.create_query().term("预算", use_pipeline=False))
    ]
    assert {h["ref"] for h in hits} == {"0", "2"}


def _records(data: dict) -> list[tuple]:
    """The tier-1 records (the fields lunr indexes) of a built site, from its docs store."""
    return [
        (
            title,
            doc_number,
            keywords,
            data["columns"][column].split("/")[-1],
            data["publishers"][publisher] if publisher >= 0 else "",
            summary,
            index_number,
        )
        for title, column, _, doc_number, index_number, keywords, publisher, _, summary in data[
            "docs"
        ]
    ]


def read_tier1_inputs(site) -> tuple:
    """What :func:`search.index.tier1_files` made a built site's tier 1 from."""
    data = read_tier1(site.output)
    keys = ("columns", "publishers", "blocks", "tree")
    return (_records(data), data["docs"], *(data[key] for key in keys))


def test_built_tier1_is_what_lunr_py_builds_from_its_records(search_site):
    """The tier-1 file of a built site, against lunr.py fed the records the file itself lists."""
    import search.index

    data = read_tier1(search_site.output)
    # The fixture's tier 1 is in several shards, with long postings in files of their own.
    assert data["core"]["termShards"] > 1 and list((search_site.output / "search/t1").glob("*-*"))
    records = _records(data)
    assert len(records) > 5
    documents = [search.index.lunr_document(ref, *record) for ref, record in enumerate(records)]
    assert_same_as_lunr_py(data["index"], documents, search.index.FIELDS)


def test_wildcard_shards_are_sized_by_what_they_hold(search_site, monkeypatch):
    """A lone character's terms mostly have a file of their own: the t1w shards are counted from
    the entries left in them, so no shard is an empty file (at 10,000 documents 208 of 377 were)."""
    import search.index

    def shards(output):
        core = read_tier1(output)["core"]
        files = sorted((output / "search/t1w").glob("*.js"))
        kept = [f for f in files if "-" not in f.stem]
        own = [f for f in files if "-" in f.stem]
        return core["wildShards"], kept, own

    count, kept, own = shards(search_site.output)
    assert own and len(kept) == count
    # With every character's terms apart, what is left fits one shard.
    monkeypatch.setattr(search.index, "OWN_TERM_CHARS", 10)
    monkeypatch.setattr(search.index, "TERM_SHARD_CHARS", 500)
    files = search.index.tier1_files(*read_tier1_inputs(search_site))
    wild = [name for name in files if name.startswith("search/t1w/") and "-" not in name]
    assert wild == ["search/t1w/0.js"]
    assert sum(name.startswith("search/t1w/") for name in files) > 10
    # Entries that stay in shards make as many shards as their size asks for.
    monkeypatch.setattr(search.index, "OWN_TERM_CHARS", 10**9)
    monkeypatch.setattr(search.index, "TERM_SHARD_CHARS", 2000)
    files = search.index.tier1_files(*read_tier1_inputs(search_site))
    wild = [len(t) for n, t in files.items() if n.startswith("search/t1w/")]
    assert len(wild) > 2 and sum(wild) / len(wild) > 2000 / 2


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(st.characters(), st.sampled_from("ＡＺａｚ０９！，：；（）　İẞΣ预算\n")),
        max_size=60,
    )
)
def test_token_characters_is_normalise_then_blank_every_non_token_character(text):
    """The tier-2 shortcut (fold only wide letters and digits) gives what the tokeniser's own rule
    gives."""
    assert token_characters(text) == NOT_TOKEN.sub(" ", normalise(text))


WORDS = st.sampled_from(
    [
        "预算",
        "公开",
        "预算公开",
        "决算",
        "因公出国",
        "APEC",
        "２０１４",
        "皖外办〔2014〕12号",
        "外事",
        "护照",
        "",
        " ",
        "a",
        "二〇一四年",
        "省",
        "003186648/2014-00001",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(*(st.lists(WORDS, max_size=6).map("".join) for _ in range(7))),
        min_size=1,
        max_size=12,
    )
)
def test_tier1_scoring_agrees_with_lunr_py_on_any_records(records):
    import search.index

    documents = [search.index.lunr_document(ref, *record) for ref, record in enumerate(records)]
    assert_same_as_lunr_py(
        lunr_postings(documents, search.index.FIELDS), documents, search.index.FIELDS
    )


def test_a_column_name_with_a_slash_is_shown_whole(tmp_path):
    import json
    import re as _re

    from helpers import FIXTURES, FixtureSite, document

    site = FixtureSite(tmp_path)
    catalogue = (FIXTURES / "base/catalogue.yml").read_text(encoding="utf-8")
    (site.content / "catalogue.yml").write_text(
        catalogue.replace("name: 部门动态", "name: 动态/通知"), encoding="utf-8"
    )
    site.write("news/a.md", document())
    assert site.build().ok
    tier1 = (site.output / "search/tier1.js").read_text(encoding="utf-8")
    assert (
        "动态/通知" in json.loads(_re.search(r"\{.*\}", tier1, _re.S).group(0))["columns"].values()
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(min_value=0, max_value=200, allow_nan=False),
            # exactly on or a hair beside a half of a thousandth, where rounding rules differ
            st.builds(
                lambda n, hair: (n + 0.5) / 1000 + hair,
                st.integers(0, 200_000),
                st.sampled_from([0.0, 1e-12, -1e-12, 5e-17, -5e-17]),
            ),
        ),
        min_size=1,
        max_size=50,
    )
)
def test_scores_in_thousandths_are_rounded_as_lunr_py_rounds_them(scores):
    """Tier 1's bulk rounding gives what lunr.py's round(round(score, 3) * 1000) gives."""
    import numpy as np

    from search.index import _thousandths

    expected = [round(round(score, 3) * 1000) for score in scores]
    assert _thousandths(np.array(scores, dtype=np.float64)).tolist() == expected

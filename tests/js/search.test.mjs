// The browser's search code (theme/static/js/search-core.js) on the index Python built.
// Run by tests/test_search.py with SEARCH_SITE_OUTPUT pointing at a built fixture site.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const lunr = require("lunr");
const core = require("../../theme/static/js/search-core.js");
const cases = JSON.parse(fs.readFileSync(new URL("../fixtures/tokenizer_cases.json", import.meta.url), "utf8"));
const output = process.env.SEARCH_SITE_OUTPUT;

test("tokeniser agrees with the shared fixture", () => {
  for (const c of cases) assert.deepEqual(core.tokens(c.text), c.tokens, c.text);
  assert.deepEqual(core.positioned("2014年预算"), [["2014", 0], ["年预", 4], ["预算", 5]]);
  assert.equal(core.exactKey("皖外办［２０１４］１２号"), "=皖外办201412号");
});

function call(file, name) {
  let args;
  vm.runInNewContext(fs.readFileSync(file, "utf8"), { [name]: (...a) => { args = a; }, JSON });
  return args;
}

/* The whole tier 1 as lunr.Index.load takes it (terms numbered in sorted order), to compare with. */
function expandIndex(compact, refs) {
  const { fields, terms } = compact;
  const postings = terms.map((_, i) => Object.fromEntries([["_index", i], ...fields.map((f) => [f, {}])]));
  const vectors = {};
  compact.postings.forEach((text, n) => {
    const flat = text ? text.split(",").map(Number) : [];
    for (let k = 0; k < flat.length;) {
      const field = fields[flat[k]], count = flat[k + 1];
      let ref = 0;
      k += 2;
      for (let j = 0; j < count; j++, k += 2) {
        ref += flat[k];
        postings[n][field][ref] = {};
        (vectors[`${field}/${ref}`] ||= []).push(n, flat[k + 1] / 1000);
      }
    }
  });
  const fieldVectors = [];
  for (let ref = 0; ref < refs; ref++) for (const f of fields) fieldVectors.push([`${f}/${ref}`, vectors[`${f}/${ref}`] || []]);
  return { version: compact.version, fields, fieldVectors, invertedIndex: terms.map((t, i) => [t, postings[i]]), pipeline: [] };
}

/* Tier 1 whole, as the Python helper search.index.read_tier1 reads it: the compact index (terms
 * sorted) and the docs store. */
function wholeTier1(data) {
  const found = {};
  for (let shard = 0; shard < data.termShards; shard++) {
    const [, entries] = call(path.join(output, `search/t1/${shard}.js`), "gkSearchTerms");
    for (const [term, value] of Object.entries(entries)) {
      found[term] = typeof value === "number"
        ? call(path.join(output, `search/t1/${shard}-${value}.js`), "gkSearchTerms")[1][term] : value;
    }
  }
  const terms = Object.keys(found).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const docs = [];
  for (let n = 0; n * data.store < data.count; n++) docs.push(...call(path.join(output, `search/t1d/${n}.js`), "gkSearchDocs")[1]);
  return { index: { version: data.version, fields: data.fields, terms, postings: terms.map((t) => found[t]) }, docs };
}

const CALLS = { t1: ["gkSearchTerms", "addTerms"], t1w: ["gkSearchWild", "addWild"], t1d: ["gkSearchDocs", "addDocs"],
  t1c: ["gkSearchColumns", "addColumns"], t2: ["gkSearchShard", "addLists"], t2c: ["gkSearchContext", "addContexts"] };

function loadEngine() {
  const [data] = call(path.join(output, "search/tier1.js"), "gkSearchData");
  const engine = new core.Engine(lunr, data);
  const whole = wholeTier1(data);
  const texts = whole.docs.map((_, ref) => call(path.join(output, `search/text/${ref}.js`), "gkSearchText")[1]);
  const fetched = new Set();
  const load = (names) => {
    for (const name of names) {
      fetched.add(name);
      const kind = name.split("/")[0];
      assert.ok(CALLS[kind], name);
      engine[CALLS[kind][1]](...call(path.join(output, `search/${name}.js`), CALLS[kind][0]));
    }
  };
  const prepare = (phrases) => {
    for (let files = engine.needs(phrases); files.length; files = engine.needs(phrases)) load(files);
  };
  const search = (query) => {
    const phrases = core.parse(query);
    prepare(phrases);
    const refs = engine.search(phrases).map((r) => r.ref);
    load(engine.docsNeeded(refs));
    return refs.map((ref) => engine.doc(ref)[0]);
  };
  return { data, whole, engine, texts, search, prepare, fetched };
}

const EXPECTED = [
  ["预算", "省外办2014年预算执行情况"],
  ["侨务", "侨务工作要点"],
  ["签证", "因公签证办理须知"],
  ["政务公开", "政务公开工作总结"],
  ["旅行卡", "APEC商务旅行卡办理指南"],
  ["税", "税费减免说明"],
  ["2014年预算", "省外办2014年预算执行情况"],
  ["皖外办〔2014〕12号", "关于规范因公出国审批的通知"],
  ["皖外办(2014)12号", "关于规范因公出国审批的通知"],
  ["皖外办［２０１４］１２号", "关于规范因公出国审批的通知"],
  ["003186648/201404-00001", "关于规范因公出国审批的通知"],
  ["单认证涉及", "窗口工作简报"],
  ["APEC", "APEC商务旅行卡办理指南"],
  ["因公出国", "关于规范因公出国审批的通知"],
  ["年度报告", "2014年政府信息公开工作年度报告"],
  ["领事认证 51个国家", "窗口工作简报"],
  ["保密审查", "信息员培训"],
  ["决算", "2013年部门决算"],
];

test("expected document in the top 3 for Chinese queries", { skip: !output && "SEARCH_SITE_OUTPUT not set" }, () => {
  const { search } = loadEngine();
  for (const [query, title] of EXPECTED) {
    const top = search(query).slice(0, 3);
    assert.ok(top.includes(title), `${query}: ${JSON.stringify(top)}`);
  }
});

test("exact 文号 and 索引号 lookups put the document first", { skip: !output && "no site" }, () => {
  const { search } = loadEngine();
  for (const query of ["皖外办〔2014〕12号", "皖外办(2014)12号", "003186648/201404-00001"]) {
    assert.equal(search(query)[0], "关于规范因公出国审批的通知", query);
  }
});

test("phrase queries return what a substring scan returns, plus at most 5% extra", { skip: !output && "no site" }, () => {
  const { whole, texts, search } = loadEngine();
  const data = whole;
  const haystack = data.docs.map((d, ref) => core.normalise([d[0], d[3], d[5], texts[ref]].join("\n")));
  for (const phrase of ["政务公开", "领事认证", "预算执行", "归侨侨眷", "工作", "申请", "审批", "商务旅行卡"]) {
    const expected = new Set(data.docs.map((d, ref) => (haystack[ref].includes(core.normalise(phrase)) ? d[0] : null)).filter(Boolean));
    const found = new Set(search(phrase));
    assert.ok(expected.size > 0, phrase);
    for (const title of expected) assert.ok(found.has(title), `${phrase}: missing ${title}`);
    const extra = [...found].filter((t) => !expected.has(t));
    assert.ok(extra.length <= Math.floor(0.05 * expected.size), `${phrase}: extra ${JSON.stringify(extra)}`);
  }
});

test("a query loads only the shards of its own tokens", { skip: !output && "no site" }, () => {
  const fetchedBy = (query) => {
    const { engine, search, fetched } = loadEngine();
    search(query);
    return { engine, fetched: [...fetched].filter((name) => name.startsWith("t2")).sort() };
  };
  const { data } = loadEngine();
  assert.ok(data.blocks.some(([, count]) => count > 1), "the fixture has several shards per block");
  const lists = (token) => [...data.blocks].map(([, count], block) => `t2/${block}-${core.shardOf(token, count)}`);
  // A token's document lists and contexts: the shard files, and the files of their own that a
  // shard names for a common token's.
  const listFiles = (engine, token) => lists(token).flatMap((name) => {
    const id = name.slice(3), value = engine.lists[id][token];
    return typeof value === "number" ? [name, `t2/${id.replace("-", "/")}-${value}`] : [name];
  });
  // Contexts are loaded only in the blocks where one document holds every listed token.
  const { whole, texts } = loadEngine();
  const held = whole.docs.map((d, ref) => new Set(core.tokens(core.normalise([d[0], d[3], d[5],
    data.columns[d[1]].split("/").pop(), d[6] >= 0 ? data.publishers[d[6]] : "", d[8], texts[ref]].join("\n")))));
  const blockOf = (ref) => data.blocks.findLastIndex(([start]) => start <= ref);
  const holding = (tokens) => new Set(held.flatMap((set, ref) => (tokens.every((t) => set.has(t)) ? [blockOf(ref)] : [])));
  const contexts = (engine, token, listed) => lists(token).filter((_, block) => holding(listed).has(block)).flatMap((name) => {
    const own = engine.ownContextsId(name.slice(3), token);
    return own ? [name.replace("t2/", "t2c/"), `t2c/${own}`] : [name.replace("t2/", "t2c/")];
  });
  // A two-character word: its document list, one shard file per tier-2 block (the one its hash
  // names), and the file of its own where the word is common.
  const two = fetchedBy("预算");
  assert.deepEqual(two.fetched, listFiles(two.engine, "预算").sort());
  // A token whose list is in a file of its own in the first block.
  const first = fs.readdirSync(path.join(output, "search/t2")).filter((n) => /^0-\d+\.js$/.test(n)).sort();
  const common = first.map((n) => call(path.join(output, "search/t2", n), "gkSearchShard")[1])
    .flatMap((lists) => Object.keys(lists).filter((t) => typeof lists[t] === "number" && Array.from(t).length === 2))[0];
  assert.ok(common, "the fixture has a common token");
  const own = fetchedBy(common);
  assert.deepEqual(own.fetched, listFiles(own.engine, common).sort());
  assert.ok(own.fetched.some((name) => name.split("/").length === 3), common);
  assert.ok(own.engine.documentCount(common) > 0, common);
  // A four-character phrase: the list and the contexts of its middle token only.
  const four = fetchedBy("预算执行");
  assert.deepEqual(four.fetched, [...listFiles(four.engine, "算执"), ...contexts(four.engine, "算执", ["算执"])].sort());
  // Three characters: both lists, then the contexts of the rarer token.
  const { engine, fetched } = fetchedBy("预算执");
  const rarer = engine.documentCount("预算") <= engine.documentCount("算执") ? "预算" : "算执";  // a tie: the first
  assert.deepEqual(fetched, [...new Set([...listFiles(engine, "预算"), ...listFiles(engine, "算执"),
    ...contexts(engine, rarer, ["预算", "算执"])])].sort());
  assert.ok(holding(["预算", "算执"]).size < data.blocks.length, "a block without the phrase's tokens");
  // Contexts only where one document holds every listed token: a phrase of one document loads
  // those of its own block, and finds it.
  assert.ok(data.blocks.length > 1, "the fixture has several tier-2 blocks");
  const ref = whole.docs.findIndex((d) => d[0] === "窗口工作简报");
  const block = data.blocks.findLastIndex(([start]) => start <= ref);
  const rare = loadEngine();
  assert.deepEqual(rare.search("单认证涉及"), ["窗口工作简报"]);
  const blocks = [...rare.fetched].filter((n) => n.startsWith("t2c/")).map((n) => +n.split(/[/-]/)[1]);
  assert.ok(blocks.length > 0);
  assert.deepEqual([...new Set(blocks)], [block]);
});

test("a query loads tier 1's files of its own terms only, and the rows it shows", { skip: !output && "no site" }, () => {
  const { data, engine, search, fetched } = loadEngine();
  const found = search("预算执行");
  const terms = ["预算", "算执", "执行", core.exactKey("预算执行")];
  const expected = new Set(terms.flatMap((term) => {
    const shard = core.shardOf(term, data.termShards), value = engine.terms[shard][term];
    return typeof value === "number" ? [`t1/${shard}`, `t1/${shard}-${value}`] : [`t1/${shard}`];
  }));
  assert.deepEqual([...fetched].filter((name) => name.startsWith("t1/")).sort(), [...expected].sort());
  assert.ok(found.length > 0 && data.termShards > expected.size);
  // The docs store: the files of the rows shown, eight rows a file.
  const rows = [...fetched].filter((name) => name.startsWith("t1d/")).sort();
  const refs = engine.search(core.parse("预算执行")).map((r) => r.ref);
  assert.deepEqual(rows, [...new Set(refs.map((ref) => `t1d/${Math.floor(ref / data.store)}`))].sort());
  assert.ok(!fetched.has("t1c"), "the column filter's file waits for the column filter");
  assert.ok(![...fetched].some((name) => name.startsWith("t1w/")), "no one-character phrase");
});

test("tier 1 scores are what lunr.js gives on the whole index", { skip: !output && "no site" }, () => {
  const { whole: tier1, engine, prepare } = loadEngine();
  const whole = lunr.Index.load(expandIndex(tier1.index, tier1.docs.length));
  const queries = ["预算", "侨务", "签证", "税", "2014年预算", "皖外办〔2014〕12号", "APEC", "工作 要点", "领事认证 51个国家",
    "税 预算", "12号", "预", "公 开", "侨 签证", "签证 侨", "工 作 要点", "预 算 执行", "办 号"];
  for (const query of queries) {
    const phrases = core.parse(query);
    // A phrase of one Han character alone is a wildcard over the title, keywords and 文号.
    const wild = (p) => p.tokens.length === 1 && p.tokens[0][0].length === 1 && p.tokens[0][0] > "z";
    const terms = [...new Set(phrases.flatMap((p) => p.tokens.map((t) => (wild(p) ? "*" : "") + t[0])))];
    const run = (index) => index.query((q) => terms.forEach((t) => q.term(t.replace(/^\*/, ""), t[0] === "*"
      ? { usePipeline: false, presence: lunr.Query.presence.REQUIRED, fields: ["title", "keywords", "doc_number"],
          wildcard: lunr.Query.wildcard.LEADING | lunr.Query.wildcard.TRAILING }
      : { usePipeline: false, presence: lunr.Query.presence.REQUIRED })));
    const expected = Object.fromEntries(run(whole).map((r) => [r.ref, r.score]));
    prepare(phrases);
    const scores = engine.tier1(phrases).scores;
    // The same documents with the same scores (whether a phrase's characters stand together is
    // checked afterwards, by tier 2).
    assert.deepEqual(Object.keys(scores).sort(), Object.keys(expected).sort(), query);
    for (const ref of Object.keys(scores)) assert.equal(scores[ref], expected[ref], `${query}: ${ref}`);
    assert.ok(Object.keys(scores).length > 0 || query.includes(" "), query);
  }
});

test("snippets mark the query terms and never contain markup", () => {
  const pieces = core.snippet("<b>全年</b>办理领事认证单认证涉及51个国家", core.parse("单认证"), 40);
  assert.ok(pieces.some(([text, hit]) => hit && text === "单认证"));
  assert.equal(pieces.map(([t]) => t).join(""), "<b>全年</b>办理领事认证单认证涉及51个国家");
});

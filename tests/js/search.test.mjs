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
  vm.runInNewContext(fs.readFileSync(file, "utf8"), { [name]: (...a) => { args = a; } });
  return args;
}

function loadEngine() {
  const [data] = call(path.join(output, "search/tier1.js"), "gkSearchData");
  const engine = new core.Engine(lunr, data);
  const texts = data.docs.map((_, ref) => call(path.join(output, `search/text/${ref}.js`), "gkSearchText")[1]);
  const fetched = new Set();
  const search = (query) => {
    const phrases = core.parse(query);
    for (const id of engine.shardsFor(phrases)) {
      fetched.add(id);
      const [shardId, postings] = call(path.join(output, `search/t2/${id}.js`), "gkSearchShard");
      engine.addShard(shardId, postings);
    }
    return engine.search(phrases).map((r) => data.docs[r.ref][0]);
  };
  return { data, engine, texts, search, fetched };
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
  const { data, texts, search } = loadEngine();
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
  const { data, search, fetched } = loadEngine();
  search("预算");
  // One shard file per tier-2 block: the one its hash names.
  assert.deepEqual([...fetched], [...data.blocks].map(([, count], block) => `${block}-${core.shardOf("预算", count)}`));
});

test("snippets mark the query terms and never contain markup", () => {
  const pieces = core.snippet("<b>全年</b>办理领事认证单认证涉及51个国家", core.parse("单认证"), 40);
  assert.ok(pieces.some(([text, hit]) => hit && text === "单认证"));
  assert.equal(pieces.map(([t]) => t).join(""), "<b>全年</b>办理领事认证单认证涉及51个国家");
});

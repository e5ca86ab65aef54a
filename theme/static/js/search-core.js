/* Search engine core: the tokeniser (same scheme as plugins/search/tokenizer.py) and the query
 * over tier 1 (lunr index of titles and metadata) and tier 2 (body document lists and contexts,
 * sharded by token).
 * Runs in the browser (window.GkSearch) and in node for the tests (module.exports). No DOM here. */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.GkSearch = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var RUN = new RegExp("[" + HAN + "]+|[a-z0-9]+", "g");
  var EXACT_PREFIX = "=";

  function normalise(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      out += code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : text[i];
    }
    return out.replace(/\u3000/g, " ").toLowerCase();
  }

  /* [token, offset] pairs; offsets count code points, as Python does. */
  function positioned(text) {
    var chars = Array.from(normalise(text));
    var flat = chars.map(function (c) { return c.length === 1 ? c : "\u0000"; }).join("");
    var out = [];
    var match;
    RUN.lastIndex = 0;
    while ((match = RUN.exec(flat)) !== null) {
      var run = match[0], start = match.index;
      if (run[0] > "z" && run.length > 1) {
        for (var i = 0; i < run.length - 1; i++) out.push([run.slice(i, i + 2), start + i]);
      } else {
        out.push([run, start]);
      }
    }
    return out;
  }

  function tokens(text) {
    return positioned(text).map(function (p) { return p[0]; });
  }

  function exactKey(text) {
    var joined = (normalise(text).match(RUN) || []).join("");
    return joined ? EXACT_PREFIX + joined : "";
  }

  function shardOf(token, count) {
    var value = 0x811c9dc5;
    for (var ch of token) {
      value = Math.imul(value ^ ch.codePointAt(0), 0x01000193) >>> 0;
    }
    return value % count;
  }

  /* A query: whitespace separates phrases (all must match); a phrase matches where its tokens
   * stand at the same relative offsets as in the query. */
  function parse(query) {
    return query.split(/[\s\u3000]+/).filter(Boolean).map(function (text) {
      var toks = positioned(text);
      return { text: text, tokens: toks, key: exactKey(text) };
    }).filter(function (p) { return p.tokens.length; });
  }

  function unique(list) {
    return list.filter(function (x, i) { return list.indexOf(x) === i; });
  }

  function phraseAt(phrase, positionsOf) {
    /* positionsOf(token) -> sorted offsets in one text; true if the phrase occurs there. */
    var first = phrase.tokens[0];
    var starts = positionsOf(first[0]) || [];
    return starts.some(function (start) {
      return phrase.tokens.every(function (t) {
        var list = positionsOf(t[0]);
        return list && list.indexOf(start + t[1] - first[1]) >= 0;
      });
    });
  }

  function textPositions(text) {
    var map = {};
    positioned(text).forEach(function (p) { (map[p[0]] = map[p[0]] || []).push(p[1]); });
    return function (token) { return map[token]; };
  }

  /* The character classes of tier-2 contexts (plugins/search/tokenizer.py contexts_by_token): a
   * token character stands for itself, anything else is a space. */
  var TOKEN_CHAR = new RegExp("^[" + HAN + "a-z0-9]$");
  function contextChar(c) { return c !== undefined && TOKEN_CHAR.test(c) ? c : " "; }

  function byNumber(a, b) { return a - b; }

  function Engine(lunr, data) {
    this.lunr = lunr;
    this.data = data;
    this.lists = {};     // shard id -> {token: [docDelta, count, ...]}
    this.contexts = {};  // shard id -> {token: "contexts|contexts|..."}, one entry per listed document
    this.decoded = {};
    this.decodedTerms = {};
  }

  /* docs[ref] = [title, column code, date, 文号, 索引号, keywords, publisher number, url or "", summary]. */
  var TITLE = 0, COLUMN = 1, DATE = 2, DOC_NUMBER = 3, INDEX = 4, KEYWORDS = 5, PUBLISHER = 6, URL = 7, SUMMARY = 8;

  function docUrl(doc) {
    return doc[URL] || "docs/" + doc[INDEX].replace("/", "-").toLowerCase() + ".html";
  }

  Engine.prototype.metadataText = function (ref) {
    var d = this.data.docs[ref], publisher = this.data.publishers[d[PUBLISHER]] || "";
    var column = this.data.columns[d[COLUMN]] || "";
    return [d[TITLE], d[DOC_NUMBER], d[KEYWORDS], column, publisher, d[SUMMARY] || ""].join("\n");
  };

  /* Tier 1's number of a term (its place in the sorted term list), or -1. */
  Engine.prototype.termNumber = function (term) {
    var terms = this.data.index.terms, low = 0, high = terms.length - 1;
    while (low <= high) {
      var mid = (low + high) >> 1;
      if (terms[mid] === term) return mid;
      if (terms[mid] < term) low = mid + 1; else high = mid - 1;
    }
    return -1;
  };

  /* A tier-1 term's postings, [field number, count, ref delta, score × 1000, …], decoded once. */
  Engine.prototype.postings = function (n) {
    var text = this.data.index.postings[n];
    return this.decodedTerms[n] || (this.decodedTerms[n] = text ? text.split(",").map(Number) : []);
  };

  /* A lunr index of just these terms (numbers) and documents (refs, or all when null): the postings
   * and scores lunr.Index.load of the whole tier 1 would hold for them, built in proportion to the
   * query's own postings rather than to the whole index (a whole load takes over a second at 10,000
   * documents). lunr.js then runs the query as usual; a document's score depends only on its own
   * field vectors, so leaving out documents that cannot match changes no score. */
  Engine.prototype.subIndex = function (numbers, refs) {
    var lunr = this.lunr, index = this.data.index, fields = index.fields, inverted = {}, vectors = {}, self = this;
    unique(numbers).sort(byNumber).forEach(function (n) {
      var posting = { _index: n }, flat = self.postings(n), k = 0;
      fields.forEach(function (f) { posting[f] = {}; });
      while (k < flat.length) {
        var field = fields[flat[k]], count = flat[k + 1], ref = 0;
        k += 2;
        for (var j = 0; j < count; j++, k += 2) {
          ref += flat[k];
          if (refs && !refs[ref]) continue;
          posting[field][ref] = {};
          var key = field + "/" + ref;
          (vectors[key] || (vectors[key] = [])).push(n, flat[k + 1] / 1000);
        }
      }
      inverted[index.terms[n]] = posting;
    });
    var fieldVectors = {};
    Object.keys(vectors).forEach(function (key) { fieldVectors[key] = new lunr.Vector(vectors[key]); });
    return new lunr.Index({ invertedIndex: inverted, fieldVectors: fieldVectors, fields: fields,
      tokenSet: lunr.TokenSet.fromArray(Object.keys(inverted).sort()), pipeline: new lunr.Pipeline() });
  };

  /* Count, in ``hits``, the documents having one of these terms (numbers) in one of these fields
   * (all when null); ``seen`` stops a document being counted twice for the same ``clause``. */
  Engine.prototype.markDocuments = function (numbers, fieldNames, clause, hits, seen) {
    var index = this.data.index, self = this;
    var wanted = fieldNames && fieldNames.map(function (f) { return index.fields.indexOf(f); });
    numbers.forEach(function (n) {
      var flat = self.postings(n), k = 0;
      while (k < flat.length) {
        var take = !wanted || wanted.indexOf(flat[k]) >= 0, count = flat[k + 1], ref = 0;
        k += 2;
        for (var j = 0; j < count; j++, k += 2) {
          ref += flat[k];
          if (take && seen[ref] !== clause) { seen[ref] = clause; hits[ref]++; }
        }
      }
    });
  };

  var SINGLE_HAN_FIELDS = ["title", "keywords", "doc_number"];

  Engine.prototype.tier1 = function (phrases) {
    var lunr = this.lunr, self = this, all = [], scores = {}, exact = {};
    phrases.forEach(function (p) {
      all = all.concat(p.tokens.map(function (t) { return t[0]; }));
      var key = p.key && self.termNumber(p.key);
      if (key >= 0) {
        self.subIndex([key], null).query(function (q) { q.term(p.key, { fields: ["exact"], usePipeline: false }); })
          .forEach(function (r) { exact[r.ref] = true; });
      }
    });
    // Every token is required: only documents having each of them (in the fields its clause
    // searches) can match, so the index is made of those alone.
    var clauses = unique(all).map(function (t) {
      // A lone Han character matches any bigram that contains it (no unigrams are indexed).
      if (t.length === 1 && t > "z") {
        var numbers = [];
        self.data.index.terms.forEach(function (term, n) { if (term.indexOf(t) >= 0) numbers.push(n); });
        return { token: t, numbers: numbers, fields: SINGLE_HAN_FIELDS };
      }
      var n = self.termNumber(t);
      return { token: t, numbers: n >= 0 ? [n] : [], fields: null };
    });
    var total = this.data.docs.length, hits = new Uint16Array(total), seen = new Int32Array(total);
    clauses.forEach(function (c, i) { self.markDocuments(c.numbers, c.fields, i + 1, hits, seen); });
    var candidates = new Uint8Array(total), any = false;
    for (var ref = 0; ref < total; ref++) if (hits[ref] === clauses.length) { candidates[ref] = 1; any = true; }
    if (!any) return { scores: scores, exact: exact };
    var numbers = [];
    clauses.forEach(function (c) { numbers = numbers.concat(c.numbers); });
    this.subIndex(numbers, candidates).query(function (q) {
      clauses.forEach(function (c) {
        var clause = { usePipeline: false, presence: lunr.Query.presence.REQUIRED };
        if (c.fields) {
          clause.wildcard = lunr.Query.wildcard.LEADING | lunr.Query.wildcard.TRAILING;
          clause.fields = c.fields;
        }
        q.term(c.token, clause);
      });
    }).forEach(function (r) {
      var text = null;
      var ok = phrases.every(function (p) {
        return p.tokens.length === 1 || phraseAt(p, text || (text = textPositions(self.metadataText(r.ref))));
      });
      if (ok) scores[r.ref] = r.score;
    });
    return { scores: scores, exact: exact };
  };

  /* Which tokens of a phrase tier 2 needs: the document lists to intersect and count, and the tokens
   * whose contexts check that the phrase's characters stand together. From three tokens on, the
   * inner tokens' contexts cover every character of a Han phrase (a token other than a bigram,
   * a number say, is also looked up as a whole); with two, the rarer token's context ties it to
   * the other, so the lists come first. */
  Engine.prototype.plan = function (phrase) {
    var toks = phrase.tokens.map(function (t, i) { return { token: t[0], at: i }; }), self = this;
    if (toks.length === 1) return { lists: [toks[0].token], checks: [] };
    if (toks.length === 2) {
      var lists = [toks[0].token, toks[1].token];
      if (!lists.every(function (t) { return self.listLoaded(t); })) return { lists: lists, checks: null };
      return { lists: lists, checks: [this.documentCount(lists[0]) <= this.documentCount(lists[1]) ? toks[0] : toks[1]] };
    }
    var inner = toks.slice(1, -1);
    return {
      lists: unique(inner.concat(toks.filter(function (t) {
        return !(Array.from(t.token).length === 2 && t.token[0] > "z");
      })).map(function (t) { return t.token; })),
      checks: inner
    };
  };

  Engine.prototype.shardIds = function (token) {
    return this.data.blocks.map(function (b, i) { return i + "-" + shardOf(token, b[1]); });
  };

  Engine.prototype.listLoaded = function (token) {
    var lists = this.lists;
    return this.shardIds(token).every(function (id) { return id in lists; });
  };

  /* The tier-2 files (t2/… document lists, t2c/… contexts) the query still needs, without ".js". */
  Engine.prototype.needs = function (phrases) {
    var self = this, out = [];
    phrases.forEach(function (p) {
      var plan = self.plan(p);
      plan.lists.forEach(function (t) {
        self.shardIds(t).forEach(function (id) { if (!(id in self.lists)) out.push("t2/" + id); });
      });
      (plan.checks || []).forEach(function (c) {
        self.shardIds(c.token).forEach(function (id) {
          if (!(id in self.contexts)) { out.push("t2c/" + id); return; }
          var own = self.ownContextsId(id, c.token);
          if (own && !(own in self.contexts)) out.push("t2c/" + own);
        });
      });
    });
    return unique(out);
  };

  /* A common token's contexts have a file of their own ("block/shard-number"), named in its shard. */
  Engine.prototype.ownContextsId = function (id, token) {
    var value = this.contexts[id][token];
    return typeof value === "number" ? id.replace("-", "/") + "-" + value : null;
  };

  Engine.prototype.addLists = function (id, lists) { this.lists[id] = lists; };
  Engine.prototype.addContexts = function (id, contexts) { this.contexts[id] = contexts; };

  /* One token's documents over all blocks: {docs: [ref…], counts: [n…]} (ascending refs). */
  Engine.prototype.list = function (token) {
    if (this.decoded[token]) return this.decoded[token];
    var out = { docs: [], counts: [] }, lists = this.lists;
    this.data.blocks.forEach(function (b, i) {
      var shard = lists[i + "-" + shardOf(token, b[1])];
      if (!shard) throw new Error("shard not loaded for " + token);
      var flat = shard[token] || [], doc = b[0];
      for (var k = 0; k < flat.length; k += 2) {
        doc += flat[k];
        out.docs.push(doc);
        out.counts.push(flat[k + 1]);
      }
    });
    this.decoded[token] = out;
    return out;
  };

  Engine.prototype.documentCount = function (token) { return this.list(token).docs.length; };

  /* ref -> the token's contexts in that document ("ab" pairs: the character before, the one after). */
  Engine.prototype.contextsOf = function (token) {
    var out = {}, lists = this.lists, contexts = this.contexts, self = this;
    this.data.blocks.forEach(function (b, i) {
      var id = i + "-" + shardOf(token, b[1]), flat = (lists[id] || {})[token];
      if (!flat) return;
      var own = self.ownContextsId(id, token), found = (own ? contexts[own] : contexts[id])[token].split("|"), doc = b[0];
      for (var k = 0; k < flat.length; k += 2) {
        doc += flat[k];
        out[doc] = found[k / 2];
      }
    });
    return out;
  };

  /* Body matches: every phrase's lists intersected and its contexts checked; ranked with lunr's
   * BM25 weights (k1 = 1.2, lunr's idf) of the listed tokens' counts. Building a lunr index over the
   * matches in the browser took 450–980 ms for a word found in every one of 10,000 documents. */
  Engine.prototype.tier2 = function (phrases) {
    var self = this, total = this.data.docs.length, scores = null;
    phrases.forEach(function (p) {
      var plan = self.plan(p), chars = Array.from(normalise(p.text));
      var found = {};
      plan.lists.forEach(function (token, i) {
        var list = self.list(token), n = list.docs.length;
        var idf = Math.log(1 + Math.abs((total - n + 0.5) / (n + 0.5))), next = {};
        for (var k = 0; k < n; k++) {
          var doc = list.docs[k];
          if (i > 0 && !(doc in found)) continue;
          var tf = list.counts[k];
          next[doc] = (i > 0 ? found[doc] : 0) + idf * tf * 2.2 / (tf + 1.2);
        }
        found = next;
      });
      plan.checks.forEach(function (check) {
        var t = p.tokens[check.at], length = Array.from(t[0]).length;
        var before = check.at > 0 ? contextChar(chars[t[1] - 1]) : null;
        var after = check.at < p.tokens.length - 1 ? contextChar(chars[t[1] + length]) : null;
        var contexts = self.contextsOf(t[0]);
        Object.keys(found).forEach(function (doc) {
          var pairs = contexts[doc] || "", ok = false;
          for (var j = 0; j < pairs.length && !ok; j += 2) {
            ok = (before === null || pairs[j] === before) && (after === null || pairs[j + 1] === after);
          }
          if (!ok) delete found[doc];
        });
      });
      if (scores === null) { scores = found; return; }
      var both = {};
      Object.keys(found).forEach(function (doc) { if (doc in scores) both[doc] = scores[doc] + found[doc]; });
      scores = both;
    });
    return scores || {};
  };

  /* Merge: exact 索引号/文号 hits first, then by title-and-metadata score (doubled) plus body score,
   * then the newer document (refs follow the date, see plugins/search/generator.py). ``tier1`` is
   * this.tier1(phrases) when already worked out (the page does it while the tier-2 files load). */
  Engine.prototype.search = function (phrases, tier1) {
    var t1 = tier1 || this.tier1(phrases), t2 = this.tier2(phrases), docs = this.data.docs;
    var total = new Float64Array(docs.length), found = new Uint8Array(docs.length), refs = [];
    function add(ref, score) {
      total[ref] += score;
      if (!found[ref]) { found[ref] = 1; refs.push(+ref); }
    }
    Object.keys(t1.scores).forEach(function (ref) { add(ref, 2 * t1.scores[ref]); });
    Object.keys(t2).forEach(function (ref) { add(ref, t2[ref]); });
    Object.keys(t1.exact).forEach(function (ref) { add(ref, 1e6); });
    return refs.sort(function (a, b) {
      return total[b] - total[a] || (docs[a][DATE] === docs[b][DATE] ? a - b : b - a);
    }).map(function (ref) { return { ref: ref, score: total[ref] }; });
  };

  /* Snippet: a window of the text around the first match, as [text, highlighted] pieces.
   * Whole phrase occurrences are highlighted, not their bigrams one by one. */
  function snippet(text, phrases, width) {
    width = width || 60;
    var chars = Array.from(text), marks = new Array(chars.length), at = textPositions(text), first = -1;
    phrases.forEach(function (p) {
      var head = p.tokens[0], tail = p.tokens[p.tokens.length - 1];
      var span = tail[1] + Array.from(tail[0]).length - head[1];
      (at(head[0]) || []).forEach(function (start) {
        var whole = p.tokens.every(function (t) {
          var list = at(t[0]);
          return list && list.indexOf(start + t[1] - head[1]) >= 0;
        });
        if (!whole) return;
        for (var i = 0; i < span; i++) marks[start + i] = true;
        if (first < 0 || start < first) first = start;
      });
    });
    var begin = Math.max(0, Math.min((first < 0 ? 0 : first) - Math.floor(width / 3), chars.length - width));
    var end = Math.min(chars.length, begin + width), pieces = [];
    for (var i = begin; i < end; i++) {
      var hit = !!marks[i], last = pieces[pieces.length - 1];
      if (last && last[1] === hit) last[0] += chars[i];
      else pieces.push([chars[i], hit]);
    }
    if (begin > 0) pieces.unshift(["…", false]);
    if (end < chars.length) pieces.push(["…", false]);
    return pieces;
  }

  return {
    normalise: normalise, positioned: positioned, tokens: tokens, exactKey: exactKey, shardOf: shardOf, docUrl: docUrl,
    parse: parse, snippet: snippet, Engine: Engine
  };
});

/* Search engine core: the tokeniser (same scheme as plugins/search/tokenizer.py) and the query
 * over tier 1 (lunr index of titles and metadata) and tier 2 (body postings, sharded by token).
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

  /* Decode one token's postings: [docDelta, n, firstPos, posDelta..., docDelta, n, ...]; doc numbers
   * count from ``base`` (the first ref of the tier-2 block the postings come from). */
  function decodePostings(flat, base, out) {
    out = out || {};
    var doc = base || 0, i = 0;
    while (i < flat.length) {
      doc += flat[i++];
      var n = flat[i++], pos = 0, list = [];
      for (var k = 0; k < n; k++) { pos += flat[i++]; list.push(pos); }
      out[doc] = list;
    }
    return out;
  }

  /* Tier 1 travels compact (see plugins/search/index.py compact_index): the terms, and per field
   * rows of [ref delta, term delta, score, ...]. This rebuilds the lunr serialisation from them. */
  function expandIndex(compact, refs) {
    var fields = compact.fields, postings = compact.terms.map(function (term, i) {
      var posting = { _index: i };
      fields.forEach(function (f) { posting[f] = {}; });
      return [term, posting];
    });
    var vectors = {};
    fields.forEach(function (f) {
      var ref = 0;
      compact.vectors[f].forEach(function (row) {
        ref += row[0];
        var elements = [], term = 0;
        for (var i = 1; i < row.length; i += 2) {
          term += row[i];
          elements.push(term, row[i + 1]);
          postings[term][1][f][ref] = {};
        }
        vectors[f + "/" + ref] = elements;
      });
    });
    var fieldVectors = [];
    for (var r = 0; r < refs; r++) {
      fields.forEach(function (f) { fieldVectors.push([f + "/" + r, vectors[f + "/" + r] || []]); });
    }
    postings.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; });
    return { version: compact.version, fields: fields, fieldVectors: fieldVectors, invertedIndex: postings,
      pipeline: [] };
  }

  function Engine(lunr, data) {
    this.lunr = lunr;
    this.data = data;
    this.index = lunr.Index.load(data.index.terms ? expandIndex(data.index, data.docs.length) : data.index);
    this.shards = {};
    this.decoded = {};
  }

  /* docs[ref] = [title, column code, date, 文号, 索引号, keywords, publisher number, url or "", summary]. */
  var TITLE = 0, COLUMN = 1, DATE = 2, DOC_NUMBER = 3, INDEX = 4, KEYWORDS = 5, PUBLISHER = 6, URL = 7, SUMMARY = 8;

  function docUrl(doc) {
    return doc[URL] || "docs/" + doc[INDEX].replace("/", "-").toLowerCase() + ".html";
  }

  Engine.prototype.metadataText = function (ref) {
    var d = this.data.docs[ref], publisher = this.data.publishers[d[PUBLISHER]] || "";
    var column = (this.data.columns[d[COLUMN]] || "").split("/").pop();
    return [d[TITLE], d[DOC_NUMBER], d[KEYWORDS], column, publisher, d[SUMMARY] || ""].join("\n");
  };

  Engine.prototype.tier1 = function (phrases) {
    var lunr = this.lunr, all = [];
    phrases.forEach(function (p) { all = all.concat(p.tokens.map(function (t) { return t[0]; })); });
    all = unique(all);
    var scores = {}, exact = {};
    var self = this;
    phrases.forEach(function (p) {
      if (!p.key || !self.index.invertedIndex[p.key]) return;
      self.index.query(function (q) { q.term(p.key, { fields: ["exact"], usePipeline: false }); })
        .forEach(function (r) { exact[r.ref] = true; });
    });
    this.index.query(function (q) {
      all.forEach(function (t) {
        // A lone Han character matches any bigram that contains it (no unigrams are indexed).
        var clause = { usePipeline: false, presence: lunr.Query.presence.REQUIRED };
        if (t.length === 1 && t > "z") {
          clause.wildcard = lunr.Query.wildcard.LEADING | lunr.Query.wildcard.TRAILING;
          clause.fields = ["title", "keywords", "doc_number"];
        }
        q.term(t, clause);
      });
    }).forEach(function (r) {
      var text = textPositions(self.metadataText(r.ref));
      var ok = phrases.every(function (p) { return p.tokens.length === 1 || phraseAt(p, text); });
      if (ok) scores[r.ref] = r.score;
    });
    return { scores: scores, exact: exact };
  };

  /* Tier 2 is split into blocks of documents (data.blocks = [[first ref, shard count], ...]) and each
   * block into shards by token: a token's postings are in one shard file of every block. */
  Engine.prototype.shardsFor = function (phrases) {
    var blocks = this.data.blocks, ids = [];
    phrases.forEach(function (p) {
      p.tokens.forEach(function (t) {
        blocks.forEach(function (b, i) { ids.push(i + "-" + shardOf(t[0], b[1])); });
      });
    });
    return unique(ids);
  };

  Engine.prototype.addShard = function (id, postings) {
    this.shards[id] = postings;
  };

  Engine.prototype.postings = function (token) {
    if (this.decoded[token]) return this.decoded[token];
    var out = {}, shards = this.shards;
    this.data.blocks.forEach(function (b, i) {
      var shard = shards[i + "-" + shardOf(token, b[1])];
      if (!shard) throw new Error("shard not loaded for " + token);
      if (shard[token]) decodePostings(shard[token], b[0], out);
    });
    this.decoded[token] = out;
    return out;
  };

  /* Body matches: every phrase present at adjacent offsets; ranked by lunr over the matches. */
  Engine.prototype.tier2 = function (phrases) {
    var self = this, candidates = null;
    phrases.forEach(function (p) {
      p.tokens.forEach(function (t) {
        var docs = self.postings(t[0]);
        candidates = (candidates === null ? Object.keys(docs) : candidates).filter(function (d) { return d in docs; });
      });
    });
    var matches = (candidates || []).filter(function (doc) {
      return phrases.every(function (p) {
        return phraseAt(p, function (token) { return self.postings(token)[doc]; });
      });
    });
    if (!matches.length) return {};
    var lunr = this.lunr, all = [];
    phrases.forEach(function (p) { all = all.concat(p.tokens.map(function (t) { return t[0]; })); });
    all = unique(all);
    var body = lunr(function () {
      this.pipeline.reset();
      this.searchPipeline.reset();
      this.ref("id");
      this.field("body");
      var builder = this;
      matches.forEach(function (doc) {
        var words = [];
        all.forEach(function (t) {
          var n = (self.postings(t)[doc] || []).length;
          for (var i = 0; i < n; i++) words.push(t);
        });
        builder.add({ id: doc, body: words });
      });
    });
    var scores = {};
    body.query(function (q) {
      all.forEach(function (t) { q.term(t, { usePipeline: false }); });
    }).forEach(function (r) { scores[r.ref] = r.score; });
    return scores;
  };

  /* Merge: exact 索引号/文号 hits first, then by title-and-metadata score (doubled) plus body score. */
  Engine.prototype.search = function (phrases) {
    var t1 = this.tier1(phrases), t2 = this.tier2(phrases), total = {};
    Object.keys(t1.scores).forEach(function (ref) { total[ref] = 2 * t1.scores[ref]; });
    Object.keys(t2).forEach(function (ref) { total[ref] = (total[ref] || 0) + t2[ref]; });
    Object.keys(t1.exact).forEach(function (ref) { total[ref] = (total[ref] || 0) + 1e6; });
    var docs = this.data.docs;
    return Object.keys(total).sort(function (a, b) {
      return total[b] - total[a] || (docs[b][DATE] > docs[a][DATE] ? 1 : docs[b][DATE] < docs[a][DATE] ? -1 : a - b);
    }).map(function (ref) { return { ref: Number(ref), score: total[ref] }; });
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
    parse: parse, decodePostings: decodePostings, snippet: snippet, Engine: Engine
  };
});

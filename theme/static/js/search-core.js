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

  /* data: tier 1's core (search/tier1.js); the rest of tier 1 and tier 2 arrive by add…(). */
  function Engine(lunr, data) {
    this.lunr = lunr;
    this.data = data;
    this.terms = {};     // tier-1 shard id -> {term: postings | number of its own file}
    this.wild = {};      // wildcard shard id -> {Han character: [terms, {term: postings}] | number}
    this.docs = {};      // docs-store file number -> rows
    this.columnCodes = null;  // search/t1c.js: the column codes, and one character per document
    this.columnChars = "";
    this.lists = {};     // shard id -> {token: [docDelta, count, ...]}
    this.contexts = {};  // shard id -> {token: "contexts|contexts|..."}, one entry per listed document
    this.decoded = {};
    this.decodedTerms = new Map();
    // data.dates: "days after the previous run's date,how many documents,…" over the refs (which
    // follow the date), the first run's days counted from data.dateFrom.
    var runs = data.dates ? data.dates.split(",").map(Number) : [], dayOf = new Int32Array(data.count), ref = 0;
    var day = data.dateFrom ? Date.parse(data.dateFrom + "T00:00:00Z") / 86400000 : 0;
    this.days = [];
    for (var i = 0; i < runs.length; i += 2) {
      day += runs[i];
      this.days.push(new Date(day * 86400000).toISOString().slice(0, 10));
      for (var j = 0; j < runs[i + 1]; j++) dayOf[ref++] = this.days.length - 1;
    }
    this.dayOf = dayOf;
    // The same date, one number: the result sort compares it 1.7 million times for 100,000 hits.
    var ids = {}, dayId = new Int32Array(data.count), days = this.days;
    var runId = days.map(function (d, n) { return d in ids ? ids[d] : (ids[d] = n); });
    for (ref = 0; ref < data.count; ref++) dayId[ref] = runId[dayOf[ref]];
    this.dayId = dayId;
  }

  /* A row of the docs store: [title, column code, date, 文号, 索引号, keywords, publisher number,
   * url or "", summary]. */
  var INDEX = 4, URL = 7;

  function docUrl(doc) {
    return doc[URL] || "docs/" + doc[INDEX].replace("/", "-").toLowerCase() + ".html";
  }

  Engine.prototype.count = function () { return this.data.count; };
  Engine.prototype.date = function (ref) { return this.days[this.dayOf[ref]]; };
  Engine.prototype.years = function () {
    var seen = {};  // not unique(): one date a day of fifteen years made it quadratic (90 ms)
    this.days.forEach(function (d) { seen[d.slice(0, 4)] = true; });
    return Object.keys(seen).sort().reverse();
  };

  /* The docs-store files (t1d/…) that rows of these refs are in and that are not loaded yet. */
  Engine.prototype.docsNeeded = function (refs) {
    var size = this.data.store, docs = this.docs;
    return unique(refs.map(function (ref) { return Math.floor(ref / size); }))
      .filter(function (n) { return !docs[n]; }).map(function (n) { return "t1d/" + n; });
  };
  Engine.prototype.doc = function (ref) {
    return this.docs[Math.floor(ref / this.data.store)][ref % this.data.store];
  };
  Engine.prototype.addDocs = function (n, rows) { this.docs[n] = rows; };

  /* The column filter's data (search/t1c.js), loaded when a column is chosen. */
  Engine.prototype.columnsNeeded = function () { return this.columnCodes ? [] : ["t1c"]; };
  Engine.prototype.addColumns = function (codes, chars) { this.columnCodes = codes; this.columnChars = chars; };
  Engine.prototype.columnOf = function (ref) {
    return this.columnCodes[this.columnChars.charCodeAt(ref) - 0x100];
  };

  Engine.prototype.addTerms = function (id, entries) { this.terms[id] = entries; };
  Engine.prototype.addWild = function (id, entries) { this.wild[id] = entries; };

  /* A sharded tier-1 entry: its value, undefined when the index has no such key, null while its
   * file is not loaded. */
  function entry(store, count, key) {
    var id = String(shardOf(key, count)), shard = store[id];
    if (!shard) return null;
    var value = shard[key];
    if (typeof value !== "number") return value;
    var own = store[id + "-" + value];
    return own ? own[key] : null;
  }

  /* The file ("shard" or "shard-number") a sharded tier-1 entry still needs, or null. */
  function entryFile(store, count, key) {
    var id = String(shardOf(key, count)), shard = store[id];
    if (!shard) return id;
    var value = shard[key];
    return typeof value === "number" && !store[id + "-" + value] ? id + "-" + value : null;
  }

  /* A phrase of one Han character alone is a wildcard in tier 1: it matches any term holding the
   * character (no unigrams are indexed). Inside a longer phrase a lone character is a term of its
   * own, as the tokeniser makes it of a document's text. */
  function wildcard(phrase) {
    var token = phrase.tokens[0][0];
    return phrase.tokens.length === 1 && token.length === 1 && token > "z";
  }

  /* The tier-1 files (t1/…, t1w/…) a query still needs. */
  Engine.prototype.tier1Needs = function (phrases) {
    var self = this, data = this.data, out = [];
    phrases.forEach(function (p) {
      if (wildcard(p)) {
        var wild = entryFile(self.wild, data.wildShards, p.tokens[0][0]);
        if (wild !== null) out.push("t1w/" + wild);
      } else {
        p.tokens.map(function (t) { return t[0]; }).forEach(function (term) {
          var file = entryFile(self.terms, data.termShards, term);
          if (file !== null) out.push("t1/" + file);
        });
      }
      var exact = p.key && entryFile(self.terms, data.termShards, p.key);
      if (exact) out.push("t1/" + exact);
    });
    return unique(out);
  };

  /* A term's postings, [field number, count, ref delta, score × 1000, …], decoded once. */
  Engine.prototype.decode = function (text) {
    var found = this.decodedTerms.get(text);
    if (!found) this.decodedTerms.set(text, found = text ? text.split(",").map(Number) : []);
    return found;
  };

  /* visit(field number, ref, score) for each posting of a term's postings text, in order. */
  Engine.prototype.eachPosting = function (text, visit) {
    var flat = this.decode(text), k = 0;
    while (k < flat.length) {
      var field = flat[k], count = flat[k + 1], ref = 0;
      k += 2;
      for (var j = 0; j < count; j++, k += 2) {
        ref += flat[k];
        visit(field, ref, flat[k + 1] / 1000);
      }
    }
  };

  /* Count, in ``hits``, the documents having one of these terms ([{term, text}]) in one of these
   * fields (all when null); ``seen`` stops a document being counted twice for the same ``clause``. */
  Engine.prototype.markDocuments = function (items, fieldNames, clause, hits, seen) {
    var fields = this.data.fields, self = this;
    var wanted = fieldNames && fieldNames.map(function (f) { return fields.indexOf(f); });
    items.forEach(function (item) {
      self.eachPosting(item.text, function (number, ref) {
        if ((!wanted || wanted.indexOf(number) >= 0) && seen[ref] !== clause) { seen[ref] = clause; hits[ref]++; }
      });
    });
  };

  var SINGLE_HAN_FIELDS = ["title", "keywords", "doc_number"];

  /* Tier 1 (titles and metadata): lunr's scores of the documents having every token of the query,
   * and the exact 索引号/文号 hits. Whether a phrase's characters stand together is checked by
   * tier 2, which indexes the metadata text too (see search()). */
  Engine.prototype.tier1 = function (phrases) {
    var self = this, data = this.data, all = [], scores = {}, exact = {};
    var exactField = data.fields.indexOf("exact");
    phrases.forEach(function (p) {
      p.tokens.forEach(function (t) { all.push((wildcard(p) ? "*" : "") + t[0]); });
      var text = p.key && entry(self.terms, data.termShards, p.key);
      if (typeof text === "string") {
        self.eachPosting(text, function (field, ref) { if (field === exactField) exact[ref] = true; });
      }
    });
    // Every token is required: only documents having each of them (in the fields its clause
    // searches) can match, so the index is made of those alone.
    var clauses = unique(all).map(function (key) {
      var t = key.replace(/^\*/, "");
      if (key[0] === "*") {
        // lunr expands the wildcard over every term holding the character, whatever its fields.
        var found = entry(self.wild, data.wildShards, t), items = [];
        if (found) found[0].split(" ").forEach(function (term) { items.push({ term: term, text: found[1][term] || "" }); });
        return { token: t, items: items, fields: SINGLE_HAN_FIELDS };
      }
      var postings = entry(self.terms, data.termShards, t);
      return { token: t, items: typeof postings === "string" ? [{ term: t, text: postings }] : [], fields: null };
    });
    var total = data.count, hits = new Uint16Array(total), seen = new Int32Array(total);
    clauses.forEach(function (c, i) { self.markDocuments(c.items, c.fields, i + 1, hits, seen); });
    var candidates = new Uint8Array(total), any = false;
    for (var ref = 0; ref < total; ref++) if (hits[ref] === clauses.length) { candidates[ref] = 1; any = true; }
    if (!any) return { scores: scores, exact: exact };
    return { scores: this.lunrScores(clauses, candidates), exact: exact };
  };

  /* lunr.js's scores of the candidates for these clauses (each required, boost 1; a lone Han
   * character's clause is a wildcard over SINGLE_HAN_FIELDS), added up as lunr.Index.query adds them,
   * without its objects (lunr.js took most of a second for a word found in nearly every one of
   * 100,000 documents, 2.5 s for a lone character):
   * - a clause's terms: its own, or for a wildcard every term of the query's that holds the
   *   character, in the order lunr's token set gives them; each is put into the query vector
   *   of every field the clause searches (twice if two clauses put it there);
   * - a document's field scores its field vector's products with that query vector, in the terms'
   *   sorted order, over the query vector's length;
   * - its score adds up its matching fields in the order lunr first met them: by clause, then by
   *   term, then by the clause's field order.
   * A test compares these scores with lunr.js on the whole index. */
  Engine.prototype.lunrScores = function (clauses, candidates) {
    var names = this.data.fields, fields = names.length, total = this.data.count, self = this;
    var texts = {};  // a term's longest postings text (a wildcard's are the shorter)
    clauses.forEach(function (c) {
      c.items.forEach(function (item) {
        if (!(item.term in texts) || item.text.length > texts[item.term].length) texts[item.term] = item.text;
      });
    });
    var terms = Object.keys(texts).sort(), times = {}, met = {}, length = new Float64Array(fields);
    var span = (terms.length + 1) * fields, tokenSet = null;
    clauses.forEach(function (c, number) {
      var searched = (c.fields || names).map(function (f) { return names.indexOf(f); });
      // A wildcard's terms in the order lunr's token sets list them (not the sorted order).
      tokenSet = tokenSet || (c.fields ? self.lunr.TokenSet.fromArray(terms) : null);
      var expanded = c.fields
        ? tokenSet.intersect(self.lunr.TokenSet.fromString("*" + c.token + "*")).toArray()
        : [c.token];
      expanded.forEach(function (term, rank) {
        var count = times[term] || (times[term] = new Int32Array(fields));
        var first = met[term] || (met[term] = new Int32Array(fields));
        searched.forEach(function (field, position) {
          count[field]++;
          if (!first[field]) first[field] = number * span + rank * fields + position + 1;
        });
      });
    });
    terms.forEach(function (term) {
      var count = times[term];
      if (count) for (var f = 0; f < fields; f++) length[f] += count[f] * count[f];
    });
    for (var f = 0; f < fields; f++) length[f] = Math.sqrt(length[f]);
    var dot = new Float64Array(fields * total), first = new Int32Array(fields * total), scores = {};
    terms.forEach(function (term) {
      var count = times[term], key = met[term];
      if (!count) return;
      self.eachPosting(texts[term], function (field, ref, score) {
        if (!candidates[ref] || !count[field]) return;
        var at = field * total + ref;
        dot[at] += count[field] * score;
        if (!first[at] || key[field] < first[at]) first[at] = key[field];
      });
    });
    var order = [];
    for (var ref = 0; ref < total; ref++) {
      if (!candidates[ref]) continue;
      order.length = 0;
      for (var field = 0; field < fields; field++) {
        // In the order lunr met the fields: an insertion (a sort with a comparator made per
        // document cost 60 ms at 100,000 hits).
        var at = first[field * total + ref];
        if (!at) continue;
        var k = order.length;
        while (k > 0 && first[order[k - 1] * total + ref] > at) { order[k] = order[k - 1]; k--; }
        order[k] = field;
      }
      var score;
      for (var i = 0; i < order.length; i++) {
        var value = dot[order[i] * total + ref] / length[order[i]] || 0;
        score = i ? score + value : value;
      }
      scores[ref] = score;
    }
    return scores;
  };

  /* Which tokens of a phrase tier 2 needs: the document lists to intersect and count, and the tokens
   * whose contexts check that the phrase's characters stand together. From three tokens on, the
   * inner tokens' contexts cover every character of a Han phrase (a token other than a bigram,
   * a number say, is also looked up as a whole); with two, the rarer token's context ties it to
   * the other. The lists come first (checks: null until they are loaded): contexts are loaded
   * only in the blocks where one document holds every listed token (listedBlocks). */
  Engine.prototype.plan = function (phrase) {
    var toks = phrase.tokens.map(function (t, i) { return { token: t[0], at: i }; }), self = this;
    if (toks.length === 1) return { lists: [toks[0].token], checks: [] };
    var lists = toks.length === 2 ? [toks[0].token, toks[1].token] : unique(toks.slice(1, -1).concat(
      toks.filter(function (t) { return !(Array.from(t.token).length === 2 && t.token[0] > "z"); })
    ).map(function (t) { return t.token; }));
    // ``ahead``: the contexts to check that are known before the lists are loaded.
    var ahead = toks.length > 2 ? toks.slice(1, -1) : [];
    if (!lists.every(function (t) { return self.listLoaded(t); })) return { lists: lists, checks: null, ahead: ahead };
    if (toks.length > 2) return { lists: lists, checks: ahead };
    return { lists: lists, checks: [this.documentCount(lists[0]) <= this.documentCount(lists[1]) ? toks[0] : toks[1]] };
  };

  /* The blocks (numbers) whose loaded shards hold every one of these tokens. */
  Engine.prototype.blocksHolding = function (tokens) {
    var self = this;
    return this.data.blocks.map(function (b, i) { return i; }).filter(function (i) {
      return tokens.every(function (token) {
        var shard = self.lists[i + "-" + shardOf(token, self.data.blocks[i][1])];
        return shard && token in shard;
      });
    });
  };

  /* The blocks (numbers) where one document holds every one of the (loaded) tokens' lists. */
  Engine.prototype.listedBlocks = function (tokens) {
    var self = this, blocks = this.data.blocks, count = this.data.count, out = [];
    var held = new Uint8Array(count), wanted = unique(tokens);
    wanted.forEach(function (token) { self.list(token).docs.forEach(function (d) { held[d]++; }); });
    blocks.forEach(function (b, i) {
      var end = i + 1 < blocks.length ? blocks[i + 1][0] : count;
      for (var d = b[0]; d < end; d++) if (held[d] === wanted.length) { out.push(i); return; }
    });
    return out;
  };

  Engine.prototype.shardIds = function (token) {
    return this.data.blocks.map(function (b, i) { return i + "-" + shardOf(token, b[1]); });
  };

  /* A token's document list in one block's shard: an array, undefined when the block lacks the
   * token, null while a file it needs is not loaded. A common token's list has a file of its own
   * ("block/shard-number"), named in its shard by number. */
  Engine.prototype.blockList = function (id, token) {
    var shard = this.lists[id];
    if (!shard) return null;
    var value = shard[token];
    if (typeof value !== "number") return value;
    var own = this.lists[id.replace("-", "/") + "-" + value];
    return own ? own[token] : null;
  };

  /* The list file (t2/…) a token still needs in one block, or null. */
  Engine.prototype.listFile = function (id, token) {
    var shard = this.lists[id];
    if (!shard) return "t2/" + id;
    var value = shard[token], own = id.replace("-", "/") + "-" + value;
    return typeof value === "number" && !this.lists[own] ? "t2/" + own : null;
  };

  Engine.prototype.listLoaded = function (token) {
    var self = this;
    return this.shardIds(token).every(function (id) { return self.blockList(id, token) !== null; });
  };

  /* The files (t1/…, t1w/… tier 1; t2/… document lists, t2c/… contexts) the query still needs,
   * without ".js". */
  Engine.prototype.needs = function (phrases) {
    var self = this, out = this.tier1Needs(phrases);
    phrases.forEach(function (p) {
      var plan = self.plan(p);
      plan.lists.forEach(function (t) {
        self.shardIds(t).forEach(function (id) {
          var file = self.listFile(id, t);
          if (file) out.push(file);
        });
      });
      // Contexts where one document holds every listed token. While a common token's own list
      // file is loading, the context shards of the blocks whose shards hold every listed token
      // (the checks of three tokens or more are known) come with it: a round of requests less.
      var checks = plan.checks || plan.ahead;
      if (!checks.length) return;
      var blocks = plan.checks ? self.listedBlocks(plan.lists) : self.blocksHolding(plan.lists);
      checks.forEach(function (c) {
        blocks.forEach(function (i) {
          var id = i + "-" + shardOf(c.token, self.data.blocks[i][1]);
          if (!(id in self.contexts)) { out.push("t2c/" + id); return; }
          var own = plan.checks && self.ownContextsId(id, c.token);
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
    var out = { docs: [], counts: [] }, self = this;
    this.data.blocks.forEach(function (b, i) {
      var flat = self.blockList(i + "-" + shardOf(token, b[1]), token), doc = b[0];
      if (flat === null) throw new Error("shard not loaded for " + token);
      flat = flat || [];
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
    var out = {}, contexts = this.contexts, self = this;
    this.data.blocks.forEach(function (b, i) {
      var id = i + "-" + shardOf(token, b[1]), flat = self.blockList(id, token);
      if (!flat || !(id in contexts)) return;  // not loaded: no document there holds the phrase
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
    var self = this, total = this.data.count, scores = null, each = [];
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
      each.push(found);
      if (scores === null) { scores = found; return; }
      var both = {};
      Object.keys(found).forEach(function (doc) { if (doc in scores) both[doc] = scores[doc] + found[doc]; });
      scores = both;
    });
    return { scores: scores || {}, each: each };
  };

  /* Merge: exact 索引号/文号 hits first, then by title-and-metadata score (doubled) plus text score,
   * then the newer document (refs follow the date, see plugins/search/generator.py). ``tier1`` is
   * this.tier1(phrases) when already worked out (the page does it while the tier-2 files load). */
  Engine.prototype.search = function (phrases, tier1) {
    var t1 = tier1 || this.tier1(phrases), t2 = this.tier2(phrases), count = this.data.count;
    var total = new Float64Array(count), found = new Uint8Array(count), refs = [], key, ref;
    var dayId = this.dayId;
    function add(ref, score) {
      total[ref] += score;
      if (!found[ref]) { found[ref] = 1; refs.push(ref); }
    }
    function whole(p, i) { return p.tokens.length === 1 || t2.each[i][ref] !== undefined; }
    // A title-and-metadata match counts where each phrase of two tokens or more stands whole in
    // the document (tier 2 found it, in the metadata text or the body).
    for (key in t1.scores) {
      ref = +key;
      if (phrases.every(whole)) add(ref, 2 * t1.scores[key]);
    }
    for (key in t2.scores) add(+key, t2.scores[key]);
    for (key in t1.exact) add(+key, 1e6);
    // Typed and numeric: sorting 100,000 matches with string keys and date strings took 100 ms.
    return Array.from(Int32Array.from(refs).sort(function (a, b) {
      return total[b] - total[a] || (dayId[a] === dayId[b] ? a - b : b - a);
    }), function (ref) { return { ref: ref, score: total[ref] }; });
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

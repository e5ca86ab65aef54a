/* Search page: reads ?q=&column=&year=, loads the shards a query needs with <script> tags (works
 * from file://), and renders results with text nodes only (never HTML from the index). */
(function () {
  "use strict";
  var form = document.querySelector("[data-module=gk-search]");
  if (!form) return;
  var status = document.querySelector(".gk-search__status");
  var list = document.querySelector(".gk-results");
  // The site root, relative to this page: this script lives at <root>/theme/js/search-ui.js.
  var base = document.currentScript.getAttribute("src").replace(/\?.*$/, "").replace(/theme\/js\/search-ui\.js$/, "");
  var pending = {}, texts = {}, engine = null;
  document.documentElement.classList.add("js-search");

  function loadScript(src, key, registry) {
    return new Promise(function (resolve, reject) {
      if (registry[key]) { registry[key].then(resolve, reject); return; }
      registry[key] = new Promise(function (ok, fail) {
        pending[src] = ok;
        var tag = document.createElement("script");
        tag.src = base + src;
        tag.onerror = function () { fail(new Error("无法加载 " + src)); };
        document.head.appendChild(tag);
      });
      registry[key].then(resolve, reject);
    });
  }

  var shardLoads = {}, textLoads = {};
  function arrived(path) {
    var done = pending[path];
    if (done) done();
  }
  // Each search file calls one of these with its id (plugins/search/index.py writes them).
  [["gkSearchTerms", "addTerms", "t1/"], ["gkSearchWild", "addWild", "t1w/"], ["gkSearchDocs", "addDocs", "t1d/"],
   ["gkSearchShard", "addLists", "t2/"], ["gkSearchContext", "addContexts", "t2c/"]].forEach(function (call) {
    window[call[0]] = function (id, value) {
      engine[call[1]](id, value);
      arrived("search/" + call[2] + id + ".js");
    };
  });
  window.gkSearchColumns = function (codes, chars) {
    engine.addColumns(codes, chars);
    arrived("search/t1c.js");
  };
  window.gkSearchText = function (ref, text) {
    texts[ref] = text;
    arrived("search/text/" + ref + ".js");
  };

  function el(name, text, className) {
    var node = document.createElement(name);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function params() {
    var query = new URLSearchParams(window.location.search);
    return {
      q: query.get("q") || "", column: query.get("column") || "", year: query.get("year") || "",
      sort: query.get("sort") === "date" ? "date" : ""
    };
  }

  // The columns each filter choice covers: itself and the columns below it (data.tree lists the
  // catalogue in order, with depths).
  var within = {};
  function columnTree(data) {
    var tree = data.tree || Object.keys(data.columns).sort().map(function (code) {
      return [code, data.columns[code], 0];
    });
    var open = [];
    tree.forEach(function (entry) {
      var code = entry[0], depth = entry[2];
      open.length = depth;
      open.push(code);
      open.forEach(function (above) { (within[above] = within[above] || {})[code] = true; });
    });
    return tree;
  }

  function fillFilters(data, current) {
    var column = form.elements.column, year = form.elements.year;
    columnTree(data).forEach(function (entry) {
      // Indented as in the 信息公开目录; a column covers its sub-columns.
      var option = el("option", new Array(entry[2] + 1).join("\u3000") + entry[1]);
      option.value = entry[0];
      column.appendChild(option);
    });
    engine.years().forEach(function (y) {
      var option = el("option", y + "年");
      option.value = y;
      year.appendChild(option);
    });
    showParams(current);
  }

  function showParams(current) {
    form.elements.q.value = current.q;
    form.elements.column.value = current.column;
    form.elements.year.value = current.year;
    form.elements.sort.value = current.sort;
  }

  /* The results the filters keep, in the order asked for. */
  function filtered(results, current) {
    var shown = results.filter(function (r) {
      return (!current.column || (within[current.column] || {})[engine.columnOf(r.ref)]) &&
        (!current.year || engine.date(r.ref).slice(0, 4) === current.year);
    });
    if (current.sort === "date") {
      // Newest first; the same day keeps the order of relevance.
      shown = shown.map(function (r, i) { return [r, i]; }).sort(function (a, b) {
        var da = engine.date(a[0].ref), db = engine.date(b[0].ref);
        return da < db ? 1 : da > db ? -1 : a[1] - b[1];
      }).map(function (pair) { return pair[0]; });
    }
    return shown;
  }

  var SHOWN = 50, FIRST = 10;  // results listed; listed as soon as their rows are in

  function render(shown, all, current) {
    if (seen) seen.disconnect();  // the rows of an earlier search are gone
    status.textContent = "“" + current.q + "”共找到 " + shown.length + " 条结果" +
      (shown.length < all ? "（已按栏目或年份筛选，未筛选时共 " + all + " 条）" : "") +
      (current.sort === "date" ? "，按发布日期从新到旧排列" : "，按相关度排列") + "。";
    list.textContent = "";
    list.dataset.state = "done";
  }

  function addRows(results, phrases, data) {
    results.forEach(function (r) {
      var d = engine.doc(r.ref), item = el("li"), link = el("a", d[0]);
      link.href = base + GkSearch.docUrl(d);
      var heading = el("h2", undefined, "gk-results__title");
      heading.appendChild(link);
      item.appendChild(heading);
      item.appendChild(el("p", (data.columns[d[1]] || "") + "　" + d[2] + (d[3] ? "　" + d[3] : "") +
        (d[4] ? "　索引号：" + d[4] : ""), "gk-results__meta"));
      var snippet = el("p", "", "gk-results__snippet");
      item.appendChild(snippet);
      list.appendChild(item);
      snippet.gkLoad = function () {
        loadScript("search/text/" + r.ref + ".js", r.ref, textLoads).then(function () {
          snippet.textContent = "";
          GkSearch.snippet(texts[r.ref], phrases, 80).forEach(function (piece) {
            snippet.appendChild(piece[1] ? el("mark", piece[0]) : document.createTextNode(piece[0]));
          });
        }, function () {});
      };
      // A snippet's text is fetched when its row comes into view, not for rows nobody scrolls to.
      if (seen) seen.observe(snippet); else snippet.gkLoad();
    });
  }

  var seen = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      seen.unobserve(entry.target);
      entry.target.gkLoad();
    });
  }, { rootMargin: "200px" }) : null;

  var runs = 0;

  /* One search: load the tier-2 files it needs, then show the results (unless a newer search began). */
  function run(current, data) {
    var number = ++runs;
    // Timings for `invoke bench` (one query's work in the engine, apart from waiting for files).
    window.gkSearchTimings.query = current.q;
    window.gkSearchTimings.queryMs = undefined;
    if (!current.q.trim()) { status.textContent = "请输入搜索词。"; list.textContent = ""; list.dataset.state = "done"; return; }
    var phrases = GkSearch.parse(current.q);
    if (!phrases.length) {
      status.textContent = "搜索词中没有可以查找的文字或数字。"; list.textContent = ""; list.dataset.state = "done"; return;
    }
    status.textContent = "正在搜索……";
    function load(names) {
      return Promise.all(names.map(function (name) {
        return loadScript("search/" + name + ".js", name, shardLoads);
      }));
    }
    // Tier 1's terms and tier 2's document lists first; a two-token phrase then needs the contexts
    // of its rarer token. Then the column of every document if a column is chosen, and the rows
    // of the results listed.
    (function more() {
      var files = engine.needs(phrases);
      return files.length ? load(files).then(more) : Promise.resolve();
    })().then(function () {
      if (number !== runs) return;
      var started = performance.now(), results = engine.search(phrases);
      window.gkSearchTimings.queryMs = performance.now() - started;
      return load(current.column ? engine.columnsNeeded() : []).then(function () {
        var shown = filtered(results, current), first = shown.slice(0, FIRST), rest = shown.slice(FIRST, SHOWN);
        function refs(part) { return part.map(function (r) { return r.ref; }); }
        // The rows in view first (each is in a docs-store file of its own, nearly), then the rest.
        return load(engine.docsNeeded(refs(first))).then(function () {
          if (number !== runs) return;
          render(shown, results.length, current);
          addRows(first, phrases, data);
          window.gkSearchTimings.shownAt = performance.now();
          return load(engine.docsNeeded(refs(rest))).then(function () {
            if (number === runs) addRows(rest, phrases, data);
          });
        });
      });
    }).catch(function (error) {
      if (number === runs) { status.textContent = "搜索数据加载失败：" + error.message; list.dataset.state = "done"; }
    });
  }

  window.gkSearchData = function (data) {
    var started = performance.now();
    engine = new GkSearch.Engine(window.lunr, data);
    // Timings for `invoke bench` (tier 1 ready), and the engine for its recall check.
    window.gkSearchTimings = { dataAt: started, indexLoadMs: performance.now() - started };
    window.gkSearchEngine = engine;
    var current = params();
    fillFilters(data, current);
    run(current, data);
    // Later searches run in this page: the index stays loaded, and the address (so the back button
    // and a copied link) still says what was searched.
    form.addEventListener("submit", function (event) {
      var next = {
        q: form.elements.q.value, column: form.elements.column.value, year: form.elements.year.value,
        sort: form.elements.sort.value
      };
      var query = new URLSearchParams({ q: next.q });
      if (next.column) query.set("column", next.column);
      if (next.year) query.set("year", next.year);
      if (next.sort) query.set("sort", next.sort);
      try {
        history.pushState(null, "", "?" + query.toString());
      } catch (error) {
        return;  // a browser that refuses (some do on file://) loads the page again instead
      }
      event.preventDefault();
      run(next, data);
    });
    window.addEventListener("popstate", function () {
      var current = params();
      showParams(current);
      run(current, data);
    });
  };
})();

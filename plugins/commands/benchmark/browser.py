"""Search and page-weight figures of a built site, measured in headless Chromium (Playwright).

For every query of a fixed list, a fresh browser context (empty cache) opens
``search.html?q=…`` over loopback HTTP, as a visitor would, and the page reports when tier 1 was
ready and how long that first query took; then the next query of the list is typed into the
search box of the loaded page, and the page reports how long that one took (``query_ms``: a
query on a loaded page; ``first_query_ms``: the one that came with the page, while the browser
still compiles the search code). Bytes are what the page fetched, counted gzipped (as a web
server compresses them). Recall and wrong hits compare the engine's results with a brute-force
scan of every document's title, metadata and body text for the exact phrase.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import shutil
import statistics
import threading
from pathlib import Path
from urllib.parse import quote, urlsplit

# Two- to four-character queries: words, phrases across word boundaries, and a rare one.
QUERIES = [
    "预算",
    "护照",
    "签证",
    "侨务",
    "认证",
    "公开",
    "领事认证",
    "预算公开",
    "出访团组",
    "归侨侨眷",
    "项目审批",
    "信息公开",
    "年度报告",
    "合作交流",
    "招标公告",
    "季度统计",
    # words found in nearly every document
    "工作",
    "信息",
    "管理",
    "服务",
    "项目",
    "通知",
    "情况",
    # rare four-character phrases, English and numbers
    "友城救济",
    "改版考核",
    "平台答复",
    "apec",
    "ABTC",
    "商务旅行卡",
    "2015",
    "168",
    "第42批",
]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


def _call_args(path: Path) -> list:
    from search.index import script_args

    return script_args(path.read_text(encoding="utf-8"))


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def _searchable(output: Path) -> list[str]:
    """Per document: the normalised text a phrase must occur in (metadata, then body)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from search.index import read_tier1
    from search.tokenizer import normalise

    data = read_tier1(output)
    texts = []
    for ref, doc in enumerate(data["docs"]):
        column = data["columns"].get(doc[1], "").split("/")[-1]
        publisher = data["publishers"][doc[6]] if doc[6] >= 0 else ""
        body = _call_args(output / f"search/text/{ref}.js")[1]
        meta = "\n".join([doc[0], doc[3], doc[4], doc[5], column, publisher, doc[8]])
        texts.append(normalise(meta + "\n" + body))
    return texts


def occurs(query: str, text: str) -> bool:
    """Whether the brute-force scan finds a query in a document's normalised text: the phrase as
    typed, where a Latin or digit run at either end of it is a whole word or number (2015 is not
    found in 201512, as no search engine finds it there)."""
    import re

    from search.tokenizer import normalise

    phrase = normalise(query)
    pattern = re.escape(phrase)
    if re.match("[a-z0-9]", phrase):
        pattern = "(?<![a-z0-9])" + pattern
    if re.search("[a-z0-9]$", phrase):
        pattern += "(?![a-z0-9])"
    return re.search(pattern, text) is not None


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def with_numbers(output: Path, queries: list[str]) -> list[str]:
    """The queries and three 索引号 and three 文号 of the built site, from documents spread over
    the refs (the same documents on every run of a corpus)."""
    from search.index import read_tier1

    docs = read_tier1(output)["docs"]
    picked = [docs[len(docs) * k // 4] for k in range(1, 4)]
    numbered = [doc for doc in docs if doc[3]]
    picked_numbers = [numbered[len(numbered) * k // 4][3] for k in range(1, 4)] if numbered else []
    return queries + [doc[4] for doc in picked] + picked_numbers


def measure(output: Path, queries: list[str] = QUERIES) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(output))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    texts = _searchable(output)
    queries = with_numbers(output, queries)
    rows, typed = [], {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            pages = {
                name: _page_weight(browser, base, output, path)
                for name, path in (("home", "index.html"), ("document", _a_document(output)))
            }
            for number, query in enumerate(queries):
                context = browser.new_context()
                page = context.new_page()
                page.set_default_timeout(
                    180000
                )  # a loaded machine (CI runs tests in parallel) is slow
                page.goto(base + "search.html?q=" + quote(query))
                page.wait_for_function(
                    "window.gkSearchTimings && window.gkSearchTimings.shownAt !== undefined",
                    timeout=180000,
                )
                # The result list fetches the snippet texts of the rows in view; wait until those
                # are in.
                page.wait_for_function(
                    """() => { const first = document.querySelector('.gk-results__snippet');
                    return !first || first.textContent.length > 0; }""",
                    timeout=180000,
                )
                page.wait_for_timeout(500)
                found = page.evaluate(
                    "q => gkSearchEngine.search(GkSearch.parse(q)).map(r => r.ref)", query
                )
                timings = page.evaluate("gkSearchTimings")
                interactive = page.evaluate(
                    "performance.getEntriesByType('navigation')[0].domInteractive"
                )
                entries = page.evaluate(
                    "performance.getEntriesByType('resource').map(e => [e.name, e.startTime])"
                )
                tier1_start = next(start for name, start in entries if "search/tier1.js" in name)
                fetched = [urlsplit(name).path.lstrip("/") for name, _ in entries]
                fetched = [f for f in fetched if (output / f).is_file()]
                search_files = [p for p in fetched if p.startswith("search/")]
                tier2 = sum(
                    _gzip_size(output / p)
                    for p in search_files
                    if p.startswith(("search/t2/", "search/t2c/", "search/text/"))
                )
                # Everything the first query cost: the page, its styles and scripts, tier 1's
                # files, tier 2's and the snippets of the rows in view.
                total = sum(_gzip_size(output / p) for p in ["search.html", *fetched])
                truth = {ref for ref, text in enumerate(texts) if occurs(query, text)}
                # Then a visitor types the next query of the list into the search box of the loaded
                # page.
                follower = queries[(number + 1) % len(queries)]
                page.fill("#search-q", follower)
                page.click(".gk-search button[type=submit]")
                page.wait_for_function(
                    "q => gkSearchTimings.query === q && gkSearchTimings.queryMs !== undefined",
                    arg=follower,
                    timeout=180000,
                )
                typed[follower] = page.evaluate("gkSearchTimings.queryMs")
                rows.append(
                    {
                        "query": query,
                        "results": len(found),
                        "expected": len(truth),
                        "missed": len(truth - set(found)),
                        "wrong": len(set(found) - truth),
                        "tier2_gzip_bytes": tier2,
                        "search_gzip_bytes": sum(_gzip_size(output / p) for p in search_files),
                        "first_query_gzip_bytes": total,
                        "search_files": len(search_files),
                        "results_ready_ms": round(timings["shownAt"] - interactive, 1),
                        "tier1_ready_ms": round(
                            timings["dataAt"] - tier1_start + timings["indexLoadMs"], 1
                        ),
                        "first_query_ms": round(timings["queryMs"], 2),
                    }
                )
                context.close()
            browser.close()
    finally:
        server.shutdown()
    for row in rows:
        row["query_ms"] = round(typed[row["query"]], 2)
    expected = sum(r["expected"] for r in rows)
    results = sum(r["results"] for r in rows)
    return {
        "tier1_gzip_bytes": _gzip_size(output / "search/tier1.js"),
        "tier1_ready_ms_median": statistics.median(r["tier1_ready_ms"] for r in rows),
        "query_ms_median": statistics.median(r["query_ms"] for r in rows),
        "query_ms_max": max(r["query_ms"] for r in rows),
        "first_query_ms_median": statistics.median(r["first_query_ms"] for r in rows),
        "tier2_gzip_bytes_median": statistics.median(r["tier2_gzip_bytes"] for r in rows),
        "first_query_gzip_bytes_median": statistics.median(
            r["first_query_gzip_bytes"] for r in rows
        ),
        "first_query_gzip_bytes_max": max(r["first_query_gzip_bytes"] for r in rows),
        "results_ready_ms_median": statistics.median(r["results_ready_ms"] for r in rows),
        "results_ready_ms_max": max(r["results_ready_ms"] for r in rows),
        "recall": round(1 - sum(r["missed"] for r in rows) / expected, 4) if expected else 1.0,
        "wrong_hit_rate": round(sum(r["wrong"] for r in rows) / results, 4) if results else 0.0,
        "pages": pages,
        "queries": rows,
    }


def _a_document(output: Path) -> str:
    return sorted(p.relative_to(output).as_posix() for p in (output / "docs").glob("*.html"))[0]


def _page_weight(browser, base: str, output: Path, path: str) -> dict:
    """What a visitor's browser fetches for one page (HTML, CSS, JS, images), gzipped."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + path, wait_until="load", timeout=180000)
    names = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    context.close()
    files = [path] + [urlsplit(n).path.lstrip("/") for n in names if n.startswith(base)]
    files = [f for f in files if (output / f).is_file()]  # not the browser's own /favicon.ico probe
    return {
        "path": path,
        "files": len(files),
        "gzip_bytes": sum(_gzip_size(output / f) for f in files),
    }

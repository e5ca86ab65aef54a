"""The benchmark runs end to end on a small corpus (a smoke test: no timing assertions)."""

from __future__ import annotations

import pytest

from commands.benchmark import corpus
from commands.benchmark.bench import STAGES, growth, run, table
from helpers import ROOT, site_build

pytestmark = pytest.mark.slow  # `invoke test --fast` leaves it out


def test_bench_smoke():
    summary = run(docs=200, runs=1, queries=8)  # and three 索引号 and three 文号
    for name in (f"{side}_{stage}" for side in ("ours", "stock") for stage in STAGES):
        assert summary[name]["ok"], name
        assert summary[name]["wall_s"] > 0 and summary[name]["peak_mb"] > 0
    assert summary["ours_output"]["files"] > 200 and summary["stock_output"]["files"] > 200
    assert {
        "cold",
        "edit",
        "add",
        "peak_memory",
        "edit_vs_own_cold",
        "front_vs_own_cold",
        "add_vs_own_cold",
    } <= set(summary["ratios"])
    assert summary["search"]["shards"] > 0
    assert "browser" in summary, summary.get("browser_error")
    browser = summary["browser"]  # measured in headless Chromium
    assert browser["recall"] == 1.0 and browser["wrong_hit_rate"] <= 0.05
    assert len(browser["queries"]) >= 10 and all(
        q["tier2_gzip_bytes"] > 0 for q in browser["queries"]
    )
    assert browser["pages"]["document"]["gzip_bytes"] > 0 and browser["tier1_ready_ms_median"] > 0
    assert "cold build" in table(summary)
    rows = growth([summary, summary]).splitlines()
    assert len(rows) == 4 and rows[2].split()[:2] == ["eight-columns", "200"]


@pytest.mark.parametrize("shape", sorted(corpus.SHAPES))
def test_every_corpus_shape_is_valid_content_of_its_kind(tmp_path, shape):
    content = corpus.site(tmp_path / "content", 60, **corpus.SHAPES[shape])
    outcome = site_build.check(
        ROOT / "pelicanconf.py", {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "out")}
    )
    assert outcome.ok and not outcome.problems.items, outcome.report()
    columns = {p.parent.name for p in content.rglob("*.md")}
    assert len(columns) == len(set(corpus.SHAPES[shape]["columns"]))
    texts = [p.read_text(encoding="utf-8") for p in content.rglob("*.md")]
    if shape == "long-tables":
        assert all(t.count("| --- |") >= 4 for t in texts)
    if shape == "attachments":
        assert all(t.count("附件:") == 1 for t in texts)
        assert len([p for p in content.rglob("*") if p.suffix in (".pdf", ".xlsx", ".docx")]) == 180

"""The benchmark runs end to end on a small corpus (a smoke test: no timing assertions)."""

from __future__ import annotations

import pytest

from commands.benchmark.bench import STAGES, run, table

pytestmark = pytest.mark.slow  # `invoke test --fast` leaves it out


def test_bench_smoke():
    summary = run(docs=200, runs=1)
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

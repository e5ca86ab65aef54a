"""``invoke bench``: our build against stock Pelican on the same synthetic documents, in one run.

Each build runs in its own child process, measured by a small wrapper process (wall time, CPU time
of the build, its peak memory), so the figures of one build never mix with another's. Reported as
medians over several runs and as ratios against stock Pelican.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from . import corpus

ROOT = Path(__file__).resolve().parents[3]
# cold: from nothing; edit: one body changed; front: one title changed; add: one new document
STAGES = ("cold", "edit", "front", "add")
MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
    "stderr=subprocess.DEVNULL).returncode\n"
    "wall = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps({'code': code, 'wall_s': wall, 'cpu_s': usage.ru_utime + usage.ru_stime,"
    " 'peak_mb': usage.ru_maxrss / 1024}))\n"
)


def measure(command: list[str], cwd: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], cwd=cwd, capture_output=True, text=True
    )
    return json.loads(result.stdout)


def stock_copy(content: Path, target: Path) -> None:
    """The same documents with plain Pelican metadata (Title/Date/Category), for a stock build."""
    for path in content.rglob("*.md"):
        header, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
        fields = dict(re.findall(r"^(名称|发文日期|栏目):\s*(.*)$", header, re.M))
        out = target / path.relative_to(content)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            f"Title: {fields['名称']}\nDate: {fields['发文日期']}\nCategory: "
            f"{fields['栏目']}\n\n{body}",
            encoding="utf-8",
        )


HUGO_LAYOUT = {
    # Hugo 0.111
    "hugo.toml": 'baseURL = "/"\nlanguageCode = "zh-cn"\ntitle = "bench"\npaginate = 20\n',
    "layouts/_default/single.html": '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
    "<title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>"
    '<p>{{ .Date.Format "2006-01-02" }}</p>{{ .Content }}</body></html>\n',
    "layouts/_default/list.html": '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
    "<title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1><ul>"
    '{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>'
    "{{ end }}</ul></body></html>\n",
}


def hugo_copy(content: Path, target: Path) -> None:
    """The same documents for Hugo (Debian's package), with two minimal layouts."""
    for name, text in HUGO_LAYOUT.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text, encoding="utf-8")
    for path in content.rglob("*.md"):
        header, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
        fields = dict(re.findall(r"^(名称|发文日期|栏目):\s*(.*)$", header, re.M))
        out = target / "content" / path.relative_to(content)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            f"---\ntitle: {json.dumps(fields['名称'], ensure_ascii=False)}\ndate: "
            f"{fields['发文日期']}\n"
            f"categories: [{fields['栏目']}]\n---\n\n{body}",
            encoding="utf-8",
        )


def tree_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def run(
    docs: int = 1000,
    runs: int = 3,
    seed: int = 2015,
    browser: bool = True,
    shape: str = "eight-columns",
    graveyard: Path | None = None,
    queries: int = 0,
) -> dict:
    """One corpus shape and size, every stage, ours against stock Pelican (and Hugo).
    ``graveyard``: where to move this run's files instead of deleting them, when more runs follow
    (see ``retire`` below: a mass deletion slows the next run's file creation). ``queries``: the
    first so many of the browser's fixed queries only (all when 0), besides the 索引号 and 文号."""
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        content = corpus.site(work / "content", docs, seed=seed, **corpus.SHAPES[shape])
        stock = work / "stock-content"
        stock_copy(content, stock)
        ours_conf = work / "ours.py"
        ours_conf.write_text(
            f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
            f"PATH = {str(content)!r}\nOUTPUT_PATH = {str(work / 'ours-out')!r}\n"
        )
        stock_conf = work / "stock.py"
        stock_conf.write_text(
            f"PATH = {str(stock)!r}\nOUTPUT_PATH = {str(work / 'stock-out')!r}\nSITEURL = ''\n"
            "TIMEZONE = 'Asia/Shanghai'\nDEFAULT_LANG = 'zh'\n"
        )
        ours = [sys.executable, "-m", "invoke", "build", "--settings", str(ours_conf)]
        stock_cmd = [sys.executable, "-m", "pelican", "-s", str(stock_conf), "-q"]
        # name -> (command, how to bring its copy of the content up to date)
        builders = {"ours": (ours, None), "stock": (stock_cmd, lambda: stock_copy(content, stock))}
        hugo = shutil.which("hugo")
        if hugo:
            hugo_copy(content, work / "hugo")
            builders["hugo"] = (
                [hugo, "--quiet", "-s", str(work / "hugo"), "-d", str(work / "hugo-out")],
                lambda: hugo_copy(content, work / "hugo"),
            )
        results = {f"{name}_{stage}": [] for stage in STAGES for name in builders}

        retired = work / "retired"

        def retire(folder: Path) -> None:
            """Move an earlier run's output out of the way; it is deleted when the benchmark ends.

            Not deleted now: on ext4 without a journal (this machine's disk) a file created within
            about five minutes of a mass deletion makes the kernel step over every recently freed
            inode first (``recently_deleted``). Deleting the previous output (25,000 files) cost the
            next cold build about 6 s of kernel time, more than the build's own file writing, and
            the same for stock Pelican's in proportion: a cold build on a CI machine never sees
            that."""
            if folder.exists():
                retired.mkdir(exist_ok=True)
                folder.rename(retired / f"{folder.name}-{len(list(retired.iterdir()))}")

        def measure_all(stage: str) -> None:
            for name, (command, sync) in builders.items():
                if (
                    stage == "cold"
                ):  # nothing from an earlier run: no output, and our build's cache gone too
                    retire(work / f"{name}-out")
                    if name == "ours":
                        retire(work / "cache")
                elif sync:
                    sync()
                results[f"{name}_{stage}"].append(measure(command, ROOT))

        edited = sorted(content.rglob("*.md"))[0]
        retitled = sorted(content.rglob("*.md"))[len(list(content.rglob("*.md"))) // 2]
        for run_number in range(runs):
            measure_all("cold")
            edited.write_text(
                edited.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8"
            )
            measure_all("edit")
            # An editor corrects a title: front matter only (lists, feeds, tier 1 show it).
            text = retitled.read_text(encoding="utf-8")
            retitled.write_text(
                re.sub(
                    r"^(名称: .*)$", rf"\1（第{run_number + 1}次修订）", text, count=1, flags=re.M
                ),
                encoding="utf-8",
            )
            measure_all("front")
        # An editor publishes one new notice, dated after everything else (serial 90000+ keeps its
        # 索引号 free).
        day = dt.date(2026, 7, 1)
        corpus.generate(content, 1, ["news"], seed=seed + 1, dates=(day, day), prefix="new-")
        added = next(content.rglob("new-*.md"))
        added.write_text(
            added.read_text(encoding="utf-8").replace("/202607-00001", "/202607-90001"),
            encoding="utf-8",
        )
        measure_all("add")
        summary = {"docs": docs, "runs": runs, "shape": shape}
        for name, values in results.items():
            summary[name] = {
                key: round(statistics.median(v[key] for v in values), 3)
                for key in ("wall_s", "cpu_s", "peak_mb")
            }
            summary[name]["ok"] = all(v["code"] == 0 for v in values)
            summary[name]["each_wall_s"] = [round(v["wall_s"], 2) for v in values]
        for side in ("ours", "stock"):
            files, size = tree_size(work / f"{side}-out")
            summary[f"{side}_output"] = {"files": files, "bytes": size}
        summary["ratios"] = {
            name: round(summary[f"ours_{name}"]["wall_s"] / summary[f"stock_{name}"]["wall_s"], 2)
            for name in STAGES
        }
        summary["ratios"]["peak_memory"] = round(
            summary["ours_cold"]["peak_mb"] / summary["stock_cold"]["peak_mb"], 2
        )
        summary["ratios"]["edit_vs_own_cold"] = round(
            summary["ours_edit"]["wall_s"] / summary["ours_cold"]["wall_s"], 3
        )
        summary["ratios"]["front_vs_own_cold"] = round(
            summary["ours_front"]["wall_s"] / summary["ours_cold"]["wall_s"], 3
        )
        summary["ratios"]["add_vs_own_cold"] = round(
            summary["ours_add"]["wall_s"] / summary["ours_cold"]["wall_s"], 3
        )
        if hugo:
            summary["ratios"]["cold_vs_hugo"] = round(
                summary["ours_cold"]["wall_s"] / summary["hugo_cold"]["wall_s"], 2
            )
        search = work / "ours-out" / "search"
        if search.is_dir():
            import gzip

            def gzipped(folder: str) -> list[int]:
                return sorted(
                    len(gzip.compress(p.read_bytes())) for p in (search / folder).rglob("*.js")
                )

            shards, tier1 = gzipped("t2"), gzipped("t1")
            largest = max(
                (p.stat().st_size for p in work.joinpath("ours-out").rglob("*")), default=0
            )
            summary["search"] = {
                "tier1_gzip_bytes": len(gzip.compress((search / "tier1.js").read_bytes())),
                "tier1_files": sum(len(gzipped(f)) for f in ("t1", "t1w", "t1d")) + 2,
                "term_shard_gzip_median_bytes": statistics.median(tier1) if tier1 else 0,
                "shards": len(shards),
                "shard_gzip_median_bytes": statistics.median(shards) if shards else 0,
                "search_files": sum(1 for p in search.rglob("*") if p.is_file()),
                "largest_output_file_bytes": largest,
            }
            if browser and shutil.which("chromium"):
                # In its own process: Playwright's sync API refuses to start inside a running event
                # loop (as in a test process whose browser fixture is open).
                code = (
                    "import json, sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
                    "from commands.benchmark import browser; "
                    "n = int(sys.argv[3]) or len(browser.QUERIES); "
                    "print(json.dumps(browser.measure(Path(sys.argv[2]), browser.QUERIES[:n])))"
                )
                done = subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        code,
                        str(ROOT / "plugins"),
                        str(work / "ours-out"),
                        str(queries),
                    ],
                    capture_output=True,
                    text=True,
                    encoding="utf-8",
                )
                if done.returncode == 0:
                    summary["browser"] = json.loads(done.stdout.strip().splitlines()[-1])
                else:  # keep the build figures; say what failed
                    summary["browser_error"] = done.stderr.strip()[-2000:]
        return summary
    finally:
        if graveyard is not None:
            graveyard.mkdir(parents=True, exist_ok=True)
            work.rename(graveyard / work.name)
        else:
            shutil.rmtree(work, ignore_errors=True)


def growth(summaries: list[dict]) -> str:
    """How each cost grows with the archive, one row per shape and size (from one run each)."""
    lines = [
        "增长表（每种形态、每个规模一次运行）",
        f"{'shape':16}{'docs':>8}{'cold s':>9}{'×stock':>8}{'ms/doc':>8}{'edit':>8}{'add':>8}"
        f"{'peak MB':>9}{'×stock':>8}{'files':>8}{'MB':>8}",
    ]
    for s in summaries:
        cold = s["ours_cold"]["wall_s"]
        lines.append(
            f"{s.get('shape', ''):16}{s['docs']:>8}{cold:>9.2f}{s['ratios']['cold']:>8.2f}"
            f"{cold / s['docs'] * 1000:>8.2f}{s['ratios']['edit_vs_own_cold']:>8.1%}"
            f"{s['ratios']['add_vs_own_cold']:>8.1%}{s['ours_cold']['peak_mb']:>9.0f}"
            f"{s['ratios']['peak_memory']:>8.2f}{s['ours_output']['files']:>8}"
            f"{s['ours_output']['bytes'] / 1e6:>8.1f}"
        )
    return "\n".join(lines)


def table(summary: dict) -> str:
    lines = [
        f"基准测试：{summary['docs']} 个文档（{summary.get('shape', '')}），"
        f"{summary['runs']} 次取中位数",
        "",
        f"{'':14}{'ours wall':>11}{'stock wall':>12}{'ratio':>8}{'ours CPU':>10}{'stock CPU':>11}",
    ]
    for name in STAGES:
        ours, stock = summary[f"ours_{name}"], summary[f"stock_{name}"]
        line = (
            f"{name + ' build':14}{ours['wall_s']:>10.2f}s{stock['wall_s']:>11.2f}s"
            f"{summary['ratios'][name]:>7.2f}×{ours['cpu_s']:>9.2f}s{stock['cpu_s']:>10.2f}s"
        )
        if f"hugo_{name}" in summary:
            line += (
                f"   Hugo {summary[f'hugo_{name}']['wall_s']:.2f}s wall, "
                f"{summary[f'hugo_{name}']['cpu_s']:.2f}s CPU"
            )
        lines.append(line)
    lines.append(
        f"{'':14}rebuild after an edit = {summary['ratios']['edit_vs_own_cold']:.1%} of our cold "
        "build, "
        f"after a title edit = {summary['ratios']['front_vs_own_cold']:.1%}, "
        f"after adding a document = {summary['ratios']['add_vs_own_cold']:.1%}"
    )
    lines.append(
        f"{'peak memory':14}{summary['ours_cold']['peak_mb']:>9.0f}MB"
        f"{summary['stock_cold']['peak_mb']:>10.0f}MB"
        f"{summary['ratios']['peak_memory']:>7.2f}×"
    )
    lines.append(
        f"{'output':14}{summary['ours_output']['files']:>8} files "
        f"{summary['ours_output']['bytes'] / 1e6:.1f} MB"
        f" / stock {summary['stock_output']['files']} files "
        f"{summary['stock_output']['bytes'] / 1e6:.1f} MB"
    )
    if "search" in summary:
        s = summary["search"]
        lines.append(
            f"{'search':14}tier 1 core {s['tier1_gzip_bytes'] / 1e3:.1f} KB gzip, "
            f"{s['tier1_files']} tier-1 files (term shard median "
            f"{s['term_shard_gzip_median_bytes'] / 1e3:.1f} KB); tier 2 {s['shards']} list "
            f"files, median {s['shard_gzip_median_bytes'] / 1e3:.1f} KB gzip; "
            f"{s['search_files']} search files; largest output file "
            f"{s['largest_output_file_bytes'] / 1e6:.2f} MB"
        )
    if "browser_error" in summary:
        lines.append(f"{'Chromium':14}measurement failed: {summary['browser_error']}")
    if "browser" in summary:
        b = summary["browser"]
        lines.append(
            f"{'Chromium':14}tier 1 ready {b['tier1_ready_ms_median']:.0f} ms, query "
            f"{b['query_ms_median']:.1f} ms"
            f" (max {b['query_ms_max']:.1f}; first with the page {b['first_query_ms_median']:.1f}),"
            f" tier 2 {b['tier2_gzip_bytes_median'] / 1e3:.1f} KB/query,"
            f" recall {b['recall']:.2%}, wrong hits {b['wrong_hit_rate']:.2%}"
        )
        if "first_query_gzip_bytes_median" in b:
            lines.append(
                f"{'':14}first query {b['first_query_gzip_bytes_median'] / 1e3:.0f} KB gzip in all"
                f" (max {b['first_query_gzip_bytes_max'] / 1e3:.0f}), results ready "
                f"{b['results_ready_ms_median']:.0f} ms after domInteractive "
                f"(max {b['results_ready_ms_max']:.0f}), {len(b['queries'])} queries"
            )
        for name, page in b["pages"].items():
            lines.append(
                f"{'':14}{name} page {page['gzip_bytes'] / 1e3:.1f} KB gzip in {page['files']} "
                "files"
            )
    return "\n".join(lines)

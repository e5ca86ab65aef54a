"""``invoke audit``: the independent tools on every page kind of the sample site, as CI runs them.

Lighthouse (npm ``lighthouse``) on mobile and desktop, and pa11y (HTML_CodeSniffer and axe runners,
WCAG2AA), in Debian's Chromium, over loopback HTTP, on the production build's pages (minified)
with relative addresses; screenshots of each page kind at 1280 and 375 px for a person to look at.
All pinned in package.json; nothing is downloaded while it runs.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

# The page kinds the issue names, and where the sample site has one.
PAGES = {
    "home": "index.html",
    "catalogue": "catalogue/index.html",
    "column": "columns/budget.html",
    "document": "docs/003186648-201402-00001.html",
    "annual-report": "docs/report-2014.html",
    "procurement": "procurement/index.html",
    "finance": "finance/index.html",
    "search": "search.html?q=预算",
}
# Screenshots only: the other page kinds a citizen meets.
MORE_PAGES = {
    "application": "columns/application.html",
    "application-form": "forms/application.html",
    "leaders": "columns/leaders.html",
    "contact": "contact.html",
    "statistics": "docs/003186648-201501-00005.html",
    "not-found": "404.html",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Lowest score each category may have (0-100).
FLOORS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run "
    "--disable-component-update --disable-sync"
)
SCREEN_WIDTHS = (1280, 375)


@dataclass
class Findings:
    scores: dict = field(default_factory=dict)  # "page/form factor" -> {category: score}
    below: list = field(default_factory=list)  # (page, form factor, category, score, audits)
    pa11y: dict = field(default_factory=dict)  # page -> [issues]
    screenshots: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.below and not any(self.pa11y.values())

    def as_json(self) -> dict:
        return {
            "scores": self.scores,
            "below": self.below,
            "pa11y": self.pa11y,
            "screenshots": self.screenshots,
        }


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def lighthouse(root: Path, url: str, desktop: bool, out: Path) -> dict:
    command = [
        str(root / "node_modules/.bin/lighthouse"),
        url,
        f"--chrome-flags={CHROME_FLAGS}",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--quiet",
    ]
    if desktop:
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={"CHROME_PATH": CHROMIUM, "PATH": "/usr/bin:/bin"})
    return json.loads(out.read_text(encoding="utf-8"))


def lighthouse_scores(report: dict) -> tuple[dict, dict]:
    """({category: 0-100}, {category: [audits that lost points]})."""
    scores, lost = {}, {}
    for key, category in report["categories"].items():
        scores[key] = round((category["score"] or 0) * 100)
        lost[key] = [
            f"{ref['id']}: {report['audits'][ref['id']].get('displayValue') or ''}".rstrip(": ")
            for ref in category["auditRefs"]
            if ref["weight"] > 0 and (report["audits"][ref["id"]]["score"] or 0) < 1
        ]
    return scores, lost


def pa11y(root: Path, url: str, config: Path) -> list[dict]:
    """pa11y's errors on a page (both runners, WCAG2AA); warnings and notices left out."""
    done = subprocess.run(
        [
            str(root / "node_modules/.bin/pa11y"),
            "--runner",
            "htmlcs",
            "--runner",
            "axe",
            "--standard",
            "WCAG2AA",
            "--reporter",
            "json",
            "--config",
            str(config),
            url,
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode not in (0, 2):  # 2: issues found
        raise RuntimeError(f"pa11y failed on {url}: {done.stderr.strip()[-500:]}")
    return [
        {
            "code": i["code"],
            "selector": i["selector"],
            "message": i["message"],
            "runner": i["runner"],
        }
        for i in json.loads(done.stdout or "[]")
        if i["type"] == "error"
    ]


def screenshots(base: str, folder: Path) -> list[str]:
    """Each page kind at 1280 and 375 px, whole page, in each display mode of the toolbar."""
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    modes = {"standard": None, "large-contrast": '{"text":2,"contrast":true}'}
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROME_FLAGS.replace("=new", "").split()
        )
        for width in SCREEN_WIDTHS:
            for mode, stored in modes.items():
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(base + "index.html")
                page.evaluate(
                    "s => s ? localStorage.setItem('gk-a11y', s) : localStorage.clear()", stored
                )
                for name, rel in {**PAGES, **MORE_PAGES}.items():
                    page.goto(base + rel)
                    page.wait_for_load_state("networkidle")
                    target = folder / f"{name}-{width}-{mode}.png"
                    page.screenshot(path=str(target), full_page=True)
                    saved.append(target.name)
                page.close()
        browser.close()
    return saved


def run(root: Path, site: Path, reports: Path, say=print) -> Findings:
    """Audit the built site in ``site``; reports (JSON per run, screenshots) under ``reports``."""
    reports.mkdir(parents=True, exist_ok=True)
    config = reports / "pa11y.json"
    config.write_text(
        json.dumps(
            {
                "chromeLaunchConfig": {
                    "executablePath": CHROMIUM,
                    "args": CHROME_FLAGS.replace("=new", "").split(),
                },
                "timeout": 60000,
                # axe's "needs review" (incomplete) results are not violations: the only ones
                # here are the labels inside charts (an svg role=img), whose colours axe cannot
                # read; tests/browser/test_theme.py measures them (4.5:1 in every mode).
                "levelCapWhenNeedsReview": "warning",
            }
        ),
        encoding="utf-8",
    )
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    findings = Findings()
    try:
        for name, rel in PAGES.items():
            for desktop in (False, True):
                factor = "desktop" if desktop else "mobile"
                report = lighthouse(root, base + rel, desktop, reports / f"lh-{name}-{factor}.json")
                scores, lost = lighthouse_scores(report)
                findings.scores[f"{name}/{factor}"] = scores
                for key, score in scores.items():
                    if score < FLOORS[key]:
                        findings.below.append((name, factor, key, score, lost[key]))
                say(
                    f"Lighthouse {name:14} {factor:7} "
                    + "  ".join(f"{key} {scores[key]}" for key in CATEGORIES)
                )
            findings.pa11y[name] = pa11y(root, base + rel, config)
            say(f"pa11y      {name:14} errors {len(findings.pa11y[name])}")
        findings.screenshots = screenshots(base, reports / "screenshots")
    finally:
        server.shutdown()
    (reports / "audit.json").write_text(
        json.dumps(findings.as_json(), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return findings


def summary(findings: Findings) -> str:
    lines = []
    for name, factor, key, score, audits in findings.below:
        lines.append(f"低于要求：{name} {factor} {key} {score}（{'；'.join(audits) or '—'}）")
    for name, issues in findings.pa11y.items():
        for issue in issues:
            lines.append(
                f"pa11y 错误：{name} {issue['runner']} {issue['code']} {issue['selector']}"
            )
    lines.append(
        "结论："
        + ("全部达到要求" if findings.ok else "有未达到要求的项目")
        + f"（Lighthouse {len(findings.scores)} 次，pa11y {len(findings.pa11y)} 页，"
        f"截图 {len(findings.screenshots)} 张）"
    )
    return "\n".join(lines)

"""Tasks (invoke). Thin: every task calls into plugins/; no site logic lives here."""

from __future__ import annotations

import functools
import http.server
import logging
import os
import shutil
import sys
import threading
from pathlib import Path

from invoke import Exit, Task, task

# Chinese messages must print even where the terminal's locale is plain ASCII.
for stream in (sys.stdout, sys.stderr):
    if hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8", errors="replace")

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from disclosure import build as site  # noqa: E402

DEV = str(ROOT / "pelicanconf.py")
PUBLISH = str(ROOT / "publishconf.py")
WATCHED = ["content", "theme", "plugins", "pelicanconf.py", "publishconf.py"]


def _report(outcome) -> None:
    print(outcome.report())
    if not outcome.ok:
        raise Exit(code=1)


def _report_and_leave(outcome, task_name: str) -> None:
    """Report a build; when it was the only task asked for, end the process at once. The build's
    objects form cycles, which the interpreter would otherwise walk and free on the way out (at
    10,000 documents that takes longer than a small rebuild): everything is written and closed
    by then, and the helpers are collected."""
    names = {
        name
        for task_object in globals().values()
        if isinstance(task_object, Task)
        for name in (task_object.name, task_object.name.replace("_", "-"))
    }
    asked = [arg for arg in sys.argv[1:] if arg in names]
    if asked != [task_name]:
        _report(outcome)
        return
    print(outcome.report())
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(0 if outcome.ok else 1)


@task
def build(c, settings=DEV):
    """Validate the content and build the site into output/ (unchanged if anything fails)."""
    _report_and_leave(site.build(settings), "build")


@task
def clean(c):
    """Remove output/, the spare copy of it rebuilds keep, and caches."""
    for name in ("output", ".output-spare", "cache"):
        shutil.rmtree(ROOT / name, ignore_errors=True)


@task
def rebuild(c, settings=DEV):
    """Build from nothing (the build cache is dropped first); output/ is replaced only if it
    succeeds."""
    _report_and_leave(site.build(settings, fresh=True), "rebuild")


@task(name="publish-build")
def publish_build(c):
    """Build with production settings (publishconf.py)."""
    build(c, PUBLISH)


@task
def check(c, settings=DEV):
    """Validate all content and report every problem; writes nothing."""
    outcome = site.check(settings)
    print(outcome.report())
    if not outcome.ok:
        raise Exit(code=1)


@task(
    help={
        "gh_pages": "发布到 GitHub Pages（gh-pages 分支）",
        "rsync": "发布到服务器目录，如 user@host:/srv/xxgk 或本地目录",
        "dry_run": "只显示将要做什么",
        "no_build": "不重新生成，直接发布现有 output/",
    }
)
def publish(c, gh_pages=False, rsync="", dry_run=False, no_build=False):
    """Build with publishconf.py, then publish to GitHub Pages or as an atomic release on a
    server."""
    from commands import deploy

    if gh_pages == bool(rsync):
        raise Exit("请指定一个发布目标：--gh-pages 或 --rsync 目标目录", code=2)
    if not no_build:
        _refuse_if_site_check_fails(dry_run=dry_run)
        build(c, PUBLISH)
    output = ROOT / "output"
    if gh_pages:
        cname = site.load_settings(PUBLISH).get("GITHUB_PAGES_CNAME", "")
        steps = deploy.gh_pages(output, cname=cname, dry_run=dry_run)
    else:
        steps = deploy.release(output, rsync, dry_run=dry_run)
    print(("将要执行：" if dry_run else "已执行：") + "\n  " + "\n  ".join(steps))


def _refuse_if_site_check_fails(settings=DEV, dry_run=False):
    """Never publish a site that fails the inspection: build for checking, inspect, stop on errors.

    A dry run reports the errors and goes on to show what publishing would do."""
    from commands import site_check

    _report(site.build(settings))
    code, text = site_check.main(
        settings, publish=True, html_report=ROOT / "reports/site-check.html"
    )
    if code == site_check.EXIT_ERRORS:
        print(text)
        if dry_run:
            print("（预演）网站检查有错误：正式发布时会被拒绝。")
            return
        raise Exit("网站检查有错误，已停止发布。请按报告修改后再发布。", code=2)


@task(help={"dest": "发布时用的 --rsync 目标", "dry_run": "只显示将要做什么"})
def rollback(c, dest, dry_run=False):
    """Switch the server back to the previous release."""
    from commands import deploy

    try:
        print("\n".join(deploy.rollback(dest, dry_run=dry_run)))
    except deploy.DeployError as exc:
        raise Exit(str(exc), code=1) from None


@task(name="cms-config", help={"repo": "GitHub 仓库 owner/name", "branch": "分支"})
def cms_config(c, repo="owner/site", branch="main"):
    """Write admin/config.yml for Decap CMS from the catalogue and the content model."""
    from commands import cms
    from domain.site import Site

    target = ROOT / "admin/config.yml"
    target.parent.mkdir(exist_ok=True)
    target.write_text(
        cms.config_yaml(Site.from_settings(site.load_settings(DEV)), repo, branch), encoding="utf-8"
    )
    print(f"已生成：{target.relative_to(ROOT)}")


@task(help={"port": "网站端口（默认 8000）"})
def cms(c, port=8000):
    """Edit on this computer with the web editor: build, serve the site and run decap-server on
    this repository (Decap's local backend); open http://127.0.0.1:8000/admin/."""
    import subprocess

    server_js = ROOT / "node_modules/decap-server/dist/index.js"
    if not server_js.exists():
        raise Exit("网页编辑器的本机服务（decap-server）没有安装：请先运行 make setup", code=1)
    build(c)
    env = {
        **os.environ,
        "MODE": "git",
        "GIT_REPO_DIRECTORY": str(ROOT),
        "PORT": "8081",
        "BIND_HOST": "127.0.0.1",
    }
    proxy = subprocess.Popen(["node", str(server_js)], env=env)
    server = _server(int(port), "127.0.0.1")
    print(
        f"网页编辑器：http://127.0.0.1:{port}/admin/ （点“登录”即可；保存的修改在本仓库的 cms/ "
        "分支上，"
        "审核发布后合并）  按 Ctrl-C 停止"
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        proxy.terminate()


@task(
    name="import-docx",
    help={
        "file": "Word/WPS 文件（.docx），或装有 .docx 文件的文件夹",
        "column": "栏目代码或名称",
        "publisher": "发布机构",
        "settings": "设置文件",
        "category": "索引号的分类段（本机构的索引号规则有 {category} 时）",
    },
)
def import_docx(c, file, column, publisher="", settings=DEV, category=""):
    """Turn a .docx notice (or every .docx of a folder) into new documents (front matter, body,
    pictures beside them)."""
    from commands.docx_import import import_docx as convert
    from commands.docx_import import unsupported
    from domain.site import Site

    source = Path(file)
    files = sorted(p for p in source.iterdir() if p.is_file()) if source.is_dir() else [source]
    failed = 0
    for path in files:
        why = unsupported(path)
        if why:
            print(f"未导入：{why}")
            failed += 1
            continue
        new, problems = site.new_document(
            settings, column=column, title="（导入中）", publisher=publisher, category=category
        )
        if new is None:
            print("\n\n".join(p.format() for p in problems))
            raise Exit(code=1)
        index = next(
            line.split(":", 1)[1].strip()
            for line in new.read_text(encoding="utf-8").splitlines()
            if line.startswith("索引号:")
        )
        new.unlink()
        new.with_suffix(".yml").unlink(missing_ok=True)  # an annual report's table skeleton
        today = Site.from_settings(site.load_settings(settings)).today.isoformat()
        result = convert(path, new.parent, new.parent.name, index, today)
        print(f"已创建：{os.path.relpath(result.path, ROOT)}（名称：{result.title}）")
        for name in result.attachments:
            print(f"  图片（随正文发布）：{name}")
        for message in result.messages:
            print(f"  请注意：{message}")
    if failed:
        raise Exit(code=1)


@task(name="install-hooks")
def install_hooks(c):
    """Install a git pre-commit hook that checks the content before every commit."""
    hook = ROOT / ".git/hooks/pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(HOOK, encoding="utf-8")
    hook.chmod(0o755)
    print(f"已安装：{hook.relative_to(ROOT)}")


HOOK = """#!/bin/sh
# Installed by `invoke install-hooks`: check the content when a commit touches it.
if git diff --cached --name-only --diff-filter=ACMR | grep -q '^content/'; then
  .venv/bin/invoke check || { echo "内容检查未通过：请按上面的提示修改后再提交。"; exit 1; }
fi
"""


@task(
    help={
        "docs": "合成文档数，可写多个（如 1000,10000,30000）依次测量（默认 1000）",
        "runs": "重复次数，取中位数",
        "browser": "在 Chromium 中测量搜索（默认是；--no-browser 跳过）",
        "shape": "语料形态，可写多个：eight-columns（默认）、twenty-columns、one-column、"
        "long-tables、attachments，或 all",
    }
)
def bench(c, docs="1000", runs=3, browser=True, shape="eight-columns"):
    """Benchmark our build against stock Pelican on the same synthetic documents, for each corpus
    shape and size asked for; writes reports/bench.json (one summary, or a list of them)."""
    import json

    from commands.benchmark.bench import growth, run, table
    from commands.benchmark.corpus import SHAPES

    shapes = list(SHAPES) if shape == "all" else shape.split(",")
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        raise Exit(f"不认识的语料形态：{'、'.join(unknown)}；可选：{'、'.join(SHAPES)}", code=2)
    sizes = [int(n) for n in str(docs).split(",")]
    summaries = []
    # Each run's files are deleted only after the last run: deleting tens of thousands of files
    # slows the file creation of the next run's cold builds (commands/benchmark/bench.py).
    import tempfile

    graveyard = Path(tempfile.mkdtemp(prefix="bench-done-"))
    try:
        for name in shapes:
            for size in sizes:
                summaries.append(
                    run(size, int(runs), browser=browser, shape=name, graveyard=graveyard)
                )
                print(table(summaries[-1]))
                print()
    finally:
        shutil.rmtree(graveyard, ignore_errors=True)
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports/bench.json").write_text(
        json.dumps(
            summaries[0] if len(summaries) == 1 else summaries, ensure_ascii=False, indent=1
        ),
        encoding="utf-8",
    )
    if len(summaries) > 1:
        print(growth(summaries))
    print("JSON：reports/bench.json")


@task
def audit(c):
    """Lighthouse (mobile and desktop) and pa11y on every page kind of the sample site, built as
    for production (minified), served over loopback; screenshots of each page kind. Writes
    reports/audit/; fails below 100 in accessibility, best practices and SEO, 95 in performance,
    or on any pa11y error."""
    from commands import audit as tools

    folder = ROOT / "reports/audit"
    shutil.rmtree(folder, ignore_errors=True)
    outcome = site.build(DEV, {"OUTPUT_PATH": str(folder / "site"), "MINIFY": True})
    if not outcome.ok:
        _report(outcome)
    findings = tools.run(ROOT, folder / "site", folder)
    print(tools.summary(findings))
    print("报告：reports/audit/audit.json；截图：reports/audit/screenshots/")
    if not findings.ok:
        raise Exit(code=1)


@task(
    name="check-site",
    help={
        "as_of": "检查日期 YYYY-MM-DD（默认今天）",
        "format": "text 或 json",
        "strict": "有警告也返回非零",
        "publish": "按发布要求检查（未保密审查是错误）",
        "settings": "设置文件",
    },
)
def check_site(c, as_of="", format="text", strict=False, publish=False, settings=DEV):
    """Inspect the built output/ against the national website inspection items."""
    import datetime as dt

    from commands import site_check

    code, text = site_check.main(
        settings,
        dt.date.fromisoformat(as_of) if as_of else None,
        format,
        strict,
        publish,
        ROOT / "reports/site-check.html",
    )
    print(text)
    if code:
        raise Exit(code=code)


@task(
    help={
        "column": "栏目代码或名称，例如 budget 或 部门预算",
        "title": "文件名称",
        "publisher": "发布机构（默认第一个）",
        "category": "索引号的分类段（本机构的索引号规则有 {category} 时）",
        "settings": "设置文件",
    }
)
def new(c, column="", title="", publisher="", category="", settings=DEV):
    """Scaffold a new document with every field, today's date and the next free 索引号."""
    path, problems = site.new_document(
        settings, column=column, title=title, publisher=publisher, category=category
    )
    if path is None:
        print("\n\n".join(p.format() for p in problems))
        raise Exit(code=1)
    print(f"已创建：{os.path.relpath(path, ROOT)}")
    data = path.with_suffix(".yml")
    if data.exists():  # an annual report: its table data skeleton beside it
        print(f"已创建：{os.path.relpath(data, ROOT)}（照年报填写表二、表三、表四）")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves output/ as the department's server does: a missing page gets the site's 404.html
    (with status 404), not Python's own error page."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        if b"<base " not in body:  # its relative links are relative to the site's root
            body = body.replace(b"<head>", b'<head><base href="/">', 1)
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _server(
    port: int, host: str, folder: Path = ROOT / "output"
) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(SiteHandler, directory=str(folder))
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    return http.server.ThreadingHTTPServer((host, port), handler)


@task
def serve(c, port=8000, host="127.0.0.1"):
    """Build, then serve output/ on http://127.0.0.1:8000 (Ctrl-C stops)."""
    build(c)
    server = _server(int(port), host)
    print(f"网站地址：http://{host}:{port}/  （按 Ctrl-C 停止）")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


@task
def livereload(c, port=8000, host="127.0.0.1"):
    """Build, serve, and rebuild whenever content, theme, plugins or settings change."""
    from watchfiles import watch

    outcome = site.build(DEV)
    print(outcome.report())
    server = _server(int(port), host)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"网站地址：http://{host}:{port}/  修改文件后自动重新生成（按 Ctrl-C 停止）")
    try:
        for _changes in watch(
            *(ROOT / p for p in WATCHED), watch_filter=lambda _c, path: "/output" not in path
        ):
            print(site.build(DEV).report())
    except KeyboardInterrupt:
        server.shutdown()


@task(help={"fast": "只运行单元和小型功能测试（不含浏览器和耗时测试），约一分钟"})
def test(c, fast=False):
    """Run the whole test suite (--fast: the unit and small functional tiers, in two processes)."""
    if fast:
        c.run(f'{sys.executable} -m pytest -q -n 2 -m "not browser and not slow"', pty=False)
    else:
        # Two processes, as on this 2-core machine: the suite runs in about 6 minutes instead of 9.
        c.run(f"{sys.executable} -m pytest -q -n 2", pty=False)

"""The editor-facing commands: invoke new, invoke check and invoke build, as a user runs them."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import pytest

from helpers import ROOT, document, site_build


def test_new_writes_a_valid_document_with_the_next_serial(site):
    site.write("news/a.md", document(index="003186648/201503-00007"))
    site.write(
        "news/b.md", document(index="12340000003186700K/201503-00009", 发布机构="外事服务中心")
    )
    path, problems = site_build.new_document(
        ROOT / "pelicanconf.py",
        column="部门预算",
        title="2015年部门预算",
        today=dt.date(2015, 3, 20),
        overrides=site.overrides(),
    )
    assert not problems
    assert path == site.content / "budget" / "003186648-201503-00008.md"
    text = path.read_text(encoding="utf-8")
    for label in [
        "名称: 2015年部门预算",
        "索引号: 003186648/201503-00008",
        "栏目: budget",
        "发文日期: 2015-03-20",
        "发布机构: 安徽省外事（侨务、港澳）办公室",
        "预决算年度: 2015",
        "预决算类别: 部门预算",
        "数据表:",
        "关键词:",
        "主题分类:",
        "内容概述:",
        "审核人:",
        "审核日期:",
        "附件:",
    ]:
        assert label in text
    path.write_text(text.replace("在这里写正文。", "预算说明。"), encoding="utf-8")
    outcome = site.build(DISCLOSURE_TODAY="2015-03-31")
    assert outcome.ok, outcome.report()
    assert (site.output / "docs/003186648-201503-00008.html").exists()


def test_new_refuses_an_unknown_column(site):
    path, problems = site_build.new_document(
        ROOT / "pelicanconf.py", column="nope", title="x", overrides=site.overrides()
    )
    assert path is None
    assert "可用栏目" in problems[0].format() and "budget（部门预算）" in problems[0].format()


def _invoke(site, *args, env=None):
    settings = site.root / "siteconf.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(site.content)!r}\nOUTPUT_PATH = {str(site.output)!r}\n"
        f"THEME = {str(ROOT / 'theme')!r}\nPLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
    )
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args, "--settings", str(settings)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
    )


def test_invoke_check_and_build_exit_codes(site):
    site.write("news/a.md", document(index="003186648/201503-0001"))
    result = _invoke(site, "check")
    assert result.returncode == 1
    assert "news/a.md:3" in result.stdout and "索引号格式不对" in result.stdout
    assert not site.output.exists()
    result = _invoke(site, "build")
    assert result.returncode == 1 and "原有的 output/ 保持不变" in result.stdout
    site.write("news/a.md", document())
    result = _invoke(site, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site.output / "index.html").exists()


@pytest.mark.slow
def test_builds_in_separate_processes_are_byte_identical(site):
    """Hash randomisation, file-system order and timing must not leak into the output."""
    site.write("news/a.md", document(关键词="外事 侨务 港澳"))
    site.write(
        "finance/b.md",
        document(index="003186648/201503-00002", column="budget", extra="附件: t.csv"),
    )
    site.write("finance/t.csv", "a,b\n")
    digests = []
    for seed in ("1", "2"):
        result = _invoke(site, "build", env={**os.environ, "PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stdout + result.stderr
        digests.append(site.tree_digest())
        shutil.rmtree(site.output)
    assert digests[0] == digests[1]


@pytest.mark.slow
def test_rebuild_starts_from_nothing_and_a_failed_one_keeps_the_previous_output(site):
    site.write("news/a.md", document())
    assert _invoke(site, "build").returncode == 0
    cache = site.output.parent / "cache"
    assert cache.is_dir()
    home = (site.output / "index.html").read_bytes()
    site.write("news/a.md", document(index="003186648/201503-0001"))
    result = _invoke(site, "rebuild")
    assert result.returncode == 1 and "原有的 output/ 保持不变" in result.stdout
    assert (site.output / "index.html").read_bytes() == home
    site.write("news/a.md", document())
    result = _invoke(site, "rebuild")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "沿用未改动的页面 0 个" in result.stdout  # nothing taken from the previous build
    assert (site.output / "index.html").read_bytes() == home


def test_the_local_server_answers_a_missing_page_with_the_sites_404_page(tmp_path):
    """`invoke serve` shows the site's own 404 page (status 404, its styles found from any
    depth), as the department's server does, not Python's error page."""
    import threading
    import urllib.error
    import urllib.request

    sys.path.insert(0, str(ROOT))
    import tasks

    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("<html><head></head><body>首页</body></html>")
    (output / "404.html").write_text(
        '<html><head><link rel="stylesheet" href="./theme/css/site.css"></head>'
        "<body>您访问的页面不存在</body></html>",
        encoding="utf-8",
    )
    server = tasks._server(0, "127.0.0.1", output)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(f"{base}/index.html") as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/docs/deep/missing.html")
        page = missing.value.read().decode("utf-8")
        assert missing.value.code == 404
        assert "您访问的页面不存在" in page and '<base href="/">' in page
        assert "Error response" not in page
    finally:
        server.shutdown()
        server.server_close()


def test_audit_fails_below_the_floors_and_names_what_lost_points():
    """invoke audit's judgement of a Lighthouse report and pa11y's errors (CI runs the tools)."""
    from commands import audit

    def report(perf, a11y):
        audits = {
            "largest-contentful-paint": {"score": perf, "displayValue": "3.1 s"},
            "color-contrast": {"score": a11y},
            "image-alt": {"score": 1},
        }
        refs = {
            "performance": [{"id": "largest-contentful-paint", "weight": 25}],
            "accessibility": [
                {"id": "color-contrast", "weight": 7},
                {"id": "image-alt", "weight": 10},
            ],
        }
        return {
            "audits": audits,
            "categories": {
                key: {"score": perf if key == "performance" else a11y, "auditRefs": refs[key]}
                for key in refs
            },
        }

    scores, lost = audit.lighthouse_scores(report(0.94, 1))
    assert scores == {"performance": 94, "accessibility": 100}
    assert lost == {"performance": ["largest-contentful-paint: 3.1 s"], "accessibility": []}
    findings = audit.Findings(scores={"home/mobile": scores})
    findings.below.append(("home", "mobile", "performance", 94, lost["performance"]))
    findings.pa11y["home"] = []
    assert not findings.ok
    assert "低于要求：home mobile performance 94（largest-contentful-paint: 3.1 s）" in (
        audit.summary(findings)
    )
    clean = audit.Findings(scores={"home/mobile": {"performance": 100}}, pa11y={"home": []})
    assert clean.ok and "全部达到要求" in audit.summary(clean)
    clean.pa11y["home"] = [{"runner": "htmlcs", "code": "H43", "selector": "table", "message": ""}]
    assert not clean.ok and "pa11y 错误：home htmlcs H43 table" in audit.summary(clean)

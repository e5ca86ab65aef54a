"""Hardening: hostile and broken input, safe output, atomic and reproducible builds."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, FixtureSite, document


def only_error(outcome, path):
    assert not outcome.ok
    return [p for p in outcome.problems.errors if p.path == path]


def test_gb18030_file_is_named(site):
    site.write("news/a.md", document(title="𠀀生僻字标题").encode("gb18030"))
    [problem] = only_error(site.build(), "news/a.md")
    assert "不是 UTF-8 编码" in problem.message and "GB18030" in problem.message


def test_lone_cr_and_nbsp_in_index_build(site):
    site.write(
        "news/a.md",
        document(index="003186648/201503\u00a0-00001").replace("\n", "\r").encode("utf-8"),
    )
    outcome = site.build()
    assert outcome.ok, outcome.report()
    assert any(
        "特殊空格" in p.message or "多余的空格" in p.message for p in outcome.problems.warnings
    )
    assert (site.output / "docs/003186648-201503-00001.html").exists()


@pytest.mark.slow
def test_five_megabyte_body_builds(site):
    body = ("这是一段很长的正文，用来检验系统能处理大文件。\n\n" * 120_000)[: 5 * 1024 * 1024 // 3]
    site.write("news/big.md", document(body=body))
    outcome = site.build()
    assert outcome.ok, outcome.report()
    assert (site.output / "docs/003186648-201503-00001.html").stat().st_size > 4_000_000


def test_title_of_500_characters_is_an_error(site):
    site.write("news/a.md", document(title="很" * 500))
    [problem] = only_error(site.build(), "news/a.md")
    assert problem.field == "名称" and "名称有 500 个字，超过 200 字" in problem.message


def test_symbolic_links_pointing_outside_content(site, tmp_path):
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "leak.md").write_text(document(index="003186648/201503-00002"), encoding="utf-8")
    (outside / "leak.pdf").write_bytes(b"%PDF secret")
    os.symlink(outside / "leak.md", site.content / "news-leak.md")
    site.write("news/a.md", document(extra="附件: link.pdf"))
    os.symlink(outside / "leak.pdf", site.content / "news/link.pdf")
    outcome = site.build()
    assert not outcome.ok
    messages = {(p.path, p.message) for p in outcome.problems.errors}
    assert ("news-leak.md", "这个文件是指向 content 文件夹以外的链接，不能发布") in messages
    assert ("news/a.md", "附件指向 content 文件夹以外的位置") in messages


@pytest.mark.parametrize(
    "html,message",
    [
        ("<script>alert(1)</script>", "不允许使用 <script> 标签"),
        ('<iframe src="https://example.com"></iframe>', "不允许使用 <iframe> 标签"),
        ('<img src="x.png" alt="图" onerror="alert(1)">', "不允许使用事件属性 onerror"),
        ('<a href="javascript:alert(1)">点我</a>', "使用了不安全的协议"),
        ('<a href=" JaVaScRiPt:alert(1)">点我</a>', "使用了不安全的协议"),
        ('<p style="width: expression(alert(1))">x</p>', "style 属性含有脚本或外部地址"),
        ("<svg><script>alert(1)</script></svg>", "不允许使用 <svg> 标签"),
    ],
)
def test_dangerous_raw_html_stops_the_build(site, html, message):
    site.write("news/a.md", document(body=f"正文开始。\n\n{html}\n\n正文结束。"))
    problems = only_error(site.build(), "news/a.md")
    assert any(message in p.message for p in problems), [p.message for p in problems]
    assert not site.output.exists()


def test_allowed_raw_html_is_kept_and_word_markup_dropped(site):
    body = (
        "<table><tr><th>项目</th><td>金额<sup>1</sup></td></tr></table>\n\n"
        '<p><font face="宋体" style="color:red">红头文字</font>与<span class="note" style="color:'
        'red">注</span></p>'
    )
    site.write("news/a.md", document(body=body))
    outcome = site.build()
    assert outcome.ok, outcome.report()
    html = site.page("docs/003186648-201503-00001.html")
    assert "<sup>1</sup>" in html and '<span class="note">注</span>' in html and "红头文字" in html
    assert "<font" not in html and 'style="color:red"' not in html


def test_every_page_carries_a_content_security_policy(site):
    site.write("news/a.md", document())
    assert site.build().ok
    pages = list(site.output.rglob("*.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        policy = BeautifulSoup(text, "html.parser").find(
            "meta", attrs={"http-equiv": "Content-Security-Policy"}
        )
        assert policy["content"].startswith("default-src 'self'; script-src 'self';"), page
        assert "<script>" not in text  # no inline scripts anywhere
    # deploy/nginx/ is served for real in test_nginx.py


@pytest.mark.slow
def test_kill_during_build_leaves_previous_output(tmp_path):
    site = FixtureSite(tmp_path)
    for n in range(1, 301):
        site.write(
            f"news/d{n}.md",
            document(index=f"003186648/201503-{n:05d}", title=f"第{n}号", body="正文。" * 400),
        )
    settings = tmp_path / "conf.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(site.content)!r}\nOUTPUT_PATH = {str(site.output)!r}\n"
    )
    build = [sys.executable, "-m", "invoke", "build", "--settings", str(settings)]
    assert subprocess.run(build, cwd=ROOT, capture_output=True).returncode == 0
    before = site.tree_digest()
    site.write(
        "news/d1.md",
        document(index="003186648/201503-00001", title="改过的第1号", body="新正文。" * 400),
    )
    process = subprocess.Popen(
        build, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.time() + 60
    while time.time() < deadline:  # wait until the new build is writing its staging folder
        staging = list(tmp_path.glob(".output-new-*"))
        if staging and any(staging[0].rglob("*.html")):
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert staging, "the build never started writing"
    assert site.tree_digest() == before  # the visitors' site is the old one, complete
    assert subprocess.run(build, cwd=ROOT, capture_output=True).returncode == 0
    assert not list(tmp_path.glob(".output-new-*"))  # the abandoned staging folder was cleaned up
    assert "改过的第1号" in site.page("docs/003186648-201503-00001.html")


@pytest.mark.slow
def test_two_checkouts_on_different_paths_build_identical_output(tmp_path):
    outputs = []
    for name in ("first-checkout", "elsewhere/second"):
        checkout = tmp_path / name
        checkout.mkdir(parents=True)
        for item in ("content", "plugins", "theme"):
            shutil.copytree(
                ROOT / item, checkout / item, ignore=shutil.ignore_patterns("__pycache__")
            )
        for item in ("pelicanconf.py", "publishconf.py", "tasks.py"):
            shutil.copy(ROOT / item, checkout / item)
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1427760000"}  # 2015-03-31
        result = subprocess.run(
            [sys.executable, "-m", "invoke", "build"],
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        assert result.returncode == 0, result.stdout + result.stderr
        outputs.append(FixtureSite.__new__(FixtureSite))
        outputs[-1].output = checkout / "output"
        text = "".join(
            p.read_text(encoding="utf-8", errors="ignore")
            for p in (checkout / "output").rglob("*")
            if p.is_file()
        )
        assert str(checkout) not in text and str(tmp_path) not in text  # no absolute paths leak
    assert outputs[0].tree_digest() == outputs[1].tree_digest()


@pytest.mark.slow
def test_five_thousand_documents_in_one_column_paginate(tmp_path):
    from bs4 import BeautifulSoup

    from commands.benchmark import corpus

    content = corpus.site(tmp_path / "content", 5000, ["news"], body_chars=(20, 40))
    output = tmp_path / "output"
    from disclosure.build import build

    outcome = build(ROOT / "pelicanconf.py", {"PATH": str(content), "OUTPUT_PATH": str(output)})
    assert outcome.ok, outcome.report()[:2000]
    pages = sorted((output / "columns/news").glob("*.html"), key=lambda p: int(p.stem))
    assert [p.stem for p in pages] == [str(n) for n in range(2, 251)]  # 5,000 / 20 = 250 pages
    last = BeautifulSoup(pages[-1].read_text(encoding="utf-8"), "html.parser")
    assert len(last.select("table.gk-list tbody tr")) == 20
    assert (
        "第 250 页，共 250 页" in last.get_text() and "当前显示第 4981–5000 条" in last.get_text()
    )
    dates = [
        td.get_text()
        for p in [output / "columns/news.html", *pages]
        for td in BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").select(
            "td.gk-list__date"
        )
    ]
    assert len(dates) == 5000 and dates == sorted(dates, reverse=True)


def test_an_old_tree_left_by_a_killed_build_is_removed_by_the_next(tmp_path):
    """A build killed while it removed the previous output leaves `.output-old-PID` behind."""
    site = FixtureSite(tmp_path)
    site.write("news/a.md", document())
    left = tmp_path / ".output-old-99999999"  # no such process
    (left / "docs").mkdir(parents=True)
    (left / "docs/x.html").write_text("旧", encoding="utf-8")
    alive = tmp_path / f".output-old-{os.getppid()}"  # a process still running: left alone
    alive.mkdir()
    assert site.build().ok
    assert not left.exists() and alive.exists()


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_build_cache_is_discarded_and_rebuilt(site, damage, caplog):
    site.write("news/a.md", document())
    assert site.build().ok
    before = site.tree_digest()
    cache = site.root / "cache" / "build.sqlite"
    data = cache.read_bytes()
    cache.write_bytes(
        b"this is not a database" * 100 if damage == "garbage" else data[: len(data) // 2]
    )
    for suffix in ("-wal", "-shm"):
        cache.with_name(cache.name + suffix).unlink(missing_ok=True)
    site.write("news/b.md", document(index="003186648/201503-00002", title="第二份"))
    checked = site.check()
    assert checked.ok, checked.report()
    outcome = site.build()
    assert outcome.ok, outcome.report()
    assert "构建缓存" in caplog.text and "已损坏" in caplog.text
    assert set(before) < set(site.tree_digest())
    assert site.build().ok  # the new cache works

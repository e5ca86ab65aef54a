"""The web editor (Decap CMS) as an editor uses it: the site's own admin/ page, Decap's pinned
bundle served from the site, against a local repository through decap-server (the local backend).
A notice and a procurement notice are created through the form; what Decap writes builds."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import Served
from helpers import ROOT, site_build

DECAP_SERVER = ROOT / "node_modules/decap-server/dist/index.js"
GIT = ["git", "-c", "user.name=编辑", "-c", "user.email=editor@example.gov.cn"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """A clone of the sample's content as a git repository, decap-server on it, the built site."""
    assert DECAP_SERVER.exists(), "run `make setup` (npm ci) first"
    root = tmp_path_factory.mktemp("cms")
    repo = root / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(GIT + ["add", "-A"], cwd=repo, check=True)
    subprocess.run(GIT + ["commit", "-qm", "sample"], cwd=repo, check=True)
    port = free_port()
    env = {
        **os.environ,
        "MODE": "git",
        "GIT_REPO_DIRECTORY": str(repo),
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "LOG_LEVEL": "error",
    }
    server = subprocess.Popen(
        ["node", str(DECAP_SERVER)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    api = f"http://127.0.0.1:{port}/api/v1"
    for _ in range(100):
        try:
            request = urllib.request.Request(
                api, b'{"action":"info"}', {"Content-Type": "application/json"}
            )
            urllib.request.urlopen(request, timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    output = root / "output"
    outcome = site_build.build(ROOT / "pelicanconf.py", {"OUTPUT_PATH": str(output)})
    assert outcome.ok, outcome.report()
    assert (output / "admin/decap-cms.js").is_file(), "run `make setup`: Decap's bundle is missing"
    # The committed config says `local_backend: true` (port 8081); this test's server has its own
    # port.
    config = output / "admin/config.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "local_backend: true", f"local_backend:\n  url: {api}"
        ),
        encoding="utf-8",
    )
    served = Served(output)
    yield served, repo
    served.close()
    server.terminate()
    server.wait(timeout=10)


def log_in(page, served):
    page.goto(served.http + "admin/")
    page.get_by_role("button", name="登录").click()  # the local backend asks for no password
    page.wait_for_selector("text=内容")  # the collections view


def open_editor(page, served, collection):
    page.goto(served.http + f"admin/#/collections/{collection}/new")
    page.wait_for_selector("label:has-text('名称')")
    page.filled = {}  # label -> value typed in this form (save() checks they are all still there)


def field(page, label):
    """The input of the form field whose label reads ``label``."""
    return page.locator(f"label:text-is('{label}')").locator("xpath=following::input[1]").first


def fill(page, label, value):
    """Type into a field and make sure the form kept it (the form may render again as it loads)."""
    page.filled[label] = value
    for _ in range(20):
        field(page, label).fill(value)
        page.wait_for_timeout(150)
        if field(page, label).input_value() == value:
            return
    raise AssertionError(f"the form did not keep {label} = {value}")


def refill_lost(page):
    """A late render of a busy browser can empty a field typed earlier (seen once: 名称, under
    a full parallel test run): type again what the form lost before saving."""
    for label, value in page.filled.items():
        if field(page, label).input_value() != value:
            fill(page, label, value)


def choose(page, label, option):
    page.locator(f"label:text-is('{label}')").locator("xpath=following::input[1]").first.click()
    page.get_by_text(option, exact=True).last.click()


def write_body(page, text):
    page.get_by_text("Markdown", exact=True).click()
    box = page.locator("[data-slate-editor='true']").last
    box.click()
    page.keyboard.type(text)


def save(page, shot):
    try:  # a new entry, once saved, is opened at its own address
        for attempt in range(3):  # a click while a date input still commits its value can be lost
            refill_lost(page)
            page.get_by_role("button", name="保存").first.click()
            try:
                page.wait_for_url("**/entries/**", timeout=10000)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
    finally:
        page.screenshot(path=str(shot), full_page=True)
        shot.with_suffix(".txt").write_text(page.inner_text("body"), encoding="utf-8")


def saved_entries(repo) -> dict[str, str]:
    """Every entry Decap wrote (the editorial workflow keeps each on a cms/ branch until
    published)."""
    branches = subprocess.run(
        ["git", "branch", "--format=%(refname:short)"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    found = {}
    for branch in branches:
        changed = subprocess.run(
            ["git", "diff", "--name-only", "main", branch],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for path in changed:
            found[path] = subprocess.run(
                ["git", "show", f"{branch}:{path}"],
                cwd=repo,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
    return found


def test_an_editor_creates_a_notice_and_a_procurement_notice_through_the_form(
    editor, page, tmp_path
):
    served, repo = editor
    log_in(page, served)
    open_editor(page, served, "news")
    fill(page, "名称", "关于网页编辑器试运行的通知")
    fill(page, "索引号", "003186648/202612-00031")
    fill(page, "发文日期", "2026-12-07")
    fill(page, "审核人", "综合处")
    write_body(page, "自即日起试运行网页编辑器。")
    save(page, tmp_path / "notice.png")

    open_editor(page, served, "procurement")
    fill(page, "名称", "办公设备采购项目招标公告")
    fill(page, "索引号", "003186648/202612-00032")
    fill(page, "发文日期", "2026-12-07")
    fill(page, "项目编号", "AHZC-2026-0188")
    choose(page, "采购方式", "公开招标")
    fill(page, "预算金额", "38.5万元")
    fill(page, "投标截止时间", "2026-12-28T09:30")
    write_body(page, "本项目采用公开招标方式。")
    save(page, tmp_path / "procurement.png")

    entries = saved_entries(repo)
    assert len(entries) == 2, entries
    notice = next(text for path, text in entries.items() if path.startswith("content/news/"))
    bid = next(text for path, text in entries.items() if path.startswith("content/procurement/"))
    front = yaml.safe_load(notice.split("---")[1])
    assert front["title"] == "关于网页编辑器试运行的通知" and front["column"] == "news"
    assert yaml.safe_load(bid.split("---")[1])["project_number"] == "AHZC-2026-0188"
    assert not page.errors, page.errors

    # What Decap wrote builds into pages, with the fields the form took.
    site = tmp_path / "site"
    shutil.copytree(repo / "content", site / "content")
    for path, text in entries.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    outcome = site_build.build(
        ROOT / "pelicanconf.py",
        {
            "PATH": str(site / "content"),
            "OUTPUT_PATH": str(site / "output"),
            "DISCLOSURE_TODAY": "2026-12-07",
        },
    )
    assert outcome.ok, outcome.report()
    page_html = (site / "output/docs/003186648-202612-00032.html").read_text(encoding="utf-8")
    assert (
        "AHZC-2026-0188" in page_html
        and "公开招标" in page_html
        and "本项目采用公开招标方式。" in page_html
    )
    assert "自即日起试运行网页编辑器。" in (
        site / "output/docs/003186648-202612-00031.html"
    ).read_text(encoding="utf-8")

"""Publishing: the production build, cache-busting asset URLs, GitHub Pages and atomic server
releases."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from commands import deploy
from helpers import ROOT, FixtureSite, document


def publish_site(tmp_path, monkeypatch) -> FixtureSite:
    site = FixtureSite(tmp_path)
    site.write("news/a.md", document())
    site.write(
        "news/draft.md", document(index="003186648/201503-00002", title="草稿不公开", 状态="草稿")
    )
    site.write(
        "news/later.md",
        document(
            index="003186648/201504-00001", date="2015-04-20", title="以后才公开", 状态="定时发布"
        ),
    )
    monkeypatch.setenv("SITEURL", "https://xxgk.example.gov.cn")
    from disclosure.build import build

    outcome = build(ROOT / "publishconf.py", site.overrides(DISCLOSURE_TODAY="2015-04-01"))
    assert outcome.ok, outcome.report()
    return site


def test_publish_build_is_minified_with_robots_and_nothing_unpublished(tmp_path, monkeypatch):
    site = publish_site(tmp_path, monkeypatch)
    files = {p.relative_to(site.output).as_posix() for p in site.output.rglob("*") if p.is_file()}
    text = "".join((site.output / f).read_text(encoding="utf-8") for f in files)
    assert "草稿不公开" not in text and "以后才公开" not in text
    assert not any(f.startswith(("reports/", "drafts/")) for f in files)
    robots = (site.output / "robots.txt").read_text()
    assert "Sitemap: https://xxgk.example.gov.cn/sitemap.xml" in robots
    home = (site.output / "index.html").read_text(encoding="utf-8")
    assert "\n  " not in home and home.startswith("<!doctype html>")
    css = (site.output / "theme/css/site.css").read_text(encoding="utf-8")
    assert "\n" not in css.strip() and "/*" not in css
    assert (
        'href="https://xxgk.example.gov.cn/docs/003186648-201503-00001.html"' in home
        or "href=https://xxgk.example.gov.cn/docs/003186648-201503-00001.html" in home
    )
    # On paper, a page says where it is: its own absolute address, without JavaScript.
    page = (site.output / "docs/003186648-201503-00001.html").read_text(encoding="utf-8")
    url = "https://xxgk.example.gov.cn/docs/003186648-201503-00001.html"
    assert f"本页网址：<span data-page-url>{url}<" in page


def test_asset_urls_change_when_the_asset_changes(site, tmp_path):
    theme = tmp_path / "theme"
    import shutil

    shutil.copytree(ROOT / "theme", theme)
    site.write("news/a.md", document())
    assert site.build(THEME=str(theme)).ok
    before = re.search(r"theme/css/site\.css\?v=([0-9a-f]{8})", site.page("index.html")).group(1)
    assert site.build(THEME=str(theme)).ok
    assert re.search(r"site\.css\?v=([0-9a-f]{8})", site.page("index.html")).group(1) == before
    with open(theme / "static/css/site.css", "a", encoding="utf-8") as handle:
        handle.write("\n.gk-new { color: #000; }\n")
    assert site.build(THEME=str(theme)).ok
    after = re.search(r"site\.css\?v=([0-9a-f]{8})", site.page("index.html")).group(1)
    assert after != before


def test_gh_pages_dry_run_and_a_real_commit(tmp_path, monkeypatch):
    site = publish_site(tmp_path, monkeypatch)
    steps = deploy.gh_pages(site.output, cname="xxgk.example.gov.cn", dry_run=True)
    assert steps == [f"ghp-import -n -b gh-pages -m '发布网站' -p {site.output}"]
    assert (site.output / ".nojekyll").exists() and (
        site.output / "CNAME"
    ).read_text() == "xxgk.example.gov.cn\n"
    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*a):
        return subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True, text=True)

    git("init", "-q")
    git(
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.gov.cn",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "init",
    )
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "t")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "t@example.gov.cn")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "t")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "t@example.gov.cn")
    monkeypatch.setenv("PATH", f"{ROOT / '.venv/bin'}:" + __import__("os").environ["PATH"])
    deploy.gh_pages(site.output, cname="xxgk.example.gov.cn", push=False)
    tree = git("ls-tree", "-r", "--name-only", "gh-pages").stdout.split()
    assert {
        ".nojekyll",
        "CNAME",
        "index.html",
        "sitemap.xml",
        "docs/003186648-201503-00001.html",
    } <= set(tree)


def test_rsync_releases_are_atomic_and_roll_back(tmp_path, monkeypatch):
    site = publish_site(tmp_path, monkeypatch)
    dest = tmp_path / "server"
    plan = deploy.release(site.output, str(dest), dry_run=True)
    assert len(plan) == 2 and not dest.exists()
    deploy.release(site.output, str(dest))
    first = deploy.current_release(dest)
    assert (dest / "current/index.html").exists() and (dest / "current").is_symlink()
    (site.output / "index.html").write_text("second release", encoding="utf-8")
    deploy.release(site.output, str(dest))
    second = deploy.current_release(dest)
    assert second != first and (dest / "current/index.html").read_text() == "second release"
    assert deploy.releases(dest) == sorted([first, second])
    deploy.rollback(str(dest))
    assert deploy.current_release(dest) == first
    assert (dest / "current/index.html").read_text(encoding="utf-8") != "second release"


def test_remote_release_commands(tmp_path):
    steps = deploy.release(tmp_path, "web@xxgk.example.gov.cn:/srv/xxgk", dry_run=True)
    assert steps[0].startswith("rsync -a --delete --link-dest=../../current/ ")
    assert "/srv/xxgk/releases/.incoming-" in steps[0]
    assert steps[1].index("mv -T /srv/xxgk/releases/.incoming-") < steps[1].index(
        "/srv/xxgk/current.new"
    )
    assert "mv -T /srv/xxgk/current.new /srv/xxgk/current" in steps[1]


def test_invoke_publish_dry_run_to_a_local_directory(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "publish",
            "--rsync",
            str(tmp_path / "srv"),
            "--dry-run",
            "--no-build",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    assert (
        "将要执行：" in result.stdout
        and "current" in result.stdout
        and not (tmp_path / "srv").exists()
    )


def test_workflow_has_the_jobs_and_steps():
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    jobs = workflow["jobs"]
    assert set(jobs) == {"changes", "test", "build", "deploy"}

    def run(job):
        return " ".join(
            str(s.get("run", "")) + str(s.get("uses", "")) + str(s.get("with", ""))
            for s in jobs[job]["steps"]
        )

    assert "make test" in run("test") and "actions/cache" in run("test")
    build = run("build")
    for needed in (
        "make setup",
        "invoke publish-build",
        "invoke check-site",
        "GITHUB_STEP_SUMMARY",
        "upload-artifact",
        "reports/site-check.html",
    ):
        assert needed in build, needed
    assert "cache" in jobs["build"]["steps"][3]["with"]["path"]
    assert "invoke check" in build and build.index("invoke check") < build.index("invoke build")
    assert "github.ref == 'refs/heads/main'" in jobs["deploy"]["if"] and "deploy-pages" in run(
        "deploy"
    )
    # a content-only push skips the tests and still builds and deploys; a code change waits for them
    assert jobs["test"]["if"] == "needs.changes.outputs.code == 'true'"
    assert "skipped" in jobs["build"]["if"] and "always()" in jobs["build"]["if"]


@pytest.mark.parametrize(
    "changed,code",
    [
        (["content/news/a.md", "content/news/a.png"], "false"),
        (["content/news/a.md", "admin/config.yml"], "false"),
        (["content/news/a.md", "plugins/x.py"], "true"),
        (["theme/templates/base.html"], "true"),
        (["pelicanconf.py"], "true"),
        (["requirements.txt"], "true"),
    ],
)
def test_the_workflow_runs_the_tests_only_when_code_changes(tmp_path, changed, code):
    """The `changes` job's own script, run on a real repository for a push of each kind."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    script = next(s["run"] for s in workflow["jobs"]["changes"]["steps"] if s.get("id") == "paths")
    script = script.replace("${{ github.event_name }}", "push")
    git = ["git", "-c", "user.name=编辑", "-c", "user.email=e@example.gov.cn"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "README.md").write_text("site", encoding="utf-8")
    subprocess.run(git + ["add", "-A"], cwd=tmp_path, check=True)
    subprocess.run(git + ["commit", "-qm", "start"], cwd=tmp_path, check=True)
    before = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=tmp_path, capture_output=True, text=True
    ).stdout
    for name in changed:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("changed", encoding="utf-8")
    subprocess.run(git + ["add", "-A"], cwd=tmp_path, check=True)
    subprocess.run(git + ["commit", "-qm", "edit"], cwd=tmp_path, check=True)
    after = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=tmp_path, capture_output=True, text=True
    ).stdout
    output = tmp_path / "github-output"
    env = {
        "PATH": "/usr/bin:/bin",
        "BEFORE": before.strip(),
        "GITHUB_SHA": after.strip(),
        "GITHUB_OUTPUT": str(output),
    }
    subprocess.run(
        ["bash", "-e", "-c", script], cwd=tmp_path, env=env, check=True, capture_output=True
    )
    assert output.read_text().strip() == f"code={code}"


def test_publish_refuses_a_site_that_fails_the_site_check(tmp_path):
    site = FixtureSite(
        tmp_path
    )  # the small fixture catalogue has no 依申请公开: a required element is missing
    site.write("news/a.md", document())
    settings = tmp_path / "conf.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(site.content)!r}\nOUTPUT_PATH = {str(site.output)!r}\n"
    )
    sys.path.insert(0, str(ROOT))
    from invoke import Exit

    import tasks

    try:
        tasks._refuse_if_site_check_fails(str(settings))
    except Exit as stop:
        assert stop.code == 2 and "已停止发布" in str(stop.message)
    else:
        raise AssertionError("publishing went ahead despite site check errors")


def test_partial_releases_are_never_picked_and_rollback_stops_with_a_message(tmp_path):
    from commands import deploy

    output, dest = tmp_path / "output", tmp_path / "srv"
    output.mkdir()
    (output / "index.html").write_text("first", encoding="utf-8")
    deploy.release(output, str(dest))
    first = deploy.current_release(dest)
    # what a publish killed mid-copy leaves, and a folder someone put there by hand
    (dest / "releases/.incoming-20991231T000000000000Z").mkdir()
    (dest / "releases/.incoming-20991231T000000000000Z/index.html").write_text(
        "half", encoding="utf-8"
    )
    (dest / "releases/backup").mkdir()
    assert deploy.releases(dest) == [first]
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "rollback", "--dest", str(dest)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "已是保留的最早版本" in result.stderr + result.stdout
    assert deploy.current_release(dest) == first
    (output / "index.html").write_text("second", encoding="utf-8")
    deploy.release(output, str(dest))
    assert not list((dest / "releases").glob(".incoming-*"))  # the next publish tidies it
    deploy.rollback(str(dest))
    assert (dest / "current/index.html").read_text(encoding="utf-8") == "first"


def test_a_publish_killed_at_any_step_serves_a_whole_release(tmp_path):
    """Kill the publish before each of its renames: current always names a complete release."""
    script = """
import os, sys
from pathlib import Path
sys.path.insert(0, "plugins")
from commands import deploy
limit, count = int(sys.argv[1]), [0]
real_rename, real_replace = os.rename, os.replace
def kill_at(real):
    def step(*args):
        count[0] += 1
        if count[0] == limit:
            os._exit(137)
        return real(*args)
    return step
os.rename, os.replace = kill_at(real_rename), kill_at(real_replace)
deploy.release(Path(sys.argv[2]), sys.argv[3])
"""
    from commands import deploy

    output, dest = tmp_path / "output", tmp_path / "srv"
    output.mkdir()
    (output / "index.html").write_text("old", encoding="utf-8")
    deploy.release(output, str(dest))
    (output / "index.html").write_text("new", encoding="utf-8")
    for limit in range(1, 10):
        result = subprocess.run(
            [sys.executable, "-c", script, str(limit), str(output), str(dest)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert (dest / "current/index.html").read_text(encoding="utf-8") in ("old", "new")
        assert deploy.current_release(dest) in deploy.releases(dest)
        if result.returncode == 0:
            break
        assert result.returncode == 137, result.stderr
    assert (dest / "current/index.html").read_text(encoding="utf-8") == "new"


@pytest.mark.slow
def test_an_editor_can_publish_todays_notice_on_a_fresh_copy_of_the_sample(tmp_path):
    """No date is frozen in the settings: a notice dated today builds, checks and passes the check
    before publishing; the sample's stale columns are reported loudly but do not block it."""
    import shutil

    from commands import site_check
    from disclosure.build import build, check, new_document

    shutil.copytree(ROOT / "content", tmp_path / "content")
    overrides = {"PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(tmp_path / "output")}
    path, problems = new_document(
        ROOT / "pelicanconf.py", column="news", title="关于今天开放日的通知", overrides=overrides
    )
    assert path is not None, problems
    text = path.read_text(encoding="utf-8").replace("在这里写正文。", "本周六举办开放日活动。")
    text = text.replace("审核人:", "审核人: 张三").replace(
        "审核日期:", f"审核日期: {text.split('发文日期: ')[1][:10]}"
    )
    path.write_text(text, encoding="utf-8")
    assert check(ROOT / "pelicanconf.py", overrides).ok
    outcome = build(ROOT / "pelicanconf.py", overrides)
    assert outcome.ok, outcome.report()
    code, report = site_check.main(
        ROOT / "pelicanconf.py", None, "text", False, True, None, overrides
    )
    assert code != site_check.EXIT_ERRORS, report
    assert "不阻止发布" in report and "单项否决" in report  # loud, not blocking

"""A build killed at any step of putting its output in place leaves a site a reader can use: the
old one or the new one, whole, at every moment; the next build completes or redoes the work."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from helpers import ROOT, FixtureSite, document

pytestmark = pytest.mark.slow  # `invoke test --fast` leaves it out

INJECTOR = ROOT / "tests" / "crash_injector.py"


def _site(root, edit: str) -> FixtureSite:
    site = FixtureSite(root)
    site.write("news/a.md", document(body="第一版正文。"))
    site.write(
        "news/b.md", document(index="003186648/201503-00002", title="第二份", body="第二份正文。")
    )
    assert site.build(DISCLOSURE_TODAY="2015-03-31").ok
    if edit == "body":  # a rebuild of one document's page
        site.write("news/a.md", document(body="第二版正文，内容改了。"))
    else:  # a full build: a new document and a changed title
        site.write("news/a.md", document(title="改过的标题", body="第一版正文。"))
        site.write(
            "news/c.md", document(index="003186648/201503-00003", title="新增的通知", body="新的。")
        )
    return site


def _expected(tmp_path, site: FixtureSite) -> dict:
    """The output a clean build of the edited content gives."""
    clean = FixtureSite(tmp_path / "clean")
    for path in site.content.rglob("*.md"):
        clean.write(path.relative_to(site.content).as_posix(), path.read_bytes())
    assert clean.build(DISCLOSURE_TODAY="2015-03-31", BUILD_CACHE_PATH="").ok
    return clean.tree_digest()


def _run(site, crash_at: int, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(INJECTOR), str(site.root), str(crash_at)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("edit", ["body", "full"])
@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_kill_at_every_step_leaves_the_old_or_the_new_site_whole(tmp_path, edit, exchange):
    site = _site(tmp_path / "site", edit)
    old = site.tree_digest()
    new = _expected(tmp_path, site)
    assert old != new
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "plugins"),
        **({} if exchange else {"GK_NO_EXCHANGE": "1"}),
    )
    killed = 0
    for crash_at in range(1, 60):
        result = _run(site, crash_at, env)
        if result.returncode == 0:
            break
        assert result.returncode == 137, result.stdout + result.stderr
        killed += 1
        if site.output.is_dir():
            assert site.tree_digest() in (old, new), f"a mix after: {result.stdout}"
        else:  # only between the two renames, where the system has no exchange
            assert not exchange, f"no output/ after: {result.stdout}"
        # the next build completes or redoes the work
        follow = site.build(DISCLOSURE_TODAY="2015-03-31")
        assert follow.ok, follow.report()
        assert site.tree_digest() == new, f"after {result.stdout}"
        left = sorted(p.name for p in site.root.iterdir() if p.name != ".output-spare")
        assert left == ["cache", "content", "output"]  # the spare is the next rebuild's (tree.py)
        site = _site(
            tmp_path / f"site{crash_at}", edit
        )  # the same starting point for the next kill
    else:
        pytest.fail("the build never finished")
    assert killed >= 4
    assert site.tree_digest() == new

"""A full disk: one clear Chinese message, never a traceback, and output/ is the old site or the new
one, whole, with nothing left behind. A real small file system (tmpfs) where this machine allows
mounting one; the write that fails after the swap is injected."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess

import pytest

from helpers import FixtureSite, document

pytestmark = pytest.mark.slow  # `invoke test --fast` leaves it out


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)],
            capture_output=True,
            check=False,
        ).returncode
    ):
        pytest.skip("mounting a small tmpfs needs root (CI and `make test` run as root)")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk, leave: int) -> None:
    free = shutil.disk_usage(disk).free
    with open(disk / "filler", "wb") as handle:
        handle.write(b"\0" * max(0, free - leave))


def _leftovers(site) -> list[str]:
    """Hidden folders beside output/, but the spare copy rebuilds keep (tree.py)."""
    return sorted(
        p.name for p in site.root.iterdir() if p.name.startswith(".") and p.name != ".output-spare"
    )


@pytest.mark.parametrize("edit", ["new document", "body only"])
def test_a_full_disk_fails_cleanly_and_keeps_the_old_site(small_disk, edit):
    site = FixtureSite(small_disk)
    site.write("news/a.md", document(body="第一版。"))
    assert site.build().ok
    before = site.tree_digest()
    if edit == "body only":
        site.write("news/a.md", document(body="第二版。" * 2000))
    else:
        site.write("news/b.md", document(index="003186648/201503-00002", body="新文件。" * 2000))
    _fill(small_disk, 40_000)
    outcome = site.build()
    assert not outcome.ok
    assert "磁盘空间不足" in outcome.report() and "Traceback" not in outcome.report()
    assert "原有的 output/ 保持不变" in outcome.report()
    assert site.tree_digest() == before
    assert _leftovers(site) == []
    (small_disk / "filler").unlink()
    assert site.build().ok
    assert site.tree_digest() != before and _leftovers(site) == []


@pytest.mark.parametrize(
    "failure",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        sqlite3.OperationalError("database or disk is full"),
    ],
)
def test_a_cache_write_failing_after_the_swap_is_not_a_failed_build(site, monkeypatch, failure):
    from disclosure.cache import BuildCache

    site.write("news/a.md", document())
    assert site.build().ok
    site.write("news/b.md", document(index="003186648/201503-00002", title="第二份"))

    def full(*args, **kwargs):
        raise failure

    monkeypatch.setattr(BuildCache, "replace", full)
    outcome = site.build()
    assert outcome.ok, outcome.report()
    assert (site.output / "docs/003186648-201503-00002.html").exists()
    assert "构建缓存没能写入" in outcome.report() and "磁盘空间不足" in outcome.report()
    assert not (site.root / "cache").exists()  # not trusted any more: the next build starts afresh
    monkeypatch.undo()
    digest = site.tree_digest()
    assert site.build().ok and site.tree_digest() == digest


def test_a_merge_into_the_previous_output_failing_to_write_keeps_the_old_site(site, monkeypatch):
    """The files a rebuild wrote go into the copy of the previous output; a full disk then fails
    the build cleanly: output/ as it was, no copy or staging folder left behind."""
    from disclosure.tree import KeptTree

    site.write("news/a.md", document(body="第一版。"))
    assert site.build().ok
    before = site.tree_digest()
    site.write("news/a.md", document(body="第二版。"))

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(site.output))

    monkeypatch.setattr(KeptTree, "merge", full)
    outcome = site.build()
    assert not outcome.ok and "磁盘空间不足" in outcome.report(), outcome.report()
    assert site.tree_digest() == before and _leftovers(site) == []
    monkeypatch.undo()
    assert site.build().ok
    assert "第二版" in site.page("docs/003186648-201503-00001.html")
    assert _leftovers(site) == []

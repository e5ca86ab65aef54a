"""Putting a new output tree in place of the old one so that a reader sees one or the other, whole.

Where the file system allows (Linux's ``renameat2`` with ``RENAME_EXCHANGE``: ext4, XFS, Btrfs,
tmpfs), the two trees trade names in one atomic step. Elsewhere the swap is two renames, and a
journal written before them lets the next build finish an interrupted swap: the complete new tree
(or, failing that, the old one) comes back as ``output/``; nothing is deleted before it is.
"""

from __future__ import annotations

import ctypes
import json
import os
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def _renameat2():
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _renameat2()


def exchange(first: Path, second: Path) -> bool:
    """Trade the names of two existing paths atomically; False when the system cannot."""
    if _RENAMEAT2 is None or os.environ.get(
        "GK_NO_EXCHANGE"
    ):  # the variable: tests of the fallback
        return False
    if (
        _RENAMEAT2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
        == 0
    ):
        return True
    error = ctypes.get_errno()
    if error in (22, 38, 95, 18):  # EINVAL, ENOSYS, EOPNOTSUPP, EXDEV: not here
        return False
    raise OSError(error, os.strerror(error), str(first))


def journal_path(final: Path) -> Path:
    return final.with_name(f".{final.name}-swap.json")


def swap_in(staging: Path, final: Path, old: Path) -> Path | None:
    """Make ``staging`` the tree at ``final``; returns where the previous tree now is (to remove),
    or None when there was none. ``old``: the name the previous tree gets on the two-rename path."""
    if not final.exists():
        os.rename(staging, final)  # one atomic step
        return None
    if exchange(staging, final):
        return staging  # the previous tree now has the staging folder's name
    journal = journal_path(final)
    fresh = journal.with_suffix(".new")
    fresh.write_text(json.dumps({"new": str(staging), "old": str(old)}), encoding="utf-8")
    _sync(fresh)
    os.replace(fresh, journal)
    os.rename(final, old)
    os.rename(staging, final)
    journal.unlink()
    return old


def recover(final: Path) -> str:
    """Finish a swap that a crash interrupted (see :func:`swap_in`); returns what was done, in
    Chinese, or "" when nothing was to be done."""
    journal = journal_path(final)
    journal.with_suffix(".new").unlink(missing_ok=True)  # a journal never finished: no swap began
    if not journal.is_file():
        return ""
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
        new, old = Path(plan["new"]), Path(plan["old"])
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)
        return ""
    done = ""
    if not final.exists():
        if new.is_dir():
            os.rename(new, final)
            done = "上次生成在替换网站时中断：已完成替换，output/ 是上次生成的新网站。"
        elif old.is_dir():
            os.rename(old, final)
            done = "上次生成在替换网站时中断：已恢复原有的 output/。"
    journal.unlink()
    return done


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

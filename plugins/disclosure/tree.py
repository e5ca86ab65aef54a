"""The previous output, linked into the next one.

When the previous build was made under the same site digest (theme, code, settings, catalogue,
date), most of its files stay as they are. A forked helper makes a copy of the previous
``output/`` out of hard links (no file's bytes are copied) as soon as the build starts, while
the build reads and renders. The tree a rebuild swapped out is kept as the spare
(``.output-spare``): it differs from ``output/`` only in what that rebuild changed, so the next
copy is the spare brought level with ``output/`` (files whose inode differs are linked again,
files ``output/`` lacks go), a few system calls instead of one for every file of the site.

The build writes only what changed, into its own staging folder, and names the files it keeps
(``Reuse.link``: a set, no system call). At the end, :meth:`KeptTree.merge` moves the written
files into the copy (a file whose bytes did not change keeps the old one, its time and inode),
removes what the build neither wrote nor kept, and the copy is swapped in whole (:mod:`.swap`):
a reader sees the old site or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
import shutil

from .background import collect, fork_call

# In the page fingerprints (the cache's "pages"): the site digest the output was made under, and
# which tree it is (device and inode of output/).
OUTPUT_DIGEST_KEY = "\0site"
OUTPUT_ID_KEY = "\0output"


def files_in(folder: str) -> set[str]:
    """Every file under ``folder`` (relative paths, "/"-separated)."""
    return set(_inodes(folder))


def _inodes(folder: str, rel: str = "", found: dict[str, int] | None = None) -> dict[str, int]:
    """Every file under ``folder`` and its inode (which the directory listing gives for free)."""
    found = {} if found is None else found
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            _inodes(entry.path, rel + entry.name + "/", found)
        else:
            found[rel + entry.name] = entry.inode()
    return found


def _link(source: str, target: str, failures: list[str]) -> bool:
    """``target`` a hard link to ``source``, or a copy of it (times kept) where a link cannot be
    made; False (and the failure noted) when neither can."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        try:
            shutil.copy2(source, target, follow_symlinks=False)
        except OSError as exc:
            failures.append(f"{target}: {exc}")
            return False
    return True


def _link_copy(source: str, target: str, spare: str) -> list[str]:
    """In the helper: ``target`` made a copy of ``source`` out of hard links (a file that cannot
    be linked is copied, times kept), from the ``spare`` tree when there is one; returns what
    could be neither linked nor copied."""
    failures: list[str] = []
    try:
        os.rename(spare, target)
    except OSError:
        _link_folder(source, target, failures)
    else:
        _level(source, target, failures)
    return failures


def _level(source: str, target: str, failures: list[str]) -> None:
    """Make ``target`` (a copy of an earlier ``source``) a copy of ``source`` again: every file
    the same inode, none more."""
    want, have = _inodes(source), _inodes(target)
    emptied = set()
    for rel in sorted(have.keys() - want.keys()):
        os.remove(os.path.join(target, rel))
        emptied.add(os.path.dirname(rel))
    _remove_empty_folders(target, emptied)
    for rel, inode in sorted(want.items()):
        if have.get(rel) == inode:
            continue
        path = os.path.join(target, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fresh = path + ".gk-link"
        with contextlib.suppress(FileNotFoundError):
            os.remove(fresh)
        if _link(os.path.join(source, rel), fresh, failures):
            os.replace(fresh, path)


def _remove_empty_folders(root: str, folders: set[str]) -> None:
    for rel in sorted(folders, key=len, reverse=True):
        while rel:
            try:
                os.rmdir(os.path.join(root, rel))
            except OSError:  # not empty
                break
            rel = os.path.dirname(rel)


def _link_folder(source: str, target: str, failures: list[str]) -> None:
    os.mkdir(target)
    for entry in os.scandir(source):
        path = os.path.join(target, entry.name)
        if entry.is_dir(follow_symlinks=False):
            _link_folder(entry.path, path, failures)
        else:
            _link(entry.path, path, failures)


def same_bytes(first: str, second: str) -> bool:
    """Whether two files hold the same bytes."""
    try:
        if os.path.getsize(first) != os.path.getsize(second):
            return False
        with open(first, "rb") as a, open(second, "rb") as b:
            return a.read() == b.read()
    except OSError:
        return False


class KeptTree:
    """The previous output's copy at ``target``, made by a helper (started here)."""

    def __init__(self, previous: str, target: str):
        self.previous, self.target = previous, target
        self._files: set[str] | None = None
        self.helper: tuple[int, int] | None = fork_call(
            _link_copy, previous, target, spare_path(previous)
        )

    def has(self, rel: str) -> bool:
        """Whether the previous output has this file (and so will the copy)."""
        if self._files is None:
            self._files = files_in(self.previous)
        return rel in self._files

    def wait(self) -> None:
        """The copy is complete; raises when a file could be neither linked nor copied."""
        if self.helper is None:
            return
        helper, self.helper = self.helper, None
        failures = collect(helper)
        if failures:
            raise RuntimeError(
                f"沿用上次生成的文件失败（{len(failures)} 个）：" + "；".join(failures[:3])
            )

    def cancel(self) -> None:
        """Stop the helper (a failed build); its copy goes with the staging folder."""
        if self.helper is not None:
            (pid, read), self.helper = self.helper, None
            try:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            except OSError:
                pass
            os.close(read)
        shutil.rmtree(self.target, ignore_errors=True)

    def merge(self, staging: str, kept: set[str]) -> None:
        """Make the copy this build's output: the files written to ``staging`` go in, the
        previous files neither written nor ``kept`` go out (and folders left empty)."""
        self.wait()
        if self._files is None:
            self._files = files_in(self.previous)
        written = files_in(staging)
        folders: set[str] = set()
        for rel in sorted(written):
            new, old = os.path.join(staging, rel), os.path.join(self.target, rel)
            if rel in self._files:
                if not same_bytes(new, old):  # the same bytes: the old file stays, time and all
                    os.replace(new, old)
                continue
            folder = os.path.dirname(old)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            os.rename(new, old)
        emptied = set()
        for rel in sorted(self._files - written - kept):
            os.remove(os.path.join(self.target, rel))
            emptied.add(os.path.dirname(rel))
        _remove_empty_folders(self.target, emptied)


def spare_path(output: str) -> str:
    """Where the tree a rebuild swapped out is kept for the next one."""
    head, name = os.path.split(os.path.normpath(output))
    return os.path.join(head, f".{name}-spare")

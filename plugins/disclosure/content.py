"""The content folder as the build sees it, walked once: every Markdown file in a stable order,
the stat record of every file (what the next build compares with), and the files a build did not
read."""

from __future__ import annotations

import fnmatch
import hashlib
import os
import time
from pathlib import Path

from pelican.readers import MarkdownReader

from domain.problems import ERROR, Problem

MARKDOWN_EXTENSIONS = tuple(MarkdownReader.file_extensions)  # the disclosure reader's too

MAX_FOLDER_DEPTH = 32  # deeper than any real catalogue; a deeper tree is a mistake or a trap
# A file changed less than this long ago is always read (or hashed): a write in the same clock tick
# as a recording could leave the same times with new bytes.
TRUST_STAT_AFTER_NS = 2 * 10**9


def content_files(settings, problems: list | None = None, stats: dict | None = None) -> list[Path]:
    """Every Markdown file Pelican would look at, in a stable order.

    Linked folders are followed, as Pelican follows them, but only into the content folder and
    only once: a link to a folder outside, to a folder already walked (``news/loop -> ..``) or past
    :data:`MAX_FOLDER_DEPTH` is not walked, and becomes a problem in ``problems`` and an entry of
    ARTICLE_EXCLUDES (see :func:`walk_exclusions`), so that Pelican's own walk skips it too.

    ``stats``, when given, gets the stat record of every file under the folder in the same walk
    (:func:`stat_record`; ignored folders too, a linked folder as a marker that never matches)."""
    root = Path(settings["PATH"])
    ignore = settings.get("IGNORE_FILES", [])
    real_root = os.path.realpath(root)
    seen = {real_root}
    found = []
    trusted_before = time.time_ns() - TRUST_STAT_AFTER_NS
    for folder, dirs, files in os.walk(root, followlinks=True):
        kept = []
        prefix = os.path.relpath(folder, root).replace(os.sep, "/") + "/"
        prefix = "" if prefix == "./" else prefix
        if stats is not None:
            for name in files:
                stats[prefix + name] = stat_record(os.path.join(folder, name), trusted_before)
            for name in dirs:
                path = os.path.join(folder, name)
                if os.path.islink(path):  # it may loop, or change where it points
                    stats[prefix + name] = ("linked folder", time.time_ns())
                elif any(fnmatch.fnmatch(name, p) for p in ignore):
                    _stat_folder(path, prefix + name + "/", stats, trusted_before)
        for name in sorted(d for d in dirs if not any(fnmatch.fnmatch(d, p) for p in ignore)):
            path = os.path.join(folder, name)
            rel = prefix + name
            real = os.path.realpath(path)
            if not (real == real_root or real.startswith(real_root + os.sep)):
                why = "这个文件夹是指向 content 文件夹以外的链接（快捷方式），不会读取"
            elif real in seen:
                why = "这个文件夹是指向已有文件夹（或上级文件夹）的链接，会造成重复或循环，不会读取"
            elif rel.count("/") >= MAX_FOLDER_DEPTH:
                why = f"文件夹层级超过 {MAX_FOLDER_DEPTH} 层，不会读取"
            else:
                seen.add(real)
                kept.append(name)
                continue
            if problems is not None:
                problems.append(
                    Problem(
                        rel, 0, ERROR, "", why, hint="删除这个链接，把文件本身放进 content 文件夹"
                    )
                )
        dirs[:] = kept
        for name in sorted(files):
            if name.rsplit(".", 1)[-1].lower() in MARKDOWN_EXTENSIONS and not any(
                fnmatch.fnmatch(name, p) for p in ignore
            ):
                found.append(Path(folder) / name)
    return found


def stat_record(path: str, trusted_before: int):
    """Size, inode, modification and change times, and for a file changed after
    ``trusted_before``, a hash of its bytes; None when it cannot be read."""
    try:
        st = os.stat(path)
        recent = max(st.st_mtime_ns, st.st_ctime_ns) >= trusted_before
        return (
            st.st_size,
            st.st_ino,
            st.st_mtime_ns,
            st.st_ctime_ns,
            file_hash(path) if recent else "",
        )
    except OSError:
        return None


def _stat_folder(folder: str, rel: str, stats: dict, trusted_before: int) -> None:
    """Stat records of an ignored folder's files (not read, but a change there is a change)."""
    for entry in os.scandir(folder):
        name = rel + entry.name
        if entry.is_symlink() and entry.is_dir():
            stats[name] = ("linked folder", time.time_ns())
        elif entry.is_dir(follow_symlinks=False):
            _stat_folder(entry.path, name + "/", stats, trusted_before)
        else:
            stats[name] = stat_record(entry.path, trusted_before)


def file_hash(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "blake2b").hexdigest()


def same_file(root: str, rel: str, before, now) -> bool:
    """Whether a file is as a stat record made earlier says it was."""
    if before is None or now is None or before[0] == "linked folder":
        return False
    if before[:4] == now[:4] and not before[4]:
        return True  # the times were settled when recorded: the same times, the same bytes
    try:
        return bool(before[4]) and file_hash(os.path.join(root, rel)) == before[4]
    except OSError:
        return False


def changed_files(root: str, before: dict, now: dict) -> set[str]:
    """Content files added, removed or changed since the stat records ``before`` were made."""
    return {
        path
        for path in before.keys() | now.keys()
        if not same_file(root, path, before.get(path), now.get(path))
    }


def content_stats(settings) -> dict:
    """Content-relative path -> stat record of every file under the content folder."""
    stats: dict = {}
    content_files(settings, stats=stats)
    return stats


def walk_exclusions(problems) -> list[str]:
    """The folders :func:`content_files` refused to walk, as ARTICLE_EXCLUDES entries."""
    return [p.path for p in problems if not p.line and "文件夹" in p.message]


def unread_files(settings, documents, files=None):
    """Safety net: a Markdown file Pelican skipped is an error, never a silent loss."""
    root = Path(settings["PATH"])
    prefix = os.path.join(str(root), "")  # the walk's paths start with it: cutting it off is enough
    problems = []
    for path in content_files(settings) if files is None else files:
        name = str(path)
        rel = (
            name[len(prefix) :]
            if name.startswith(prefix) and os.sep == "/"
            else path.relative_to(root).as_posix()
        )
        if rel not in documents:
            problems.append(
                Problem(
                    rel,
                    0,
                    ERROR,
                    "",
                    "这个文件没有被读取（读取时出错，见上方日志）",
                    hint="修正文件后重新生成；如需排查请联系技术人员",
                )
            )
    return problems

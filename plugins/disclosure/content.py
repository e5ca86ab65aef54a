"""The content folder as the build sees it: every Markdown file, walked once, in a stable order,
and the files a build did not read."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from domain.problems import ERROR, Problem

from .reader import DisclosureReader

MARKDOWN_EXTENSIONS = tuple(DisclosureReader.file_extensions)

MAX_FOLDER_DEPTH = 32  # deeper than any real catalogue; a deeper tree is a mistake or a trap


def content_files(settings, problems: list | None = None) -> list[Path]:
    """Every Markdown file Pelican would look at, in a stable order.

    Linked folders are followed, as Pelican follows them, but only into the content folder and
    only once: a link to a folder outside, to a folder already walked (``news/loop -> ..``) or past
    :data:`MAX_FOLDER_DEPTH` is not walked, and becomes a problem in ``problems`` and an entry of
    ARTICLE_EXCLUDES (see :func:`walk_exclusions`), so that Pelican's own walk skips it too."""
    root = Path(settings["PATH"])
    ignore = settings.get("IGNORE_FILES", [])
    real_root = os.path.realpath(root)
    seen = {real_root}
    found = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        kept = []
        for name in sorted(d for d in dirs if not any(fnmatch.fnmatch(d, p) for p in ignore)):
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
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

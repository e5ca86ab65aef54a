"""Publishing targets: GitHub Pages (ghp-import) and atomic releases on the department's own server.

A release directory is uploaded whole under a staging name (``releases/.incoming-<id>``) and renamed
to its release name only when complete; then the ``current`` symlink is switched with one rename, so
visitors see either the old site or the new one, never half of each. Only complete releases (their
final name) count: publish and rollback never pick a partial one. Earlier releases are kept for
``invoke rollback``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

RELEASES, CURRENT = "releases", "current"
KEEP = 5
INCOMING = ".incoming-"
RELEASE_NAME = re.compile(r"^\d{8}T\d{12}Z$")  # _release_id(): only complete releases carry it


class DeployError(Exception):
    """A publishing step that cannot be done, said in Chinese for the person who asked."""


def gh_pages(
    output: Path,
    branch: str = "gh-pages",
    cname: str = "",
    message: str = "发布网站",
    dry_run: bool = False,
    push: bool = True,
) -> list[str]:
    """Commit output/ to ``branch`` with .nojekyll (and CNAME); return what was (or would be)
    done."""
    (output / ".nojekyll").write_text("", encoding="utf-8")
    if cname:
        (output / "CNAME").write_text(cname + "\n", encoding="utf-8")
    command = (
        ["ghp-import", "-n", "-b", branch, "-m", message] + (["-p"] if push else []) + [str(output)]
    )
    lines = [" ".join(shlex.quote(c) for c in command)]
    if not dry_run:
        subprocess.run(command, check=True)
    return lines


def _release_id(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")


def is_remote(dest: str) -> bool:
    return ":" in dest.split("/", 1)[0]


def release(output: Path, dest: str, dry_run: bool = False, keep: int = KEEP) -> list[str]:
    """Upload output/ as a new release under dest/releases/ and switch dest/current to it."""
    name = _release_id()
    if is_remote(dest):
        host, path = dest.split(":", 1)
        incoming = f"{INCOMING}{name}"
        steps = [
            [
                "rsync",
                "-a",
                "--delete",
                f"--link-dest=../../{CURRENT}/",
                f"{output}/",
                f"{dest}/{RELEASES}/{incoming}/",
            ],
            [
                "ssh",
                host,
                (
                    f"mv -T {path}/{RELEASES}/{incoming} {path}/{RELEASES}/{name} && "
                    f"ln -sfn {RELEASES}/{name} {path}/{CURRENT}.new && "
                    f"mv -T {path}/{CURRENT}.new {path}/{CURRENT}"
                ),
            ],
        ]
        if not dry_run:
            subprocess.run(["ssh", host, f"mkdir -p {path}/{RELEASES}"], check=True)
            for step in steps:
                subprocess.run(step, check=True)
        return [" ".join(shlex.quote(c) for c in step) for step in steps]
    root = Path(dest)
    target = root / RELEASES / name
    plan = [f"复制 {output} → {target}", f"切换 {root / CURRENT} → {RELEASES}/{name}"]
    if dry_run:
        return plan
    (root / RELEASES).mkdir(parents=True, exist_ok=True)
    for left in (root / RELEASES).glob(INCOMING + "*"):  # uploads a killed publish left behind
        shutil.rmtree(left, ignore_errors=True)
    incoming = root / RELEASES / f"{INCOMING}{name}"
    shutil.copytree(output, incoming, symlinks=False)
    os.rename(incoming, target)  # complete: from now on it counts as a release
    _switch(root, name)
    for old in releases(root)[:-keep]:
        if old != current_release(root):
            shutil.rmtree(root / RELEASES / old)
    return plan


def releases(root: Path) -> list[str]:
    """The complete releases, oldest first."""
    folder = root / RELEASES
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and RELEASE_NAME.match(p.name))


def current_release(root: Path) -> str | None:
    link = root / CURRENT
    return os.readlink(link).split("/")[-1] if link.is_symlink() else None


def _switch(root: Path, name: str) -> None:
    temporary = root / f"{CURRENT}.new"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(f"{RELEASES}/{name}", temporary)
    os.replace(temporary, root / CURRENT)  # one rename: atomic on POSIX


def rollback(dest: str, dry_run: bool = False) -> list[str]:
    """Point current back at the release before it."""
    if is_remote(dest):
        host, path = dest.split(":", 1)
        script = (
            f"cd {path} && cur=$(basename $(readlink {CURRENT})) && "
            f"prev=$(ls -1 {RELEASES} | grep -E '^[0-9]{{8}}T[0-9]{{12}}Z$' | sort | "
            f'grep -B1 -x "$cur" | head -n1) && '
            f'[ "$prev" != "$cur" ] && ln -sfn {RELEASES}/$prev {CURRENT}.new && mv -T '
            f"{CURRENT}.new {CURRENT}"
        )
        if not dry_run:
            subprocess.run(["ssh", host, script], check=True)
        return [f"ssh {host} {shlex.quote(script)}"]
    root = Path(dest)
    names, now = releases(root), current_release(root)
    if now is None:
        raise DeployError(
            f"{root} 下没有正在使用的版本（{CURRENT} 不是指向某个版本的链接），无法回退"
        )
    if now not in names:
        raise DeployError(f"正在使用的版本 {now} 不在 {RELEASES}/ 中，无法确定上一个版本")
    if names.index(now) == 0:
        raise DeployError(f"正在使用的 {now} 已是保留的最早版本，没有更早的版本可以回退")
    previous = names[names.index(now) - 1]
    if not dry_run:
        _switch(root, previous)
    return [f"切换 {root / CURRENT} → {RELEASES}/{previous}"]

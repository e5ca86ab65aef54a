"""Publishing targets: GitHub Pages (ghp-import) and atomic releases on the department's own server.

A release directory is uploaded whole, then the ``current`` symlink is switched with one rename, so
visitors see either the old site or the new one, never half of each. Earlier releases are kept for
``invoke rollback``.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import subprocess
from pathlib import Path

RELEASES, CURRENT = "releases", "current"
KEEP = 5


def gh_pages(output: Path, branch: str = "gh-pages", cname: str = "", message: str = "发布网站",
             dry_run: bool = False, push: bool = True) -> list[str]:
    """Commit output/ to ``branch`` with .nojekyll (and CNAME); return what was (or would be) done."""
    (output / ".nojekyll").write_text("", encoding="utf-8")
    if cname:
        (output / "CNAME").write_text(cname + "\n", encoding="utf-8")
    command = ["ghp-import", "-n", "-b", branch, "-m", message] + (["-p"] if push else []) + [str(output)]
    lines = [" ".join(shlex.quote(c) for c in command)]
    if not dry_run:
        subprocess.run(command, check=True)
    return lines


def _release_id(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%dT%H%M%S%fZ")


def is_remote(dest: str) -> bool:
    return ":" in dest.split("/", 1)[0]


def release(output: Path, dest: str, dry_run: bool = False, keep: int = KEEP) -> list[str]:
    """Upload output/ as a new release under dest/releases/ and switch dest/current to it."""
    name = _release_id()
    if is_remote(dest):
        host, path = dest.split(":", 1)
        steps = [
            ["rsync", "-a", "--delete", f"--link-dest=../{CURRENT}/", f"{output}/", f"{dest}/{RELEASES}/{name}/"],
            ["ssh", host, f"ln -sfn {RELEASES}/{name} {path}/{CURRENT}.new && mv -T {path}/{CURRENT}.new {path}/{CURRENT}"],
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
    shutil.copytree(output, target, symlinks=False)
    _switch(root, name)
    for old in releases(root)[:-keep]:
        shutil.rmtree(root / RELEASES / old)
    return plan


def releases(root: Path) -> list[str]:
    folder = root / RELEASES
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


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
        script = (f"cd {path} && cur=$(basename $(readlink {CURRENT})) && "
                  f"prev=$(ls -1 {RELEASES} | sort | grep -B1 -x \"$cur\" | head -n1) && "
                  f"[ \"$prev\" != \"$cur\" ] && ln -sfn {RELEASES}/$prev {CURRENT}.new && mv -T {CURRENT}.new {CURRENT}")
        if not dry_run:
            subprocess.run(["ssh", host, script], check=True)
        return [f"ssh {host} {shlex.quote(script)}"]
    root = Path(dest)
    names, now = releases(root), current_release(root)
    if now not in names or names.index(now) == 0:
        raise RuntimeError("没有更早的版本可以回退")
    previous = names[names.index(now) - 1]
    if not dry_run:
        _switch(root, previous)
    return [f"切换 {root / CURRENT} → {RELEASES}/{previous}"]

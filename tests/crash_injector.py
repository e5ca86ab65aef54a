"""Run one build and kill it (os._exit, as a SIGKILL would) just before its N-th step of putting the
output in place: each rename, exchange, link and removal of the swap and the quick move, each write
of the build cache and of the quick-rebuild record.

    python crash_injector.py SITE_ROOT N

Exits 0 when the build finished before the N-th step (N was past the last one), 137 when killed.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from disclosure import cache, quick, swap
from helpers import ROOT, site_build

STEP_MODULES = {"disclosure.swap", "disclosure.quick", "disclosure.build"}
MAX_LINKS = 3  # a hard-link copy is killed at its first few links; the rest are alike


def main(root: Path, crash_at: int) -> int:
    count = {"steps": 0, "links": 0}

    def step(name):
        count["steps"] += 1
        if count["steps"] == crash_at:
            sys.stdout.write(f"killed before step {crash_at}: {name}\n")
            sys.stdout.flush()
            os._exit(137)

    def guard_os(name):
        real = getattr(os, name)

        @functools.wraps(real)
        def guarded(*args, **kwargs):
            caller = sys._getframe(1).f_globals.get("__name__")
            if caller in STEP_MODULES:
                if name == "link":
                    count["links"] += 1
                if name != "link" or count["links"] <= MAX_LINKS:
                    step(f"os.{name}{args[:2]}")
            return real(*args, **kwargs)

        setattr(os, name, guarded)

    def guard(owner, name):
        real = getattr(owner, name)

        @functools.wraps(real)
        def guarded(*args, **kwargs):
            step(f"{getattr(owner, '__name__', owner)}.{name}")
            return real(*args, **kwargs)

        setattr(owner, name, guarded)

    for name in ("rename", "replace", "link", "remove", "unlink"):
        guard_os(name)
    guard(swap, "exchange")
    for name in ("replace", "prune", "close"):
        guard(cache.BuildCache, name)
    guard(quick, "record")
    guard(quick, "save")
    guard(quick, "finish_moves")
    outcome = site_build.build(
        ROOT / "pelicanconf.py",
        {
            "PATH": str(root / "content"),
            "OUTPUT_PATH": str(root / "output"),
            "DISCLOSURE_TODAY": "2015-03-31",
            "CMS_ADMIN": False,  # as FixtureSite builds it
        },
    )
    sys.stdout.write(outcome.report() + f"\nsteps: {count['steps']}\n")
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2])))

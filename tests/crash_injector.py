"""Run one build and kill it (os._exit, as a SIGKILL would) just before its N-th step of putting the
output in place: each rename, exchange and removal of the merge into the previous output's copy
and of the swap, each write of the build cache and of the record of documents. (The copy itself is
made by a forked helper: a helper that dies fails the build, which tests of its own cover.)

    python crash_injector.py SITE_ROOT N

Exits 0 when the build finished before the N-th step (N was past the last one), 137 when killed.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from disclosure import cache, record, swap
from helpers import ROOT, site_build

STEP_MODULES = {"disclosure.swap", "disclosure.tree", "disclosure.build"}


def main(root: Path, crash_at: int) -> int:
    count = {"steps": 0}
    build_process = os.getpid()

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
            if caller in STEP_MODULES and os.getpid() == build_process:
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

    for name in ("rename", "replace", "remove", "unlink", "rmdir"):
        guard_os(name)
    guard(swap, "exchange")
    for name in ("replace", "prune", "close"):
        guard(cache.BuildCache, name)
    guard(record, "put_in_place")
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

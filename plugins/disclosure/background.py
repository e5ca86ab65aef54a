"""Work done in a child process while the build goes on (the search index is built on one core
while the pages are rendered on the other).

The child is a fresh interpreter given only what it needs (a module-level function and its
arguments, pickled), not a fork: a forked child's memory counts every page it shares with the
build (10,000 articles), so the build's peak memory was the child's. The child only writes files
into the staging output; the build waits for it before it finishes, and a failure in the child
fails the build.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import traceback

# The child: the parent's import path, then the function and its arguments, from stdin. A plain
# interpreter rather than multiprocessing's "spawn", which would run the caller's main script again.
CHILD = (
    "import ctypes, pickle, signal, sys\n"
    "try:\n"  # a child must not outlive a killed build: it would write into a folder being removed
    "    ctypes.CDLL(None).prctl(1, signal.SIGKILL)\n"  # PR_SET_PDEATHSIG (Linux)
    "except (OSError, AttributeError):\n"
    "    pass\n"
    "sys.path[:0] = [p for p in pickle.load(sys.stdin.buffer) if p not in sys.path]\n"
    "function, args = pickle.load(sys.stdin.buffer)\n"
    "sys.stdin.close()\n"
    "function(*args)\n"
)


def die_with_parent(parent: int) -> None:
    """In a forked worker: be killed with the build (Linux), and stop now if it is gone already."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def fork_call(function, *args) -> tuple[int, int]:
    """Run ``function(*args)`` in a forked copy of this process (nothing is sent to it); its result
    comes back pickled through a pipe: :func:`collect`. The one way the build forks: page workers,
    the link helper, the search helpers, the feeder of a fresh interpreter. The child dies with the
    build. The collector leaves the inherited objects alone, so they are not copied page by page;
    what the build had frozen itself stays frozen."""
    sys.stdout.flush()
    sys.stderr.flush()
    read, write = os.pipe()
    parent = os.getpid()
    frozen_already = gc.get_freeze_count() > 0
    gc.freeze()
    pid = os.fork()
    if pid:
        if not frozen_already:
            gc.unfreeze()
        os.close(write)
        return pid, read
    code = 0
    try:
        die_with_parent(parent)
        os.close(read)
        try:
            outcome = ("value", function(*args))
        except Exception as exc:
            outcome = ("error", exc)
        try:
            data = pickle.dumps(outcome, protocol=5)
        except Exception as exc:
            data = pickle.dumps(
                ("error", RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} ({exc})"))
            )
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
    except BaseException:
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def collect(child: tuple[int, int]):
    """The result of a :func:`fork_call`; its exception is raised here."""
    pid, read = child
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        raise RuntimeError(f"辅助进程异常退出（状态 {status}）")
    kind, value = pickle.loads(data)
    if kind == "error":
        raise value
    return value


class _Text:
    """A long string on its way to a child, pickled as UTF-8 bytes. Pickling the string itself would
    leave a UTF-8 copy of it attached to it (CPython keeps one) for as long as the string lives."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __reduce__(self):
        return _decode, (self.text.encode("utf-8", "surrogatepass"),)


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


def _wrap_texts(value, depth: int = 5):
    """``value`` with its long strings (in lists and tuples ``depth`` levels down) as :class:
    `_Text`."""
    if type(value) is str and len(value) > 256:
        return _Text(value)
    if depth and type(value) in (list, tuple):
        return type(value)(_wrap_texts(item, depth - 1) for item in value)
    return value


def _feed(stream, function, args) -> None:
    """In the feeder: the child's import path, then the function and its arguments."""
    with stream as feed:
        pickle.dump(sys.path, feed)
        pickler = pickle.Pickler(feed, protocol=pickle.HIGHEST_PROTOCOL)
        # no memo: each text's bytes go once written (arguments hold no cycles)
        pickler.fast = True
        pickler.dump((function, _wrap_texts(args)))


class Spawned:
    """``function(*args)`` in a fresh interpreter (or here, when ``parallel`` is false)."""

    def __init__(self, name: str, function, args: tuple, parallel: bool = True):
        self.name, self.process, self.error = name, None, ""
        if not parallel:
            try:
                function(*args)
            except Exception:
                self.error = traceback.format_exc()
            return
        # not a pipe: a chatty child must never block on it; closed by wait()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        # A forked copy of this process writes the arguments, so that the build goes on meanwhile
        # and keeps its memory: pickling a string leaves a UTF-8 copy attached to it, here in the
        # copy's memory, which ends with it.
        self.feeder = fork_call(_feed, self.process.stdin, function, args)
        self.process.stdin.close()

    def _reap_feeder(self) -> None:
        if getattr(self, "feeder", None):
            # A feeder that could not write all (a killed child) is not the failure to report: the
            # child reports a short read itself, and fails the build.
            with contextlib.suppress(Exception):
                collect(self.feeder)
            self.feeder = None

    def wait(self) -> None:
        if self.process is not None:
            self._reap_feeder()
            if self.process.wait() != 0:
                self.log.seek(0)
                self.error = (
                    self.log.read().decode("utf-8", "replace")[-20000:]
                    or f"exit status {self.process.returncode}"
                )
            self.log.close()
            self.process = None
        if self.error:
            raise RuntimeError(f"{self.name}: {self.error.strip().splitlines()[-1]}\n{self.error}")

    def cancel(self) -> None:
        if self.process is not None:
            self.process.kill()  # the feeder then fails to write, and leaves
            self.process.wait()
            self._reap_feeder()
            self.log.close()
            self.process = None


class Forked:
    """``function(*args)`` in a forked copy of this process, with :class:`Spawned`'s interface.
    For a rebuild's small jobs: a fork starts at once, where a fresh interpreter takes longer to
    start and to be given its arguments than one block of the index takes to build. Its memory
    counts what it shares with the build, which on a rebuild is far below a cold build's peak."""

    def __init__(self, name: str, function, args: tuple):
        self.name = name
        self.child: tuple[int, int] | None = fork_call(function, *args)

    def wait(self) -> None:
        if self.child is not None:
            child, self.child = self.child, None
            try:
                collect(child)
            except Exception as exc:
                raise RuntimeError(f"{self.name}: {exc}") from exc

    def cancel(self) -> None:
        if self.child is not None:
            (pid, read), self.child = self.child, None
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            with contextlib.suppress(OSError):
                os.close(read)

"""Work done in a forked child process while the build goes on (the search index is built on one
core while the pages are rendered on the other).

The child inherits the whole build state (no pickling) and only writes files into the staging
output; the build waits for it before it finishes, and a failure in the child fails the build.
"""

from __future__ import annotations

import os
import signal
import traceback


class Background:
    def __init__(self, name: str, function, parallel: bool = True):
        self.name, self.pid, self.fd, self.error = name, None, None, ""
        if not parallel or not hasattr(os, "fork"):
            try:
                function()
            except Exception:  # noqa: BLE001 - re-raised by wait(), as for a child
                self.error = traceback.format_exc()
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do the work, report, and leave without running the parent's cleanup
            os.close(read)
            code = 0
            try:
                function()
            except BaseException:  # noqa: BLE001
                os.write(write, traceback.format_exc().encode("utf-8", "replace")[-20000:])
                code = 1
            os._exit(code)
        os.close(write)
        self.pid, self.fd = pid, read

    def wait(self) -> None:
        """Block until the work is done; raise if it failed."""
        if self.pid is not None:
            with os.fdopen(self.fd, "rb") as pipe:
                message = pipe.read().decode("utf-8", "replace")
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            if status != 0:
                self.error = message or f"exit status {status}"
        if self.error:
            raise RuntimeError(f"{self.name}: {self.error.strip().splitlines()[-1]}\n{self.error}")

    def cancel(self) -> None:
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            os.close(self.fd)
            self.pid = None

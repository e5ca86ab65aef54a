"""Content problems (错误/警告) and the one exception type that carries them.

Every check in the project reports through :class:`Problem`, so an editor
always sees the same shape: file, line, field, the bad value, what is wrong
and how to fix it, in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"  # 错误: stops the build
WARNING = "warning"  # 警告: reported, build goes on

SEVERITY_LABEL = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about one place in the content."""

    path: str  # relative to the content folder, POSIX separators
    line: int  # 1-based; 0 when the problem is about the whole file
    severity: str
    field: str  # Chinese label of the field, or "" for the whole file
    message: str
    value: str = ""
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        head = f"{SEVERITY_LABEL[self.severity]}  {where}"
        if self.field:
            head += f"  【{self.field}】"
        lines = [head]
        if self.value:
            lines.append(f"    当前值：{self.value}")
        lines.append(f"    问题：{self.message}")
        if self.hint:
            lines.append(f"    改法：{self.hint}")
        return "\n".join(lines)


@dataclass
class ProblemList:
    """Problems collected during one run, in a stable order."""

    items: list[Problem] = field(default_factory=list)
    seen: set[Problem] = field(default_factory=set, repr=False)  # the same problem is listed once

    def __post_init__(self):
        self.seen.update(self.items)

    def add(self, problem: Problem) -> None:
        if problem not in self.seen:
            self.seen.add(problem)
            self.items.append(problem)

    def extend(self, problems) -> None:
        for problem in problems:
            self.add(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.sorted() if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.sorted() if not p.is_error]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (p.path, p.line, p.severity, p.field, p.message))

    def report(self) -> str:
        """The whole report as an editor reads it."""
        blocks = [p.format() for p in self.sorted()]
        summary = f"共发现 {len(self.errors)} 个错误、{len(self.warnings)} 个警告。"
        return "\n\n".join(blocks + [summary]) if blocks else summary


class ContentError(Exception):
    """Raised when content has errors; carries every problem found in the run."""

    def __init__(self, problems: ProblemList):
        self.problems = problems
        super().__init__(problems.report())

"""Content problems (错误/警告) and the one exception type that carries them.

Every check in the project reports through :class:`Problem`, so an editor
always sees the same shape: file, line, field, the bad value, what is wrong
and how to fix it, in Chinese.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

ERROR = "error"  # 错误: stops the build
WARNING = "warning"  # 警告: reported, build goes on

SEVERITY_LABEL = {ERROR: "错误", WARNING: "警告"}
# Above this many problems the report groups them by kind (FLOOD_SHOWN of each shown); the full
# list goes to a file.
FLOOD = 50
FLOOD_SHOWN = 3
# What varies between problems of one kind: file names, numbers, quoted values.
VARYING = re.compile(r"[\w./\-]+\.(?:md|markdown|yml|yaml|csv|xlsx|docx|pdf|png|jpe?g)|“[^”]*”|\d+")


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

    @property
    def kind(self) -> tuple[str, str, str]:
        """(severity, field, message with its file names, numbers and quoted values as …)."""
        return (self.severity, self.field, VARYING.sub("…", self.message))

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

    @property
    def flood(self) -> bool:
        return len(self.items) > FLOOD

    def report(self, whole: bool = False) -> str:
        """The report as an editor reads it: every problem, or, in a flood (unless ``whole``),
        each kind once with its count and its first few."""
        ordered = self.sorted()
        summary = f"共发现 {len(self.errors)} 个错误、{len(self.warnings)} 个警告。"
        if not self.flood or whole:
            blocks = [p.format() for p in ordered]
            return "\n\n".join(blocks + [summary]) if blocks else summary
        kinds = defaultdict(list)
        for problem in ordered:
            kinds[problem.kind].append(problem)
        # Errors first, then the largest kinds.
        order = sorted(kinds, key=lambda k: (k[0] != ERROR, -len(kinds[k]), k))
        blocks = [f"问题较多（{len(ordered)} 处），按类别列出，每类只显示前 {FLOOD_SHOWN} 处："]
        for number, kind in enumerate(order, 1):
            found = kinds[kind]
            severity, field_label, message = kind
            title = f"【{field_label}】" if field_label else ""
            lines = [
                f"第 {number} 类：{SEVERITY_LABEL[severity]}{title}{message}（共 {len(found)} 处）"
            ]
            lines += [p.format() for p in found[:FLOOD_SHOWN]]
            if len(found) > FLOOD_SHOWN:
                lines.append(f"    ……其余 {len(found) - FLOOD_SHOWN} 处见完整清单")
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks + [summary])


class ContentError(Exception):
    """Raised when content has errors; carries every problem found in the run."""

    def __init__(self, problems: ProblemList):
        self.problems = problems
        super().__init__(problems.report())

"""信息公开目录: the catalogue tree defined in ``content/catalogue.yml``.

One definition drives columns (栏目), their URLs and their counts. Each node has a
stable ASCII ``code``, a Chinese ``name``, a ``kind`` and an ``update`` class.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .config_files import LINE_KEY, load_yaml
from .problems import ERROR, Problem

KINDS = {"list": "文档列表", "page": "固定页面", "link": "外部链接"}
# Update classes for freshness checks (栏目更新要求).
UPDATE_CLASSES = {
    "dynamic": "动态类（2 周）",
    "notice": "通知公告类（6 个月）",
    "policy": "政策文件类（6 个月）",
    "static": "基本信息类（不定期）",
}
CODE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(eq=False)
class Node:
    code: str
    name: str
    kind: str = "list"
    update: str = "static"
    description: str = ""
    url: str = ""  # for kind == "link"
    normative: bool = False  # holds 规范性文件 (documents need 有效性)
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)

    @property
    def holds_documents(self) -> bool:
        return self.kind in ("list", "page")

    @property
    def path(self) -> list[Node]:
        """Root-to-self chain, for breadcrumbs."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def path_name(self) -> str:
        return "/".join(n.name for n in self.path)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


class Catalogue:
    def __init__(self, roots: list[Node]):
        self.roots = roots
        self.nodes = [n for root in roots for n in root.walk()]
        self.by_code = {n.code: n for n in self.nodes}

    def resolve(self, text: str) -> Node | None:
        """A column as an editor writes it: code, unique name, or path 财政预决算/部门预算."""
        text = text.strip().strip("/")
        if text in self.by_code:
            return self.by_code[text]
        parts = [p.strip() for p in re.split(r"\s*[/>＞／\\]\s*", text) if p.strip()]
        matches = [n for n in self.nodes if [x.name for x in n.path][-len(parts) :] == parts]
        return matches[0] if len(matches) == 1 else None

    def ambiguous(self, text: str) -> list[Node]:
        return [n for n in self.nodes if n.name == text.strip()]

    def document_columns(self) -> list[Node]:
        return [n for n in self.nodes if n.holds_documents]

    def suggestions(self, text: str) -> list[str]:
        """Closest valid columns, as '代码（名称）'."""
        columns = self.document_columns()
        keys = {n.code: n for n in columns} | {n.name: n for n in columns}
        close = difflib.get_close_matches(text.strip().lower(), list(keys), n=4, cutoff=0.5)
        picked = []
        for key in close:
            node = keys[key]
            if node not in picked:
                picked.append(node)
        return [f"{n.code}（{n.path_name}）" for n in picked[:3]]


def load_catalogue(path: Path, rel: str) -> tuple[Catalogue, list[Problem]]:
    data, problems = load_yaml(path, rel)
    if data is not None and not isinstance(data, list):
        problems.append(Problem(rel, 1, ERROR, "", "目录定义应是以“- code:”开头的节点列表"))
        data = None
    seen: dict[str, int] = {}

    def build(entries, parent):
        nodes = []
        for entry in entries or []:
            line = entry.get(LINE_KEY, 0) if isinstance(entry, dict) else 0
            if not isinstance(entry, dict):
                problems.append(
                    Problem(rel, line, ERROR, "栏目", "每个节点都应写成 code/name/kind 等键")
                )
                continue
            code = str(entry.get("code", "")).strip()
            name = str(entry.get("name", "")).strip()
            kind = str(entry.get("kind", "list")).strip()
            update = str(entry.get("update", "static")).strip()
            if not CODE_RE.match(code):
                problems.append(
                    Problem(
                        rel,
                        line,
                        ERROR,
                        "栏目代码",
                        "栏目代码只能用小写英文字母、数字和连字符",
                        value=code,
                        hint="例如 budget、final-accounts",
                    )
                )
            elif code in seen:
                problems.append(
                    Problem(
                        rel,
                        line,
                        ERROR,
                        "栏目代码",
                        f"栏目代码与第 {seen[code]} 行重复",
                        value=code,
                    )
                )
            seen.setdefault(code, line)
            if not name:
                problems.append(
                    Problem(rel, line, ERROR, "栏目名称", "节点缺少 name（中文名称）", value=code)
                )
            if kind not in KINDS:
                problems.append(
                    Problem(
                        rel, line, ERROR, "栏目类型", "kind 只能是 " + "、".join(KINDS), value=kind
                    )
                )
            if update not in UPDATE_CLASSES:
                problems.append(
                    Problem(
                        rel,
                        line,
                        ERROR,
                        "更新要求",
                        "update 只能是 " + "、".join(UPDATE_CLASSES),
                        value=update,
                    )
                )
            if kind == "link" and not entry.get("url"):
                problems.append(
                    Problem(rel, line, ERROR, "链接地址", "外部链接节点需要 url", value=code)
                )
            node = Node(
                code,
                name,
                kind,
                update,
                str(entry.get("description", "") or ""),
                str(entry.get("url", "") or ""),
                bool(entry.get("normative", False)),
                parent,
            )
            node.children = build(entry.get("children"), node)
            nodes.append(node)
        return nodes

    roots = build(data, None)
    if data is not None and not roots:
        problems.append(Problem(rel, 0, ERROR, "", "目录里一个栏目也没有"))
    return Catalogue(roots), problems

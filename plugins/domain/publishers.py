"""发布机构 registry: full official name, short name and organisation codes."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from .config_files import LINE_KEY, load_yaml
from .index_number import DEFAULT_SCHEME, IndexNumber, IndexScheme, code_problem
from .normalize import fold_width
from .problems import ERROR, Problem


@dataclass(frozen=True)
class Publisher:
    name: str  # 全称 (always shown; never an abbreviation on the page)
    short_name: str  # 简称
    codes: tuple[
        str, ...
    ]  # 组织机构代码 and/or 统一社会信用代码; the first is used for new numbers
    founded: str = ""  # 成立日期, ISO, optional
    scheme: IndexScheme = IndexScheme()  # 索引号规则 (index_scheme), Anhui's form by default

    @property
    def code(self) -> str:
        return self.codes[0]


class PublisherRegistry:
    def __init__(self, publishers: list[Publisher]):
        self.publishers = publishers
        self._by_name = {}
        self._by_code = {}
        for p in publishers:
            self._by_name[p.name] = p
            if p.short_name:
                self._by_name.setdefault(p.short_name, p)
            for code in p.codes:
                self._by_code[code] = p

    def find(self, text: str) -> Publisher | None:
        """By full name, short name or code; full-width brackets and spaces forgiven."""
        text = text.strip()
        hit = self._by_name.get(text) or self._by_code.get(text)
        if hit:
            return hit
        loose = _loose(text)
        for name, p in self._by_name.items():
            if _loose(name) == loose:
                return p
        return None

    def by_code(self, code: str) -> Publisher | None:
        return self._by_code.get(code)

    def schemes(self) -> list[IndexScheme]:
        """Every publisher's scheme, each once, in the order of publishers.yml."""
        found = {}
        for p in self.publishers:
            found.setdefault(p.scheme.key, p.scheme)
        return list(found.values()) or [IndexScheme()]

    def parse_index(self, text: str) -> IndexNumber | None:
        """A 索引号 of the scheme of the publisher whose code it carries; else of any scheme."""
        for scheme in self.schemes():
            parsed = scheme.parse(text)
            owner = self.by_code(parsed.org_code) if parsed else None
            if owner and owner.scheme.key == scheme.key:
                return parsed
        for scheme in self.schemes():
            parsed = scheme.parse(text)
            if parsed:
                return parsed
        return None

    def suggestions(self, text: str) -> list[str]:
        return difflib.get_close_matches(
            text, [p.name for p in self.publishers], n=3, cutoff=0.3
        ) or [p.name for p in self.publishers[:3]]


def _loose(text: str) -> str:
    return fold_width(text).replace(" ", "").replace("（", "(").replace("）", ")")


def load_publishers(path: Path, rel: str) -> tuple[PublisherRegistry, list[Problem]]:
    data, problems = load_yaml(path, rel)
    publishers = []
    if data is None and not problems:
        problems.append(Problem(rel, 0, ERROR, "", "发布机构清单是空的", hint="至少写一个发布机构"))
    if data is not None and not isinstance(data, list):
        problems.append(Problem(rel, 1, ERROR, "", "发布机构清单应是以“- name:”开头的列表"))
        data = []
    for entry in data or []:
        line = entry.get(LINE_KEY, 0) if isinstance(entry, dict) else 0
        if not isinstance(entry, dict) or not entry.get("name"):
            problems.append(
                Problem(rel, line, ERROR, "发布机构", "每个发布机构都要有 name（全称）")
            )
            continue
        codes = [str(entry.get("code", "")).strip()] + [
            str(c).strip() for c in entry.get("other_codes") or []
        ]
        codes = [c for c in codes if c]
        if not codes:
            problems.append(
                Problem(
                    rel,
                    line,
                    ERROR,
                    "发布机构",
                    f"“{entry['name']}”没有机构代码（code）",
                    hint="填写 9 位组织机构代码或 18 位统一社会信用代码",
                )
            )
            continue
        for code in codes:
            reason = code_problem(code)
            if reason:
                problems.append(
                    Problem(
                        rel,
                        line,
                        ERROR,
                        "机构代码",
                        reason,
                        value=code,
                        hint="核对代码证或营业执照上的代码",
                    )
                )
        pattern = str(entry.get("index_scheme") or DEFAULT_SCHEME).strip()
        categories = entry.get("categories") or []
        if not isinstance(categories, list):
            categories = [categories]
        scheme = IndexScheme(pattern, tuple(str(c).strip().upper() for c in categories))
        reason = scheme.problem()
        if reason:
            problems.append(
                Problem(
                    rel,
                    line,
                    ERROR,
                    "索引号规则",
                    reason,
                    value=pattern,
                    hint="例如 {code}/{yyyy}{mm}-{nnnnn} 或 {code}/{yyyy}-{nnnnn}，"
                    "见编辑指南第四节",
                )
            )
            scheme = IndexScheme()
        publishers.append(
            Publisher(
                str(entry["name"]).strip(),
                str(entry.get("short_name", "")).strip(),
                tuple(codes),
                str(entry.get("founded", "") or ""),
                scheme,
            )
        )
    seen = {}
    for p in publishers:
        for code in p.codes:
            if code in seen and seen[code] != p.name:
                problems.append(
                    Problem(
                        rel, 0, ERROR, "机构代码", f"代码 {code} 同时属于“{seen[code]}”和“{p.name}”"
                    )
                )
            seen[code] = p.name
    return PublisherRegistry(publishers), problems

"""Loading the site's YAML configuration files with line numbers and duplicate-key checks."""

from __future__ import annotations

from pathlib import Path

import yaml

from .problems import ERROR, Problem

LINE_KEY = "__line__"
MAX_BYTES = 2 * 1024 * 1024  # a catalogue of thousands of columns is ~200 KB


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records each mapping's line and refuses duplicate keys and aliases.

    Aliases (``*name``) are refused outright: nobody writes them in these files, and nested ones
    expand to gigabytes when walked (a "billion laughs"), cyclic ones recurse without end."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None,
                None,
                f"不支持 YAML 别名（*{event.anchor}）：请把内容直接写出来",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.MarkedYAMLError(
                "",
                None,
                f"键“{key}”出现了两次（第 {seen[key]} 行和第 {key_node.start_mark.line + 1} 行）",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    mapping = loader.construct_mapping(node, deep=deep)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _TextLoader(_LineLoader):
    """Every scalar stays the text as written (``4068.20`` is not the float 4068.2); an empty value
    is None. For tables of published figures, which must be shown exactly as typed."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
        for first, resolvers in _LineLoader.yaml_implicit_resolvers.items()
    }


def load_yaml(path: Path, rel: str, as_text: bool = False) -> tuple[object, list[Problem]]:
    """Load a YAML config file; problems instead of exceptions. ``as_text`` keeps every scalar
    as the string written."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None, [
                Problem(
                    rel,
                    0,
                    ERROR,
                    "",
                    f"配置文件超过 {MAX_BYTES // 1024 // 1024} MB，不是正常的配置文件",
                    hint="核对是否放错了文件",
                )
            ]
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return None, [
            Problem(
                rel,
                0,
                ERROR,
                "",
                "找不到这个配置文件",
                hint="请从示例站点复制一份并按本单位情况修改",
            )
        ]
    except UnicodeDecodeError:
        return None, [
            Problem(rel, 0, ERROR, "", "文件不是 UTF-8 编码", hint="用编辑器“另存为 UTF-8”后再提交")
        ]
    try:
        return yaml.load(text, Loader=_TextLoader if as_text else _LineLoader), []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [
            Problem(
                rel,
                line,
                ERROR,
                "",
                f"YAML 格式错误：{reason}",
                hint="检查缩进（只用空格）、冒号后是否有空格、引号是否成对",
            )
        ]

"""Checks across all documents: uniqueness, URL collisions, interpretation targets."""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict

from .model import Document
from .normalize import normalise_code
from .problems import ERROR, WARNING, Problem
from .procurement import check_projects


def validate_collection(documents: list[Document]) -> list[Problem]:
    """Problems that only show when all documents are known; every file involved is named.
    (The plugins' own checks across documents come with the engine's collection_check signal.)"""
    problems = []
    problems += _duplicates(
        documents,
        lambda d: d.index_number,
        "index",
        "索引号",
        "索引号重复：与 {other} 第 {line} 行相同",
        "每个文档的索引号必须唯一，给其中一个换一个流水号",
    )
    # Same index number means same slug; that is already reported above, once is enough.
    published = [d for d in documents if d.status == "published"]
    index_counts = Counter(d.index_number for d in published)
    distinct = [d for d in published if not d.index_number or index_counts[d.index_number] == 1]
    problems += _duplicates(
        distinct,
        lambda d: d.slug,
        "slug",
        "网址",
        "生成的网址与 {other} 相同，发布后会互相覆盖",
        "给历史文档写不同的“网址名”，或改用不同的文件名",
    )
    problems += [
        Problem(p.path, p.line, WARNING, p.field, p.message, p.value, p.hint)
        for p in _duplicates(
            documents,
            lambda d: (d.publisher, d.doc_number) if d.doc_number else None,
            "doc_number",
            "文号",
            "文号与 {other} 第 {line} 行相同",
            "同一机构的文号不应重复，请核对；若确为两个文件，请更正其中一个",
        )
    ]
    problems += _interpretations(documents)
    problems += check_projects(documents)
    return problems


SHOWN_OTHERS = 3  # documents named besides the first, when more share a value


def _duplicates(documents, key, field, label, message, hint):
    groups = defaultdict(list)
    for doc in documents:
        if key(doc):
            groups[key(doc)].append(doc)
    problems = []
    for value, docs in groups.items():
        if len(docs) < 2:
            continue
        for doc in docs:
            # One problem per document, naming a few of the others: a value shared by thousands
            # of documents gives thousands of lines, not millions.
            others = [d for d in docs[: SHOWN_OTHERS + 2] if d is not doc][: SHOWN_OTHERS + 1]
            first = others[0]
            text = message.format(other=first.source, line=first.line(field))
            if len(docs) > 2:
                named = "、".join(d.source for d in others[1:])
                more = "等" if len(docs) - 2 > len(others) - 1 else ""
                text += f"；另有 {len(docs) - 2} 个文件也相同：{named}{more}"
            problems.append(
                Problem(
                    doc.source,
                    doc.line(field) or doc.line("index") or doc.line("title"),
                    ERROR,
                    label,
                    text,
                    value if isinstance(value, str) else value[-1],
                    hint,
                )
            )
    return problems


def _interpretations(documents):
    """解读对象 may name the policy by 索引号, 文号, file path or web address name."""
    lookup = {}
    for doc in documents:
        for key in (doc.index_number, doc.doc_number, doc.source, doc.slug):
            if key:
                lookup.setdefault(key, []).append(doc)
    problems = []
    for doc in documents:
        if not doc.interprets:
            continue
        wanted, _ = normalise_code(doc.interprets)
        relative = posixpath.normpath(posixpath.join(posixpath.dirname(doc.source), doc.interprets))
        targets = (
            lookup.get(doc.interprets) or lookup.get(wanted.upper()) or lookup.get(relative) or []
        )
        targets = list({id(t): t for t in targets}.values())
        target = targets[0] if len(targets) == 1 else None
        if len(targets) > 1:
            problems.append(
                Problem(
                    doc.source,
                    doc.line("interprets"),
                    ERROR,
                    "解读对象",
                    "解读对象对应多个文件：" + "、".join(t.source for t in targets),
                    doc.interprets,
                    "改用被解读文件的索引号",
                )
            )
        elif target is None:
            problems.append(
                Problem(
                    doc.source,
                    doc.line("interprets"),
                    ERROR,
                    "解读对象",
                    "找不到被解读的文件",
                    doc.interprets,
                    "写被解读文件的索引号、文号或文件路径（相对于本文件）",
                )
            )
        elif target is doc:
            problems.append(
                Problem(
                    doc.source,
                    doc.line("interprets"),
                    ERROR,
                    "解读对象",
                    "解读对象不能是本文件自己",
                    doc.interprets,
                )
            )
        else:
            doc.interprets_source = target.source
    return problems

"""The site's own statistics for a report year: what was really published, per catalogue node."""

from __future__ import annotations

from dataclasses import dataclass, field

from .schema import NORMATIVE_GENRES


@dataclass
class YearStats:
    year: int
    published_total: int = 0
    by_node: list = field(
        default_factory=list
    )  # (depth, node name, count), tree order, non-zero only
    normative_issued: int = 0  # 规范性文件 dated in the year
    normative_repealed: int = 0  # 规范性文件 that expired or were repealed in the year
    stated_published_total: int | None = None  # what the report itself says

    @property
    def difference(self) -> int | None:
        if self.stated_published_total is None:
            return None
        return self.stated_published_total - self.published_total


def year_stats(documents, catalogue, year: int, stated: int | None = None) -> YearStats:
    published = [d for d in documents if d.status == "published" and d.date and d.date.year == year]
    own = {}
    for doc in published:
        own[doc.column] = own.get(doc.column, 0) + 1
    stats = YearStats(year, len(published), stated_published_total=stated)

    def walk(nodes, depth):
        for node in nodes:
            count = sum(own.get(n.code, 0) for n in node.walk())
            if count:
                stats.by_node.append((depth, node.name, count))
                walk(node.children, depth + 1)

    walk(catalogue.roots, 0)
    for doc in documents:
        node = catalogue.by_code.get(doc.column)
        normative = (node is not None and node.normative) or any(
            g in doc.genre for g in NORMATIVE_GENRES
        )
        if not normative or doc.status != "published":
            continue
        if doc.date and doc.date.year == year:
            stats.normative_issued += 1
        if (
            doc.expires
            and doc.expires.year == year
            and doc.validity in ("", "有效", "失效", "废止")
        ):
            stats.normative_repealed += 1
    return stats

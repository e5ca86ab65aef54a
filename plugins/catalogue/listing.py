"""Paginated listings (column, year, topic, publisher pages) with stable ASCII URLs."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

PER_PAGE = 20
JUMP_FROM_PAGES = 5  # a listing of more pages offers a jump to each year


@dataclass
class Page:
    """One page of a listing: its items and the URLs of its neighbours."""

    number: int  # 1-based
    count: int  # how many pages in all
    items: list
    save_as: str
    urls: list[str]  # URL of every page of the listing, index 0 = page 1
    years: list = field(default_factory=list)  # (year, page number of its newest item)

    @property
    def url(self) -> str:
        return self.save_as

    def link(self, number: int) -> str | None:
        return self.urls[number - 1] if 1 <= number <= self.count else None

    @property
    def first(self):
        return self.link(1) if self.number > 1 else None

    @property
    def previous(self):
        return self.link(self.number - 1)

    @property
    def next(self):
        return self.link(self.number + 1)

    @property
    def last(self):
        return self.link(self.count) if self.number < self.count else None

    def window(self, around: int = 2) -> list[int | None]:
        """The page numbers the pagination shows: the first, the last, and this page's ``around``
        neighbours each side; None where numbers are left out (a gap of one page shows that page).
        A column of 500 pages then links 9 numbers from each page, not 500 (as GOV.UK and USWDS
        do)."""
        shown = sorted(
            {1, self.count}
            | set(range(max(1, self.number - around), min(self.count, self.number + around) + 1))
        )
        numbers, last = [], 0
        for n in shown:
            if n - last == 2:
                numbers.append(last + 1)
            elif n - last > 2:
                numbers.append(None)
            numbers.append(n)
            last = n
        return numbers

    @property
    def start(self) -> int:
        """1-based position of the first item on this page."""
        return (self.number - 1) * PER_PAGE + 1


@dataclass
class Listing:
    """A titled list of documents, newest first, written as one or more pages."""

    kind: str  # column | year | topic | publisher
    key: str  # ASCII code used in the URL
    title: str
    base: str  # e.g. "columns/budget": page 1 is base.html, page n is base/n.html
    items: list = field(default_factory=list)
    description: str = ""

    @property
    def url(self) -> str:
        return f"{self.base}.html"

    def page_urls(self) -> list[str]:
        count = max(1, math.ceil(len(self.items) / PER_PAGE))
        return [self.url] + [f"{self.base}/{n}.html" for n in range(2, count + 1)]

    def year_starts(self) -> list[tuple[int, int]]:
        """(year, the page its newest item is on), newest year first: a long listing's jump to
        a year."""
        starts = {}
        for position, item in enumerate(self.items):
            starts.setdefault(item.date.year, position // PER_PAGE + 1)
        return list(starts.items())

    def pages(self) -> list[Page]:
        urls = self.page_urls()
        years = self.year_starts() if len(urls) > JUMP_FROM_PAGES else []
        return [
            Page(
                n,
                len(urls),
                self.items[(n - 1) * PER_PAGE : n * PER_PAGE],
                urls[n - 1],
                urls,
                years,
            )
            for n in range(1, len(urls) + 1)
        ]


def newest_first(articles) -> list:
    """Stable, deterministic order: newest date first, then by source path."""
    return sorted(
        sorted(articles, key=lambda a: a.document.source), key=lambda a: a.date, reverse=True
    )

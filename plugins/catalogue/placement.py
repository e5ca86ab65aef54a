"""Where every document stands in the catalogue: per-column lists, counts, neighbours, the
browse-by facets (years, topics, publishers), the feeds' items and the home page's newest items.

Pure functions of the documents (anything with ``document``, ``date`` and ``url``: Pelican
articles in a build, or lighter views of them) and the site: what the generator shows and
writes, worked out in one place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from domain.model import current_validity

from .listing import Listing, newest_first

HOME_ITEMS = 10  # newest items from dynamic and notice columns on the home page
FRESH_CLASSES = ("dynamic", "notice")


@dataclass
class Facet:
    """A browse-by entry (a year, a topic, a publisher) with its listing and sub-entries."""

    listing: Listing
    children: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.listing.items)


@dataclass
class Placement:
    """The documents placed in the catalogue (newest first everywhere)."""

    documents: list
    columns: dict  # column code -> its Listing
    counts: dict  # column code -> documents in its subtree
    subtree_newest: dict  # column code -> the subtree's ten newest
    feed_items: dict  # "list" column code -> its subtree's documents
    years: list
    topics: list
    publishers: list
    home_items: list


def place(items, catalogue, topic_scheme, registry, today) -> Placement:
    """Place ``items`` in the catalogue; each gets ``validity_now`` (its state on ``today``) and
    ``column_neighbours`` (the newer and the older document of its column)."""
    documents = newest_first(items)
    own = defaultdict(list)
    for item in documents:
        own[item.document.column].append(item)
        item.validity_now = current_validity(item.document, today)
    columns = {}
    for node in catalogue.nodes:
        listed = own.get(node.code, [])
        columns[node.code] = Listing(
            "column", node.code, node.name, f"columns/{node.code}", listed, node.description
        )
        for newer, item, older in zip([None] + listed[:-1], listed, listed[1:] + [None]):
            item.column_neighbours = (newer, older)
    counts = {
        node.code: sum(len(own.get(n.code, [])) for n in node.walk()) for node in catalogue.nodes
    }
    subtree_newest = {
        node.code: newest_first(a for n in node.walk() for a in own.get(n.code, []))[:10]
        for node in catalogue.nodes
    }
    feed_items = {
        node.code: newest_first(a for n in node.walk() for a in own.get(n.code, []))
        for node in catalogue.nodes
        if node.kind == "list"
    }
    fresh = [a for a in documents if catalogue.by_code[a.document.column].update in FRESH_CLASSES]
    return Placement(
        documents,
        columns,
        counts,
        subtree_newest,
        feed_items,
        years(documents),
        topics(documents, topic_scheme),
        publishers(documents, registry),
        fresh[:HOME_ITEMS],
    )


def years(articles) -> list[Facet]:
    by_year = defaultdict(list)
    for article in articles:
        by_year[article.date.year].append(article)
    return [
        Facet(Listing("year", str(y), f"{y}年", f"years/{y}", by_year[y]))
        for y in sorted(by_year, reverse=True)
    ]


def topics(articles, scheme) -> list[Facet]:
    """主题分类 facets; codes t01, t01-02 follow the national scheme's order."""
    facets = []
    by_top, by_topic = (
        defaultdict(list),
        defaultdict(list),
    )  # one pass, articles keep their order
    for article in articles:
        by_top[article.document.topic.split("/")[0]].append(article)
        by_topic[article.document.topic].append(article)
    for i, (top, children) in enumerate(scheme.items(), start=1):
        items = by_top.get(top)
        if not items:
            continue
        facet = Facet(Listing("topic", f"t{i:02d}", top, f"topics/t{i:02d}", items))
        for j, child in enumerate(children, start=1):
            sub = by_topic.get(f"{top}/{child}")
            if sub:
                facet.children.append(
                    Facet(
                        Listing(
                            "topic", f"t{i:02d}-{j:02d}", child, f"topics/t{i:02d}-{j:02d}", sub
                        )
                    )
                )
        facets.append(facet)
    return facets


def publishers(articles, registry) -> list[Facet]:
    facets = []
    by_publisher = defaultdict(list)
    for article in articles:
        by_publisher[article.document.publisher].append(article)
    for publisher in registry.publishers:
        items = by_publisher.get(publisher.name)
        if items:
            code = publisher.code.lower()
            facets.append(
                Facet(Listing("publisher", code, publisher.name, f"publishers/{code}", items))
            )
    return facets

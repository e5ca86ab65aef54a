"""The 信息公开目录 generator: one catalogue definition drives every listing page.

``generate_context`` places the documents in the tree (counts, per-column lists,
neighbours, browse-by facets); ``generate_output`` writes the catalogue home, the
column pages, the year/topic/publisher listings, the home page, 网站地图, 404,
the feeds and the machine-readable exports.
"""

from __future__ import annotations

import logging
import os

from pelican import signals
from pelican.generators import Generator

from disclosure import run
from disclosure.bodies import content_key, links_key
from disclosure.cache import digest
from disclosure.pages import PageWriter
from domain.defaults import setting

from . import exports, feeds
from .feeds import titles_as_html
from .placement import place

logger = logging.getLogger(__name__)
# 联系我们: (label, setting), shown in this order when set.
CONTACT_DETAILS = (
    ("地址", "SITE_ADDRESS"),
    ("邮政编码", "SITE_POSTCODE"),
    ("联系电话", "SITE_PHONE"),
    ("传真", "SITE_FAX"),
    ("电子邮箱", "SITE_EMAIL"),
    ("办公时间", "SITE_OFFICE_HOURS"),
)


class CatalogueGenerator(Generator):
    def generate_context(self):
        state = run.of(self)
        self.catalogue = catalogue = state.site.catalogue
        articles = self.context.get("articles", [])
        for article in articles:
            # Pelican works a document's URL out from settings on every use; it never changes in a
            # run.
            article.override_url = article.url
        placed = self.placed = place(
            articles, catalogue, state.site.topics, state.site.publishers, state.site.today
        )
        self.documents, self.columns, self.feed_items = (
            placed.documents,
            placed.columns,
            placed.feed_items,
        )
        self.years, self.topics, self.publishers = placed.years, placed.topics, placed.publishers
        self.context.update(
            catalogue=catalogue,
            column_counts=placed.counts,
            column_listings=self.columns,
            subtree_newest=placed.subtree_newest,
            column_feeds={code for code, items in self.feed_items.items() if items},
            document_total=len(placed.documents),
            article_by_source={a.document.source: a for a in placed.documents},
            year_facets=self.years,
            topic_facets=self.topics,
            publisher_facets=self.publishers,
            home_tabs=self._home_tabs(placed),
            **self.site_context(),
        )

    def _contact(self) -> dict:
        """联系我们: the settings' details that are given, and the columns about the office."""
        details = [
            (label, str(self.settings.get(name) or ""))
            for label, name in CONTACT_DETAILS
            if self.settings.get(name)
        ]
        links = [
            (node.name, f"columns/{node.code}.html")
            for node in self.catalogue.nodes
            if node.name in ("机构职能", "领导信息", "内设机构") and node.holds_documents
        ]
        return {"contact_details": details, "contact_links": links}

    def _home_tabs(self, placed) -> list[tuple[str, object, list]]:
        """(label, column, newest documents of its subtree) of each tab of the home page; the
        first, 最新发布, has no column: the newest of the 动态 and 通知公告 update classes."""
        shown = setting(self.settings, "HOME_TAB_ITEMS")
        tabs, subtree_newest = (
            [("最新发布", None, placed.home_items[:shown])],
            placed.subtree_newest,
        )
        for label, target in setting(self.settings, "HOME_TABS"):
            node = self.catalogue.by_code.get(target.removeprefix("column:"))
            if node is None or not node.holds_documents:
                logger.warning(
                    "HOME_TABS: catalogue has no column %r; tab %r left out", target, label
                )
                continue
            tabs.append((label, node, subtree_newest[node.code][:shown]))
        return tabs

    def site_context(self) -> dict:
        """What every page's header and footer show: from the settings and the catalogue only."""
        return {
            "main_nav": self._links("MAIN_NAV"),
            "home_links": self._described_links("HOME_LINKS"),
            "FOOTER_LINKS": self._links("FOOTER_LINKS"),
        }

    def _links(self, setting) -> list[tuple[str, str]]:
        """(label, target) pairs from settings; ``column:code`` names a catalogue node."""
        return [(label, target) for label, target, _ in self._described_links(setting)]

    def _described_links(self, setting) -> list[tuple[str, str, str]]:
        """(label, target, description) from settings: a link's own description, else its
        column's, else ""."""
        links = []
        for label, target, *described in self.settings.get(setting, []):
            description = described[0] if described else ""
            if target.startswith("column:"):
                node = self.catalogue.by_code.get(target[len("column:") :])
                if node is None:
                    logger.warning(
                        "%s: catalogue has no column %r; link %r left out", setting, target, label
                    )
                    continue
                target = node.url if node.kind == "link" else f"columns/{node.code}.html"
                description = description or node.description
            links.append((label, target, description))
        return links

    # -- output -----------------------------------------------------------------------------

    def generate_output(self, writer):
        self.written = {}  # url -> lastmod of the listing pages this generator writes
        self.pages = PageWriter(self, writer, run.of(self))
        for article in self.documents:
            self.pages.add(
                article.url,
                article.template,
                self._document_inputs(article),
                article=article,
                category=getattr(article, "category", None),
            )
        self._write(writer, "index.html", "home")
        self._write(writer, "catalogue/index.html", "catalogue")
        self._write(writer, "sitemap.html", "sitemap")
        self._write(writer, "contact.html", "contact", **self._contact())
        self._write(writer, "404.html", "404")
        for node in self.catalogue.nodes:
            if node.kind != "link":
                self._add_listing(self.columns[node.code], "column", node=node)
        for name, facets, title in (
            ("years", self.years, "按年份浏览"),
            ("topics", self.topics, "按主题分类浏览"),
            ("publishers", self.publishers, "按发布机构浏览"),
        ):
            self._write(
                writer,
                f"{name}/index.html",
                "browse",
                facets=facets,
                browse_title=title,
                browse_kind=name,
            )
            for facet in facets:
                for item in [facet] + facet.children:
                    self._add_listing(item.listing, "listing", browse_title=title, browse_kind=name)
        # Feeds and exports first, while the search jobs have the other core: after the pages, the
        # other core would have nothing left to do.
        self._write_feeds(writer)
        self._write_exports()
        self.pages.flush()  # document and listing pages, over all cores

    def _write(self, writer, save_as, template, lastmod="", **kwargs):
        writer.write_file(
            save_as,
            self.get_template(template),
            self.context,
            self.settings["RELATIVE_URLS"],
            url=save_as,
            page_url=save_as,
            **kwargs,
        )
        self.written[save_as] = lastmod

    def _add_listing(self, listing, template, node=None, **kwargs) -> None:
        lastmod = listing.items[0].date.date().isoformat() if listing.items else ""
        shared = (
            listing.kind,
            listing.key,
            listing.title,
            listing.description,
            len(listing.items),
            listing.year_starts(),
            kwargs,
        )
        if (
            node is not None
        ):  # a column page also shows its sub-columns (with counts) and their newest items
            # Only its own subtree's counts: a document added elsewhere leaves this column's pages
            # alone.
            counts = self.context["column_counts"]
            shared += (
                node.code,
                [(n.code, counts[n.code]) for n in node.walk()],
                node.code in self.context["column_feeds"],
                [_item_key(a) for a in self.context["subtree_newest"][node.code]],
                [(content_key(a), links_key(a)) for a in listing.items[:1]]
                if node.kind == "page"
                else None,
                node.code in self.context.get("procurement_columns", ()),
                node.code in self.context.get("finance_columns", ()),
            )
        for page in listing.pages():
            inputs = shared + (page.number, page.count, [_item_key(a) for a in page.items])
            self.pages.add(
                page.save_as, template, inputs, listing=listing, page=page, node=node, **kwargs
            )
            self.written[page.save_as] = lastmod

    def _document_inputs(self, article) -> tuple:
        """Everything a document page shows: the document, its state today, and its links."""
        doc = article.document
        target = self.context["article_by_source"].get(doc.interprets_source)
        explained_by = [
            self.context["article_by_source"][s]
            for s in self.context["interpretations"].get(doc.source, [])
        ]
        return (
            content_key(article),
            links_key(article),
            _item_key(article),
            [_item_key(a) for a in article.column_neighbours],
            _item_key(target),
            [_item_key(a) for a in explained_by],
            repr(getattr(article, "report_stats", None)),
            repr(getattr(article, "project", None)),
            [_item_key(a) for a in getattr(article, "report_neighbours", ())],
        )

    def feeds(self) -> list[tuple[str, list, dict]]:
        """(path, items, writer arguments) of every feed."""
        feeds = [("feeds/all.atom.xml", self.documents, {})]
        # An empty feed would carry the build time, breaking reproducible output: none is written.
        return feeds + [
            (f"feeds/{node.code}.atom.xml", self.feed_items[node.code], {"feed_title": node.name})
            for node in self.catalogue.nodes
            if self.feed_items.get(node.code)
        ]

    def _write_feeds(self, writer):
        context = dict(self.context, FEED_DOMAIN=self.settings.get("SITEURL", ""))
        shown = self.settings.get("FEED_MAX_ITEMS")  # Pelican's writer shows the first ones only
        for path, items, kwargs in self.feeds():
            # A feed shows each item's link, title, date, summary, column and HTML (the settings,
            # catalogue and library versions are in every fingerprint): unchanged, it is kept.
            self.pages.fingerprint(
                path,
                "feed",
                kwargs,
                [(_item_key(a), content_key(a), links_key(a)) for a in items[:shown]],
            )
            if not (self.pages.unchanged(path) and self.pages.link(path)):
                run.of(self).kept("catalogue")["feed_documents"] = {a.url: a for a in items[:shown]}
                with titles_as_html(items):
                    writer.write_feed(items, context, path, **kwargs)

    def _write_exports(self):
        site_url = self.settings.get("SITEURL", "")
        lastmod = _sitemap(run.of(self))[1]
        lastmod.update({a.url: a.date.date().isoformat() for a in self.documents})
        lastmod.update(self.written)
        parts = exports.export_parts(self.documents)
        if parts is None:
            self._write_catalogue("catalogue", self.documents)
            return
        for name, documents in parts:
            self._write_catalogue(f"catalogue/{name}", documents)
        counts = [(name, len(documents)) for name, documents in parts]
        site_name = self.settings["SITENAME"]
        for name, write in (
            ("catalogue.json", lambda h: exports.write_parts_json(h, counts, site_url, site_name)),
            ("catalogue.csv", lambda h: exports.write_parts_csv(h, counts, site_url)),
        ):
            self.pages.fingerprint(name, "export parts", counts)
            if not (self.pages.unchanged(name) and self.pages.link(name)):
                with open(
                    os.path.join(self.output_path, name), "w", encoding="utf-8", newline=""
                ) as handle:
                    write(handle)

    def _write_catalogue(self, stem: str, documents: list) -> None:
        """``stem``.json and ``stem``.csv: these documents' records (kept when unchanged)."""
        site_url = self.settings.get("SITEURL", "")
        rows = [_item_key(a) for a in documents]  # every field a record shows is in the document
        records = None
        for name, write in (
            (f"{stem}.json", self._write_json),
            (f"{stem}.csv", exports.write_catalogue_csv),
        ):
            self.pages.fingerprint(name, "export", rows)
            if self.pages.unchanged(name) and self.pages.link(name):
                continue
            if records is None:
                records = [
                    exports.record(a, self.catalogue, site_url, a.validity_now) for a in documents
                ]
            path = os.path.join(self.output_path, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as handle:
                write(handle, records)

    def _write_json(self, handle, records):
        exports.write_catalogue_json(handle, records, self.settings["SITENAME"])


def _item_key(article) -> tuple | None:
    """What a link or a list row can show of a document (worked out once: pages ask for it
    often)."""
    if article is None:
        return None
    key = getattr(article, "item_key", None)
    if key is None:
        key = article.item_key = (
            article.url,
            article.title,
            getattr(article, "document_digest", None) or digest(article.document),
            getattr(article, "validity_now", ""),
        )
    return key


def _sitemap(state) -> tuple[set[str], dict[str, str]]:
    """sitemap.xml lists every HTML page any generator wrote (sitemap-plugin pattern): the pages
    written (relative paths) and their last modification dates, collected for the run."""
    kept = state.kept("sitemap")
    return kept.setdefault("written", set()), kept.setdefault("lastmod", {})


def on_content_written(path, context):
    state = run.of(context)
    if state is None:
        return
    root = os.path.join(context["OUTPUT_PATH"], "")
    rel = (path[len(root) :] if path.startswith(root) else os.path.relpath(path, root)).replace(
        os.sep, "/"
    )
    if rel.endswith(".html") and rel != "404.html":
        _sitemap(state)[0].add(rel)


def on_finalized(pelican):
    state = run.of(pelican)
    if state is None:
        return
    written, lastmod = _sitemap(state)
    site_url = pelican.settings.get("SITEURL", "")
    entries = [(exports.join(site_url, rel), lastmod.get(rel, "")) for rel in sorted(written)]
    for name, text in exports.sitemap_files(entries, site_url).items():
        with open(os.path.join(pelican.output_path, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)


def on_feed_generated(context, feed):
    """Pelican made a feed of ours: its ids, authors and base (feeds.complete)."""
    state = run.of(context)
    documents = state.kept("catalogue").get("feed_documents") if state else None
    if documents is not None:
        feeds.complete(feed, documents, context["SITENAME"], context.get("FEED_DOMAIN") or "")


def get_generators(pelican):
    return CatalogueGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.content_written.connect(on_content_written)
    signals.feed_generated.connect(on_feed_generated)
    signals.finalized.connect(on_finalized)

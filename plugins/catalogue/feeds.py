"""What the feeds need beyond Pelican's feed writer."""

from __future__ import annotations

import contextlib
import html
import uuid

import feedgenerator


@contextlib.contextmanager
def titles_as_html(items):
    """Pelican's feed writer reads a title as HTML and strips its tags; ours are plain text (名称
    “关于<某某>的通知” keeps its brackets): escaped for the writer, as they were after."""
    titles = [article.title for article in items]
    for article, title in zip(items, titles):
        article.title = html.escape(title, quote=False)
    try:
        yield
    finally:
        for article, title in zip(items, titles):
            article.title = title


class SiteAtomFeed(feedgenerator.Atom1Feed):
    """Pelican's Atom feed, with ``xml:base`` when its links are relative to the site's root (the
    development build, read from a folder or any server path)."""

    def root_attributes(self):
        attributes = super().root_attributes()
        if self.feed.get("xml_base"):
            attributes["xml:base"] = self.feed["xml_base"]
        return attributes


def stable_id(site_name: str, name: str) -> str:
    """A permanent, absolute Atom id for ``name`` (a document's URL, a feed's path) on this site,
    the same in every build whatever SITEURL is."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{site_name}/{name}')}"


def complete(feed, documents: dict, site_name: str, site_url: str) -> None:
    """What Pelican's writer leaves out of our feeds: the feed's and each entry's permanent id,
    each entry's author (its 发布机构), and, in a build with relative links, the base they are
    relative to. ``documents``: URL (as the site writes it) -> article, for the feed's items."""
    path = feed.feed["feed_url"][len(site_url) :].lstrip("/")
    feed.feed["id"] = stable_id(site_name, path)
    if not site_url:
        feed.__class__ = SiteAtomFeed
        feed.feed["xml_base"] = "../" * path.count("/") or "./"
        feed.feed["link"] = "index.html"
    for item in feed.items:
        article = documents.get(item["link"][len(site_url) :].lstrip("/"))
        if article is not None:
            item["unique_id"] = stable_id(site_name, article.url)
            item["author_name"] = article.document.publisher or None

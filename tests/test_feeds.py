"""The Atom feeds are correct in both builds: every link leads to a page that exists, ids are
permanent absolute IRIs, and each entry names its 发布机构."""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

from helpers import FixtureSite, notices

ATOM = "{http://www.w3.org/2005/Atom}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def _site(root) -> FixtureSite:
    return notices(root, 3)


def _feed(site: FixtureSite, name: str):
    return ET.fromstring(site.page(f"feeds/{name}"))


def test_feed_links_resolve_to_pages_of_the_development_build(tmp_path):
    site = _site(tmp_path)
    assert site.build().ok
    for path in sorted((site.output / "feeds").glob("*.atom.xml")):
        feed = ET.fromstring(path.read_text(encoding="utf-8"))
        here = f"file:///site/feeds/{path.name}"
        base = urljoin(here, feed.get(XML_BASE))
        assert base == "file:///site/"
        hrefs = [link.get("href") for link in feed.iter(f"{ATOM}link")]
        assert len(hrefs) >= 3
        for href in hrefs:
            target = urljoin(base, href)
            assert target.startswith("file:///site/"), href
            rel = posixpath.normpath(target[len("file:///site/") :])
            assert (site.output / rel).is_file(), f"{path.name}: {href} -> {rel}"


def test_feed_ids_are_permanent_and_entries_name_their_publisher(tmp_path):
    dev, published = _site(tmp_path / "dev"), _site(tmp_path / "pub")
    assert dev.build().ok
    assert published.build(SITEURL="https://xxgk.example.gov.cn", RELATIVE_URLS=False).ok
    ids = {}
    for site in (dev, published):
        feed = _feed(site, "all.atom.xml")
        entries = feed.findall(f"{ATOM}entry")
        assert len(entries) == 3
        entry_ids = [entry.findtext(f"{ATOM}id") for entry in entries]
        assert all(i.startswith("urn:uuid:") for i in [feed.findtext(f"{ATOM}id"), *entry_ids])
        assert len(set(entry_ids)) == 3
        assert {entry.findtext(f"{ATOM}author/{ATOM}name") for entry in entries} == {
            "安徽省外事（侨务、港澳）办公室"
        }
        ids[site] = (feed.findtext(f"{ATOM}id"), entry_ids)
    assert ids[dev] == ids[published]  # the same document, the same id, whatever SITEURL is
    published_feed = _feed(published, "all.atom.xml")
    assert published_feed.get(XML_BASE) is None
    assert all(
        link.get("href").startswith("https://xxgk.example.gov.cn/")
        for link in published_feed.iter(f"{ATOM}link")
    )

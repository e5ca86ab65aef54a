"""The site's disclosure configuration: content root, catalogue, publishers, topics."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from .catalogue import Catalogue, load_catalogue
from .defaults import setting
from .problems import Problem
from .publishers import PublisherRegistry, load_publishers

TOPICS_FILE = Path(__file__).with_name("data") / "topics.yml"


def site_today(settings: dict) -> dt.date:
    """The date the site is built and checked as of: DISCLOSURE_TODAY, else today in the site's
    TIMEZONE (:func:`local_today`)."""
    today = setting(settings, "DISCLOSURE_TODAY") or local_today(
        settings.get("TIMEZONE") or "Asia/Shanghai"
    )
    return dt.date.fromisoformat(today) if isinstance(today, str) else today


def local_today(timezone: str) -> dt.date:
    """Today where the department is (a CI machine on UTC is 8 hours behind Beijing).

    ``SOURCE_DATE_EPOCH`` (reproducible builds) fixes the date, so rebuilding a commit on another
    day gives byte-identical output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.astimezone(ZoneInfo(timezone)).date()


def load_topics() -> dict[str, list[str]]:
    """主题分类: the national theme scheme, top level -> children."""
    with open(TOPICS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass
class Site:
    content_root: Path
    catalogue: Catalogue
    publishers: PublisherRegistry
    topics: dict[str, list[str]]
    today: dt.date
    problems: list[Problem] = field(default_factory=list)  # problems in the config files
    settings: dict = field(default_factory=dict)  # the Pelican settings, for plugins' own keys
    config_digest: str = ""  # hash of catalogue.yml and publishers.yml (cache keys)

    @functools.cached_property
    def real_content_root(self) -> Path:
        """content_root with every link resolved, worked out once (each document is checked against
        it)."""
        return self.content_root.resolve()

    @functools.cached_property
    def reviewed_files(self) -> frozenset[str]:
        """Files a technician reviewed for publishing though their type is refused (setting
        PUBLISH_REVIEWED_FILES, paths relative to content/)."""
        return frozenset(setting(self.settings, "PUBLISH_REVIEWED_FILES"))

    @classmethod
    def from_settings(cls, settings: dict) -> Site:
        root = Path(settings["PATH"]).resolve()
        cat_rel = setting(settings, "DISCLOSURE_CATALOGUE")
        pub_rel = setting(settings, "DISCLOSURE_PUBLISHERS")
        catalogue, cat_problems = load_catalogue(root / cat_rel, cat_rel)
        publishers, pub_problems = load_publishers(root / pub_rel, pub_rel)
        today = site_today(settings)
        digest = hashlib.blake2b(digest_size=16)
        for path in (root / cat_rel, root / pub_rel, TOPICS_FILE):
            digest.update(path.read_bytes() if path.is_file() else b"-")
        return cls(
            root,
            catalogue,
            publishers,
            load_topics(),
            today,
            cat_problems + pub_problems,
            settings,
            digest.hexdigest(),
        )

"""The settings this project adds to Pelican's: one table, each with its default and what it does.

Code reads them with :func:`setting`, never with an inline default; :func:`apply_defaults` fills a
settings dict (Pelican's, or ``build.load_settings``'s) with the defaults of those it lacks.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass

from .application import STEPS as APPLICATION_STEPS


@dataclass(frozen=True)
class Setting:
    default: object
    doc: str


SETTINGS: dict[str, Setting] = {
    # content/ and the disclosure model
    "DISCLOSURE_CATALOGUE": Setting("catalogue.yml", "信息公开目录, relative to content/"),
    "DISCLOSURE_PUBLISHERS": Setting("publishers.yml", "发布机构 and their 索引号 schemes"),
    "DISCLOSURE_TODAY": Setting(None, "the build's date (YYYY-MM-DD); None: today in TIMEZONE"),
    "PUBLISH_REVIEWED_FILES": Setting(
        (), "files under content/ a technician reviewed that would be refused as attachments"
    ),
    "ANNUAL_REPORT_COLUMN": Setting("annual-reports", "the column of 政府信息公开年报"),
    "FINANCE_SPECIAL_FUNDS_COLUMN": Setting(
        None, "the column of 专项资金 on the finance pages; None: found by its name"
    ),
    "SITE_DESCRIPTION": Setting(
        None, "the description of pages that have none of their own (home…); None: SITENAME"
    ),
    # the public site
    "HOME_TABS": Setting(
        (
            ("通知公告", "column:notices"),
            ("政策文件", "column:policy"),
            ("政策解读", "column:interpretation"),
            ("财政资金", "column:finance"),
            ("招标采购", "column:procurement"),
        ),
        "the home page's tabs of newest documents: (label, column:<code>); a column's documents"
        " include its sub-columns'",
    ),
    "HOME_TAB_ITEMS": Setting(8, "documents in each tab of the home page"),
    "APPLICATION_COLUMN": Setting(
        "application", "the 依申请公开 column: its page shows the channels, steps and the form"
    ),
    "APPLICATION_OFFICE": Setting("", "the office that receives applications (受理机构)"),
    "APPLICATION_CHANNELS": Setting(
        (),
        "ways to apply: ({'name': '信函申请', 'details': (('收件地址', '…'), …), 'note': '…'},"
        " …); a detail whose label is 网址 is shown as a link",
    ),
    "APPLICATION_STEPS": Setting(
        APPLICATION_STEPS, "what happens after an application and its time limits (办理时限)"
    ),
    # the build engine
    "BUILD_WORKERS": Setting(None, "processes for rendering bodies and pages; None: the CPUs"),
    "DOCUMENT_RECORD": Setting(
        True, "take the documents whose files did not change from the last build's record"
    ),
    "BUILD_CACHE_PATH": Setting(None, "set by the build: its cache folder (None: no cache)"),
    "PREVIOUS_OUTPUT_PATH": Setting(None, "set by the build: the output it replaces"),
    "CONTENT_WALK": Setting(
        None, "set by the build: the content folder as it walked it just before the run"
    ),
    # production output
    "MINIFY": Setting(False, "minify HTML, CSS and JS after the build (publishconf.py)"),
    "ROBOTS_TXT": Setting(None, "robots.txt text; None: no robots.txt"),
    # the web editor (plugin cms_admin)
    "CMS_ADMIN": Setting(False, "publish Decap CMS as admin/"),
    "CMS_ADMIN_DIR": Setting("admin", "our admin/index.html and the generated config.yml"),
    "CMS_DECAP_DIR": Setting(
        "node_modules/.decap-cms-3.16.3", "Decap's bundle, as make setup unpacks it"
    ),
    # the site check (invoke check-site)
    "SITE_CHECK_AS_OF": Setting(None, "the inspection's date (YYYY-MM-DD); None: today"),
    "SITE_CHECK_SENSITIVE_WORDS": Setting((), "words a page must not contain (敏感词)"),
    "SITE_CHECK_LEADERS": Setting({}, "leaders' names and their correct titles (领导职务)"),
    "FINAL_ACCOUNTS_DUE": Setting("09-30", "MM-DD of the next year by which 部门决算 are due"),
}


def setting(settings: Mapping, name: str):
    """The site's value of one of the project's settings, or its default when it has none."""
    value = settings.get(name)
    return SETTINGS[name].default if value is None else value


def workers(settings: Mapping) -> int:
    """How many processes the build may use (BUILD_WORKERS, else the machine's CPUs)."""
    return int(setting(settings, "BUILD_WORKERS") or os.cpu_count() or 1)


def apply_defaults(settings: MutableMapping) -> MutableMapping:
    """Give ``settings`` the default of each of the project's settings it lacks."""
    for name, spec in SETTINGS.items():
        if settings.get(name) is None and spec.default is not None:
            settings[name] = spec.default
    return settings

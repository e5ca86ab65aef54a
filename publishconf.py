"""Production settings: absolute URLs under SITEURL, feeds on."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# The department's own address; CI may override it with the SITEURL environment variable.
SITEURL = os.environ.get("SITEURL", "http://ahfao.gov.cn/xxgk")
RELATIVE_URLS = False
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
DELETE_OUTPUT_DIRECTORY = True

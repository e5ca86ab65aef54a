"""Production settings: absolute URLs under SITEURL (feeds, sitemap and exports use it)."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

# The department's own address; CI may override it with the SITEURL environment variable.
SITEURL = os.environ.get("SITEURL", "http://ahfao.gov.cn/xxgk")
SITE_DOMAIN = SITEURL.split("://", 1)[-1].split("/", 1)[0]
RELATIVE_URLS = False
# Scripts only from the site's own script folders (see pelicanconf.py).
CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(  # noqa: F405
    "script-src 'self'", f"script-src {SITEURL}/theme/js/ {SITEURL}/search/"
)
DELETE_OUTPUT_DIRECTORY = True
MINIFY = True  # HTML, CSS and JS (plugins/publishing)
ROBOTS_TXT = "User-agent: *\nAllow: /\n"
GITHUB_PAGES_CNAME = os.environ.get("CNAME", "")  # written as CNAME by `invoke publish --gh-pages`

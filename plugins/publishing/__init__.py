"""publishing: production polish of the output — fingerprinted theme assets, minified files,
robots.txt.

* ``{{ 'css/site.css'|fingerprint }}`` → ``css/site.css?v=<8 hex of its content>``: a changed asset
gets a new URL, so browsers and caches never mix old CSS with new pages (works on file:// too).
* With ``MINIFY = True`` (publishconf.py) HTML, CSS and JS are minified after the build.
* With ``ROBOTS_TXT`` set, ``robots.txt`` is written with the sitemap address.
* ``{{ site_chrome("header", SITEURL) }}``: the site's header or footer (``components/header.html``,
  ``components/footer.html``), the same on every page but for SITEURL, so rendered once per SITEURL
  (a page's depth) and reused (docs/performance.md). They see the
  site-wide context only (settings, main_nav), never a page's own variables.
  ``site_chrome("side", SITEURL, code)``: the catalogue beside a column or document page, once per
  column.
* ``{{ PSB_NUMBER|digits }}``: the digits of a text (the 公安备案 number in the footer's link), in
  one regular-expression call instead of Jinja's ``select`` filter character by character.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup
from pelican import signals

from domain.defaults import setting

SKIP_MINIFY = ("search/", "admin/")  # generated data scripts and Decap's bundle are already compact


@cache
def _digest(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:8]


NOT_DIGITS = re.compile(r"[^0-9]")
# What would end or change a URL path if written as it is (Chinese stays readable: browsers take
# it).
URL_BREAKING = re.compile(r"[%#?\s\"'<>\\^`{|}]")


def digits(text) -> str:
    return NOT_DIGITS.sub("", str(text))


def url_path(text) -> str:
    """A file's path for an href: the characters that would cut or change the URL
    percent-encoded."""
    return URL_BREAKING.sub(lambda m: quote(m.group(0), safe=""), str(text))


def on_generator_init(generator):
    static = Path(generator.theme) / "static"

    def fingerprint(name: str) -> str:
        path = static / name
        return f"{name}?v={_digest(str(path), path.stat().st_mtime)}" if path.is_file() else name

    generator.env.filters["fingerprint"] = fingerprint
    generator.env.filters["digits"] = digits
    generator.env.filters["url_path"] = url_path
    generator.env.globals["site_chrome"] = SiteChrome(generator)


class SiteChrome:
    """``site_chrome(part, SITEURL, current="")``: ``components/<part>.html`` rendered with the
    generator's context (site-wide, final by the time pages are written), this SITEURL and
    ``current`` (a column code, for the catalogue beside a page), once per build."""

    def __init__(self, generator):
        self.generator, self.rendered = generator, {}

    def __call__(self, part: str, site_url: str, current: str = "") -> Markup:
        html = self.rendered.get((part, site_url, current))
        if html is None:
            template = self.generator.env.get_template(f"components/{part}.html")
            html = self.rendered[part, site_url, current] = Markup(
                template.render(self.generator.context, SITEURL=site_url, current=current)
            )
        return html


def on_finalized(pelican):
    settings, output = pelican.settings, Path(pelican.output_path)
    if setting(settings, "ROBOTS_TXT") is not None:
        site_url = settings.get("SITEURL", "")
        text = settings["ROBOTS_TXT"].rstrip("\n") + "\n"
        if site_url:
            text += f"Sitemap: {site_url}/sitemap.xml\n"
        (output / "robots.txt").write_text(text, encoding="utf-8")
    if setting(settings, "MINIFY"):
        minify_tree(output)


def minified(name: str, text: str) -> str:
    """``text`` minified as its file name says (HTML, CSS or JS)."""
    import minify_html
    import rcssmin
    import rjsmin

    if name.endswith(".html"):
        return minify_html.minify(
            text,
            minify_css=True,
            minify_js=True,
            keep_closing_tags=True,
            keep_html_and_head_opening_tags=True,
        )
    if name.endswith(".css"):
        return rcssmin.cssmin(text)
    if name.endswith(".js"):
        return rjsmin.jsmin(text)
    return text


def minify_tree(output: Path) -> None:
    for folder, _, files in os.walk(output):
        for name in files:
            path = Path(folder) / name
            rel = path.relative_to(output).as_posix()
            if rel.startswith(SKIP_MINIFY) or "vendor/" in rel:
                continue
            if (
                path.stat().st_nlink > 1
            ):  # reused from the previous build (already minified); never write through
                continue
            if not name.endswith((".html", ".css", ".js")):
                continue
            text = minified(name, path.read_text(encoding="utf-8"))
            fresh = path.with_name(f".{name}.min")
            fresh.write_text(text, encoding="utf-8")
            os.replace(fresh, path)


def register():
    signals.generator_init.connect(on_generator_init)
    signals.finalized.connect(on_finalized)

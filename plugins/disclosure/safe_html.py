"""What HTML an editor's content may publish, judged as a browser would read it.

Bodies are Markdown, and Markdown lets raw HTML through; feeds carry the same HTML. Three rules
make that safe:

* Markup is judged on the tree a browser builds, never on the text: raw HTML is parsed with
  html5lib (the WHATWG parsing algorithm), so ``<!--><script>…`` and ``<![CDATA[><script>…`` are
  the script elements a browser sees, and are refused.
* URLs are judged as a browser resolves them: entities decoded (``javascript&#58;``), spaces and
  control characters removed, then the scheme read.
* What is kept is serialised again and passed through ammonia (``nh3``, an allow-list sanitiser on
  html5ever) with the same lists, so nothing the first two rules missed reaches a page or a feed.
"""

from __future__ import annotations

import html as html_lib
import re

import nh3
from markdown.treeprocessors import Treeprocessor

from domain.published_files import INTRASITE, SCHEME, implied_form

# Tags a body may contain; anything else that cannot run code is unwrapped (its text kept).
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "code",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "s",
        "del",
        "ins",
        "mark",
        "small",
        "sup",
        "sub",
        "abbr",
        "span",
        "div",
        "a",
        "img",
        "table",
        "caption",
        "colgroup",
        "col",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "figure",
        "figcaption",
    }
)
ALLOWED_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "alt",
        "title",
        "class",
        "id",
        "colspan",
        "rowspan",
        "scope",
        "headers",
        "width",
        "height",
        "lang",
        "start",
        "type",
    }
)
# What our own steps add (table boxes), harmless when an editor writes them.
GENERATED_ATTRIBUTES = frozenset({"tabindex", "role", "aria-label", "aria-hidden", "download"})
# Tags that run code, load something or change the page: an error, removed with their content.
DANGEROUS_TAGS = frozenset(
    {
        "script",
        "iframe",
        "object",
        "embed",
        "frame",
        "frameset",
        "applet",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "style",
        "link",
        "meta",
        "base",
        "svg",
        "math",
        "template",
        "noscript",
        "portal",
        "xmp",
        "plaintext",
        "noembed",
        "noframes",
        "title",
        "isindex",
        "keygen",
        "audio",
        "video",
        "source",
        "track",
        "picture",
        "dialog",
    }
)
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "poster",
        "background",
        "cite",
        "longdesc",
        "data",
        "srcset",
        "xlink:href",
        "ping",
    }
)
# Browsers drop tabs and newlines anywhere in a URL, and blanks around it: all are dropped here.
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def browser_url(value: str) -> str:
    """A URL attribute as a browser reads it: character references decoded, blanks removed."""
    return INVISIBLE.sub("", html_lib.unescape(value))


def url_scheme(value: str) -> str:
    """The scheme a browser would see in ``value`` ("" for a relative URL), in lower case."""
    found = SCHEME.match(browser_url(value))
    return found.group(0)[:-1].lower() if found else ""


def judge_attribute(tag: str, name: str, value: str) -> tuple[bool, str]:
    """(keep it?, the problem an editor must fix or "") for one attribute of an allowed tag."""
    name = name.lower()
    if name.startswith("on"):
        return False, f"正文中不允许使用事件属性 {name}（可能执行代码）：请删除"
    if name in URL_ATTRIBUTES:
        scheme, url = url_scheme(value), browser_url(value)
        if scheme and scheme not in SAFE_SCHEMES:
            return False, (
                f"正文中的链接 {value[:40]} 使用了不安全的协议 {scheme}:"
                "：只能用 http、https、mailto、tel 或相对地址"
            )
        if name == "src" and (scheme or url.startswith(("//", "\\\\", "/\\", "\\/"))):
            return False, (
                f"正文中的图片 {value[:60]} 来自其他网站：网站不从其他网站加载内容，"
                "请把图片保存下来放在文档旁边，写成 ![说明](文件名)"
            )
    if name == "style" and re.search(
        r"expression|javascript|url\s*\(|@import|behavior", html_lib.unescape(value), re.IGNORECASE
    ):
        return False, "正文中的 style 属性含有脚本或外部地址：请删除"
    return name in ALLOWED_ATTRIBUTES or name in GENERATED_ATTRIBUTES, ""


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    keep, _ = judge_attribute(tag, name, value)
    return value if keep else None


def clean(html: str) -> str:
    """The final allow-list pass (ammonia): what a page or a feed may carry of an editor's HTML."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DANGEROUS_TAGS),
        attributes={"*": ALLOWED_ATTRIBUTES | GENERATED_ATTRIBUTES},
        attribute_filter=_attribute_filter,
        url_schemes=set(SAFE_SCHEMES),
        strip_comments=True,
        link_rel=None,
    )


# Pelican's intrasite link forms ({static}x.pdf, |attach|x.png…): what they name is published.
LINK_ATTRIBUTE = {"a": "href", "img": "src"}


def local_reference(url: str) -> bool:
    """Whether a link names something on this site by path (a file, a document): an intrasite
    form, or a relative or root-relative URL; not a fragment, another site or a mail address."""
    url = browser_url(url)
    if not url or url.startswith("#"):
        return False
    return INTRASITE.match(url) is not None or (not url_scheme(url) and not url.startswith("//"))


ATTACH = re.compile(r"^(?:\{attach\}|\|attach\|)")


def file_link(url: str, picture: bool = False) -> str:
    """A body link as Pelican should resolve it. ``{attach}`` becomes ``{static}``: Pelican would
    move the file beside the page, away from where the 附件 list links it. A plain path to a
    picture or a file (``chart.png``, ``report.pdf`` beside the document, ``/files/x.png`` under
    content/) becomes ``{static}…``, one to a document (``notice.md``) ``{filename}…``, so that the
    page, wherever it is written, links what is published (:func:`published_files.implied_form`)."""
    if ATTACH.match(url):
        return "{static}" + ATTACH.sub("", url)
    form = implied_form("img" if picture else "a", url)
    return "{" + form + "}" + url if form else url


def sanitise_html(html: str) -> tuple[str, list[str], list[tuple[str, str]]]:
    """A body with raw HTML, parsed as a browser parses it inside a page's ``<body>``, the rules
    applied, serialised again and passed through :func:`clean`: (html, problems, references)."""
    from bs4 import BeautifulSoup  # only bodies with raw HTML need it: not imported at start-up

    soup = BeautifulSoup("<body>" + html, "html5lib")
    problems = sanitise(soup, soup.body)
    references = []  # as written (the lines are found by it), then made what Pelican resolves
    for tag in soup.body.find_all(["a", "img"]):
        attribute = LINK_ATTRIBUTE[tag.name]
        url = tag.get(attribute, "")
        if local_reference(url):
            references.append((tag.name, url))
        if url:
            tag[attribute] = file_link(url, picture=tag.name == "img")
    return clean(soup.body.decode_contents()), problems, references


def sanitise(soup, root) -> list[str]:
    """Enforce the allow-list in place under ``root``; return the problems that stop the build.

    Comments, CDATA sections and processing instructions are dropped: a browser never shows them,
    and they are how markup hides from other parsers."""
    from bs4.element import NavigableString

    for node in list(soup.descendants):
        if isinstance(node, NavigableString) and type(node).__name__ in (
            "Comment",
            "CData",
            "ProcessingInstruction",
            "Declaration",
            "Doctype",
        ):
            node.extract()
    problems = []
    for tag in root.find_all(True):
        if tag.decomposed or tag.parent is None:  # inside something already removed
            continue
        if tag.name in DANGEROUS_TAGS:
            problems.append(f"正文中不允许使用 <{tag.name}> 标签（可能执行代码或改变页面）：请删除")
            tag.decompose()
            continue
        if tag.name not in ALLOWED_TAGS:
            tag.unwrap()  # keep the text, drop the unknown markup (e.g. Word's <font>)
            continue
        for name in list(tag.attrs):
            value = " ".join(tag[name]) if isinstance(tag[name], list) else str(tag[name])
            keep, problem = judge_attribute(tag.name, name, value)
            if problem:
                problems.append(problem)
            if not keep:
                del tag[name]
    return problems


class SafeTree(Treeprocessor):
    """The attribute and URL rules on Markdown's final tree: after attribute lists
    (``{: onclick=…}``) and after Markdown restores backslash escapes, so it judges what is
    serialised. Sets, on the converter, ``gk_safety`` (problems), ``gk_references`` ((tag, url)
    of local links, as written) and
    ``gk_raw`` (the body has raw HTML, which :func:`sanitise_html` judges after serialisation)."""

    def run(self, root):
        md = self.md
        md.gk_raw = bool(md.htmlStash.rawHtmlBlocks)
        md.gk_safety, md.gk_references = [], []
        for element in root.iter():
            for name in list(element.attrib):
                keep, problem = judge_attribute(element.tag, name, element.attrib[name])
                if problem:
                    md.gk_safety.append(problem)
                if not keep:
                    del element.attrib[name]
            attribute = LINK_ATTRIBUTE.get(element.tag)
            url = element.get(attribute, "") if attribute else ""
            if local_reference(url):
                md.gk_references.append((element.tag, url))
            if url:
                element.set(attribute, file_link(url, picture=element.tag == "img"))


def register(md) -> None:
    """Add :class:`SafeTree` to a converter, after every other tree processor ("unescape" is 0)."""
    md.treeprocessors.register(SafeTree(md), "gk_safe", -10)

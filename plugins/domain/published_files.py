"""Which files of the content folder a document may publish, and why any other is refused.

A file is published only when it is inside ``content/`` (its real path, links resolved), is a
regular file, is not of a kind a browser could run (HTML, SVG, XML, script, a document's own
Markdown, the site's configuration), and a published document lists it (附件, 数据表) or shows it as
a picture in its body. A body that links a file it does not list, or names anything else, is an
error with the document and line. The build publishes exactly this set (``plugin``), whatever
Pelican found in the bodies, and the site check's publish gate checks the built site against it.
"""

from __future__ import annotations

import html as html_lib
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .problems import ERROR, Problem

# Served as a page or run by a browser whatever the server says: never published from content/.
REFUSED_EXTENSIONS = frozenset(
    {
        "html",
        "htm",
        "shtml",
        "xhtml",
        "xht",
        "mht",
        "mhtml",
        "svg",
        "svgz",
        "xml",
        "xsl",
        "xslt",
        "js",
        "mjs",
        "cjs",
        "css",
        "swf",
        "hta",
        "wasm",
        "jsp",
        "php",
        "asp",
        "aspx",
        "md",
        "markdown",
        "yml",
        "yaml",
        "appcache",
        "manifest",
        "webmanifest",
        "vbs",
        "wsf",
        "jar",
        "exe",
        "msi",
        "bat",
        "cmd",
        "ps1",
        "sh",
        "lnk",
        "url",
    }
)
# What a body may show as a picture.
PICTURE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp", "bmp"})
# The first bytes of a file a browser would take for HTML or XML (WHATWG MIME sniffing patterns).
SNIFFED_MARKUP = re.compile(
    rb"^(?:\xef\xbb\xbf)?[\t\n\x0c\r ]*"
    rb"<(?:!doctype html|html|head|script|iframe|h1|div|font|table|a|"
    rb"style|title|b|body|br|p|!--|\?xml|svg|rdf:rdf|rss|feed|object|embed|meta|link|img|form)"
    rb"(?:[\t\n\x0c\r >/]|$)",
    re.IGNORECASE,
)
INTRASITE = re.compile(r"^(?:\{(\w+)\}|\|(\w+)\|)")
# Raster pictures by their first bytes (their declared type is whatever the file claims).
PICTURE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
)


def picture_kind(data: bytes) -> str:
    """The extension of a raster picture from its bytes ("png", "jpg"…), or "" for anything else."""
    for signature, kind in PICTURE_SIGNATURES:
        if data.startswith(signature):
            return kind
    return "webp" if data[:4] == b"RIFF" and data[8:12] == b"WEBP" else ""


PUBLISHING_FORMS = {"static", "attach", "filename"}  # forms that name a file of the content folder


# Where the site's own files are written (scripts among them, which the CSP trusts by path):
# nothing from content/ may be published there.
RESERVED_FOLDERS = frozenset({"theme", "search", "feeds", "admin", "forms", "catalogue"})


PAGE_EXTENSIONS = frozenset({"html", "htm"})
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


def implied_form(tag: str, url: str) -> str:
    """The intrasite form a plain relative link is read as: a picture's path and a link to a file
    (``report.pdf`` beside the document, ``/files/x.xlsx``) are ``{static}`` links, a link to a
    document's Markdown (``notice.md``) a ``{filename}`` link. "" for anything else: a fragment,
    another site, a page of the built site (``../columns/news.html``), a folder."""
    if not url or url.startswith(("#", "//")) or INTRASITE.match(url) or SCHEME.match(url):
        return ""
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if tag == "img":
        return "static" if path else ""
    if extension in ("md", "markdown"):
        return "filename"
    return "static" if extension and extension not in PAGE_EXTENSIONS else ""


def refusal(path: Path, rel: str, allowed: frozenset[str] = frozenset()) -> str:
    """Why ``path`` (content-relative ``rel``) may not be published, or "" when it may.
    ``allowed`` names files a technician has reviewed (setting PUBLISH_REVIEWED_FILES)."""
    parts = rel.split("/")
    if len(parts) > 1 and parts[0].lower() in RESERVED_FOLDERS:
        return (
            f"content/{parts[0]}/ 是网站自身文件（脚本、检索数据、订阅、申请表、目录数据）"
            "使用的位置，其中的文件不能发布"
        )
    if rel in allowed:
        return ""
    if any(part.startswith(".") for part in parts):
        return "隐藏文件（名称以“.”开头）不能发布"
    extension = rel.rsplit(".", 1)[-1].lower() if "." in parts[-1] else ""
    if extension in REFUSED_EXTENSIONS:
        return (
            f".{extension} 文件不能发布（浏览器会把它当作网页或程序运行，或它是网站自己的源文件）"
        )
    try:
        with open(path, "rb") as handle:
            head = handle.read(512)
    except OSError:
        return ""  # existence is checked by the caller
    if SNIFFED_MARKUP.match(head):
        return "文件内容是网页或 XML 代码，浏览器可能把它当作网页运行，不能作为附件发布"
    return ""


def inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def resolve(url: str, source: str, root: Path, real_root: Path) -> tuple[str, str, str]:
    """(form, content-relative path, problem) of a local link in document ``source``.

    ``form`` is Pelican's intrasite form ("static", "filename"…), or "" for a plain relative URL."""
    url = html_lib.unescape(url).strip()
    form = ""
    found = INTRASITE.match(url)
    if found:
        form = (found.group(1) or found.group(2)).lower()
        url = url[found.end() :]
    path = unquote(urlsplit(url).path)
    if not path:
        return form, "", ""
    if path.startswith("/"):
        joined = posixpath.normpath(path.lstrip("/"))
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if joined == ".." or joined.startswith("../") or os.path.isabs(joined) or "\x00" in joined:
        return form, "", "正文中的链接指向 content 文件夹以外的位置"
    target = root / joined
    try:
        real = Path(os.path.realpath(target))
    except (OSError, ValueError):
        return form, "", "正文中的链接无法解析"
    if not inside(real, real_root):
        return form, joined, "正文中的链接指向 content 文件夹以外的位置（或指向外面的快捷方式）"
    return form, joined, ""


def check_body_files(
    doc, references, site, body_line: int = 1, reviewed: frozenset[str] = frozenset()
) -> tuple[tuple[str, ...], list[Problem]]:
    """The pictures a document's body shows (content-relative paths, to publish) and the problems
    of its local links. ``references``: (tag, url, line in the body or 0) from the rendered body."""
    root, real_root = site.content_root, site.real_content_root
    listed = {a.source for a in doc.attachments + doc.data_tables}
    pictures, problems = [], []
    here = posixpath.dirname(doc.source) or "."

    def problem(url, line, message, hint):
        at = body_line + line - 1 if line else 0
        problems.append(Problem(doc.source, at, ERROR, "正文", message, url[:120], hint))

    for tag, url, line in references:
        form, rel, trouble = resolve(url, doc.source, root, real_root)
        form = form or implied_form(tag, url)
        if not form:
            # a plain link to a page: relative to the page on the built site (checked there)
            continue
        if trouble:
            problem(url, line, trouble, "把文件复制到 content 文件夹里、文档旁边，再写文件名")
            continue
        if not rel or (form and form not in PUBLISHING_FORMS):
            continue  # {category}, {index}…: pages Pelican makes, no file
        path = root / rel
        if form == "filename" and rel.rsplit(".", 1)[-1].lower() in ("md", "markdown"):
            if not path.is_file():
                problem(url, line, "正文链接的文档不存在", "核对文件名（区分大小写）")
            continue  # a link to another document's page
        if not path.is_file():
            problem(
                url,
                line,
                "找不到正文中链接的文件",
                f"把文件放到 {here}/ 下，并核对文件名（区分大小写）",
            )
            continue
        why = refusal(path, rel, reviewed)
        if why:
            problem(url, line, why, "删除这个链接；需要公开的内容请转成 PDF 等格式作为附件")
            continue
        if tag == "img":
            if rel.rsplit(".", 1)[-1].lower() not in PICTURE_EXTENSIONS and rel not in reviewed:
                problem(
                    url,
                    line,
                    "正文中的图片只能是 PNG、JPG、GIF、WebP 或 BMP 文件",
                    "把图片另存为 PNG 或 JPG",
                )
                continue
            pictures.append(rel)
        elif form and rel not in listed:
            problem(
                url,
                line,
                "正文链接的文件没有写进“附件”：只有写进附件的文件才会发布",
                f"在文件头的“附件”中加上一行“  - {posixpath.relpath(rel, here)}”",
            )
    return tuple(dict.fromkeys(pictures)), problems

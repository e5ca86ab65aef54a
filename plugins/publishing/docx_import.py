"""Word/WPS import: turn a ``.docx`` notice into a document with front matter (``invoke import-docx``).

mammoth converts the body (headings, lists, tables) to HTML, which Markdown keeps as is; images are
saved beside the new document as attachments. Title, 文号 and date are read from the text where they
can be; everything that could not be converted is reported.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from pathlib import Path

import mammoth

from disclosure.published_files import picture_kind

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（]\d{4}[〕\]］)）]\d+号")
CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


@dataclass
class Imported:
    path: Path
    title: str
    doc_number: str
    date: str
    attachments: list = field(default_factory=list)  # pictures saved beside it (shown in the body)
    messages: list = field(default_factory=list)  # what could not be converted, in Chinese
    written_on: str = ""  # 成文日期 read from the document (the 落款), "" when none was found


OLD_FORMATS = {".doc": "旧版 Word 文档（.doc）", ".wps": "WPS 文字文档（.wps）", ".rtf": "RTF 文档",
               ".pdf": "PDF 文件", ".odt": "OpenDocument 文档（.odt）"}


def unsupported(source: Path) -> str:
    """Why ``source`` cannot be imported, in Chinese, or "" when it can be."""
    if not source.exists():
        return f"找不到文件“{source}”：请核对路径"
    suffix = source.suffix.lower()
    if suffix in OLD_FORMATS:
        return (f"“{source.name}”是{OLD_FORMATS[suffix]}，不能直接导入：请用 Word 或 WPS 打开它，选择"
                "“文件 → 另存为”，保存类型选“Word 文档（*.docx）”，再导入另存的 .docx 文件")
    if suffix != ".docx":
        return f"“{source.name}”不是 Word 文档（.docx），不能导入"
    return ""


def import_docx(source: Path, target_dir: Path, column: str, index: str, today: str) -> Imported:
    stem = index.replace("/", "-").lower() if index else re.sub(r"\W+", "-", source.stem).strip("-").lower()
    attachments = []

    skipped = []

    def save_image(image):
        # The part's declared type is the file's word, not its bytes: only a raster picture
        # identified by its bytes is saved (an "image/html" part would become a page that runs).
        with image.open() as data:
            raw = data.read()
        extension = picture_kind(raw)
        if not extension:
            skipped.append(image.content_type or "未知类型")
            return {}
        name = f"{stem}-image{len(attachments) + 1}.{extension}"
        (target_dir / name).write_bytes(raw)
        attachments.append(name)
        return {"src": name, "alt": image.alt_text or f"图{len(attachments)}"}

    target_dir.mkdir(parents=True, exist_ok=True)
    with open(source, "rb") as handle:
        result = mammoth.convert_to_html(handle, convert_image=mammoth.images.img_element(save_image))
    html = result.value
    text = re.sub(r"<[^>]+>", "\n", html)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    heading = re.search(r"<h1>(.*?)</h1>", html) or re.search(r"<p><strong>(.*?)</strong></p>", html)
    title = html_lib.unescape(re.sub(r"<[^>]+>", "", heading.group(1)) if heading
                              else (lines[0] if lines else source.stem))
    if heading:
        html = html.replace(heading.group(0), "", 1)  # the title is in the front matter, not the body
    number = DOC_NUMBER.search(text)
    dates = CHINESE_DATE.findall(text)
    # 成文日期 is the signing date (the last date, in the 落款); 发文日期 is the publication date,
    # today unless the editor changes it, and the 索引号 (made for today) follows it.
    signed = f"{int(dates[-1][0]):04d}-{int(dates[-1][1]):02d}-{int(dates[-1][2]):02d}" if dates else ""
    messages = [f"未能转换：{m.message}" for m in result.messages]
    messages += [f"文档中有一张图片不是 PNG、JPG、GIF、WebP 或 BMP 图片（声明的类型：{kind}），没有导入："
                 "请在 Word 中把它另存为 PNG 图片后作为附件添加" for kind in skipped]
    if not number:
        messages.append("正文中没有找到文号，请在“文号”一栏手工填写（没有文号的留空）")
    if not dates:
        messages.append("正文中没有找到成文日期，请在“成文日期”一栏手工填写")
    front = ["---", "# 由 invoke import-docx 从 " + source.name + " 转换，请核对每一项",
             f"名称: {title}", f"索引号: {index}", f"栏目: {column}",
             "# 发文日期是在本网站公开的日期（默认今天），索引号中的年月随它；成文日期是文件落款的日期",
             f"发文日期: {today}", f"成文日期: {signed}", f"文号: {number.group(0) if number else ''}",
             "关键词:", "内容概述:", "审核人:", "审核日期:"]
    # Pictures stay in the body, published with the page; they are not downloads (附件).
    front.append("---")
    body = "\n".join(front) + "\n\n" + html.replace("</p>", "</p>\n").replace("</table>", "</table>\n") + "\n"
    path = target_dir / f"{stem}.md"
    path.write_text(body, encoding="utf-8")
    return Imported(path, title, number.group(0) if number else "", today, attachments, messages, signed)

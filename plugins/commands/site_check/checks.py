"""The national website inspection items that a static build can check
(《政府网站与政务新媒体检查指标》).

Each check returns findings as ``Problem``s (file, line, severity, category, message, value, hint).
A single-veto item (单项否决) is an error whose message starts with 【单项否决】.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from disclosure.content import content_files
from domain import published_files
from domain.defaults import setting
from domain.document import read_document
from domain.problems import ERROR, WARNING, Problem
from domain.schema import BY_NAME, SERVICE_ELEMENTS
from domain.site import Site
from domain.validate import validate_collection

from .links import LinkChecker

VETO = "【单项否决】"
FRESHNESS_DAYS = {"dynamic": 14, "notice": 183, "policy": 183}
HOME_DAYS = 14
STALE_VETO, STALE_ANY_VETO, EMPTY_VETO = 5, 10, 5
DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
COMMON_TITLES = (
    "主任",
    "副主任",
    "书记",
    "副书记",
    "厅长",
    "副厅长",
    "局长",
    "副局长",
    "处长",
    "副处长",
    "省长",
    "副省长",
    "巡视员",
    "副巡视员",
    "主席",
    "副主席",
    "秘书长",
    "副秘书长",
    "部长",
    "副部长",
)
SITE_TAGS = ("SiteName", "SiteDomain", "SiteIDCode")
ARTICLE_TAGS = ("ArticleTitle", "PubDate", "ContentSource")
COLUMN_TAGS = ("ColumnName", "ColumnType")


FRESHNESS = "更新"  # the category of findings about timeliness


@dataclass
class Inspection:
    findings: list = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    external: list = field(default_factory=list)  # (page, line, url)
    # Findings about what is not (yet) published: stale or empty columns, a report or final accounts
    # past their date. Reported loudly, they never block publishing, which is how they get fixed.
    freshness: list = field(default_factory=list)

    def add(self, path, line, severity, category, message, value="", hint="", freshness=False):
        problem = Problem(path, line, severity, category, message, str(value), hint)
        self.findings.append(problem)
        if freshness or category == FRESHNESS:
            self.freshness.append(problem)

    @property
    def blocking(self):
        """The errors that make the published site wrong (not merely behind)."""
        return [f for f in self.errors if f not in self.freshness]

    @property
    def errors(self):
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self):
        return [f for f in self.findings if not f.is_error]


def inspect(settings: dict, output: Path, as_of: dt.date, publish: bool = False) -> Inspection:
    """Run every check on the built ``output`` and the content model."""
    site = Site.from_settings(settings)
    results = [read_document(path, site) for path in content_files(settings)]
    documents = [r.document for r in results if r.document.status == "published"]
    sources = {r.document.source: r for r in results}
    run = Inspection()
    checker = LinkChecker(output)
    check_links(run, checker)
    check_freshness(run, checker, site, documents, as_of)
    check_dates(run, site, documents, as_of)
    check_required(run, checker, settings, site, documents, as_of)
    check_final_accounts(run, settings, documents, as_of)
    check_services(run, settings, site, documents, sources)
    check_interpretations(run, documents)
    check_content(run, checker, settings, site, documents, publish)
    check_published_files(run, checker, settings, site, documents)
    check_tags(run, checker)
    run.findings.sort(key=lambda p: (not p.is_error, p.field, p.path, p.line, p.message))
    return run


def check_links(run, checker):
    pages = checker.pages()
    total = broken = external = 0
    per_page = []
    for page in pages:
        links = checker.check_page(page)
        total += links.internal
        external += len(links.external)
        broken += len(links.broken)
        per_page.append(links.internal + len(links.external))
        for line, ref, reason in links.broken:
            run.add(
                links.page,
                line,
                ERROR,
                "链接",
                f"链接失效：{reason}",
                ref,
                "改正链接，或补上缺少的文件",
            )
        run.external += [(links.page, line, url) for line, url in links.external]
    run.stats.update(
        pages=len(pages),
        internal_links=total,
        external_links=external,
        broken_links=broken,
        broken_ratio=round(broken / total, 4) if total else 0.0,
        links_per_page_max=max(per_page, default=0),
        links_per_page_mean=round(sum(per_page) / len(per_page), 1) if per_page else 0,
    )


def _newest_by_node(site, documents):
    newest = {}
    for node in site.catalogue.nodes:
        codes = {n.code for n in node.walk()}
        dates = [d.date.date() for d in documents if d.column in codes and d.date]
        newest[node.code] = max(dates) if dates else None
    return newest


def check_freshness(run, checker, site, documents, as_of):
    home = checker.output / "index.html"
    if home.is_file():
        dates = [
            dt.date(*map(int, m.groups())) for m in DATE.finditer(home.read_text(encoding="utf-8"))
        ]
        dates = [d for d in dates if d <= as_of]
        newest = max(dates, default=None)
        if newest is None or (as_of - newest).days > HOME_DAYS:
            run.add(
                "index.html",
                0,
                ERROR,
                "更新",
                f"{VETO}首页 {HOME_DAYS} 天内没有新信息（最新 {newest or '无'}，检查日期 {as_of}）",
                hint="发布新的动态或通知公告",
            )
    newest = _newest_by_node(site, documents)
    stale, empty = [], []
    for node in site.catalogue.nodes:
        if node.kind != "list":
            continue
        if newest[node.code] is None:
            empty.append(node)
            continue
        limit = FRESHNESS_DAYS.get(node.update)
        if limit and (as_of - newest[node.code]).days > limit:
            stale.append((node, limit))
    for node, limit in stale:
        run.add(
            f"catalogue.yml#{node.code}",
            0,
            WARNING,
            "更新",
            f"栏目“{node.path_name}”超过 {limit} 天未更新（最新 {newest[node.code]}）",
            node.update,
            "按栏目更新要求发布信息，或核对 update 分类",
        )
    for node in empty:
        run.add(
            f"catalogue.yml#{node.code}",
            0,
            WARNING,
            "更新",
            f"栏目“{node.path_name}”是空白栏目",
            "",
            "发布信息，或从目录中删除该栏目",
        )
    if len(stale) >= STALE_VETO:
        run.add(
            "catalogue.yml",
            0,
            ERROR,
            "更新",
            f"{VETO}动态类、通知公告类、政策文件类栏目中有 {len(stale)} 个未按时更新（达到 "
            f"{STALE_VETO} 个即否决）",
        )
    if len(stale) >= STALE_ANY_VETO:
        run.add(
            "catalogue.yml",
            0,
            ERROR,
            "更新",
            f"{VETO}应更新未更新的栏目有 {len(stale)} 个（达到 {STALE_ANY_VETO} 个即否决）",
        )
    if len(empty) >= EMPTY_VETO:
        run.add(
            "catalogue.yml",
            0,
            ERROR,
            "更新",
            f"{VETO}空白栏目有 {len(empty)} 个（达到 {EMPTY_VETO} 个即否决）",
        )
    run.stats.update(stale_columns=len(stale), empty_columns=len(empty))


def check_dates(run, site, documents, as_of):
    for doc in documents:
        if doc.date is None:
            run.add(doc.source, 1, ERROR, "日期", "缺少发文日期")
            continue
        if doc.date.date() > as_of:
            run.add(
                doc.source,
                doc.line("date"),
                ERROR,
                "日期",
                f"发文日期 {doc.date.date()} 晚于检查日期 {as_of}",
                hint="不得伪造发稿日期：核对年份",
            )
        publisher = site.publishers.find(doc.publisher) if doc.publisher else None
        if publisher and publisher.founded and doc.date.date().isoformat() < publisher.founded:
            run.add(
                doc.source,
                doc.line("date"),
                ERROR,
                "日期",
                f"发文日期 {doc.date.date()} 早于发布机构成立日期 {publisher.founded}",
                hint="核对日期或发布机构",
            )


def _find_node(site, settings, key, name):
    code = settings.get(key)
    if code:
        return site.catalogue.by_code.get(code)
    return next((n for n in site.catalogue.nodes if n.name == name), None)


# What the home page's footer must show: (pattern, message when missing, the setting that gives it)
FOOTER_MARKS = (
    (r"网站标识码[:：]\s*\d{10}\b", "页脚没有 10 位网站标识码", "SITE_ID_CODE"),
    (r"ICP备\s*\d+号", "页脚没有 ICP 备案号", "ICP_NUMBER"),
    (r"公网安备\s*\d+号", "页脚没有公安机关备案号", "PSB_NUMBER"),
)


def check_required(run, checker, settings, site, documents, as_of):
    home = checker.output / "index.html"
    text = home.read_text(encoding="utf-8") if home.is_file() else ""
    footer = re.search(r"<footer.*?</footer>", text, re.S)
    footer = footer.group(0) if footer else ""
    for pattern, missing, name in FOOTER_MARKS:
        if not re.search(pattern, footer):
            run.add(
                "index.html", 0, ERROR, "必备要素", missing, hint=f"在 pelicanconf.py 中设置 {name}"
            )
    for page in checker.pages():
        foot = checker.soup(page).find("footer")
        if foot is None or not any(
            a.get_text(strip=True) == "网站地图" for a in foot.find_all("a")
        ):
            run.add(
                page.relative_to(checker.output).as_posix(),
                0,
                ERROR,
                "必备要素",
                "页脚没有“网站地图”链接",
            )
    for required, what in (("sitemap.html", "网站地图页面"), ("search.html", "站内搜索页面")):
        if not (checker.output / required).is_file():
            run.add(required, 0, ERROR, "必备要素", f"缺少{what}")
    for key, name in (
        ("SITE_CHECK_APPLICATION_COLUMN", "依申请公开"),
        ("SITE_CHECK_GUIDE_COLUMN", "信息公开指南"),
    ):
        node = _find_node(site, settings, key, name)
        if node is None or not any(d.column == node.code for d in documents):
            run.add(
                "catalogue.yml",
                0,
                ERROR,
                "必备要素",
                f"缺少“{name}”页面或其内容",
                hint=f"在目录中保留“{name}”栏目并发布其内容",
            )
    reports = {d.report_year for d in documents if d.report_year}
    due = as_of.year - 1 if as_of > dt.date(as_of.year, 1, 31) else as_of.year - 2
    if not reports:
        run.add(
            "catalogue.yml",
            0,
            ERROR,
            "必备要素",
            "没有任何政府信息公开工作年度报告",
            freshness=True,
        )
    elif due not in reports:
        run.add(
            "catalogue.yml",
            0,
            ERROR,
            "必备要素",
            f"{due} 年度的政府信息公开工作年度报告应于 {due + 1} 年 1 月 31 日前发布，但本站没有",
            hint="发布该年度年报（栏目：政府信息公开年报，写明报告年度）",
            freshness=True,
        )


def final_accounts_due(settings, year: int) -> dt.date:
    """When a fiscal year's 部门决算 should be public: FINAL_ACCOUNTS_DUE ("MM-DD") of the next year
    (default 09-30: final accounts are approved in the summer and published within 20 days)."""
    month, day = (int(x) for x in str(setting(settings, "FINAL_ACCOUNTS_DUE")).split("-"))
    return dt.date(year + 1, month, day)


def check_final_accounts(run, settings, documents, as_of):
    """A year whose 部门预算 is on the site needs its 部门决算 too, once the usual deadline has
    passed."""
    budgets = {}
    for doc in documents:
        if doc.budget_kind == "部门预算" and doc.fiscal_year:
            budgets.setdefault(doc.fiscal_year, doc)
    accounts = {doc.fiscal_year for doc in documents if doc.budget_kind == "部门决算"}
    for year, budget in sorted(budgets.items()):
        due = final_accounts_due(settings, year)
        if year not in accounts and as_of > due:
            run.add(
                budget.source,
                budget.line("fiscal_year"),
                ERROR,
                "财政预决算",
                f"{year} 年度部门预算已公开，但部门决算应于 {due.isoformat()} 前公开，本站没有",
                str(year),
                f"发布 {year} 年度部门决算（写“预决算年度: {year}”和“预决算类别: 部门决算”）",
                freshness=True,
            )


def _headings(body: str) -> str:
    return "\n".join(
        line.lstrip("#").strip() for line in body.splitlines() if line.lstrip().startswith("#")
    )


def check_services(run, settings, site, documents, sources):
    node = _find_node(site, settings, "SITE_CHECK_SERVICE_GUIDE_COLUMN", "办件指南")
    if node is None:
        return
    for doc in documents:
        if doc.column != node.code:
            continue
        headings = _headings(sources[doc.source].body)
        missing = [
            BY_NAME[name].label
            for name in SERVICE_ELEMENTS
            if name not in doc.service and BY_NAME[name].label not in headings
        ]
        if missing:
            run.add(
                doc.source,
                1,
                ERROR,
                "办事服务",
                "办件指南缺少要素：" + "、".join(missing),
                hint="在文件头写“要素名: 内容”，或在正文中用“## 要素名”小标题写出",
            )


def check_interpretations(run, documents):
    for problem in validate_collection(documents):  # also links each 解读 to its policy
        if problem.field == "解读对象":
            run.add(
                problem.path,
                problem.line,
                ERROR,
                "政策解读",
                problem.message,
                problem.value,
                problem.hint,
            )
    explained = {d.interprets_source for d in documents if d.interprets_source}
    for doc in documents:
        if doc.needs_interpretation and doc.source not in explained:
            run.add(
                doc.source,
                doc.line("needs_interpretation"),
                WARNING,
                "政策解读",
                "标注“需要解读”的政策文件还没有解读",
                hint="发布解读文件，并在其中写“解读对象”",
            )


GENERATED_FILES = {
    "catalogue.json",
    "catalogue.csv",
    "sitemap.xml",
    "robots.txt",
    "CNAME",
    ".nojekyll",
}


def check_published_files(run, checker, settings, site, documents):
    """The publish gate's own look at what was published: apart from pages and the site's own
    files, every file of the built site is, byte for byte, an attachment or data table a published
    document lists, or a picture a page shows; never a link, and never of a kind a browser runs."""
    reviewed = site.reviewed_files
    listed = set()
    for doc in documents:
        for item in doc.attachments + doc.data_tables + doc.photo:
            path = site.content_root / item.source
            if path.is_file() and published_files.inside(path.resolve(), site.real_content_root):
                listed.add(hashlib.sha256(path.read_bytes()).hexdigest())
    shown = set()
    for page in checker.pages():
        for img in checker.soup(page).find_all("img"):
            src = urlsplit(img.get("src") or "").path
            if src and not re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
                shown.add(os.path.normpath(os.path.join(os.path.dirname(page), unquote(src))))
    output = checker.output
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        # the site's own folders are those no document may publish into
        own = (
            rel.split("/")[0] in published_files.RESERVED_FOLDERS
            or rel in GENERATED_FILES
            or re.fullmatch(r"sitemap-\d+\.xml", rel) is not None  # a large site's sitemap parts
        )
        if rel.endswith(".html") or own:
            continue
        if path.is_symlink():
            message = "发布的网站中有指向其他位置的链接（快捷方式）"
        elif path.is_dir():
            continue
        else:
            message = published_files.refusal(path, rel, reviewed)
            extension = rel.rsplit(".", 1)[-1].lower()
            picture = str(path) in shown and extension in published_files.PICTURE_EXTENSIONS
            if (
                not (message or picture)
                and hashlib.sha256(path.read_bytes()).hexdigest() not in listed
            ):
                message = "这个文件不是任何已发布文档的附件、数据表或正文图片，不应公开"
        if message:
            run.add(
                rel,
                0,
                ERROR,
                "发布",
                message,
                hint="重新生成网站；若仍出现，请把这条信息告诉技术人员",
            )


def check_content(run, checker, settings, site, documents, publish):
    for page in checker.pages():
        for img in checker.soup(page).find_all("img"):
            if img.get("alt") is None:
                run.add(
                    page.relative_to(checker.output).as_posix(),
                    img.sourceline or 0,
                    ERROR,
                    "内容",
                    "图片缺少替代文字（alt）",
                    img.get("src", ""),
                )
    for doc in documents:
        if not (doc.reviewed_by and doc.reviewed_on):
            run.add(
                doc.source,
                1,
                ERROR if publish else WARNING,
                "内容",
                "没有保密审查记录（审核人、审核日期）",
                hint="信息发布前须经保密审查：补写审核人和审核日期",
            )
    words = setting(settings, "SITE_CHECK_SENSITIVE_WORDS")
    leaders = setting(settings, "SITE_CHECK_LEADERS")
    if not words and not leaders:
        return  # nothing configured: no need to read every source file
    titles = sorted(set(COMMON_TITLES) | set(leaders.values()), key=len, reverse=True)
    title_pattern = "|".join(map(re.escape, titles))
    for doc in documents:
        path = site.content_root / doc.source
        for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
            for word in words:
                if word in line:
                    run.add(
                        doc.source,
                        number,
                        WARNING,
                        "内容",
                        f"出现敏感词“{word}”",
                        line.strip()[:60],
                        "核对用词是否恰当",
                    )
            for name, correct in leaders.items():
                for match in re.finditer(
                    rf"(?:({title_pattern})\s*)?{re.escape(name)}(?:\s*({title_pattern}))?", line
                ):
                    used = match.group(2) or match.group(1)
                    if used and used != correct:
                        run.add(
                            doc.source,
                            number,
                            WARNING,
                            "内容",
                            f"“{name}”的职务应为“{correct}”，这里写作“{used}”",
                            line.strip()[:60],
                            "核对领导姓名和职务",
                        )


def check_tags(run, checker):
    for page in checker.pages():
        rel = page.relative_to(checker.output).as_posix()
        soup = checker.soup(page)
        tags = {
            m.get("name"): (m.get("content") or "").strip()
            for m in soup.find_all("meta", attrs={"name": True})
        }
        required = list(SITE_TAGS)
        if rel.startswith("docs/"):
            required += ARTICLE_TAGS
        if rel.startswith("columns/"):
            required += COLUMN_TAGS
        for name in required:
            if not tags.get(name):
                run.add(rel, 0, ERROR, "页面标签", f"缺少页面标签 {name} 或其值为空")
        for name, value in tags.items():
            if name[:1].isupper() and not value:
                run.add(rel, 0, ERROR, "页面标签", f"页面标签 {name} 的值为空")

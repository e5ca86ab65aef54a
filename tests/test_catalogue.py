"""The catalogue: tree and counts, paginated columns, browse-by listings, document pages, feeds,
exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, FixtureSite, broken_links, document

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def budget_doc(n: int) -> str:
    """The n-th of 45 budget documents; dates run from 2014-01-01, one per day."""
    day = dt.date(2014, 1, 1) + dt.timedelta(days=n)
    return document(
        title=f"预算文件{n:02d}",
        index=f"003186648/{day:%Y%m}-{n:05d}",
        column="budget",
        date=day.isoformat(),
        主题分类="财政、金融、审计/财政",
        文号=f"皖外办预〔2014〕{n}号",
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = FixtureSite(tmp_path_factory.mktemp("catalogue"))
    for n in range(1, 46):
        site.write(f"finance/budget-{n:02d}.md", budget_doc(n))
    site.write(
        "news/a.md",
        document(title="部门动态一则", index="003186648/201503-00001", 主题分类="对外事务"),
    )
    site.write(
        "policy/p.md",
        document(
            title="现行政策",
            index="003186648/201404-00001",
            column="policy",
            date="2014-04-15",
            文号="皖外办〔2014〕12号",
            有效性="有效",
            生效日期="2014-05-01",
            发布机构="外事服务中心",
        ).replace("003186648/201404", "12340000003186700K/201404"),
    )
    site.write(
        "policy/old.md",
        document(
            title="过期政策",
            index="003186648/201309-00001",
            column="policy",
            date="2013-09-10",
            有效性="有效",
            生效日期="2013-09-10",
            失效日期="2013-12-31",
        ),
    )
    site.write(
        "policy/gone.md",
        document(
            title="废止政策",
            index="003186648/201305-00001",
            column="policy",
            date="2013-05-10",
            有效性="废止",
        ),
    )
    site.write(
        "interpretation/i.md",
        document(
            title="现行政策的解读",
            index="003186648/201404-00002",
            column="interpretation",
            date="2014-04-16",
            解读对象="皖外办〔2014〕12号",
        ),
    )
    site.write(
        "guide/g.md",
        document(
            title="公开指南",
            index="003186648/201401-00050",
            column="guide",
            date="2014-01-20",
            body="## 获取方式\n\n指南正文。",
        ),
    )
    outcome = site.build(DISCLOSURE_TODAY="2015-06-01")
    assert outcome.ok, outcome.report()
    return site


def soup(site, rel):
    return BeautifulSoup(site.page(rel), "html.parser")


def count_of(page, code):
    """The count beside a column in the page's content (the navigation links show none)."""
    link = page.find("main").find("a", href=lambda h: h and h.endswith(f"columns/{code}.html"))
    return link.find_next_sibling("span", class_="gk-count").get_text()


def test_counts_at_every_level(built):
    page = soup(built, "catalogue/index.html")
    assert (
        count_of(page, "statutory") == "（50 条）"
    )  # 45 budget, 1 news, 3 policies, 1 interpretation
    assert count_of(page, "finance") == "（45 条）"
    assert count_of(page, "budget") == "（45 条）"
    assert count_of(page, "final-accounts") == "（0 条）"
    assert count_of(page, "policy") == "（4 条）"  # three policies and the interpretation below it
    assert count_of(page, "interpretation") == "（1 条）"
    assert count_of(page, "guide") == "（1 条）"
    assert "共 51 条信息" in page.get_text()
    # usable without JavaScript: nested <details> that are open at the top levels
    statutory = page.find("a", href="../columns/statutory.html")
    assert statutory.find_next_sibling("details").has_attr("open")
    mailbox = page.find("a", href="https://example.gov.cn/mailbox")
    assert mailbox and "外部服务" in mailbox.parent.get_text()


def test_pagination_three_pages_newest_first(built):
    pages = [
        soup(built, rel)
        for rel in ("columns/budget.html", "columns/budget/2.html", "columns/budget/3.html")
    ]
    titles = [[a.get_text() for a in p.select("table.gk-list tbody td a")] for p in pages]
    assert titles[0] == [f"预算文件{n:02d}" for n in range(45, 25, -1)]
    assert titles[1] == [f"预算文件{n:02d}" for n in range(25, 5, -1)]
    assert titles[2] == [f"预算文件{n:02d}" for n in range(5, 0, -1)]
    first, middle, last = (p.select_one("nav.gk-pagination") for p in pages)
    links = lambda nav: {a.get_text(): a["href"] for a in nav.find_all("a")}  # noqa: E731
    assert links(first) == {
        "2": "../columns/budget/2.html",
        "3": "../columns/budget/3.html",
        "下一页": "../columns/budget/2.html",
        "最后一页": "../columns/budget/3.html",
    }
    assert links(middle) == {
        "第一页": "../../columns/budget.html",
        "上一页": "../../columns/budget.html",
        "1": "../../columns/budget.html",
        "3": "../../columns/budget/3.html",
        "下一页": "../../columns/budget/3.html",
        "最后一页": "../../columns/budget/3.html",
    }
    assert middle.select_one("[aria-current=page]").get_text() == "2"
    assert "下一页" not in links(last) and "上一页" in links(last)
    assert "当前显示第 21–40 条" in pages[1].get_text()
    row = pages[0].select_one("table.gk-list tbody tr")
    assert [td.get_text() for td in row.find_all("td")] == [
        "003186648/201402-00045",
        "预算文件45",
        "皖外办预〔2014〕45号",
        "2014-02-15",
    ]


@pytest.mark.parametrize(
    "number, count, shown",
    [
        (1, 3, [1, 2, 3]),
        (1, 30, [1, 2, 3, None, 30]),
        (10, 30, [1, None, 8, 9, 10, 11, 12, None, 30]),
        (4, 30, [1, 2, 3, 4, 5, 6, None, 30]),  # a gap of one page shows that page, not "…"
        (30, 30, [1, None, 28, 29, 30]),
    ],
)
def test_pagination_shows_a_window_of_page_numbers(number, count, shown):
    import datetime as dt
    from types import SimpleNamespace

    from catalogue.listing import Listing

    item = SimpleNamespace(date=dt.datetime(2015, 3, 1))
    listing = Listing("column", "news", "新闻", "columns/news", items=[item] * (count * 20))
    page = listing.pages()[number - 1]
    assert page.window() == shown
    assert all(page.link(n) for n in shown if n)


def test_a_long_listing_links_a_few_pages_and_marks_the_gaps(tmp_path):
    site = FixtureSite(tmp_path)
    for n in range(1, 202):  # 11 pages
        site.write(
            f"news/n{n}.md",
            document(
                title=f"通知{n}",
                index=f"003186648/201503-{n:05d}",
                date=f"2015-03-{1 + n % 28:02d}",
            ),
        )
    assert site.build().ok
    nav = BeautifulSoup(site.page("columns/news/6.html"), "html.parser").select_one(
        "nav.gk-pagination"
    )
    numbers = [
        li.get_text(strip=True)
        for li in nav.select("li")
        if li.get_text(strip=True)[:1].isdigit() or "省略" in li.get_text()
    ]
    assert numbers == ["1", "…（省略部分页码）", "4", "5", "6", "7", "8", "…（省略部分页码）", "11"]
    assert nav.select_one("[aria-current=page]").get_text() == "6"
    assert {a.get_text(): a["href"] for a in nav.find_all("a")}[
        "11"
    ] == "../../columns/news/11.html"


def test_empty_node_and_parent_node(built):
    assert "本栏目暂无信息" in soup(built, "columns/final-accounts.html").get_text()
    finance = soup(built, "columns/finance.html")
    assert finance.select_one("nav[aria-label=下级栏目] a[href$='columns/budget.html']")
    assert "下级栏目最新信息" in finance.get_text()
    assert len(finance.select("table.gk-list tbody tr")) == 10


def test_page_node_shows_its_document(built):
    guide = soup(built, "columns/guide.html")
    assert guide.h1.get_text() == "信息公开指南"
    assert "指南正文。" in guide.get_text()
    assert guide.find("a", href="../docs/003186648-201401-00050.html")


def test_document_page_breadcrumb_metadata_and_neighbours(built):
    page = soup(built, "docs/003186648-201402-00044.html")
    crumbs = [li.get_text(strip=True) for li in page.select("nav.gk-breadcrumb li")]
    assert crumbs == ["首页", "信息公开", "法定主动公开内容", "财政预决算", "部门预算", "正文"]
    assert page.select("nav.gk-breadcrumb a")[-1]["href"] == "../columns/budget.html"
    cells = {
        th.get_text(): th.find_next_sibling("td").get_text()
        for th in page.select("table.gk-meta th")
    }
    assert cells["索引号"] == "003186648/201402-00044" and cells["内容分类"] == "部门预算"
    assert cells["主题分类"] == "财政、金融、审计/财政"
    neighbours = page.select_one("nav.gk-neighbours").get_text()
    assert "上一篇：预算文件45" in neighbours and "下一篇：预算文件43" in neighbours
    meta = {m["name"]: m["content"] for m in page.find_all("meta", attrs={"name": True})}
    assert meta["ArticleTitle"] == "预算文件44" and meta["PubDate"] == "2014-02-14 00:00"
    assert meta["ContentSource"] == "安徽省外事（侨务、港澳）办公室" and meta["SiteIDCode"]


def test_policy_and_interpretation_link_both_ways(built):
    policy = soup(built, "docs/12340000003186700k-201404-00001.html")
    interpretation = soup(built, "docs/003186648-201404-00002.html")
    assert (
        policy.select_one("#related-interpretation ~ ul a")["href"]
        == "../docs/003186648-201404-00002.html"
    )
    assert (
        interpretation.select_one("#related-policy ~ ul a")["href"]
        == "../docs/12340000003186700k-201404-00001.html"
    )


def test_banner_on_expired_and_repealed_documents(built):
    expired = soup(built, "docs/003186648-201309-00001.html")
    assert "本文件已失效" in expired.select_one(".gk-banner").get_text()
    cells = {
        th.get_text(): th.find_next_sibling("td").get_text()
        for th in expired.select("table.gk-meta th")
    }
    assert cells["有效性"] == "失效"  # the editor wrote 有效, but the 失效日期 has passed
    assert (
        "本文件已废止"
        in soup(built, "docs/003186648-201305-00001.html").select_one(".gk-banner").get_text()
    )
    assert soup(built, "docs/12340000003186700k-201404-00001.html").select_one(".gk-banner") is None


def test_browse_by_year_topic_publisher(built):
    years = soup(built, "years/index.html")
    assert [a.get_text() for a in years.select("main li a")] == ["2015年", "2014年", "2013年"]
    assert (
        "2014年（48 条）" in years.get_text()
    )  # 45 budget documents, a policy, its interpretation, the guide
    topics = soup(built, "topics/index.html").get_text()
    assert "财政、金融、审计（45 条）" in topics and "对外事务（1 条）" in topics
    publishers = soup(built, "publishers/index.html")
    assert "安徽省外事服务中心（1 条）" in publishers.get_text()
    assert (
        soup(built, "publishers/12340000003186700k.html")
        .select("table.gk-list tbody tr")[0]
        .a.get_text()
        == "现行政策"
    )
    assert (built.output / "years/2014/3.html").exists()


def test_home_lists_newest_dynamic_and_notice_items(built):
    home = soup(built, "index.html")
    titles = [a.get_text() for a in home.select("#gk-panel-newest li a")]
    assert titles[:2] == ["部门动态一则", "预算文件45"]
    assert "现行政策" not in titles and len(titles) == 8
    # Then a tab per kind: 政策文件 lists the policies (and, below it, their interpretations).
    policies = [a.get_text() for a in home.select("#gk-panel-policy li a")]
    assert "现行政策" in policies and "预算文件45" not in policies
    for rel in ("catalogue/index.html", "columns/annual-reports.html", "columns/guide.html"):
        assert home.find("a", href=f"./{rel}")


def test_every_link_resolves_including_anchors(built):
    assert not broken_links(built.output)
    assert (built.output / "404.html").exists() and (built.output / "sitemap.html").exists()
    footer = soup(built, "docs/003186648-201402-00044.html").footer
    assert footer.find("a", href="../sitemap.html").get_text() == "网站地图"


def test_sitemap_and_feeds_are_xml(built):
    urls = [
        loc.text for loc in ET.parse(built.output / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")
    ]
    assert "docs/003186648-201402-00044.html" in urls and "columns/budget/3.html" in urls
    assert len(urls) == len(set(urls))
    html_pages = {p.relative_to(built.output).as_posix() for p in built.output.rglob("*.html")} - {
        "404.html"
    }
    assert set(urls) == html_pages
    feed = ET.parse(built.output / "feeds/all.atom.xml").getroot()
    assert len(feed.findall(f"{ATOM}entry")) == 51
    finance = ET.parse(built.output / "feeds/finance.atom.xml").getroot()
    assert finance.find(f"{ATOM}title").text.endswith("财政预决算")
    assert len(finance.findall(f"{ATOM}entry")) == 45
    assert not (
        built.output / "feeds/final-accounts.atom.xml"
    ).exists()  # empty: no feed with a build time


def test_catalogue_json_and_csv_list_every_document_once(built):
    data = json.loads((built.output / "catalogue.json").read_text(encoding="utf-8"))
    assert data["count"] == 51
    urls = [d["url"] for d in data["documents"]]
    assert len(urls) == len(set(urls)) == 51
    assert set(urls) == {
        p.relative_to(built.output).as_posix() for p in (built.output / "docs").glob("*.html")
    }
    policy = next(d for d in data["documents"] if d["title"] == "过期政策")
    assert (
        policy["validity"] == "失效"
        and policy["expires"] == "2013-12-31"
        and policy["column"] == "policy"
    )
    text = (built.output / "catalogue.csv").read_text(encoding="utf-8")
    assert text.startswith("\ufeff索引号,名称")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 51 and {r["网址"] for r in rows} == set(urls)


def test_publish_settings_make_absolute_urls(tmp_path, monkeypatch):
    """CI sets SITEURL in the environment; every absolute URL and the SiteDomain tag follow it."""
    site = FixtureSite(tmp_path)
    site.write("news/a.md", document())
    from disclosure.build import build

    monkeypatch.setenv("SITEURL", "https://xxgk.example.gov.cn/fao")
    outcome = build(ROOT / "publishconf.py", site.overrides())
    assert outcome.ok, outcome.report()
    page = site.page("docs/003186648-201503-00001.html")
    hrefs = {a["href"] for a in BeautifulSoup(page, "html.parser").find_all("a", href=True)}
    assert "https://xxgk.example.gov.cn/fao/columns/news.html" in hrefs
    urls = [
        loc.text for loc in ET.parse(site.output / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")
    ]
    assert all(u.startswith("https://xxgk.example.gov.cn/fao/") for u in urls)
    entry = ET.parse(site.output / "feeds/all.atom.xml").getroot().find(f"{ATOM}entry/{ATOM}link")
    assert entry.get("href") == "https://xxgk.example.gov.cn/fao/docs/003186648-201503-00001.html"
    data = json.loads((site.output / "catalogue.json").read_text(encoding="utf-8"))
    assert (
        data["documents"][0]["url"]
        == "https://xxgk.example.gov.cn/fao/docs/003186648-201503-00001.html"
    )
    meta = BeautifulSoup(page, "html.parser").find("meta", attrs={"name": "SiteDomain"})
    assert meta["content"] == "xxgk.example.gov.cn"


def test_link_checker_catches_breakage(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/b.html#top">ok</a><a href="a/b.html#nope">x</a>'
        '<a href="a/">dir</a><a href="missing.html">m</a><a href="https://x.cn">e</a>'
    )
    (tmp_path / "a/b.html").write_text('<h1 id="top">t</h1><a href="../index.html">up</a>')
    assert broken_links(tmp_path) == [
        "index.html -> a/b.html#nope (no such anchor)",
        "index.html -> a/",
        "index.html -> missing.html",
    ]


def test_home_tabs_are_the_configured_columns_and_a_wrong_one_is_left_out(tmp_path, caplog):
    site = FixtureSite(tmp_path)
    site.write("news/a.md", document(title="动态", index="003186648/201503-00001"))
    site.write(
        "policy/p.md",
        document(title="政策", index="003186648/201503-00002", column="policy", 有效性="有效"),
    )
    outcome = site.build(
        HOME_TABS=[("不存在的栏目", "column:nope"), ("政策", "column:policy"), ("动态", "news")],
        HOME_TAB_ITEMS=1,
    )
    assert outcome.ok, outcome.report()
    home = soup(site, "index.html")
    assert [b.get_text() for b in home.select(".gk-tabs__tab")] == ["最新发布", "政策", "动态"]
    assert [a.get_text() for a in home.select("#gk-panel-policy li a")] == ["政策"]
    assert home.select_one("#gk-panel-policy .gk-more a")["href"] == "./columns/policy.html"
    assert "column:nope" in caplog.text


def test_a_long_column_offers_a_jump_to_each_year(tmp_path):
    site = FixtureSite(tmp_path)
    # 140 notices, 2009-2015, twenty a year: 7 pages, each year's newest on its own page.
    n = 0
    for year in range(2009, 2016):
        for month in range(1, 3):
            for day in range(1, 11):
                n += 1
                site.write(
                    f"news/{n:03d}.md",
                    document(
                        title=f"通知{n}",
                        index=f"003186648/{year}{month:02d}-{day:05d}",
                        date=f"{year}-{month:02d}-{day:02d}",
                    ),
                )
    assert site.build().ok
    page = soup(site, "columns/news/3.html")
    jump = page.find("nav", attrs={"aria-label": "按年份跳转"})
    links = {a.get_text(): a["href"] for a in jump.find_all("a")}
    assert list(links) == [f"{y}年" for y in range(2015, 2008, -1)]
    # 2015's 20 notices fill page 1; 2014 starts on page 2, 2013 on page 3, 2009 on page 7.
    assert links["2015年"] == "../../columns/news.html"
    assert links["2014年"] == "../../columns/news/2.html"
    assert links["2009年"] == "../../columns/news/7.html"
    first_on = soup(site, "columns/news/7.html").select("table.gk-list tbody tr td")[1].get_text()
    assert first_on == "通知20"  # the newest of 2009
    # A short column has no jump: its few pages are all linked already.
    assert not soup(site, "columns/budget.html").find("nav", attrs={"aria-label": "按年份跳转"})


def test_a_large_catalogue_is_exported_in_yearly_parts_and_its_sitemap_in_parts(
    tmp_path, monkeypatch
):
    """Past EXPORT_PART_DOCS documents, catalogue.json/.csv list parts, one a year (a year of
    more in numbered parts), each with its documents; past SITEMAP_URLS pages, sitemap.xml is an
    index of sitemaps. No file grows with the whole archive (thresholds lowered here), and the
    publish gate accepts the parts as the site's own files."""
    import catalogue.exports as exports
    from commands.site_check import main as check_site

    monkeypatch.setattr(exports, "EXPORT_PART_DOCS", 20)
    monkeypatch.setattr(exports, "SITEMAP_URLS", 30)
    site = FixtureSite(tmp_path)
    for n in range(1, 46):  # 2014
        site.write(f"finance/budget-{n:02d}.md", budget_doc(n))
    site.write("news/a.md", document())  # 2015
    assert site.build().ok
    data = json.loads((site.output / "catalogue.json").read_text(encoding="utf-8"))
    assert data["count"] == 46 and "documents" not in data
    assert [(p["name"], p["count"]) for p in data["parts"]] == [
        ("2015", 1),
        ("2014-1", 20),
        ("2014-2", 20),
        ("2014-3", 5),
    ]
    urls = []
    for part in data["parts"]:
        assert part["json"] == f"catalogue/{part['name']}.json"
        whole = json.loads((site.output / part["json"]).read_text(encoding="utf-8"))
        assert whole["count"] == part["count"] == len(whole["documents"])
        assert {d["date"][:4] for d in whole["documents"]} == {part["name"][:4]}
        urls += [d["url"] for d in whole["documents"]]
        rows = list(
            csv.DictReader(
                io.StringIO(
                    (site.output / part["csv"]).read_text(encoding="utf-8").lstrip("\ufeff")
                )
            )
        )
        assert [r["网址"] for r in rows] == [d["url"] for d in whole["documents"]]
    assert sorted(urls) == sorted(
        p.relative_to(site.output).as_posix() for p in (site.output / "docs").glob("*.html")
    )
    index_rows = list(csv.reader(io.StringIO(site.page("catalogue.csv").lstrip("\ufeff"))))
    assert index_rows[0] == ["分卷", "文件数", "目录数据（JSON）", "目录数据（CSV）"]
    assert [r[0] for r in index_rows[1:]] == ["2015", "2014-1", "2014-2", "2014-3"]

    root = ET.parse(site.output / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}sitemapindex"
    parts = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert parts == [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)] and len(parts) > 1
    pages = []
    for part in parts:
        locs = [loc.text for loc in ET.parse(site.output / part).getroot().iter(f"{SITEMAP}loc")]
        assert 0 < len(locs) <= 30
        pages += locs
    assert set(urls) <= set(pages) and "index.html" in pages and len(pages) == len(set(pages))

    code, report = check_site(
        ROOT / "pelicanconf.py", None, "json", False, True, None, site.overrides()
    )
    published = [p for p in json.loads(report)["findings"] if p["category"] == "发布"]
    assert published == []

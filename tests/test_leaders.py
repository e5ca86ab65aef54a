"""领导信息: a column of leaders' documents shows each as a card (photo, name, post, duties), in
排序 order; the photo is checked like an attachment and published."""

from __future__ import annotations

from bs4 import BeautifulSoup

from helpers import FixtureSite, broken_links, document

PNG = (  # a 1×1 picture
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


def leader(site, name, index, post, rank=None, photo=None, duties="分管某处。", date="2015-03-02"):
    fields = {"职务": post, "分工": duties}
    if rank is not None:
        fields["排序"] = rank
    if photo:
        fields["照片"] = photo
    site.write(
        f"news/{name}.md", document(title=name, index=index, date=date, body="简历。", **fields)
    )


def test_leaders_show_as_cards_in_rank_order_with_described_photos(tmp_path):
    site = FixtureSite(tmp_path)
    site.write("news/a.png", PNG)
    site.write("news/b.jpg", PNG)
    # Written newest-first the column would list 副主任 first: 排序 decides.
    leader(
        site, "周某", "003186648/201503-00001", "副主任", rank=2, photo="b.jpg", date="2015-03-05"
    )
    leader(site, "吴某", "003186648/201503-00002", "主任", rank=1, photo="a.png")
    leader(site, "郑某", "003186648/201503-00003", "副主任", date="2015-03-09")  # no rank: last
    outcome = site.build()
    assert outcome.ok, outcome.report()
    page = BeautifulSoup(site.page("columns/news.html"), "html.parser")
    cards = page.select(".gk-leader")
    assert [c.h2.get_text() for c in cards] == ["吴某", "周某", "郑某"]
    assert "主任" in cards[0].get_text() and "分管某处。" in cards[0].get_text()
    assert cards[0].img["alt"] == "吴某主任的照片" and cards[0].img["src"] == "../news/a.png"
    assert cards[2].img is None
    assert not page.select("table.gk-list")  # cards, not the list table
    assert (site.output / "news/a.png").read_bytes() == PNG
    leader_page = BeautifulSoup(site.page("docs/003186648-201503-00001.html"), "html.parser")
    assert leader_page.select_one("article img.gk-portrait")["alt"] == "周某副主任的照片"
    assert not broken_links(site.output)


def test_a_column_with_other_documents_keeps_its_list(tmp_path):
    site = FixtureSite(tmp_path)
    leader(site, "吴某", "003186648/201503-00002", "主任")
    site.write("news/other.md", document(index="003186648/201503-00003"))
    assert site.build().ok
    page = BeautifulSoup(site.page("columns/news.html"), "html.parser")
    assert page.select("table.gk-list") and not page.select(".gk-leaders")


def test_photo_mistakes_are_reported_in_chinese_with_the_line(tmp_path):
    site = FixtureSite(tmp_path)
    site.write("news/p.pdf", b"%PDF-1.4")
    site.write("news/a.png", PNG)
    leader(site, "甲", "003186648/201503-00001", "主任", photo="missing.jpg")
    leader(site, "乙", "003186648/201503-00002", "主任", photo="p.pdf")
    leader(site, "丙", "003186648/201503-00003", "主任", photo="a.png, a.png", rank="第一")
    outcome = site.build()
    assert not outcome.ok and not site.output.exists()
    found = {(p.path, p.message) for p in outcome.problems.errors}
    assert ("news/甲.md", "找不到这个照片文件") in found
    assert ("news/乙.md", "只能是 .bmp、.gif、.jpeg、.jpg、.png、.webp 文件") in found
    assert ("news/丙.md", "照片只能写一张") in found
    assert ("news/丙.md", "应为 1 到 999 之间的整数") in found


def test_contact_page_shows_the_details_that_are_set_and_the_footer_links_to_it(tmp_path):
    site = FixtureSite(tmp_path)
    site.write("news/a.md", document())
    outcome = site.build(
        SITE_ADDRESS="某市某路 1 号",
        SITE_POSTCODE="100000",
        SITE_PHONE="010-12345678",
        SITE_FAX="",
        SITE_EMAIL="office@example.gov.cn",
        SITE_MAP_URL="https://map.example.com/office",
    )
    assert outcome.ok
    page = BeautifulSoup(site.page("contact.html"), "html.parser")
    main = page.main
    labels = [dt.get_text() for dt in main.select("dt")]
    assert labels == ["单位名称", "地址", "邮政编码", "联系电话", "电子邮箱", "办公时间"]  # no 传真
    assert main.find("a", href="tel:01012345678").get_text() == "010-12345678"
    assert main.find("a", href="mailto:office@example.gov.cn")
    assert main.find("a", href="https://map.example.com/office")
    footer = BeautifulSoup(site.page("index.html"), "html.parser").footer
    assert footer.find("a", string="联系我们")["href"] == "./contact.html"
    assert not broken_links(site.output)

"""invoke check-site: each inspection item on a fixture that breaks it, and a clean fixture that
passes."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from commands.site_check import main as check_site
from helpers import ROOT, FixtureSite, document

AS_OF = dt.date(2015, 3, 31)
REVIEW = {"审核人": "综合处", "审核日期": "2015-01-05"}
SERVICE_BODY = "\n\n".join(
    f"## {h}\n\n内容"
    for h in [
        "事项名称",
        "设定依据",
        "申请条件",
        "办理材料",
        "办理地点",
        "办理时间",
        "联系电话",
        "办理流程",
    ]
)


def catalogue(notice_nodes: int, empty_nodes: int = 0) -> str:
    nodes = [
        "- {code: guide, name: 信息公开指南, kind: page}",
        "- {code: application, name: 依申请公开, kind: page}",
        "- {code: news, name: 部门动态, update: dynamic}",
        "- {code: service-guide, name: 办件指南}",
        "- {code: annual-reports, name: 政府信息公开年报}",
    ]
    nodes += [f"- {{code: n{i}, name: 通知{i}, update: notice}}" for i in range(notice_nodes)]
    nodes += [f"- {{code: e{i}, name: 空栏目{i}}}" for i in range(empty_nodes)]
    return "\n".join(nodes) + "\n"


class CheckSite(FixtureSite):
    def doc(self, rel, index, column, date, body="正文。", **fields):
        self.write(
            rel,
            document(
                title=f"文件{index[-5:]}",
                index=index,
                column=column,
                date=date,
                body=body,
                **{**REVIEW, **fields},
            ),
        )

    def inspect(self, publish=False, as_of=AS_OF, **settings):
        assert self.output.exists() or self.build(DISCLOSURE_TODAY="2015-03-31", **settings).ok
        code, text = check_site(
            ROOT / "pelicanconf.py", as_of, "json", False, publish, None, self.overrides(**settings)
        )
        return code, json.loads(text) if text.startswith("{") else text


def clean_site(root, notice_nodes=3, stale=0, empty_nodes=0) -> CheckSite:
    site = CheckSite(root)
    (site.content / "catalogue.yml").write_text(
        catalogue(notice_nodes, empty_nodes), encoding="utf-8"
    )
    site.doc("guide.md", "003186648/201501-00001", "guide", "2015-01-05")
    site.doc("application.md", "003186648/201501-00002", "application", "2015-01-05")
    site.doc("news.md", "003186648/201503-00001", "news", "2015-03-28")
    site.doc(
        "service.md", "003186648/201501-00003", "service-guide", "2015-01-05", body=SERVICE_BODY
    )
    site.doc(
        "report.md",
        "003186648/201501-00004",
        "annual-reports",
        "2015-01-20",
        报告年度=2014,
        报告格式="legacy",
    )
    for i in range(notice_nodes):
        date = "2014-06-01" if i < stale else "2015-02-01"
        site.doc(f"n{i}.md", f"003186648/{date[:4]}{date[5:7]}-{i + 10:05d}", f"n{i}", date)
    return site


def findings(report, category=None):
    return [
        (f["severity"], f["category"], f["path"], f["line"], f["message"])
        for f in report["findings"]
        if category is None or f["category"] == category
    ]


def test_clean_site_has_no_findings(tmp_path):
    code, report = clean_site(tmp_path).inspect()
    assert code == 0 and report["findings"] == [] and report["errors"] == 0
    assert report["stats"]["broken_links"] == 0 and report["stats"]["internal_links"] > 100


def test_broken_link_anchor_and_missing_attachment(tmp_path):
    site = clean_site(tmp_path)
    site.doc(
        "att.md",
        "003186648/201501-00009",
        "news",
        "2015-01-09",
        extra="附件: table.csv",
        body="见[办件指南](../docs/003186648-201501-00003.html#nowhere)和[旧页面](../docs/gone.html)。",
    )
    site.write("table.csv", "a,b\n")
    assert site.build(DISCLOSURE_TODAY="2015-03-31").ok
    (site.output / "table.csv").unlink()
    code, report = site.inspect()
    found = {(f[2], f[4]) for f in findings(report, "链接")}
    page = "docs/003186648-201501-00009.html"
    assert (page, "链接失效：目标页面中没有锚点 #nowhere") in found
    assert (page, "链接失效：目标文件不存在") in found  # both docs/gone.html and table.csv
    assert sum(1 for p, m in found if p == page) == 2
    assert len([f for f in findings(report, "链接") if f[2] == page]) == 3
    assert (
        code == 2
        and report["stats"]["broken_links"] == 3
        and 0 < report["stats"]["broken_ratio"] < 0.1
    )
    assert all(f[3] > 0 for f in findings(report, "链接"))  # the line of the link in the page


@pytest.mark.parametrize("stale,veto", [(4, False), (5, True)])
def test_stale_columns_below_and_at_the_veto_threshold(tmp_path, stale, veto):
    code, report = clean_site(tmp_path, notice_nodes=6, stale=stale).inspect()
    warnings = [f for f in findings(report, "更新") if f[0] == "warning"]
    assert len(warnings) == stale and all(
        "超过 183 天未更新（最新 2014-06-01）" in f[4] for f in warnings
    )
    vetoes = [f for f in findings(report, "更新") if f[0] == "error"]
    assert bool(vetoes) == veto and code == (2 if veto else 0)
    if veto:
        assert (
            vetoes[0][4]
            == "【单项否决】动态类、通知公告类、政策文件类栏目中有 5 个未按时更新（达到 5 "
            "个即否决）"
        )


@pytest.mark.parametrize("empty,veto", [(4, False), (5, True)])
def test_empty_columns(tmp_path, empty, veto):
    code, report = clean_site(tmp_path, empty_nodes=empty).inspect()
    warnings = [f for f in findings(report, "更新") if f[0] == "warning"]
    assert [f[4] for f in warnings] == [f"栏目“空栏目{i}”是空白栏目" for i in range(empty)]
    assert (code == 2) == veto
    assert any("【单项否决】空白栏目有 5 个" in f[4] for f in findings(report)) == veto


def test_home_page_not_updated_and_future_date(tmp_path):
    site = clean_site(tmp_path)
    code, report = site.inspect(as_of=dt.date(2015, 4, 30))
    assert (
        "error",
        "更新",
        "index.html",
        0,
        "【单项否决】首页 14 天内没有新信息（最新 2015-03-28，检查日期 2015-04-30）",
    ) in findings(report)
    code, report = site.inspect(as_of=dt.date(2015, 3, 20))
    assert (
        "error",
        "日期",
        "news.md",
        5,
        "发文日期 2015-03-28 晚于检查日期 2015-03-20",
    ) in findings(report)


def test_the_check_date_is_the_sites_today_in_its_time_zone(tmp_path, monkeypatch):
    """From 16:00 UTC the machine's date is a day behind Beijing's: a notice the build dates today
    must not be reported as dated in the future by a check of the same moment."""
    site = clean_site(tmp_path)
    site.doc("today.md", "003186648/202612-00001", "news", "2026-12-08")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796673600")  # 2026-12-07 20:00 UTC, 12-08 in Beijing
    assert site.build().ok
    code, text = check_site(
        ROOT / "pelicanconf.py", None, "text", False, True, None, site.overrides()
    )
    assert text.startswith("网站检查（检查日期 2026-12-08）")
    assert "晚于检查日期" not in text


def test_incomplete_service_guide(tmp_path):
    site = clean_site(tmp_path)
    site.doc(
        "service2.md",
        "003186648/201501-00005",
        "service-guide",
        "2015-01-06",
        body="## 事项名称\n\n领事认证\n\n## 办理材料\n\n申请表",
        办理地点="省政务服务中心",
    )
    code, report = site.inspect()
    assert findings(report, "办事服务") == [
        (
            "error",
            "办事服务",
            "service2.md",
            1,
            "办件指南缺少要素：设定依据、申请条件、办理时间、联系电话、办理流程",
        )
    ]
    assert code == 2


def test_missing_footer_identifiers(tmp_path):
    site = clean_site(tmp_path)
    code, report = site.inspect(SITE_ID_CODE="", ICP_NUMBER="")
    messages = [f[4] for f in findings(report, "必备要素")]
    assert "页脚没有 10 位网站标识码" in messages and "页脚没有 ICP 备案号" in messages
    assert "页脚没有公安机关备案号" not in messages and code == 2


def test_missing_required_pages_and_annual_report(tmp_path):
    site = clean_site(tmp_path)
    (site.content / "application.md").unlink()
    (site.content / "report.md").unlink()
    code, report = site.inspect()
    messages = [f[4] for f in findings(report, "必备要素")]
    assert "缺少“依申请公开”页面或其内容" in messages
    assert "没有任何政府信息公开工作年度报告" in messages


def test_annual_report_due_after_31_january(tmp_path):
    site = clean_site(tmp_path)
    _, report = site.inspect(as_of=dt.date(2016, 2, 1))
    assert any(
        f[4].startswith("2015 年度的政府信息公开工作年度报告应于 2016 年 1 月 31 日前发布")
        for f in findings(report)
    )
    _, report = site.inspect(as_of=dt.date(2016, 1, 31))
    assert not any("年度报告应于" in f[4] for f in findings(report))


def test_missing_alt_and_page_tags_in_output(tmp_path):
    site = clean_site(tmp_path)
    assert site.build(DISCLOSURE_TODAY="2015-03-31").ok
    page = site.output / "docs/003186648-201503-00001.html"
    html = page.read_text(encoding="utf-8").replace('<meta name="ArticleTitle"', '<meta name="Old"')
    page.write_text(html.replace("</article>", '<img src="x.png"></article>'), encoding="utf-8")
    (site.output / "x.png").write_bytes(b"png")
    _, report = site.inspect()
    assert ("error", "内容", "docs/003186648-201503-00001.html") in {
        f[:3] for f in findings(report, "内容")
    }
    assert (
        "error",
        "页面标签",
        "docs/003186648-201503-00001.html",
        0,
        "缺少页面标签 ArticleTitle 或其值为空",
    ) in findings(report)


def test_missing_review_is_a_warning_in_development_and_an_error_when_publishing(tmp_path):
    site = clean_site(tmp_path)
    site.write(
        "late.md",
        document(title="未审查", index="003186648/201501-00008", column="news", date="2015-01-08"),
    )
    _, report = site.inspect()
    assert ("warning", "内容", "late.md", 1, "没有保密审查记录（审核人、审核日期）") in findings(
        report
    )
    code, report = site.inspect(publish=True)
    assert ("error", "内容", "late.md", 1, "没有保密审查记录（审核人、审核日期）") in findings(
        report
    )
    assert code == 2


def test_sensitive_words_and_leader_titles(tmp_path):
    site = clean_site(tmp_path)
    site.doc(
        "words.md",
        "003186648/201501-00007",
        "news",
        "2015-01-07",
        body="第一行。\n\n王主任出席会议，王明副主任讲话。\n\n内部资料不得外传。",
    )
    _, report = site.inspect(
        SITE_CHECK_SENSITIVE_WORDS=["内部资料"], SITE_CHECK_LEADERS={"王明": "主任"}
    )
    content = [f for f in findings(report, "内容") if f[2] == "words.md"]
    assert (
        "warning",
        "内容",
        "words.md",
        12,
        "“王明”的职务应为“主任”，这里写作“副主任”",
    ) in content
    assert ("warning", "内容", "words.md", 14, "出现敏感词“内部资料”") in content
    assert len(content) == 2


def test_policy_marked_for_interpretation(tmp_path):
    site = clean_site(tmp_path)
    site.doc("policy.md", "003186648/201501-00006", "news", "2015-01-06", 需要解读="是")
    _, report = site.inspect()
    assert findings(report, "政策解读") == [
        ("warning", "政策解读", "policy.md", 8, "标注“需要解读”的政策文件还没有解读")
    ]


@pytest.mark.slow
def test_cli_exit_codes_and_reports(tmp_path):
    site = clean_site(tmp_path, notice_nodes=1, stale=1)
    assert site.build(DISCLOSURE_TODAY="2015-03-31").ok
    settings = tmp_path / "conf.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(site.content)!r}\nOUTPUT_PATH = {str(site.output)!r}\n"
    )

    def run(*a):
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "invoke",
                "check-site",
                "--settings",
                str(settings),
                "--as-of",
                "2015-03-31",
                *a,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
        )

    plain = run()
    assert (
        plain.returncode == 0 and "警告" in plain.stdout and "结论：通过，但有警告" in plain.stdout
    )
    assert run("--strict").returncode == 1
    assert json.loads(run("--format", "json").stdout)["warnings"] == 1
    assert "<h1>网站检查报告</h1>" in (ROOT / "reports/site-check.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_sample_site_passes_with_its_known_warnings(tmp_path):
    output = tmp_path / "output"
    from disclosure.build import build

    assert build(ROOT / "pelicanconf.py", {"OUTPUT_PATH": str(output)}).ok
    code, text = check_site(
        ROOT / "pelicanconf.py", AS_OF, "json", False, False, None, {"OUTPUT_PATH": str(output)}
    )
    report = json.loads(text)
    assert code == 0 and report["errors"] == 0
    assert sorted(f["path"] for f in report["findings"]) == [
        "catalogue.yml#final-accounts",
        "catalogue.yml#interpretation",
        "catalogue.yml#policy",
    ]


def test_interpretation_of_a_missing_policy_and_date_before_founding(tmp_path):
    site = clean_site(tmp_path)
    assert site.build(DISCLOSURE_TODAY="2015-03-31").ok
    site.doc(
        "orphan.md", "003186648/201501-00011", "news", "2015-01-11", 解读对象="皖外办〔2099〕1号"
    )
    (site.content / "publishers.yml").write_text(
        '- name: 安徽省外事（侨务、港澳）办公室\n  code: "003186648"\n  founded: 2015-01-10\n',
        encoding="utf-8",
    )
    _, report = site.inspect()
    assert ("error", "政策解读", "orphan.md", 8, "找不到被解读的文件") in findings(report)
    assert (
        "error",
        "日期",
        "guide.md",
        5,
        "发文日期 2015-01-05 早于发布机构成立日期 2015-01-10",
    ) in findings(report)


def test_the_publish_gate_refuses_files_no_document_accounts_for(tmp_path):
    """What the build refuses, the gate before publishing refuses in a built site too: a file no
    published document lists or shows, a link out of the site, a file a browser would run."""
    import os

    site = clean_site(tmp_path)
    site.doc(
        "att.md",
        "003186648/201501-00009",
        "news",
        "2015-01-09",
        extra="附件: table.csv",
        body="![图表](chart.png)",
    )
    site.write("table.csv", "a,b\n")
    site.write("chart.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32)
    assert site.build(DISCLOSURE_TODAY="2015-03-31").ok
    code, report = site.inspect(publish=True)
    assert findings(report, "发布") == []
    (site.output / "secret.txt").write_text("DEPLOY_KEY=1", encoding="utf-8")
    os.symlink("/etc/hostname", site.output / "host.pdf")
    (site.output / "map.svg").write_text("<svg onload=alert(1)>", encoding="utf-8")
    (site.output / "table-copy.csv").write_text(
        "a,b\n", encoding="utf-8"
    )  # a listed file's bytes: fine
    code, report = site.inspect(publish=True)
    found = {f[2]: f[4] for f in findings(report, "发布")}
    assert set(found) == {"secret.txt", "host.pdf", "map.svg"}, found
    assert "不是任何已发布文档" in found["secret.txt"] and "链接" in found["host.pdf"]
    assert code != 0

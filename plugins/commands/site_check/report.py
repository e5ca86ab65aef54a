"""The inspection report: a terminal summary, JSON for CI, and an HTML page an editor can open."""

from __future__ import annotations

import json
from html import escape

from domain.problems import SEVERITY_LABEL

STAT_LABELS = {
    "pages": "页面数",
    "internal_links": "站内链接数",
    "external_links": "外部链接数",
    "broken_links": "失效链接数",
    "broken_ratio": "失效链接比例",
    "links_per_page_max": "单页链接数（最多）",
    "links_per_page_mean": "单页链接数（平均）",
    "stale_columns": "未按时更新栏目数",
    "empty_columns": "空白栏目数",
}


def terminal(run, as_of) -> str:
    lines = [f"网站检查（检查日期 {as_of}）"]
    for severity, items in (("error", run.errors), ("warning", run.warnings)):
        if items:
            lines.append(f"\n== {SEVERITY_LABEL[severity]}（{len(items)}）==")
            lines += [p.format() for p in items]
    lines.append("\n== 统计 ==")
    lines += [f"    {STAT_LABELS.get(k, k)}：{v}" for k, v in run.stats.items()]
    lines.append(
        f"    外部链接（未访问，请人工核对）：{len(run.external)} 处"
        + ("，见 HTML 报告" if run.external else "")
    )
    verdict = (
        "不合格：有错误或单项否决项"
        if run.errors
        else ("通过，但有警告" if run.warnings else "通过")
    )
    lines.append(f"\n结论：{verdict}（{len(run.errors)} 个错误，{len(run.warnings)} 个警告）")
    return "\n".join(lines)


def as_json(run, as_of) -> str:
    return json.dumps(
        {
            "as_of": as_of.isoformat(),
            "errors": len(run.errors),
            "warnings": len(run.warnings),
            "stats": run.stats,
            "findings": [
                {
                    "severity": p.severity,
                    "category": p.field,
                    "path": p.path,
                    "line": p.line,
                    "message": p.message,
                    "value": p.value,
                    "hint": p.hint,
                }
                for p in run.findings
            ],
            "external_links": [
                {"page": page, "line": line, "url": url} for page, line, url in run.external
            ],
        },
        ensure_ascii=False,
        indent=1,
    )


def as_html(run, as_of) -> str:
    rows = "".join(
        f"<tr><td>{SEVERITY_LABEL[p.severity]}</td><td>{escape(p.field)}</td><td>{escape(p.path)}"
        f"{':' + str(p.line) if p.line else ''}</td><td>{escape(p.message)}</td>"
        f"<td>{escape(p.value)}</td>"
        f"<td>{escape(p.hint)}</td></tr>"
        for p in run.findings
    )
    stats = "".join(
        f"<tr><th scope='row'>{escape(STAT_LABELS.get(k, k))}</th><td>{v}</td></tr>"
        for k, v in run.stats.items()
    )
    external = "".join(
        f"<li>{escape(page)}:{line} <a href='{escape(url)}'>{escape(url)}</a></li>"
        for page, line, url in run.external
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>网站检查报告 {as_of}</title>
<style>body{{font:16px/1.6 sans-serif;margin:2rem}}table{{border-collapse:collapse}}
th,td{{border:1px solid #767676;padding:4px 8px;text-align:left;vertical-align:top}}</style></head>
<body><main><h1>网站检查报告</h1>
<p>检查日期：{as_of}。错误 {len(run.errors)} 个，警告 {len(run.warnings)} 个。</p>
<h2>发现的问题</h2>
<table><caption>问题清单</caption><thead><tr><th scope="col">级别</th><th scope="col">类别</th>
<th scope="col">位置</th><th scope="col">问题</th><th scope="col">当前值</th><th
scope="col">改法</th></tr></thead>
<tbody>{rows or '<tr><td colspan="6">没有发现问题。</td></tr>'}</tbody></table>
<h2>统计</h2><table><caption>链接和栏目统计</caption><tbody>{stats}</tbody></table>
<h2>外部链接（未访问，请人工核对）</h2><ul>{external or "<li>没有外部链接。</li>"}</ul>
</main></body></html>
"""

"""Bar charts as plain SVG, drawn at build time (no JavaScript, nothing loaded from elsewhere).

Our own code rather than a charting library: pygal's SVG loads its tooltip script from another
host by default and carries inline styles that our pages' Content-Security-Policy does not allow;
a bar chart of a dozen values is a hundred lines of SVG. Each chart names itself
(``role="img"``, ``<title>``, ``<desc>``), writes every value next to its bar (colour is never the
only cue) and always stands next to a table of the same numbers.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

# Distinct in greyscale too (print), each with at least 3:1 contrast on white.
PALETTE = ("#0b4f8a", "#a1111e", "#2e7d32", "#6a3d9a", "#8a5a00", "#00686b")
WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 40, 48


def _number(value: Decimal) -> str:
    """1,250 or 2,607.5: thousands separators, no exponent, no trailing zeros."""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def nice_ceiling(value: Decimal) -> Decimal:
    """The axis top: 1, 2, 2.5 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (len(str(int(value))) - 1) if value >= 1 else Decimal("0.1")
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= power * step:
            return power * step
    return power * 10


def bar_chart(
    title: str,
    categories: list[str],
    series: list[tuple[str, list[Decimal | None]]],
    unit: str = "",
    chart_id: str = "chart",
) -> str:
    """Grouped bars: one group per category, one bar per series; values written above the bars."""
    values = [v for _, vs in series for v in vs if v is not None]
    top = nice_ceiling(max(values, default=Decimal(0)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(1, len(categories))
    bar_w = min(48.0, group_w * 0.8 / max(1, len(series)))
    summary = "；".join(
        f"{c}："
        + "，".join(f"{name} {_number(vs[i])}{unit}" for name, vs in series if vs[i] is not None)
        for i, c in enumerate(categories)
    )
    out = [
        f'<svg class="gk-chart" id="{escape(chart_id)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{escape(chart_id)}-title '
        f'{escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(summary)}</desc>',
    ]
    for step in range(5):  # horizontal grid lines and their values
        value = top * step / 4
        y = TOP + plot_h - plot_h * step / 4
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'class="gk-chart__grid" '
            f'stroke="#767676" stroke-width="{1 if step else 2}"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#1a1a1a">'
            f"{_number(value)}</text>"
        )
    if unit:
        out.append(
            f'<text x="{LEFT - 6}" y="{TOP - 12}" text-anchor="end" font-size="12" fill="#1a1a1a">'
            f"{escape(unit)}</text>"
        )
    for i, category in enumerate(categories):
        group_x = LEFT + group_w * i + (group_w - bar_w * len(series)) / 2
        for k, (name, vs) in enumerate(series):
            value = vs[i]
            if value is None:
                continue
            height = float(value / top) * plot_h if top else 0.0
            x, y = group_x + bar_w * k, TOP + plot_h - height
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{height:.1f}" '
                f'fill="{PALETTE[k % len(PALETTE)]}" data-series="{escape(name)}" '
                f'data-category="{escape(category)}" '
                f'data-value="{value}"><title>{escape(category)} '
                f"{escape(name)}：{_number(value)}{escape(unit)}</title></rect>"
            )
            out.append(
                f'<text x="{x + (bar_w - 2) / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                'font-size="11" '
                f'fill="#1a1a1a">{_number(value)}</text>'
            )
        out.append(
            f'<text x="{LEFT + group_w * i + group_w / 2:.1f}" y="{HEIGHT - BOTTOM + 18}" '
            f'text-anchor="middle" font-size="13" fill="#1a1a1a">{escape(category)}</text>'
        )
    if len(series) > 1:  # the legend, in the bars' order, wrapped onto as many lines as it needs
        x, y = LEFT, HEIGHT - 18
        for k, (name, _) in enumerate(series):
            width = 24 + 13 * len(name)
            if x + width > WIDTH and x > LEFT:
                x, y = LEFT, y + 20
            out.append(
                f'<rect x="{x}" y="{y}" width="12" height="12" fill="{PALETTE[k % len(PALETTE)]}"/>'
            )
            out.append(
                f'<text x="{x + 16}" y="{y + 10}" font-size="12" '
                f'fill="#1a1a1a">{escape(name)}</text>'
            )
            x += width
        height = y + 20
        out[0] = out[0].replace(
            f'viewBox="0 0 {WIDTH} {HEIGHT}"', f'viewBox="0 0 {WIDTH} {height}"'
        )
    out.append("</svg>")
    return "\n".join(out)

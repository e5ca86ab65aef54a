"""Accessible HTML for tables 二, 三 and 四, with the standard's exact labels, order, rowspans and
colspans.

Every header cell has an id and a ``scope``; every number cell names all its header cells in
``headers``, so a screen reader announces e.g. “三、本年度办理结果 （三）不予公开 1.属于国家秘密
商业企业”.
"""

from __future__ import annotations

from html import escape

from domain.report_formats import (
    APPLICANTS,
    ORGANISATIONS,
    TABLE_2,
    TABLE_2_FIRST_COLUMN,
    TABLE_3,
    TABLE_3_CORNER,
    TABLE_4_COLUMNS,
    TABLE_4_GROUPS,
)


def _th(label, ident, scope, rowspan=1, colspan=1):
    span = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    return f'<th id="{ident}" scope="{scope}"{span}>{escape(label)}</th>'


def _td(cell, headers, colspan=1):
    """A figure exactly as the report prints it ("4068.208", "/", "22（其中修订16件）", blank)."""
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    return f'<td headers="{" ".join(headers)}"{span}>{escape(cell.text)}</td>'


def _table(ident, caption, head_rows, body_rows):
    head = "".join(f"<tr>{''.join(r)}</tr>" for r in head_rows)
    body = "".join(f"<tr>{''.join(r)}</tr>" for r in body_rows)
    return (
        '<div class="gk-table-wrap gk-report-table" tabindex="0" role="region" '
        f'aria-label="{escape(caption)}">'
        f'<table id="{ident}"><caption>{escape(caption)}</caption>'
        f"<thead>{head}</thead><tbody>{body}</tbody></table></div>"
    )


def table_2(report) -> str:
    def label(national):
        return (
            report.written_labels.get(national, national) if report.labels_as_written else national
        )

    rows = []
    for b, (header, columns, names) in enumerate(TABLE_2[report.fmt], start=1):
        block = f"t2-b{b}"
        rows.append([_th(header, block, "colgroup", colspan=4)])
        spans = [1] * (len(columns) - 1) + [4 - len(columns)]
        column_ids = [f"{block}-c{i}" for i in range(len(columns))]
        rows.append(
            [_th(TABLE_2_FIRST_COLUMN, f"{block}-c", "col")]
            + [
                _th(label(c), cid, "col", colspan=s)
                for c, cid, s in zip(columns, column_ids, spans)
            ]
        )
        for r, name in enumerate(names, start=1):
            row_id = f"{block}-r{r}"
            rows.append(
                [_th(label(name), row_id, "row")]
                + [
                    _td(report.table_2[name][c], [block, row_id, cid], s)
                    for c, cid, s in zip(columns, column_ids, spans)
                ]
            )
    return _table("report-table-2", "表二 主动公开政府信息情况", [], rows)


def table_3(report) -> str:
    col_ids = {key: f"t3-{key}" for key, _ in APPLICANTS}
    head = [
        [
            f'<td class="gk-corner" rowspan="3" colspan="3">{escape(TABLE_3_CORNER)}</td>',
            _th("申请人情况", "t3-applicants", "colgroup", colspan=7),
        ],
        [
            _th("自然人", col_ids["natural"], "col", rowspan=2),
            _th("法人或其他组织", "t3-org", "colgroup", colspan=5),
            _th("总计", col_ids["total"], "col", rowspan=2),
        ],
        [_th(label, col_ids[key], "col") for key, label in APPLICANTS if key in ORGANISATIONS],
    ]

    def column_headers(key):
        return ["t3-applicants"] + (["t3-org"] if key in ORGANISATIONS else []) + [col_ids[key]]

    body, counter = [], iter(range(1, 1000))
    for top in TABLE_3[report.fmt]:
        top_id = f"t3-h{next(counter)}"
        if not top.children:
            body.append(([_th(top.label, top_id, "row", colspan=3)], top.key, [top_id]))
            continue
        group = []
        for child in top.children:
            child_id = f"t3-h{next(counter)}"
            if not child.children:
                group.append(
                    ([_th(child.label, child_id, "row", colspan=2)], child.key, [top_id, child_id])
                )
                continue
            for i, leaf in enumerate(child.children):
                leaf_id = f"t3-h{next(counter)}"
                cells = (
                    [_th(child.label, child_id, "rowgroup", rowspan=len(child.children))]
                    if i == 0
                    else []
                )
                group.append(
                    (
                        cells + [_th(leaf.label, leaf_id, "row")],
                        leaf.key,
                        [top_id, child_id, leaf_id],
                    )
                )
        group[0][0].insert(0, _th(top.label, top_id, "rowgroup", rowspan=len(group)))
        body += group
    rows = [
        cells + [_td(report.table_3[key][c], headers + column_headers(c)) for c, _ in APPLICANTS]
        for cells, key, headers in body
    ]
    return _table("report-table-3", "表三 收到和处理政府信息公开申请情况", head, rows)


def table_4(report) -> str:
    review, direct, after = TABLE_4_GROUPS
    head = [
        [
            _th(review[1], "t4-review", "colgroup", colspan=5),
            _th("行政诉讼", "t4-suit", "colgroup", colspan=10),
        ],
        [_th(label, f"t4-review-{key}", "col", rowspan=2) for key, label in TABLE_4_COLUMNS]
        + [
            _th(direct[1], "t4-suit_direct", "colgroup", colspan=5),
            _th(after[1], "t4-suit_after_review", "colgroup", colspan=5),
        ],
        [
            _th(label, f"t4-{group}-{key}", "col")
            for group in ("suit_direct", "suit_after_review")
            for key, label in TABLE_4_COLUMNS
        ],
    ]
    cells = []
    for group, _ in TABLE_4_GROUPS:
        parents = ["t4-review"] if group == "review" else ["t4-suit", f"t4-{group}"]
        cells += [
            _td(report.table_4[group][key], parents + [f"t4-{group}-{key}"])
            for key, _ in TABLE_4_COLUMNS
        ]
    return _table("report-table-4", "表四 政府信息公开行政复议、行政诉讼情况", head, [cells])


def tables(report) -> dict[str, str]:
    """Placeholder name (表二…) -> the table. No heading: the report's own headings carry it."""
    return {"表二": table_2(report), "表三": table_3(report), "表四": table_4(report)}

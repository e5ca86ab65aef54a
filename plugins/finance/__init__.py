"""财政资金: one page per fiscal year gathering its budget, final accounts, 三公经费 and special
funds, and the 三公经费 of every year on the site as a bar chart (drawn at build time) with the same
numbers as a table.

Which column holds the special funds: ``FINANCE_SPECIAL_FUNDS_COLUMN`` (a catalogue code), or the
column named 专项资金.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pelican import signals
from pelican.generators import Generator

from data_tables import tables_of
from data_tables.charts import bar_chart
from disclosure import run
from domain.defaults import setting

# The three items of 三公经费, as the national budget tables name them, and how editors also write
# them.
THREE_PUBLIC = ("因公出国（境）费", "公务接待费", "公务用车购置及运行费")
ALIASES = {
    "因公出国(境)费": "因公出国（境）费",
    "因公出国境费": "因公出国（境）费",
    "出国（境）费": "因公出国（境）费",
}
TOTAL = "合计"
KIND_ORDER = ("部门预算", "部门决算", "三公经费")


def special_funds_column(settings, catalogue) -> str:
    code = setting(settings, "FINANCE_SPECIAL_FUNDS_COLUMN")
    if code:
        return code
    node = next((n for n in catalogue.nodes if n.name == "专项资金"), None)
    return node.code if node else ""


def three_public_by_year(documents, tables_for) -> dict[int, dict[str, Decimal]]:
    """fiscal year -> item -> amount, from the 三公经费 documents' tables (the first number column).
    A year with several such documents takes the newest one's figures. ``tables_for(source)``: the
    document's data tables as the build read them."""
    found = {}
    for doc in sorted(
        (d for d in documents if d.budget_kind == "三公经费" and d.fiscal_year),
        key=lambda d: d.date,
    ):
        for _, tables in tables_for(doc.source):
            for table in tables:
                numeric = table.numeric_columns()
                if not numeric:
                    continue
                items = {}
                for row in table.rows:
                    name = ALIASES.get(row.label.replace(" ", ""), row.label.replace(" ", ""))
                    if name in THREE_PUBLIC and isinstance(row.cells[numeric[0]], Decimal):
                        items[name] = row.cells[numeric[0]]
                if items:
                    items[TOTAL] = sum(items.values(), Decimal(0))
                    found[doc.fiscal_year] = items
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class Chart:
    """The 三公经费 chart and its table, as plain values."""

    svg: str
    years: tuple[int, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # item -> amount per year, formatted


def three_public_chart(by_year: dict[int, dict[str, Decimal]]) -> Chart | None:
    if not by_year:
        return None
    years = tuple(by_year)
    items = [*THREE_PUBLIC, TOTAL]
    series = [(f"{y}年", [by_year[y].get(item) for item in items]) for y in years]
    svg = bar_chart(
        f"{years[0]}—{years[-1]}年“三公”经费财政拨款支出",
        items,
        series,
        "万元",
        "three-public-chart",
    )
    rows = tuple(
        (
            item,
            tuple(
                "—" if by_year[y].get(item) is None else f"{by_year[y][item]:,.2f}" for y in years
            ),
        )
        for item in items
    )
    return Chart(svg, years, rows)


def on_all_finalized(generators):
    state = run.of(generators[0]) if generators else None
    if state is None:
        return
    articles = [a for g in generators for a in getattr(g, "articles", [])]
    special = special_funds_column(state.settings, state.site.catalogue)
    years: dict[int, list] = {}
    for article in articles:
        doc = article.document
        if doc.budget_kind and doc.fiscal_year:
            years.setdefault(doc.fiscal_year, []).append(article)
    for (
        article
    ) in articles:  # special funds: the year they were published, when that year has a page
        if special and article.document.column == special and article.date.year in years:
            years[article.date.year].append(article)
    for _year, items in years.items():
        items.sort(
            key=lambda a: (
                KIND_ORDER.index(a.document.budget_kind) if a.document.budget_kind else 9,
                a.date,
                a.document.source,
            )
        )
    chart = three_public_chart(
        three_public_by_year(
            (a.document for a in articles), lambda source: tables_of(state, source)
        )
    )
    # The columns (and the columns above them) whose pages link to the 财政资金 pages.
    holding = {a.document.column for a in articles if a.document.budget_kind}
    columns = sorted(
        n.code for n in state.site.catalogue.nodes if any(c.code in holding for c in n.walk())
    )
    for generator in generators:
        generator.context["finance_years"] = dict(sorted(years.items(), reverse=True))
        generator.context["three_public_chart"] = chart
        generator.context["finance_columns"] = columns


class FinanceGenerator(Generator):
    """finance/index.html (every year, the 三公经费 chart) and finance/<year>.html."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        # The overview is written even before any finance document: the navigation links to it.
        years = self.context.get("finance_years") or {}
        pages = [("finance/index.html", None)] + [(f"finance/{y}.html", y) for y in years]
        for save_as, year in pages:
            writer.write_file(
                save_as,
                self.get_template("finance"),
                self.context,
                self.settings["RELATIVE_URLS"],
                url=save_as,
                page_url=save_as,
                year=year,
                year_articles=years.get(year, []) if year else [],
            )


def get_generators(pelican):
    return FinanceGenerator


def register():
    signals.all_generators_finalized.connect(on_all_finalized)
    signals.get_generators.connect(get_generators)

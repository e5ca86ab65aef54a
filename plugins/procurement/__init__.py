"""Procurement pages: each stage document shows its project's timeline, and an overview lists the
projects (not the documents) by year and by current stage.

The projects themselves (grouping, checks) are domain code in ``domain.procurement``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pelican import signals
from pelican.generators import Generator

from disclosure import run
from domain import procurement


@dataclass(frozen=True)
class Step:
    """One entry of a project's timeline (项目进度), as a page shows it."""

    stage: str
    date: str
    title: str
    url: str
    latest: bool  # the stage the project is at now


@dataclass(frozen=True)
class ProjectView:
    """What a page shows of a project; plain values, so that a page's fingerprint can include it."""

    number: str
    name: str
    method: str
    budget: str
    stage: str
    last_date: str
    year: int
    url: str  # the current stage's page
    deadline: str  # 投标截止时间 of the tender (or of the correction that moved it), as shown
    deadline_state: str  # 已截止 | 今日截止 | 未截止 | ""
    steps: tuple[Step, ...]


def views(articles, today) -> dict[str, ProjectView]:
    by_source = {a.document.source: a for a in articles}
    out = {}
    for number, project in procurement.projects(a.document for a in articles).items():
        deadline, state = project.deadline(today)
        steps = tuple(
            Step(
                d.stage,
                d.date.date().isoformat(),
                by_source[d.source].title,
                by_source[d.source].url,
                d is project.current,
            )
            for d in project.documents
        )
        out[number] = ProjectView(
            number,
            project.name,
            project.method,
            procurement.format_amount(project.budget),
            project.current.stage,
            project.last_date.isoformat(),
            project.year,
            by_source[project.current.source].url,
            f"{deadline:%Y-%m-%d %H:%M}" if deadline else "",
            state,
            steps,
        )
    return out


def on_all_finalized(generators):
    """After the content checks passed: every stage document gets its project's view."""
    state = run.of(generators[0]) if generators else None
    if state is None:
        return
    articles = [a for g in generators for a in getattr(g, "articles", [])]
    projects = views(articles, state.site.today)
    for article in articles:
        doc = article.document
        article.project = projects.get(doc.project_number) if doc.project_number else None
    for generator in generators:
        generator.context["procurement_projects"] = projects
        generator.context["procurement_columns"] = sorted(
            {a.document.column for a in articles if a.project}
        )


class ProcurementGenerator(Generator):
    """采购项目一览: all projects, per year, and per current stage (static pages, no server)."""

    def generate_context(self):
        pass  # the projects are known only after every generator read its content

    def generate_output(self, writer):
        # The overview is written even before any project: the navigation links to it.
        projects = list(self.context.get("procurement_projects", {}).values())
        years = sorted({p.year for p in projects}, reverse=True)
        stages = [
            (name, key)
            for name, key, _ in procurement.STAGES
            if any(p.stage == name for p in projects)
        ]
        newest = sorted(projects, key=lambda p: (p.last_date, p.number), reverse=True)
        pages = [("procurement/index.html", "采购项目一览", newest, "")]
        pages += [
            (f"procurement/{y}.html", f"{y}年采购项目", [p for p in newest if p.year == y], str(y))
            for y in years
        ]
        pages += [
            (
                f"procurement/stage-{key}.html",
                f"处于“{name}”阶段的采购项目",
                [p for p in newest if p.stage == name],
                key,
            )
            for name, key in stages
        ]
        for save_as, title, shown, selected in pages:
            writer.write_file(
                save_as,
                self.get_template("procurement"),
                self.context,
                self.settings["RELATIVE_URLS"],
                url=save_as,
                page_url=save_as,
                projects=shown,
                overview_title=title,
                years=years,
                stages=stages,
                selected=selected,
                project_total=len(projects),
            )


def on_generator_init(generator):
    generator.env.filters["amount"] = procurement.format_amount  # {{ doc.award_amount|amount }}


def get_generators(pelican):
    return ProcurementGenerator


def register():
    # A notice with a project is left to the full build (the catalogue's record says so).
    signals.generator_init.connect(on_generator_init)
    signals.all_generators_finalized.connect(on_all_finalized)
    signals.get_generators.connect(get_generators)

"""The layers' arrows point downwards only: the domain model imports no framework and nothing of
the engine or the plugins (docs/architecture.md)."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT

FRAMEWORKS = ("pelican", "markdown", "jinja2", "bs4", "html5lib", "nh3", "lxml", "docx")
ABOVE = ("disclosure", "annual_report", "catalogue", "search", "publishing", "site_check")


def test_the_domain_model_imports_no_framework_and_nothing_above_it():
    modules = sorted(p.stem for p in (ROOT / "plugins/domain").glob("*.py") if p.stem != "__init__")
    assert len(modules) > 10
    code = (
        "import sys; sys.path.insert(0, 'plugins'); import importlib\n"
        f"for name in {modules!r}: importlib.import_module('domain.' + name)\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    assert loaded.isdisjoint(FRAMEWORKS + ABOVE), sorted(loaded & set(FRAMEWORKS + ABOVE))


def test_a_plugins_check_reaches_the_build_once_however_often_it_is_registered(tmp_path):
    """The annual-report check meets the engine in its collection_check signal: Pelican registers
    the plugins on every build, and each build still reports the report's mistake exactly once."""
    from test_annual_report import broken, write_report

    from helpers import FixtureSite

    site = FixtureSite(tmp_path)
    write_report(site, 2021, "gb-2021", broken(lambda d: d["table_3"]["new"].update(total=8)))
    for _ in range(3):
        outcome = site.build()
        found = [p for p in outcome.problems.errors if "之和为 7" in p.message]
        assert len(found) == 1, outcome.report()

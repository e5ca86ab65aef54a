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

"""Every HTML page the build writes passes the W3C Nu validator (vnu.jar, pinned in
package.json)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from helpers import ROOT, site_build

pytestmark = pytest.mark.slow  # `invoke test --fast` leaves it out

VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


def test_every_page_is_valid_html(tmp_path):
    assert shutil.which("java"), "Java is needed for the Nu validator"
    assert VNU.exists(), "run `make setup` (npm ci) first"
    output = tmp_path / "output"
    outcome = site_build.build(ROOT / "pelicanconf.py", {"OUTPUT_PATH": str(output)})
    assert outcome.ok, outcome.report()
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 100
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", str(output)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr == ""

"""site_check: inspect a built site against the national website inspection items (a library, not a
build plugin).

``invoke check-site`` calls :func:`main`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pelican.settings import read_settings

from domain.defaults import setting
from domain.site import site_today

from . import report
from .checks import inspect

EXIT_CLEAN, EXIT_WARNINGS, EXIT_ERRORS = 0, 1, 2


def main(
    settings_file,
    as_of: dt.date | None = None,
    fmt: str = "text",
    strict: bool = False,
    publish: bool = False,
    html_report: str | Path | None = "reports/site-check.html",
    overrides: dict | None = None,
) -> tuple[int, str]:
    """Inspect output/; return the exit code (0 clean, 1 warnings with --strict, 2 errors) and the
    report."""
    settings = read_settings(str(settings_file), override=overrides or {})
    # A site frozen in time (a demonstration) may name its date in SITE_CHECK_AS_OF; CI passes the
    # sample's date with --as-of. A live site leaves it unset: the day the build calls today (in
    # the site's time zone: from 16:00 UTC the machine's date is a day behind Beijing's, and a
    # notice published today was reported as dated in the future).
    frozen = setting(settings, "SITE_CHECK_AS_OF")
    as_of = as_of or (dt.date.fromisoformat(frozen) if frozen else site_today(settings))
    output = Path(settings["OUTPUT_PATH"])
    if not (output / "index.html").is_file():
        return EXIT_ERRORS, f"没有找到已生成的网站（{output}）：请先运行 invoke build"
    run = inspect(settings, output, as_of, publish)
    if html_report:
        path = Path(html_report)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report.as_html(run, as_of), encoding="utf-8")
    text = report.as_json(run, as_of) if fmt == "json" else report.terminal(run, as_of)
    if fmt != "json" and html_report:
        text += f"\nHTML 报告：{html_report}"
    errors = run.blocking if publish else run.errors
    if publish and run.errors and not errors:
        text += (
            "\n以上“更新”等时效方面的错误不阻止发布：发布新信息正是改正它们的办法，"
            "请尽快按报告补发。"
        )
    loud = (strict and run.warnings) or run.errors  # freshness errors, when publishing
    code = EXIT_ERRORS if errors else (EXIT_WARNINGS if loud else EXIT_CLEAN)
    return code, text

"""cms_admin: the web editor (Decap CMS) served from the site as ``admin/``.

``admin/index.html`` and ``admin/config.yml`` (written by ``invoke cms-config``) come from the
repository's ``admin/`` folder (``CMS_ADMIN_DIR``), Decap's browser bundle from the pinned package
that ``make setup`` unpacks (``CMS_DECAP_DIR``): nothing is loaded from another host. Without the
bundle (a machine where ``make setup`` has not run) the site is built without ``admin/``.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from pelican import signals

from domain.defaults import setting

logger = logging.getLogger(__name__)
OWN_FILES = ("index.html", "config.yml")


def bundle_files(folder: Path) -> list[Path]:
    """Decap's main script, the chunks it loads and its WebAssembly, in a stable order."""
    return sorted(folder.glob("*decap-cms.js")) + sorted(folder.glob("*.wasm"))


def on_finalized(pelican):
    settings = pelican.settings
    if not setting(settings, "CMS_ADMIN"):
        return
    source = Path(setting(settings, "CMS_ADMIN_DIR"))
    bundle = Path(setting(settings, "CMS_DECAP_DIR"))
    if not (bundle / "decap-cms.js").is_file():
        logger.warning(
            "网页编辑器（Decap CMS）没有安装，本次生成的网站没有 admin/：请运行 make setup"
        )
        return
    target = Path(pelican.output_path) / "admin"
    target.mkdir(exist_ok=True)
    for path in [source / name for name in OWN_FILES] + bundle_files(bundle):
        shutil.copyfile(path, target / path.name)


def register():
    signals.finalized.connect(on_finalized)

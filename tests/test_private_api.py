"""Pelican's and Python-Markdown's private parts are used in one module only
(disclosure/private_api.py), checked against the pinned versions: an upgrade fails here first."""

from __future__ import annotations

import ast
import datetime as dt

import pytest

from disclosure import private_api
from helpers import ROOT

PRIVATE_ATTRIBUTES = {"_content", "_priority"}
PRIVATE_MODULES = {"pelican.plugins._utils"}


def test_the_installed_versions_are_the_ones_each_use_was_checked_against():
    for library, version in private_api.CHECKED_AGAINST.items():
        assert private_api.installed(library) == version, (
            f"{library} {private_api.installed(library)} is installed: read every use in "
            "disclosure/private_api.py against it, then update CHECKED_AGAINST"
        )
    pinned = (ROOT / "requirements.txt").read_text(encoding="utf-8").lower()
    for library, version in private_api.CHECKED_AGAINST.items():
        assert f"{library.lower()}=={version}" in pinned


def test_no_other_module_touches_the_private_parts():
    found = []
    for path in sorted((ROOT / "plugins").rglob("*.py")):
        if path.name == "private_api.py" or "__pycache__" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in PRIVATE_ATTRIBUTES:
                found.append(f"{path.name}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module in PRIVATE_MODULES:
                found.append(f"{path.name}:{node.lineno} {node.module}")
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "send"
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "content_written"
            ):
                found.append(f"{path.name}:{node.lineno} content_written.send")
    assert not found, found


def test_each_adapter_does_what_it_says():
    import markdown
    from pelican import signals
    from pelican.contents import Article

    from helpers import site_build

    settings = site_build.load_settings(ROOT / "pelicanconf.py")
    names = private_api.register_plugins(settings)
    assert names == [name.rsplit(".", 1)[-1] for name in settings["PLUGINS"]]

    md = markdown.Markdown(extensions=["markdown.extensions.extra"])
    priority = private_api.treeprocessor_priority(md, "attr_list")
    md.treeprocessors.register(md.treeprocessors["attr_list"], "again", priority)
    names_in_order = [p.__class__.__name__ for p in md.treeprocessors]
    assert names_in_order.count("AttrListTreeprocessor") == 2

    article = Article("<p>原文</p>", metadata={"title": "标题", "date": dt.datetime(2026, 1, 1)})
    private_api.set_article_html(article, "<p>改后</p>")
    assert private_api.article_html(article) == "<p>改后</p>" == article.content

    heard = []

    def receiver(path, context):
        heard.append((path, context["x"]))

    with signals.content_written.connected_to(receiver):
        private_api.announce_written("/out/a.html", {"x": 1})
    assert heard == [("/out/a.html", 1)]


def test_on_an_unchecked_markdown_the_fast_paths_stay_off(monkeypatch):
    from disclosure.bodies import make_converter, render_body

    config = {"extensions": ["markdown.extensions.extra"], "output_format": "html5"}
    assert "gk_plain_paragraph" in make_converter(config).parser.blockprocessors
    monkeypatch.setattr(private_api, "installed", lambda library: "99.0")
    converter = make_converter(config)
    assert "gk_plain_paragraph" not in converter.parser.blockprocessors
    assert "gk_mark_plain" not in converter.treeprocessors
    assert render_body(converter, "标题", "第一段\n\n- 甲\n- 乙").html == (
        "<p>第一段</p>\n<ul>\n<li>甲</li>\n<li>乙</li>\n</ul>"
    )


@pytest.mark.parametrize("library", sorted(private_api.CHECKED_AGAINST))
def test_every_checked_library_is_installed(library):
    assert private_api.installed(library)

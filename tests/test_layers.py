"""The layers' arrows point downwards only: the domain model imports no framework and nothing of
the engine or the plugins (docs/architecture.md)."""

from __future__ import annotations

import ast
import subprocess
import sys

from helpers import ROOT

FRAMEWORKS = ("pelican", "markdown", "jinja2", "bs4", "html5lib", "nh3", "lxml", "docx")
ABOVE = ("disclosure", "annual_report", "catalogue", "search", "publishing", "commands")


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


PLUGINS = ROOT / "plugins"
# Module-level containers that are not per-build state: a pool worker's own job (set in the worker
# process by the pool's initializer, never in the build process).
PROCESS_LOCAL = {("disclosure/bodies.py", "_WORKER_JOB")}
MUTABLE_CALLS = {"list", "dict", "set", "defaultdict", "OrderedDict", "deque"}


def _python_files():
    return sorted(p for p in PLUGINS.rglob("*.py") if "__pycache__" not in p.parts)


def _empty_mutable(node) -> bool:
    if isinstance(node, (ast.List, ast.Set)) and not node.elts:
        return True
    if isinstance(node, ast.Dict) and not node.keys:
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in MUTABLE_CALLS
        and not any(isinstance(a, (ast.List, ast.Dict, ast.Tuple)) and a.elts for a in node.args)
    )


def test_no_module_level_registries_or_per_run_globals():
    """State lives in objects the build owns (disclosure.run): no module or class holds an empty
    list, dict or set to be filled while building, and no function rebinds a module global."""
    found = []
    for path in _python_files():
        rel = path.relative_to(PLUGINS).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scopes = [tree.body] + [n.body for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
        for body in scopes:
            for node in body:
                if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    names = [t.id for t in targets if isinstance(t, ast.Name)]
                    if _empty_mutable(node.value) and not any(
                        (rel, name) in PROCESS_LOCAL for name in names
                    ):
                        found.append(f"{rel}:{node.lineno} {names}")
        found += [f"{rel}:{n.lineno} global" for n in ast.walk(tree) if isinstance(n, ast.Global)]
    assert not found, found


def _imports(path, package: str) -> set[str]:
    """First-party modules ``path`` imports anywhere in it (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def _module_graph() -> dict[str, set[str]]:
    modules = {}
    for path in _python_files():
        rel = path.relative_to(PLUGINS).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        package = name if rel.name == "__init__" else name.rpartition(".")[0]
        modules[name] = (path, package)
    return {
        name: {m for m in _imports(path, package) if m in modules and m != name}
        for name, (path, package) in modules.items()
    }


def test_no_import_cycles():
    graph = _module_graph()
    assert len(graph) > 60
    # A package's __init__ importing its own modules is how a package is made, not a cycle.
    edges = {
        name: {m for m in deps if not (m.startswith(name + ".") and "." not in m[len(name) + 1 :])}
        for name, deps in graph.items()
    }
    cycles, state = [], {}

    def visit(name, path):
        state[name] = "open"
        for dep in sorted(edges[name]):
            if state.get(dep) == "open":
                cycles.append(path[path.index(dep) :] + [dep])
            elif dep not in state:
                visit(dep, path + [dep])
        state[name] = "done"

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert not cycles, cycles


def test_the_engine_imports_no_plugin_and_not_its_own_pelican_wiring():
    """disclosure/ is the engine: it knows the domain and nothing of the plugins above it; and the
    engine's modules do not import its Pelican wiring (plugin.py), only the other way round."""
    graph = _module_graph()
    engine = {n for n in graph if n.split(".")[0] == "disclosure"}
    above = {
        "annual_report",
        "catalogue",
        "search",
        "publishing",
        "commands",
        "finance",
        "procurement",
        "data_tables",
        "accessible_body",
        "cms_admin",
    }
    wrong = sorted(
        f"{name} -> {dep}"
        for name in engine
        for dep in graph[name]
        if dep.split(".")[0] in above
        or (dep == "disclosure.plugin" and name not in ("disclosure", "disclosure.plugin"))
    )
    assert not wrong, wrong


def test_commands_live_apart_and_no_plugin_imports_them():
    """Site inspection, the benchmark, deploy, the Word import and the CMS configuration are
    commands (plugins/commands/), run by tasks.py; the build's plugins never import them."""
    graph = _module_graph()
    commands = {n for n in graph if n.split(".")[0] == "commands"}
    assert {"commands.site_check", "commands.benchmark", "commands.deploy"} <= commands
    assert {"commands.docx_import", "commands.cms"} <= commands
    wrong = sorted(
        f"{name} -> {dep}"
        for name, deps in graph.items()
        if name.split(".")[0] != "commands"
        for dep in deps
        if dep.split(".")[0] == "commands"
    )
    assert not wrong, wrong
    plugins = _settings_plugins()
    assert plugins and not any(name.split(".")[0] == "commands" for name in plugins)


def _settings_plugins() -> list[str]:
    text = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    tree = ast.parse(text)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "PLUGINS" for t in node.targets
        ):
            return [ast.literal_eval(e) for e in node.value.elts]
    return []

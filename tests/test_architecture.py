"""The package's shape: arrows one way, few modules at the top, commands that import only the library.

Read from the import statements of the source (every ``import`` and ``from ... import``,
including those inside functions and under ``TYPE_CHECKING``), so that a dependency counts
whether or not it runs at import time.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "nhs_oversight"

def _modules() -> dict[str, tuple[Path, bool]]:
    """Dotted name -> (file, is a package)."""
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return out


MODULES = _modules()


def _known(name: str) -> str | None:
    """The longest module of the package that ``name`` is, or lies inside."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str) -> set[str]:
    """Modules of the package that ``module`` imports, anywhere in its source."""
    path, is_package = MODULES[module]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(_known(a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = module.split(".") if is_package else module.split(".")[:-1]
                parent = parent[: len(parent) - (node.level - 1)]
                base = ".".join([*parent, *([base] if base else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else _known(base))
    found.discard(None)
    found.discard(module)
    return found  # type: ignore[return-value]


GRAPH = {m: _imports(m) for m in MODULES}


def circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected groups of two or more modules (Tarjan), i.e. the import circles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(group)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_circle_finder_finds_a_circle_and_no_false_one() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert circles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_the_import_reader_sees_imports_inside_functions() -> None:
    # history/ingest.py imports sources.raw only inside ingest_files
    assert "nhs_oversight.sources.raw" in GRAPH["nhs_oversight.history.ingest"]


def test_no_import_circles_among_the_package_modules() -> None:
    found = circles(GRAPH)
    assert found == [], "import circles: " + "; ".join(" <-> ".join(sorted(c)) for c in found)


def test_at_most_five_modules_at_the_package_top() -> None:
    top = sorted(m for m, (_, is_package) in MODULES.items() if m.count(".") == 1 and not is_package)
    assert len(top) + 1 <= 5, f"modules at the top besides __init__: {top}"  # + __init__


def test_commands_import_the_library_never_each_other() -> None:
    from nhs_oversight.cli import COMMANDS

    commands = {m.__name__ for m in COMMANDS}
    assert len(commands) >= 19
    crossing = sorted((c, d) for c in commands for d in GRAPH[c] if d in commands)
    assert crossing == [], f"command modules importing command modules: {crossing}"


def _render_imports_web() -> list[tuple[str, str]]:
    return sorted((m, d) for m, deps in GRAPH.items() if m.startswith("nhs_oversight.render")
                  for d in deps if d == "nhs_oversight.web" or d.startswith("nhs_oversight.web."))


def test_render_never_imports_web() -> None:
    assert _render_imports_web() == []


def _imports_render_from_outside() -> list[tuple[str, str]]:
    """(module, render module) for every module outside render/, web/ and commands/ importing render."""
    shows = tuple(f"nhs_oversight.{p}" for p in ("render", "web", "commands"))
    return sorted((m, d) for m, deps in GRAPH.items() if not any(m == s or m.startswith(s + ".") for s in shows)
                  for d in deps if d == "nhs_oversight.render" or d.startswith("nhs_oversight.render."))


def test_results_never_import_render() -> None:
    # results are made JSON-ready and written with nhs_oversight.util, which every layer may use
    assert _imports_render_from_outside() == []


def test_the_render_import_check_sees_a_result_importing_render(monkeypatch) -> None:
    monkeypatch.setitem(GRAPH, "nhs_oversight.explain.model", {"nhs_oversight.render.output"})
    monkeypatch.setitem(GRAPH, "nhs_oversight.web.app", {"nhs_oversight.render.html"})
    assert _imports_render_from_outside() == [("nhs_oversight.explain.model", "nhs_oversight.render.output")]


# -- one list for each concept ------------------------------------------------------------------
def _literals(predicate) -> list[str]:
    """``module:line`` of every tuple, list or ``range`` call (not docstrings) the predicate accepts."""
    found = []
    for module, (path, _) in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if predicate(node):
                found.append(f"{module}:{node.lineno}")
    return found


def _segment_list(node: ast.AST) -> bool:
    if isinstance(node, ast.Tuple | ast.List):
        values = [e.value for e in node.elts if isinstance(e, ast.Constant) and type(e.value) is int]
        return len(values) == len(node.elts) and values in ([1, 2, 3, 4, 5], [1, 2, 3, 4])
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range"
            and [getattr(a, "value", None) for a in node.args] in ([1, 6], [1, 5]))


def test_the_segment_list_finder_sees_tuples_lists_and_ranges() -> None:
    tree = ast.parse("a = (1, 2, 3, 4, 5)\nb = [1, 2, 3, 4]\nc = range(1, 6)\nd = (1, 2)\ne = [1.0, 2.0, 3.0, 4.0]\n'(1, 2, 3, 4, 5)'")
    assert sum(_segment_list(n) for n in ast.walk(tree)) == 3


def test_the_segments_are_written_once() -> None:
    found = _literals(_segment_list)
    assert len(found) == 1 and found[0].startswith("nhs_oversight.engine.segments:"), found


def test_the_default_framework_is_written_once() -> None:
    found = _literals(lambda n: isinstance(n, ast.Constant) and n.value == "nof-2025-26")
    assert len(found) == 1 and found[0].startswith("nhs_oversight.frameworks.loader:"), found


def test_raw_kinds_are_listed_only_in_their_registry() -> None:
    from nhs_oversight.sources.kinds import RAW_KINDS

    names = {k.name for k in RAW_KINDS} | {k.table for k in RAW_KINDS}
    found = _literals(lambda n: isinstance(n, ast.Dict) and sum(isinstance(k, ast.Constant) and k.value in names
                                                                for k in n.keys) >= 3)
    assert found == [], f"dictionaries keyed by raw kinds outside sources/kinds.py: {found}"


# -- scoring rules are modules, not isinstance ladders ------------------------------------------
def _scoring_class_names() -> set[str]:
    from typing import get_args

    from nhs_oversight.frameworks.model import Scoring

    union = get_args(Scoring)[0]
    return {c.__name__ for c in get_args(union)}


def _names_in(node: ast.AST) -> set[str]:
    """Class names in an isinstance target: ``A``, ``m.A``, ``(A, B)``, ``A | B``."""
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.Tuple):
        return set().union(*(_names_in(e) for e in node.elts))
    if isinstance(node, ast.BinOp):
        return _names_in(node.left) | _names_in(node.right)
    return set()


def _dispatches_on_scoring(node: ast.AST, classes: set[str], models: set[str]) -> bool:
    """``isinstance(x, <a scoring class>)``, or ``<...>.model == "<a rule's model>"``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "isinstance" and len(node.args) == 2:
        return bool(_names_in(node.args[1]) & classes)
    if isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "model":
        return any(isinstance(c, ast.Constant) and c.value in models for c in node.comparators)
    return False


def test_the_scoring_dispatch_finder_sees_each_form() -> None:
    classes, models = {"RankedScoring", "MatrixScoring"}, {"matrix"}
    tree = ast.parse("isinstance(s, RankedScoring)\nisinstance(s, m.MatrixScoring)\nisinstance(s, int | MatrixScoring)\n"
                     "isinstance(s, (int, RankedScoring))\ns.model == 'matrix'\nisinstance(s, int)\ns.model == 'other'")
    assert sum(_dispatches_on_scoring(n, classes, models) for n in ast.walk(tree)) == 5


def test_only_the_rules_and_the_framework_model_dispatch_on_a_scoring_class() -> None:
    from nhs_oversight.engine.rules import RULES

    classes, models = _scoring_class_names(), set(RULES)
    allowed = ("nhs_oversight.engine.rules", "nhs_oversight.frameworks")
    found = [m for m in _literals(lambda n: _dispatches_on_scoring(n, classes, models)) if not m.startswith(allowed)]
    assert found == [], f"isinstance on a scoring class outside engine/rules/ (ask rule_for(...) instead): {found}"


TEMPLATES = PACKAGE / "render" / "templates"
_TEMPLATE_SEGMENTS = re.compile(r"\[\s*1\s*,\s*2\s*,\s*3\s*,\s*4\s*(,\s*5\s*)?\]|range\(\s*1\s*,\s*[56]\s*\)")


def _template_segment_lists() -> list[str]:
    return [f"{p.relative_to(TEMPLATES)}:{n}" for p in sorted(TEMPLATES.rglob("*.html"))
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if _TEMPLATE_SEGMENTS.search(line)]


def test_the_template_segment_finder_sees_lists_and_ranges() -> None:
    lines = ["{% for k in [1, 2, 3, 4, 5] %}", "{% for k in [1,2,3,4] %}", "{% for k in range(1, 6) %}",
             "{% for k in segments %}", "[1, 2]", "{{ [1, 2, 3, 4, 5, 6] }}"]
    assert [bool(_TEMPLATE_SEGMENTS.search(line)) for line in lines] == [True, True, True, False, False, False]


def test_templates_read_the_segments_from_the_engine() -> None:
    # render/html.py gives every template `segments` and `quartile_segments` (engine/segments.py)
    assert TEMPLATES.is_dir()
    assert _template_segment_lists() == []


_METRIC_ID = re.compile(r"OF\d{4}")


def _metric_id_lists(node: ast.AST) -> bool:
    """A set, list or tuple of three or more metric ids: a list of metrics kept by hand."""
    if not isinstance(node, ast.Set | ast.List | ast.Tuple):
        return False
    ids = [e for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str) and _METRIC_ID.fullmatch(e.value)]
    return len(ids) >= 3


def test_the_metric_list_finder_sees_sets_of_metric_ids() -> None:
    tree = ast.parse('a = {"OF0010", "OF0011", "OF0013"}\nb = ("OF0010", "OF0011")\nc = ["OF0010", "x", "OF0011", "OF0013"]')
    assert sum(_metric_id_lists(n) for n in ast.walk(tree)) == 2


def test_lists_of_metrics_live_in_the_framework() -> None:
    # which metrics are higher-is-better, pooled, averaged... is a field of each metric in frameworks/<id>.yaml
    assert _literals(_metric_id_lists) == []


# -- the layers docs/architecture.md draws ------------------------------------------------------
ARCHITECTURE = PACKAGE.parents[1] / "docs" / "architecture.md"
_MEMBER = re.compile(r"[a-z_]+(/|\.py)")


def layers_of(text: str) -> list[set[str]]:
    """The layers of the picture under "Layers and arrows": top-level names each unindented line
    of its code block starts with (``util/`` -> ``util``, ``errors.py`` -> ``errors``)."""
    block = text.split("## Layers and arrows", 1)[1].split("```", 2)[1]
    out = []
    for line in block.splitlines():
        if not line or line[0].isspace():
            continue
        members = set()
        for word in line.split(" "):
            if not _MEMBER.fullmatch(word):
                break
            members.add(word.removesuffix("/").removesuffix(".py"))
        out.append(members)
    return out


def _top(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "__init__"


def layer_breaches(graph: dict[str, set[str]], layers: list[set[str]]) -> list[str]:
    """Imports from a layer drawn below the importer (the package's ``__init__`` is exempt)."""
    level = {name: i for i, members in enumerate(layers) for name in members}
    return sorted(f"{m} -> {d}" for m, deps in graph.items() for d in deps
                  if _top(d) != "__init__" and _top(m) != "__init__" and level[_top(d)] > level[_top(m)])


def test_the_layer_reader_and_checker() -> None:
    text = "## Layers and arrows\n```\nerrors.py util/   base\nengine/   pure\n   continued engine/\nweb/ render/  shows\n```\n"
    layers = layers_of(text)
    assert layers == [{"errors", "util"}, {"engine"}, {"web", "render"}]
    graph = {"nhs_oversight.web.app": {"nhs_oversight.render.html", "nhs_oversight.util.files"},
             "nhs_oversight.engine.core": {"nhs_oversight.web.app", "nhs_oversight"}}
    assert layer_breaches(graph, layers) == ["nhs_oversight.engine.core -> nhs_oversight.web.app"]


def test_every_import_follows_the_layers_of_docs_architecture() -> None:
    layers = layers_of(ARCHITECTURE.read_text(encoding="utf-8"))
    drawn = [name for members in layers for name in members]
    tops = {_top(m) for m in MODULES} - {"__init__"}
    assert sorted(drawn) == sorted(tops), "every top-level module and package drawn once"
    assert layer_breaches(GRAPH, layers) == []


def test_no_module_over_400_lines() -> None:
    long = {m: n for m, (path, _) in MODULES.items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}, f"split these into modules with one job each: {long}"


# Functions allowed over 60 lines, by "module.function", each with the reason it stays long.
LONG_FUNCTIONS = {
    # already a list of named steps; long for their docstrings (the API reference, with examples).
    "stats.spc.table.spc", "stats.funnel.funnel", "stats.culture.culture_signals",
    # one route per page, each a few lines, nested so they share the app's state.
    "web.app._pages",
}


def long_functions(source: str, limit: int = 60) -> set[str]:
    """Names of the functions in ``source`` longer than ``limit`` lines."""
    return {
        node.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > limit
    }


def test_the_long_function_finder_counts_lines() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(59))
    assert long_functions(f"def short():\n{body}\n") == set()
    assert long_functions(f"def long():\n{body}\n    y = 0\n") == {"long"}


def test_no_function_over_60_lines_but_the_named_exceptions() -> None:
    found = {
        f"{module.removeprefix('nhs_oversight.')}.{name}"
        for module, (path, _) in MODULES.items()
        for name in long_functions(path.read_text(encoding="utf-8"))
    }
    assert found - LONG_FUNCTIONS == set(), "split these into named steps"
    assert LONG_FUNCTIONS - found == set(), "these are short now: take them off LONG_FUNCTIONS"

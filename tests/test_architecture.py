"""The package's shape: data flows one way through the stages, with no import circles.

Every import in cli/brochure counts, also those inside functions and under TYPE_CHECKING: a
deferred import is still a dependency. A module may import its own package and the layers below
it; stages never import the orchestrator (brochure.pipeline), the commands or the CLI.
ARCHITECTURE.md describes the layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cli" / "brochure"

# Lowest first. Packages on the same rank may import each other, as long as no circle forms.
LAYERS: dict[str, int] = {
    "brochure": 0,  # the package root: __version__ only
    "brochure.builtin": 0,  # shipped data
    "brochure.core": 0,
    "brochure.sources": 1,
    "brochure.segmentation": 2,
    "brochure.store": 3,
    "brochure.memory": 4,
    "brochure.engines": 4,
    "brochure.glossary": 4,
    "brochure.translate": 5,
    "brochure.check": 5,
    "brochure.editions": 6,
    "brochure.layout": 7,
    "brochure.outputs": 8,
    "brochure.pipeline": 9,
    "brochure.workbench": 9,  # `brochure serve`: a web layer over the stages, like the orchestrator
    "brochure.commands": 10,
    "brochure.cli": 11,
    "brochure.__main__": 12,
}
TOP = (
    "brochure.pipeline", "brochure.workbench", "brochure.commands", "brochure.cli", "brochure.__main__",
)  # fmt: skip


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file under the package folder `root`."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = [root.name, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that `name` imports anywhere in its file (functions included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from brochure.glossary import tsv` imports the module brochure.glossary.tsv
            targets = [
                f"{module}.{a.name}" if f"{module}.{a.name}" in known else module
                for a in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:  # `import a.b.c` where only a.b is ours
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def graph(root: Path) -> dict[str, set[str]]:
    known = modules(root)
    return {name: imports(name, path, known) for name, path in known.items()}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def layer(module: str) -> str | None:
    """The entry of LAYERS that `module` belongs to (the longest matching prefix)."""
    best = None
    for name in LAYERS:
        if module == name or module.startswith(name + "."):
            if best is None or len(name) > len(best):
                best = name
    return best


def violations(edges: dict[str, set[str]]) -> list[str]:
    """Imports that climb up: into a higher layer, or from a stage into the orchestrator/commands."""
    out = []
    for module, targets in sorted(edges.items()):
        own = layer(module)
        if own is None:
            out.append(
                f"{module}: not in a known layer (add its package to LAYERS, ARCHITECTURE.md)"
            )
            continue
        for target in sorted(targets):
            theirs = layer(target)
            if theirs is None or theirs == own:
                continue
            if target.startswith(TOP) and not module.startswith(TOP):
                out.append(
                    f"{module} imports {target}: a stage reaches up into the orchestrator or commands"
                )
            elif LAYERS[theirs] > LAYERS[own]:
                out.append(
                    f"{module} imports {target}: {own} (layer {LAYERS[own]}) is below {theirs} (layer {LAYERS[theirs]})"
                )
    return out


def test_no_import_circles():
    assert circles(graph(PACKAGE)) == []


def test_imports_go_down_the_layers():
    assert violations(graph(PACKAGE)) == []


def test_every_package_has_a_layer():
    packages = {p.parent for p in PACKAGE.rglob("__init__.py")}
    names = {".".join(["brochure", *p.relative_to(PACKAGE).parts]) for p in packages}
    assert [n for n in sorted(names) if layer(n) is None] == []


def test_the_readable_layer_table_matches():
    text = (PACKAGE.parents[1] / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for name in LAYERS:
        if name not in ("brochure", "brochure.__main__"):
            assert f"`{name.removeprefix('brochure.')}" in text, name


# -- the checker itself finds what it must -------------------------------------------------------
@pytest.fixture
def toy(tmp_path: Path) -> Path:
    root = tmp_path / "brochure"
    for rel, text in {
        "__init__.py": "",
        "core/__init__.py": "",
        "core/errors.py": "",
        "store/__init__.py": "",
        "store/xliff.py": "from brochure.core.errors import X\n",
        "pipeline/__init__.py": "",
        "pipeline/build.py": "from brochure.store import xliff\n",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_a_clean_tree_passes(toy):
    edges = graph(toy)
    assert edges["brochure.pipeline.build"] == {"brochure.store.xliff"}
    assert circles(edges) == [] and violations(edges) == []


def test_a_circle_inside_a_function_is_found(toy):
    (toy / "core" / "errors.py").write_text("def f():\n    from ..core import atomic\n")
    (toy / "core" / "atomic.py").write_text("import brochure.core.errors\n")
    assert circles(graph(toy)) == [["brochure.core.atomic", "brochure.core.errors"]]


def test_a_stage_importing_the_orchestrator_is_found(toy):
    (toy / "store" / "xliff.py").write_text("def f():\n    from brochure.pipeline.build import g\n")
    assert violations(graph(toy)) == [
        "brochure.store.xliff imports brochure.pipeline.build: a stage reaches up into the"
        " orchestrator or commands"
    ]


def test_an_import_up_the_layers_is_found(toy):
    (toy / "core" / "errors.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from brochure.store.xliff import T\n"
    )
    assert violations(graph(toy)) == [
        "brochure.core.errors imports brochure.store.xliff: brochure.core (layer 0) is below"
        " brochure.store (layer 3)"
    ]


def test_public_functions_of_the_stages_say_why():
    """STYLE.md 13: a one-line docstring on every public function of a stage module."""
    missing = []
    for name, path in modules(PACKAGE).items():
        if name.startswith(TOP):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef
            ) and not node.name.startswith("_"):
                if not ast.get_docstring(node):
                    missing.append(f"{name}.{node.name}")
    assert missing == []

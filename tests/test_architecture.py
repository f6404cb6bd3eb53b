"""The structure of src/propos, read statically (``ast``; nothing is imported or run).

The bar of issue 16: no module imports one above it in the flow (read → normalise → parse →
attribute → resolve → store → serve), there is no import cycle, and there is no SQL outside
``store/``. Imports inside functions (lazy imports) and under ``TYPE_CHECKING`` count like
any other; only a script's own imports, under a module-level ``if __name__ == "__main__":``,
do not (spark/job.py is spark-submit's application file, and as a script it runs the CLI).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "propos"

# The layers, bottom first: a module may import its own layer and those below, never one
# above. Entries are module names relative to ``propos`` and cover their submodules;
# ``propos`` itself is the package's public API (extract(), extract_many(), load()).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # What every stage shares: the model types, the language profile and data, the one fold,
    # publication dates, the corpus record and its key, near-duplicate signatures, the export
    # columns, run summaries, language detection, the search language.
    ("core", ("model", "profile", "text", "lexicon", "dates", "article", "dedupe", "columns",
              "summary", "langdetect", "query")),
    ("read", ("read",)),
    # Normalise and parse: quotation marks, sentences, dates and amounts in the text.
    ("parse", ("quotes", "sentences", "mentions")),
    ("attribute", ("attribute", "arrays", "tagger", "rerank", "cuetype")),
    # Who speaks, and what follows from it: gender, whom a statement is about, how names
    # group into directory entries, statement groups across articles.
    ("resolve", ("resolve", "gender", "about", "speaker_names", "provenance")),
    # The flow assembled: the spaCy components, the pipeline, the public API, the engine
    # version, the extract job, evaluation and training.
    ("extract", ("propos", "engine", "component", "pipeline", "batch", "evaluate", "training")),
    # The corpus in SQLite: schema, writer, search, views, speaker directory (the only SQL).
    ("store", ("store",)),
    # Corpus ingestion: the corpus readers and the runner that drives read → extract → store.
    ("ingest", ("ingest",)),
    # Serving a corpus: the Spark job (ingest scaled out, and its Parquet search), the web app.
    ("serve", ("spark", "web")),
    ("cli", ("cli",)),
)
# Packages side by side in one layer that must not import each other either: Spark and the
# web app are two ways to serve a corpus, each over what is below them.
SIBLINGS = frozenset({"spark", "web"})

# SQL as it is written in this code base (upper-case keywords).
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE TABLE|PRAGMA)\b")
SQL_CALLS = frozenset({"execute", "executemany", "executescript"})
# Modules outside store/ that may run SQL, and why.
SQL_ALLOWED = {
    "spark.search": "DuckDB over a Spark run's own Parquet output (DIR/attributions), read in "
                    "place: the store's SQLite tables are never touched",
}


@dataclass(frozen=True)
class Import:
    source: str   # the importing module, relative to propos ("store.writer")
    target: str
    line: int


def _name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or "propos"


@cache
def _modules() -> dict[str, Path]:
    return {_name(p): p for p in sorted(SRC.rglob("*.py"))}


@cache
def _tree(name: str) -> ast.Module:
    path = _modules()[name]
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _is_main_block(node: ast.stmt) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__" and len(test.comparators) == 1
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def _nodes(name: str):
    """Every node of the module but those of its ``if __name__ == "__main__":`` block."""
    for statement in _tree(name).body:
        if not _is_main_block(statement):
            yield from ast.walk(statement)


def _known(dotted: str) -> str | None:
    """The propos module ``dotted`` (absolute, "propos.store.db") names, or None."""
    if dotted != "propos" and not dotted.startswith("propos."):
        return None
    relative = dotted.removeprefix("propos").removeprefix(".") or "propos"
    while relative not in _modules() and "." in relative:
        relative = relative.rsplit(".", 1)[0]
    return relative if relative in _modules() else "propos"


def _targets(name: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not node.level:
        base = node.module or ""
    else:
        package = ["propos", *(() if name == "propos" else name.split("."))]
        if _modules()[name].name != "__init__.py":
            package.pop()
        package = package[:len(package) - node.level + 1]
        base = ".".join(package + ([node.module] if node.module else []))
    # "from . import keys" imports a module; "from .model import Span", a name of one
    return [f"{base}.{alias.name}" if _known(f"{base}.{alias.name}") != _known(base)
            else base for alias in node.names]


@cache
def imports() -> tuple[Import, ...]:
    found = []
    for name in _modules():
        for node in _nodes(name):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for dotted in _targets(name, node):
                    target = _known(dotted)
                    if target is not None and target != name:
                        found.append(Import(name, target, node.lineno))
    return tuple(found)


def layer_of(module: str) -> tuple[int, str]:
    """(height, the LAYERS entry that covers it) for a module relative to propos."""
    best: tuple[int, int, str] | None = None
    for height, (_, members) in enumerate(LAYERS):
        for member in members:
            if module == member or module.startswith(member + "."):
                if best is None or len(member) > best[1]:
                    best = (height, len(member), member)
    if best is None:
        raise LookupError(module)
    return best[0], best[2]


def test_every_module_has_a_layer() -> None:
    unplaced = []
    for module in _modules():
        try:
            layer_of(module)
        except LookupError:
            unplaced.append(module)
    assert not unplaced, f"place these modules in LAYERS: {', '.join(unplaced)}"


def test_no_module_imports_one_above_it_in_the_flow() -> None:
    wrong = []
    for imp in imports():
        (low, source), (high, target) = layer_of(imp.source), layer_of(imp.target)
        if high > low:
            wrong.append(f"{imp.source} ({LAYERS[low][0]}) imports {imp.target} "
                         f"({LAYERS[high][0]}), a layer above it, at line {imp.line}")
        elif (high == low and source != target and source.split(".")[0] in SIBLINGS
              and target.split(".")[0] in SIBLINGS):
            wrong.append(f"{imp.source} imports {imp.target} at line {imp.line}: "
                         f"{source} and {target} are side by side: neither imports the other")
    assert not wrong, "\n".join(wrong)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each as a path
    that goes round it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(_round(sorted(component), edges))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def _round(component: list[str], edges: dict[str, set[str]]) -> list[str]:
    """A path from the component's first module back to itself, within the component."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(edges.get(node, set()) & members):
            if nxt == start:
                return paths[node] + [start]
            if nxt not in paths:
                paths[nxt] = paths[node] + [nxt]
                queue.append(nxt)
    return component


def test_no_import_cycle() -> None:
    edges: dict[str, set[str]] = {}
    for imp in imports():
        edges.setdefault(imp.source, set()).add(imp.target)
    found = cycles(edges)
    assert not found, "import cycles:\n" + "\n".join(" → ".join(c) for c in found)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}


def _sql_in(module: str) -> list[str]:
    """Where the module writes SQL or runs a statement: ``line: what``."""
    skip = _docstrings(_tree(module))
    found = []
    for node in _nodes(module):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in skip and (match := SQL.search(node.value))):
            found.append(f"{node.lineno}: {match[0]} in {node.value[:60]!r}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_CALLS):
            found.append(f"{node.lineno}: .{node.func.attr}(…)")
    return found


def test_no_sql_outside_the_store() -> None:
    wrong = {module: found for module in _modules()
             if not (module == "store" or module.startswith("store."))
             and module not in SQL_ALLOWED and (found := _sql_in(module))}
    assert not wrong, "SQL outside store/:\n" + "\n".join(
        f"  src/propos/{_modules()[m].relative_to(SRC)} line {line}"
        for m, lines in wrong.items() for line in lines)


@pytest.mark.parametrize("module", sorted(SQL_ALLOWED))
def test_each_sql_allowance_is_still_needed(module: str) -> None:
    assert _sql_in(module), f"{module} runs no SQL any more: remove it from SQL_ALLOWED"


def test_the_checks_see_lazy_imports_and_sql() -> None:
    """What the checks read: an import inside a function, a relative import of a module, an
    f-string's SQL, but no docstring and no script block."""
    assert Import("tagger", "rerank", _line("tagger", "from .rerank import")) in imports()
    assert any(i.source == "store.queries" and i.target == "store.keys" for i in imports())
    assert _sql_in("store.writer")
    assert not any(i.source == "spark.job" and i.target == "cli" for i in imports())


def _line(module: str, text: str) -> int:
    lines = _modules()[module].read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)

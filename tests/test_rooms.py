"""The rooms inside conversations/ and the direction of imports between them.

Layers, lowest first: rules (pure functions) < documents (charts, PDFs) < core (messages,
texts, engine, session) < features (one module or folder each) < top (catalog, coach,
diagram). A module imports its own layer or lower, a feature never imports another
feature, nothing imports in a circle, and conversations/ imports neither bot nor storage.
The graph is read from the source (every import, also those inside functions).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("rules", "documents", "core", "features", "top")
CORE = {"messages", "texts", "engine", "session", "items"}
TOP = {"catalog", "coach", "diagram"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules(package: str) -> dict[str, Path]:
    return {module_name(p): p for p in sorted((ROOT / package).rglob("*.py"))}


def imports_of(path: Path, name: str, known: Iterable[str]) -> set[str]:
    """The project modules ``path`` imports (``from a import b`` names a.b when b is one)."""
    known = set(known)
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = name.split(".") if is_package else name.split(".")[:-1]
                parent = parent[: len(parent) - (node.level - 1)]
                base = ".".join([*parent, *([base] if base else [])])
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.add(child if child in known else base)
    return {m for m in found if m.split(".")[0] in ("conversations", "bot", "storage")}


def graph(package: str = "conversations") -> dict[str, set[str]]:
    everything = {**package_modules("conversations"), **package_modules("bot")}
    everything.update(package_modules("storage"))
    return {
        name: imports_of(path, name, everything) for name, path in package_modules(package).items()
    }


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "top"  # the package itself
    room = parts[1]
    if room in ("rules", "documents", "features"):
        return room
    if room in CORE:
        return "core"
    if room in TOP:
        return "top"
    raise AssertionError(f"{module} is in no room: add it to a folder or to CORE/TOP")


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "features" else None


def wrong_way(edges: Mapping[str, set[str]]) -> list[str]:
    """Every import that goes up a layer, across features, or out to bot/storage."""
    found = []
    for source, targets in sorted(edges.items()):
        for target in sorted(targets):
            if not target.startswith("conversations"):
                found.append(f"{source} imports {target}: conversations/ imports no {target}")
                continue
            if target == "conversations" or target == source:
                continue
            up = LAYERS.index(layer(target)) > LAYERS.index(layer(source))
            across = feature_of(source) and feature_of(target) not in (None, feature_of(source))
            if up or across:
                found.append(f"{source} ({layer(source)}) imports {target} ({layer(target)})")
    return found


def circles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """The import circles (strongly connected groups of two or more, or a self-import)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in edges:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in edges.get(node, ()):
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


# ---------------------------------------------------------------- the tree as it is


def test_every_module_of_the_coach_is_in_a_room() -> None:
    rooms = {name: layer(name) for name in package_modules("conversations")}
    assert {"rules", "documents", "core", "features", "top"} == set(rooms.values())
    assert (ROOT / "conversations" / "rules" / "interview").is_dir()


def test_imports_in_the_coach_go_down_only_and_never_across_features() -> None:
    assert wrong_way(graph("conversations")) == []


def test_no_import_circle_anywhere() -> None:
    for package in ("conversations", "bot", "storage"):
        assert circles(graph(package)) == [], package


def test_storage_imports_neither_the_coach_nor_the_transports() -> None:
    for name, targets in graph("storage").items():
        assert not {t for t in targets if not t.startswith("storage")}, name


# ---------------------------------------------------------------- the checker itself


def test_the_checker_finds_a_circle_and_a_wrong_way_import() -> None:
    edges = {
        "conversations.features.plan": {"conversations.features.checkins"},
        "conversations.features.checkins": {"conversations.features.plan"},
        "conversations.rules.plan": {"conversations.session"},
        "conversations.session": {"storage.repo"},
    }
    assert circles(edges) == [["conversations.features.checkins", "conversations.features.plan"]]
    problems = wrong_way(edges)
    assert any(
        "features.plan (features) imports conversations.features.checkins" in p for p in problems
    )
    assert any("rules.plan (rules) imports conversations.session (core)" in p for p in problems)
    assert any("imports storage.repo" in p for p in problems)


def test_the_checker_reads_imports_inside_functions(tmp_path: Path) -> None:
    source = tmp_path / "late.py"
    source.write_text("def f():\n    from conversations.features import care\n")
    known = {"conversations.features.care"}
    assert imports_of(source, "conversations.rules.late", known) == {"conversations.features.care"}


@pytest.mark.parametrize("module", ["conversations.features.onboarding.questions"])
def test_a_feature_folder_may_import_itself(module: str) -> None:
    edges = {module: {"conversations.features.onboarding.feature"}}
    assert wrong_way(edges) == []

"""The code's layout keeps its tiers: read from the import statements themselves, so a change that crosses a
tier fails here, with the file and the import named, before anyone has to notice it in review."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from explorer import config

EXPLORER = config.ROOT / "explorer"


def module_name(path: Path) -> str:
    parts = path.relative_to(config.ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, top_level_only: bool = False) -> set[str]:
    """The modules a file imports (`from explorer.maps import deckgl` counts as explorer.maps.deckgl)."""
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


MODULES = {module_name(path): path for path in sorted(EXPLORER.rglob("*.py"))}


def test_the_layout_is_what_the_readme_says():
    assert {name for name in MODULES if name.count(".") == 1 and (EXPLORER / name.split(".")[1]).is_dir()} == {
        "explorer.data", "explorer.maps", "explorer.national"}
    assert {"explorer.data.build", "explorer.data.geometry", "explorer.data.store", "explorer.data.cache",
            "explorer.maps.deckgl", "explorer.maps.scales", "explorer.maps.tract_map", "explorer.maps.county_map",
            "explorer.maps.own_layer", "explorer.national.fetch", "explorer.national.build",
            "explorer.national.read"} <= set(MODULES)
    tree = (config.ROOT / "README.md").read_text()
    for package in ("data", "maps", "national"):
        assert f"  {package}/ " in tree, f"the README's project tree has no line for explorer/{package}/"


def test_only_the_cached_layer_calls_streamlit():
    calling = sorted(name for name, path in MODULES.items() if any(m.split(".")[0] == "streamlit" for m in imports(path)))
    assert calling == ["explorer.data.cache"]


@pytest.mark.parametrize("name", [n for n in MODULES if n.startswith("explorer.data.") and n != "explorer.data.cache"])
def test_the_data_tier_stands_on_its_own(name):
    """The build, its geometry and the store need neither the maps nor the national pack."""
    crossing = sorted(m for m in imports(MODULES[name]) if m.startswith(("explorer.maps", "explorer.national")))
    assert crossing == [], f"{name} imports {crossing}"


@pytest.mark.parametrize("name", [n for n in MODULES if n.startswith("explorer.maps.")])
def test_the_maps_build_from_data_they_are_given(name):
    """Map builders take tables and shapes as arguments; they never read files, the cache or the national pack."""
    crossing = sorted(m for m in imports(MODULES[name]) if m.startswith(("explorer.national", "explorer.data")))
    assert crossing == [], f"{name} imports {crossing}"


def test_no_module_of_explorer_imports_itself_back_at_load_time():
    """No import circle, counting imports inside functions too (the build and the national build had one)."""
    graph = {name: {m for m in imports(path) if m in MODULES and m != name}
             for name, path in MODULES.items()}
    graph = {name: {m for m in targets if not name.startswith(m + ".")} for name, targets in graph.items()}  # a package's own __init__

    def circle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for target in graph[node]:
                if target == start:
                    return path + [start]
                if target not in path:
                    stack.append((target, path + [target]))
        return None

    circles = [circle for circle in map(circle_from, graph) if circle]
    assert circles == [], f"import circles: {circles[:3]}"


def test_pages_and_ui_read_data_only_through_the_cached_layer():
    callers = sorted([*(config.ROOT / "pages").glob("*.py"), *(config.ROOT / "ui").glob("*.py"), config.ROOT / "app.py"])
    readers = {path.name: sorted(m for m in imports(path)
                                 if m.startswith("explorer.data.") and not m.startswith("explorer.data.cache"))
               for path in callers}
    assert {name: found for name, found in readers.items() if found} == {}

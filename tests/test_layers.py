"""The layering, enforced from the imports (read with `ast`, lazy imports included).

    extractors/core  ←  extractors/article, extractors/tagging  ←  extractors/web
                     ←  warehouse  ←  dashboards  ←  flows

A room may import its own modules and any room to its left, never one to its right or a peer
(article and tagging stay independent of each other). Only `flows/` imports Prefect, so every
other room is testable without an orchestrator. docs/ARCHITECTURE.md draws the same picture.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# room -> rank; a room may import rooms of strictly lower rank (and itself).
ROOMS: dict[str, int] = {
    "extractors.core": 0,
    "extractors.article": 1,
    "extractors.tagging": 1,
    "extractors.web": 2,
    "warehouse": 3,
    "dashboards": 4,
    "flows": 5,
}
PACKAGES = ("extractors", "warehouse", "dashboards", "flows")
ORCHESTRATORS = ("prefect", "prefect_dask", "dask", "distributed")
# Package markers that hold no code of their own.
MARKERS = {"extractors/__init__.py"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def room_of(module: str) -> str | None:
    """The longest room prefix of a dotted module name (None for outside the five packages)."""
    best = None
    for room in ROOMS:
        if (module == room or module.startswith(room + ".")) and (best is None or len(room) > len(best)):
            best = room
    return best


def production_files() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in the file, function-level ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.append((node.lineno, mod))
            # `from pkg import module` imports pkg.module
            found += [(node.lineno, f"{mod}.{alias.name}") for alias in node.names]
    return found


def project_edges() -> list[tuple[str, int, str]]:
    """(file, line, imported module) for imports of our own packages."""
    edges = []
    for path in production_files():
        for line, mod in imports_of(path):
            if mod.split(".")[0] in PACKAGES:
                edges.append((str(path.relative_to(ROOT)), line, mod))
    return edges


def test_every_production_file_sits_in_a_room():
    homeless = [str(p.relative_to(ROOT)) for p in production_files()
                if room_of(module_name(p)) is None and str(p.relative_to(ROOT)) not in MARKERS]
    assert homeless == [], f"files outside the rooms {sorted(ROOMS)}: {homeless}"


def test_imports_point_down_the_layers_only():
    offenders = []
    for file, line, mod in project_edges():
        src, dst = room_of(module_name(ROOT / file)), room_of(mod)
        if src is None or dst is None or src == dst:
            continue
        if ROOMS[dst] >= ROOMS[src]:
            offenders.append(f"{file}:{line} ({src}) imports {mod} ({dst})")
    assert offenders == [], "imports against the layering:\n" + "\n".join(offenders)


def test_only_flows_imports_an_orchestrator():
    offenders = [f"{p.relative_to(ROOT)}:{line} imports {mod}"
                 for p in production_files() if room_of(module_name(p)) != "flows"
                 for line, mod in imports_of(p) if mod.split(".")[0] in ORCHESTRATORS]
    assert offenders == [], "\n".join(offenders)


def test_no_module_level_import_cycles():
    modules = {module_name(p) for p in production_files()}
    graph: dict[str, set[str]] = defaultdict(set)
    for file, _line, mod in project_edges():
        src = module_name(ROOT / file)
        # `from pkg import name` names a module only when one exists by that name
        target = mod if mod in modules else mod.rpartition(".")[0]
        if target in modules and target != src and (ROOT / file).name != "__init__.py":
            graph[src].add(target)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for m in sorted(modules):
        if m not in state:
            visit(m, [m])
    assert cycles == [], f"import cycles: {cycles}"


def test_no_sys_path_inserts_anywhere():
    """Helpers are imported as packages (tests, bench, scripts), never through sys.path hacks."""
    offenders = []
    for folder in (*PACKAGES, "tests", "bench", "scripts"):
        for p in (ROOT / folder).rglob("*.py"):
            if p == Path(__file__).resolve():
                continue
            text = p.read_text(encoding="utf-8")
            if "sys.path.insert" in text or "sys.path.append" in text:
                offenders.append(str(p.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.parametrize("room", sorted(ROOMS))
def test_every_room_has_a_docstring_saying_what_it_holds(room):
    init = ROOT / room.replace(".", "/") / "__init__.py"
    assert init.exists(), f"{room} has no __init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    assert doc and len(doc) > 40, f"{init.relative_to(ROOT)} needs a docstring saying what the room holds"


# HTTP client constructors: Marsad's requests all go through extractors/web/fetcher.py's
# `make_client` (SSRF guard, robots, caps, retries, User-Agent). Anything else is a second door.
HTTP_CLIENTS = {("httpx", "Client"), ("httpx", "AsyncClient"), ("httpx", "get"), ("httpx", "stream"),
                ("httpx", "request"), ("urllib.request", "urlopen"), ("http.client", "HTTPConnection"),
                ("http.client", "HTTPSConnection"), ("requests", "get"), ("requests", "Session")}
WEB_ROOM = "extractors.web"


def http_client_calls(path: Path) -> list[str]:
    """`line: module.name(...)` for every call of an HTTP client constructor in the file,
    whether written `httpx.AsyncClient(...)`, `from httpx import AsyncClient` or an alias."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: dict[str, tuple[str, str] | str] = {}  # local name -> module, or (module, attr)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = (node.module, alias.name)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func, target = node.func, None
        if isinstance(func, ast.Name) and isinstance(names.get(func.id), tuple):
            target = names[func.id]
        elif isinstance(func, ast.Attribute):
            parts = [func.attr]
            value = func.value
            while isinstance(value, ast.Attribute):
                parts.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name) and isinstance(names.get(value.id), str):
                dotted = ".".join([str(names[value.id]), *reversed(parts[1:])])
                target = (dotted, func.attr)
        if target in HTTP_CLIENTS:
            found.append(f"{node.lineno}: {target[0]}.{target[1]}")
    return found


def test_only_the_web_room_opens_http_clients():
    offenders = [f"{p.relative_to(ROOT)}:{call}" for p in production_files()
                 if room_of(module_name(p)) != WEB_ROOM for call in http_client_calls(p)]
    assert offenders == [], "an HTTP client outside extractors/web (use extractors.web.batch.fetch_one):\n" + \
        "\n".join(offenders)
    inside = {str(p.relative_to(ROOT)) for p in production_files() if http_client_calls(p)}
    assert inside == {"extractors/web/fetcher.py"}, inside  # and there, only `make_client`


def test_the_client_check_sees_every_spelling(tmp_path):
    """The check itself can fail: each way of opening a client is caught."""
    sample = tmp_path / "sample.py"
    sample.write_text("import httpx\nimport httpx as h\nfrom httpx import AsyncClient as AC\nimport urllib.request\n"
                      "httpx.Client()\nh.AsyncClient()\nAC()\nurllib.request.urlopen('x')\nhttpx.URL('x')\n",
                      encoding="utf-8")
    assert http_client_calls(sample) == ["5: httpx.Client", "6: httpx.AsyncClient", "7: httpx.AsyncClient",
                                         "8: urllib.request.urlopen"]

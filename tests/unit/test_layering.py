"""The package's layers, checked on the source with ``ast``: who may import whom.

domain      the standard library and itself, nothing else
storage,    never the hub or the client
services
client      talks to the hub over HTTP only: no storage, services or hub internals, except
            ``counter_app.hub.schemas``, the shared wire format
ui          the only place for PySide6; nothing but the ``cli`` entry point imports it
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import counter_app

PACKAGE_DIR = Path(counter_app.__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
STDLIB = frozenset(sys.stdlib_module_names)


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. counter_app.hub.app
    target: str  # the imported module, absolute, e.g. counter_app.domain.roles
    line: int = 0

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.target}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def module_exists(dotted: str, root: Path) -> bool:
    if not dotted.startswith("counter_app."):
        return False
    rel = Path(*dotted.split("."))
    return (root / rel).with_suffix(".py").exists() or (root / rel / "__init__.py").exists()


def imports_of(path: Path, root: Path = ROOT) -> list[Import]:
    """Every import in the file, anywhere in it (functions, TYPE_CHECKING blocks), absolute."""
    name = module_name(path, root)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(Import(name, alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append(Import(name, target, node.lineno))
            # ``from counter_app import ui`` imports the submodule counter_app.ui too.
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                if module_exists(candidate, root):
                    found.append(Import(name, candidate, node.lineno))
    return found


def within(target: str, package: str) -> bool:
    return target == package or target.startswith(package + ".")


def top(target: str) -> str:
    return target.split(".", maxsplit=1)[0]


# --- the rules: each returns the imports that break it ---


def pyside_outside_ui(imports: list[Import]) -> list[Import]:
    return [
        i for i in imports if top(i.target) == "PySide6" and not within(i.module, "counter_app.ui")
    ]


def domain_beyond_stdlib(imports: list[Import]) -> list[Import]:
    return [
        i
        for i in imports
        if within(i.module, "counter_app.domain")
        and not within(i.target, "counter_app.domain")
        and top(i.target) not in STDLIB
    ]


def ui_imported_outside_ui(imports: list[Import]) -> list[Import]:
    return [
        i
        for i in imports
        if within(i.target, "counter_app.ui")
        and not within(i.module, "counter_app.ui")
        and i.module != "counter_app.cli"
    ]


def client_beyond_wire_format(imports: list[Import]) -> list[Import]:
    forbidden = ("counter_app.storage", "counter_app.services", "counter_app.hub")
    return [
        i
        for i in imports
        if within(i.module, "counter_app.client")
        and any(within(i.target, f) for f in forbidden)
        and not within(i.target, "counter_app.hub.schemas")
    ]


def lower_layers_reaching_up(imports: list[Import]) -> list[Import]:
    return [
        i
        for i in imports
        if (within(i.module, "counter_app.services") or within(i.module, "counter_app.storage"))
        and (within(i.target, "counter_app.hub") or within(i.target, "counter_app.client"))
    ]


def devices_and_printing_reaching_up(imports: list[Import]) -> list[Import]:
    """Printers, scanners and layouts work for the hub and the counter alike: they know no
    store, service, hub or client."""
    forbidden = (
        "counter_app.storage",
        "counter_app.services",
        "counter_app.hub",
        "counter_app.client",
    )
    return [
        i
        for i in imports
        if (within(i.module, "counter_app.devices") or within(i.module, "counter_app.printing"))
        and any(within(i.target, f) for f in forbidden)
    ]


Rule = Callable[[list[Import]], list[Import]]
RULES: dict[str, Rule] = {
    "PySide6 only in counter_app.ui": pyside_outside_ui,
    "domain imports only the standard library": domain_beyond_stdlib,
    "only the cli imports counter_app.ui": ui_imported_outside_ui,
    "client imports only counter_app.hub.schemas of the hub side": client_beyond_wire_format,
    "services and storage never import hub or client": lower_layers_reaching_up,
    "devices and printing never import storage, services, hub or client": (
        devices_and_printing_reaching_up
    ),
}

ALL_IMPORTS: list[Import] = [
    imp for path in sorted(PACKAGE_DIR.rglob("*.py")) for imp in imports_of(path)
]


@pytest.mark.parametrize("rule", RULES, ids=list(RULES))
def test_package_keeps_its_layers(rule: str) -> None:
    broken = [str(i) for i in RULES[rule](ALL_IMPORTS)]
    assert broken == [], f"{rule}: {broken}"


def test_the_walk_sees_the_whole_package() -> None:
    # The rules above could pass by seeing nothing; make sure they see everything.
    modules = {i.module for i in ALL_IMPORTS}
    for expected in (
        "counter_app.cli",
        "counter_app.domain.roles",
        "counter_app.hub.app",
        "counter_app.hub.api.events",
        "counter_app.client.hub_client",
        "counter_app.ui.app",
        "counter_app.storage.database",
        "counter_app.services.staff",
    ):
        assert expected in modules
    assert any(top(i.target) == "PySide6" for i in ALL_IMPORTS)
    assert Import("counter_app.client.events", "counter_app.hub.schemas") in {
        Import(i.module, i.target) for i in ALL_IMPORTS
    }


# --- the checker catches what it should ---

BAD_EXAMPLES: dict[str, list[Import]] = {
    "PySide6 only in counter_app.ui": [
        Import("counter_app.services.staff", "PySide6.QtCore"),
        Import("counter_app.client.events", "PySide6"),
    ],
    "domain imports only the standard library": [
        Import("counter_app.domain.staff", "sqlalchemy"),
        Import("counter_app.domain.roles", "counter_app.storage.models"),
        Import("counter_app.domain", "pydantic"),
    ],
    "only the cli imports counter_app.ui": [
        Import("counter_app.hub.app", "counter_app.ui.messages"),
        Import("counter_app.__main__", "counter_app.ui"),
    ],
    "client imports only counter_app.hub.schemas of the hub side": [
        Import("counter_app.client.hub_client", "counter_app.storage.database"),
        Import("counter_app.client.hub_client", "counter_app.services.staff"),
        Import("counter_app.client.events", "counter_app.hub.security"),
        Import("counter_app.client.events", "counter_app.hub"),
    ],
    "services and storage never import hub or client": [
        Import("counter_app.services.staff", "counter_app.hub.schemas"),
        Import("counter_app.storage.database", "counter_app.client.hub_client"),
    ],
    "devices and printing never import storage, services, hub or client": [
        Import("counter_app.printing.ticket", "counter_app.hub.schemas"),
        Import("counter_app.devices.ticket_printer", "counter_app.storage.database"),
    ],
}

GOOD_EXAMPLES = [
    Import("counter_app.ui.app", "PySide6.QtWidgets"),
    Import("counter_app.domain.audit", "hashlib"),
    Import("counter_app.domain.roles", "counter_app.domain.errors"),
    Import("counter_app.domain.audit", "__future__"),
    Import("counter_app.cli", "counter_app.ui.app"),
    Import("counter_app.client.hub_client", "counter_app.hub.schemas"),
    Import("counter_app.client.hub_client", "counter_app.domain.roles"),
    Import("counter_app.services.staff", "counter_app.storage.models"),
    Import("counter_app.hub.app", "counter_app.services.staff"),
]


@pytest.mark.parametrize("rule", RULES, ids=list(RULES))
def test_each_rule_flags_its_bad_examples(rule: str) -> None:
    assert RULES[rule](BAD_EXAMPLES[rule]) == BAD_EXAMPLES[rule]
    assert RULES[rule](GOOD_EXAMPLES) == []


def write_module(root: Path, relative: str, source: str) -> Path:
    path = root / "counter_app" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return path


def test_relative_and_nested_imports_are_resolved(tmp_path: Path) -> None:
    write_module(tmp_path, "client/__init__.py", "")
    source = (
        "from ..storage import database\n"
        "from . import events\n"
        "def later():\n"
        "    import PySide6.QtCore\n"
    )
    found = imports_of(write_module(tmp_path, "client/sneaky.py", source), tmp_path)
    targets = {i.target for i in found}
    assert targets == {"counter_app.storage", "counter_app.client", "PySide6.QtCore"}
    assert all(i.module == "counter_app.client.sneaky" for i in found)
    assert client_beyond_wire_format(found)
    assert pyside_outside_ui(found)

    init_path = write_module(tmp_path, "domain/__init__.py", "from .roles import Role\n")
    init = imports_of(init_path, tmp_path)
    assert [i.target for i in init] == ["counter_app.domain.roles"]

    deep = imports_of(
        write_module(tmp_path, "hub/api/x.py", "from ...services.staff import StaffDirectory\n"),
        tmp_path,
    )
    assert [i.target for i in deep] == ["counter_app.services.staff"]

    from_package = imports_of(
        write_module(tmp_path, "storage/y.py", "from counter_app import client\n"), tmp_path
    )
    assert lower_layers_reaching_up(from_package) == [
        Import("counter_app.storage.y", "counter_app.client", 1)
    ]

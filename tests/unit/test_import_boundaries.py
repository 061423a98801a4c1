"""Import boundaries beside import-linter's contracts (pyproject.toml, run by `make lint`): only the API
package may use Powertools' event handler (import-linter cannot name a subpackage of an external package),
and the functions' handlers reach the domain through careercoach.api or the container, never the reverse."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "layers" / "core" / "careercoach"
REGISTRY = ROOT / "layers" / "llm" / "llm_registry"
EVENT_HANDLER = "aws_lambda_powertools.event_handler"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def domain_files() -> list[Path]:
    api = CORE / "api"
    return [p for p in sorted(CORE.rglob("*.py")) if api not in p.parents] + sorted(REGISTRY.rglob("*.py"))


@pytest.mark.parametrize("path", domain_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_api_package_imports_the_event_handler(path: Path) -> None:
    offending = {m for m in imported_modules(path) if m == EVENT_HANDLER or m.startswith(EVENT_HANDLER + ".")}
    assert not offending, f"{path.relative_to(ROOT)} imports {sorted(offending)}"


def test_the_check_sees_an_event_handler_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from aws_lambda_powertools.event_handler import Response\n", encoding="utf-8")
    assert EVENT_HANDLER in imported_modules(module)


def test_the_api_package_is_where_the_event_handler_is_used() -> None:
    used = {m for p in (CORE / "api").rglob("*.py") for m in imported_modules(p)}
    assert any(m.startswith(EVENT_HANDLER) for m in used)


def test_no_code_outside_the_specs_compares_with_a_generation_kind() -> None:
    """What differs between kinds lives in their specs: no comparison with a kind name ("interview",
    "learning_path", ...) anywhere else in the core (the offline generator's skill and evidence kinds are
    other vocabularies and do not match)."""
    from careercoach.generation.kinds import SPECS

    kinds = set(SPECS)
    spec_modules = {CORE / "generation" / f"{name}.py" for name in ("kinds", "spec", "interview", "learning")}
    found = []
    for path in sorted(CORE.rglob("*.py")):
        if path in spec_modules:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                if any(isinstance(o, ast.Constant) and o.value in kinds for o in operands):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found


# Powertools internals the code once overrode; the next Powertools release may rename any of them.
POWERTOOLS_PRIVATE_NAMES = (
    "_get_body",
    "_request_validation_middleware",
    "_static_routes",
    "_dynamic_routes",
)


def project_sources() -> list[Path]:
    folders = ("layers/core/careercoach", "layers/llm/llm_registry", "functions", "local")
    return [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))]


def private_names_used(path: Path) -> set[str]:
    """Uses of the private names in `path`: attributes, names and whole strings (a getattr); not comments."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    used |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    used |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return used & set(POWERTOOLS_PRIVATE_NAMES)


def test_no_powertools_private_name_is_used() -> None:
    """Only public Powertools hooks: no attribute, name or getattr string of its known private members."""
    found = {}
    for path in project_sources():
        if names := private_names_used(path):
            found[str(path.relative_to(ROOT))] = sorted(names)
    assert not found, found


def test_the_private_name_check_sees_a_use(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    source = "def f(app):\n    return [*app._static_routes, getattr(app, '_get_body')]  # _dynamic_routes\n"
    module.write_text(source, encoding="utf-8")
    assert private_names_used(module) == {"_static_routes", "_get_body"}

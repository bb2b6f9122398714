"""Find a scenario's text (a file or a built-in name) and read its YAML into a mapping."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from nevsim.scenario import yamlio
from nevsim.scenario.errors import Problem, ScenarioError, did_you_mean

_BUILTIN_PACKAGE = "nevsim.data.scenarios"


def builtin_names() -> list[str]:
    """Names of the scenarios shipped inside nevsim."""
    folder = resources.files(_BUILTIN_PACKAGE)
    names = (p.name.removesuffix(".yaml") for p in folder.iterdir())
    return sorted(n for n in names if not n.startswith("_") and "." not in n)


def builtin_text(name: str) -> str:
    """YAML text of a built-in scenario."""
    return (resources.files(_BUILTIN_PACKAGE) / f"{name}.yaml").read_text(encoding="utf-8")


def resolve(ref: str | Path) -> tuple[str, str]:
    """(source label, YAML text) for a file path or a built-in scenario name."""
    path = Path(ref)
    if path.is_file():
        return str(path), path.read_text(encoding="utf-8")
    if str(ref) in builtin_names():
        return f"<built-in {ref}>", builtin_text(str(ref))
    if path.suffix in {".yaml", ".yml"} or path.parent != Path():
        raise ScenarioError([Problem("", "no such scenario file", str(ref))])
    raise ScenarioError([Problem("", "no scenario file or built-in scenario of that name"
                                 f"{did_you_mean(ref, builtin_names())}; built-ins: "
                                 f"{', '.join(builtin_names())}", str(ref))])


def parse_yaml(text: str, source: str) -> dict[str, Any]:
    """Safe-load YAML into a mapping, with the line and column of a syntax error."""
    try:
        data = yamlio.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        reason = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError([Problem("", f"not valid YAML at {where}: {reason}")], source) from None
    if not isinstance(data, dict):
        raise ScenarioError(
            [Problem("", "a scenario file is a mapping with name: and a part such as factory:",
                     type(data).__name__)], source)
    return data

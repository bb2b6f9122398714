"""Turn a YAML file or a built-in name into a validated Scenario, or a located ScenarioError."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from nevsim.scenario.document import Scenario
from nevsim.scenario.errors import Problem, ScenarioError, format_loc

_BUILTIN_PACKAGE = "nevsim.data.scenarios"
# Discriminator tags pydantic adds to locations; a user's file has no such level.
_UNION_TAGS = {
    "scalar", "deterministic", "exponential", "normal", "lognormal", "triangular", "uniform",
    "weibull", "empirical", "function-before[_wrap(), Deterministic]",
}


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
    raise ScenarioError([Problem("", f"no scenario file or built-in scenario of that name; "
                                 f"built-ins: {', '.join(builtin_names())}", str(ref))])


def parse_yaml(text: str, source: str) -> dict[str, Any]:
    """Safe-load YAML into a mapping, with the line and column of a syntax error."""
    try:
        data = yaml.safe_load(text)
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


def validate(data: dict[str, Any], source: str) -> Scenario:
    """Validate shape (pydantic), then meaning (the parts' named checks)."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if p not in _UNION_TAGS)
            message = err["msg"].removeprefix("Value error, ")
            value = None if err["type"] in {"missing", "extra_forbidden"} else err.get("input")
            if isinstance(value, dict | list):
                value = None
            problems.append(Problem(format_loc(loc), message, value))
        raise ScenarioError(_dedupe(problems), source) from None
    problems = scenario.problems()
    if problems:
        raise ScenarioError(problems, source)
    return scenario


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    out = []
    for p in problems:
        if (p.path, p.message) not in seen:
            seen.add((p.path, p.message))
            out.append(p)
    return out


def load_scenario(ref: str | Path) -> Scenario:
    """Load a scenario from a YAML path or a built-in name such as `yizhuang`."""
    source, text = resolve(ref)
    try:
        return validate(parse_yaml(text, source), source)
    except ScenarioError as exc:
        raise exc.with_source(source) from None


def variants(ref: str | Path, path: str, values: list[Any]) -> list[Scenario]:
    """The scenario once per value of the field at `path`, each validated (for sweeps)."""
    from nevsim.scenario.overrides import apply_override

    source, text = resolve(ref)
    base = parse_yaml(text, source)
    return [validate(apply_override(base, path, v), f"{source} with {path}={v}")
            for v in values]


def scenario_from_dict(data: dict[str, Any], source: str = "<dict>") -> Scenario:
    """Validate an in-memory scenario (tests, notebooks, the web API)."""
    return validate(data, source)

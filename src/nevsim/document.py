"""The scenario document: a name, a description and one section per part of nevsim.

It sits above the parts (it imports each part's schema and checks) and below the workflow;
the shared base (`nevsim.scenario`: units, distributions, errors, reading) imports none of it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nevsim.factory.checks import plant_problems
from nevsim.factory.model import Plant
from nevsim.network.checks import network_problems
from nevsim.network.model import Network
from nevsim.partnership.checks import partnership_problems
from nevsim.partnership.model import Partnership
from nevsim.program.checks import program_problems
from nevsim.program.model import Program
from nevsim.scenario.errors import Problem, ScenarioError, did_you_mean, format_loc
from nevsim.scenario.overrides import apply_override
from nevsim.scenario.provenance import Basis
from nevsim.scenario.reading import parse_yaml, resolve


class Scenario(BaseModel):
    """Everything nevsim knows about one world to analyse."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    name: str = Field(min_length=1)
    description: str = ""
    factory: Plant | None = Field(default=None, description="A car plant to simulate.")
    network: Network | None = Field(
        default=None, description="A production and supply network to plan."
    )
    program: Program | None = Field(
        default=None, description="A vehicle development program, concept to SOP."
    )
    partnership: Partnership | None = Field(
        default=None, description="Partners pooling the assets of the network.")
    basis: list[Basis] = Field(default_factory=list)

    def problems(self) -> list[Problem]:
        """Cross-entity problems of every part present."""
        found: list[Problem] = []
        if self.factory is not None:
            found += plant_problems(self.factory, "factory")
        if self.network is not None:
            found += network_problems(self.network, "network")
        if self.program is not None:
            found += program_problems(self.program, "program")
        if self.partnership is not None:
            found += partnership_problems(self.partnership, self.network, "partnership")
        return found


PARTS: dict[str, type[BaseModel]] = {"factory": Plant, "network": Network, "program": Program,
                                      "partnership": Partnership}
"""Part name -> the schema of its section, for `nevsim schema PART`."""

# Discriminator tags pydantic adds to locations; a user's file has no such level.
_UNION_TAGS = {
    "scalar", "deterministic", "exponential", "normal", "lognormal", "triangular", "uniform",
    "weibull", "empirical", "function-before[_wrap(), Deterministic]", "fixed", "pert",
}


_TYPE_TAG = re.compile(r"^(float|int|str|bool|constrained-\w+|(dict|list|tuple|set)\[.*\]|"
                       r"function-\w+\[.*\]|nullable\[.*\])$")
"""Locations pydantic adds for a branch of a union (`float | dict[int, float]`)."""


def _user_loc(err: Any) -> tuple[tuple[int | str, ...], str | None]:
    """The location as the user wrote it, and the union branch the error comes from."""
    branch = None
    loc: list[int | str] = []
    scalar = False
    for part in err["loc"]:
        if scalar and part == "value":  # a bare value: the user wrote no `value:` field
            scalar = False
            continue
        scalar = part == "scalar"
        if part in _UNION_TAGS:
            continue
        if isinstance(part, str) and _TYPE_TAG.match(part):
            branch = "mapping" if part.startswith("dict[") else "value"
            continue
        loc.append(part)
    return tuple(loc), branch


def validate(data: dict[str, Any], source: str) -> Scenario:
    """Validate shape (pydantic), then meaning (the parts' named checks)."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc, branch = _user_loc(err)
            given = err.get("input")
            # a union (a number, or {year: number}): report the branch the user meant
            if (branch == "mapping" and err["type"] == "dict_type") or (
                    branch == "value" and isinstance(given, dict)):
                continue
            message = err["msg"].removeprefix("Value error, ")
            value = None if err["type"] in {"missing", "extra_forbidden"} else given
            if isinstance(value, dict | list):
                value = None
            if err["type"] == "extra_forbidden" and loc:
                fields = _fields_at(loc[:-1])
                message = (f"no field {loc[-1]!r} here{did_you_mean(loc[-1], fields)}; "
                           f"fields here: {', '.join(sorted(fields))}" if fields else message)
            problems.append(Problem(format_loc(loc), message, value))
        raise ScenarioError(_dedupe(problems), source) from None
    problems = scenario.problems()
    if problems:
        raise ScenarioError(problems, source)
    return scenario


def _fields_at(loc: tuple[int | str, ...]) -> set[str]:
    """The field names a scenario allows at a location (from its JSON Schema)."""
    schema = _schema()
    defs = schema.get("$defs", {})

    def expand(node: dict[str, Any]) -> list[dict[str, Any]]:
        if "$ref" in node:
            return expand(defs[node["$ref"].split("/")[-1]])
        found = [node]
        for key in ("anyOf", "oneOf", "allOf"):
            for option in node.get(key, []):
                found += expand(option)
        return found

    nodes = [schema]
    for part in loc:
        step: list[dict[str, Any]] = []
        for node in (n for candidate in nodes for n in expand(candidate)):
            if isinstance(part, int) and isinstance(node.get("items"), dict):
                step.append(node["items"])
            elif isinstance(part, str) and part in node.get("properties", {}):
                step.append(node["properties"][part])
            elif isinstance(part, str) and isinstance(node.get("additionalProperties"), dict):
                step.append(node["additionalProperties"])
        nodes = step
    return {name for candidate in nodes for n in expand(candidate)
            for name in n.get("properties", {})}


@functools.cache
def _schema() -> dict[str, Any]:
    return Scenario.model_json_schema(by_alias=True)


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
    source, text = resolve(ref)
    base = parse_yaml(text, source)
    return [validate(apply_override(base, path, v), f"{source} with {path}={v}")
            for v in values]


def scenario_from_dict(data: dict[str, Any], source: str = "<dict>") -> Scenario:
    """Validate an in-memory scenario (tests, notebooks, the web API)."""
    return validate(data, source)

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


MAX_BYTES = 10_000_000
"""The largest scenario file nevsim reads (the built-in ones are about 30 kB)."""


def resolve(ref: str | Path) -> tuple[str, str]:
    """(source label, YAML text) for a file path or a built-in scenario name."""
    path = Path(ref)
    if path.exists() or path.is_symlink():
        return str(path), read_text(path)
    if str(ref) in builtin_names():
        return f"<built-in {ref}>", builtin_text(str(ref))
    if path.suffix in {".yaml", ".yml"} or path.parent != Path():
        raise ScenarioError([Problem("", "no such scenario file", str(ref))])
    raise ScenarioError([Problem("", "no scenario file or built-in scenario of that name"
                                 f"{did_you_mean(ref, builtin_names())}; built-ins: "
                                 f"{', '.join(builtin_names())}", str(ref))])


def read_text(path: Path) -> str:
    """A scenario file's text: a regular, readable UTF-8 file of at most MAX_BYTES."""
    where = str(path)
    try:
        if path.is_dir():
            raise ScenarioError([Problem("", "this is a folder; give a scenario file")], where)
        if not path.is_file():
            raise ScenarioError([Problem("", "not a regular file (a pipe, a device or a "
                                         "broken link); give a scenario file")], where)
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError([Problem("", f"the file has {size:,} bytes; a scenario file "
                                         f"has at most {MAX_BYTES:,}")], where)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ScenarioError([Problem("", f"cannot read the file: {exc.strerror or exc}")],
                            where) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem("", f"not UTF-8 text (byte 0x{data[exc.start]:02x} at "
                                     f"offset {exc.start}); save the file as UTF-8")],
                            where) from None


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

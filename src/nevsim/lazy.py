"""Attributes of a package imported on first use, so `nevsim --help` starts in a blink.

A package lists `name -> module` (the name is taken from the module, or is the module when it
is the package's own submodule of that name) and sets `__getattr__ = lazy(globals(), table)`;
type checkers see the real imports under `if TYPE_CHECKING`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy(namespace: dict[str, Any], table: dict[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` that imports `table[name]` and takes `name` from it."""

    def __getattr__(name: str) -> Any:
        if name not in table:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        module = importlib.import_module(table[name])
        submodule = table[name] == f"{namespace['__name__']}.{name}"
        value = module if submodule else getattr(module, name)
        namespace[name] = value
        return value

    return __getattr__

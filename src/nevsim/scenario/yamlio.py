"""The YAML nevsim reads: safe tags only, YAML 1.2 numbers, no duplicate keys.

PyYAML follows YAML 1.1, where `1.5e5` is a string (the exponent needs a dot and a sign);
editors and JSON Schema validators read YAML 1.2, where it is a number. nevsim reads it as a
number too, so a file means the same to the tool and to the editor. A key given twice in one
mapping is an error (YAML allows the last to win silently).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_FLOAT_12 = re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$")


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping names the same key twice."""


class Loader(yaml.SafeLoader):
    """yaml.SafeLoader with YAML 1.2 exponent floats and duplicate keys refused."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping, refusing a key that appears twice."""
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key: the base class reports it
                break
            if duplicate:
                raise DuplicateKeyError(
                    "while reading a mapping", node.start_mark,
                    f"the key {key!r} appears twice (line {seen[key].start_mark.line + 1} "
                    f"and line {key_node.start_mark.line + 1})", key_node.start_mark)
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float", _FLOAT_12, list("-+0123456789"))


def load(text: str) -> Any:
    """Parse YAML text with `Loader`."""
    return yaml.load(text, Loader=Loader)

"""The YAML nevsim reads: safe tags only, YAML 1.2 numbers, no duplicate keys, bounded size.

PyYAML follows YAML 1.1, where `1.5e5` is a string (the exponent needs a dot and a sign);
editors and JSON Schema validators read YAML 1.2, where it is a number. nevsim reads it as a
number too, so a file means the same to the tool and to the editor. A key given twice in one
mapping is an error (YAML allows the last to win silently). Anchors and aliases work, but a
document that would expand to more than MAX_NODES values (an alias bomb) or nest deeper than
MAX_DEPTH is refused before anything is built from it.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_FLOAT_12 = re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$")


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping names the same key twice."""


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser: 5x faster


class Loader(_Base):  # type: ignore[misc]
    """A safe loader (libyaml's when built) with YAML 1.2 exponent floats, no duplicate keys."""

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
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float", _FLOAT_12, list("-+0123456789"))


MAX_NODES = 2_000_000
"""Values a document may hold once its aliases are expanded."""

MAX_DEPTH = 64
"""Levels of nesting a document may have (a scenario needs about eight)."""


class TooLargeError(yaml.YAMLError):
    """A document too large or too deep to read safely."""


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_size(root: yaml.Node) -> None:
    """Refuse a node graph that expands to too many values or nests too deep."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        if depth > MAX_DEPTH:
            raise TooLargeError(f"the document nests more than {MAX_DEPTH} levels deep "
                                f"(line {node.start_mark.line + 1})")
        children = _children(node)
        if done:
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[id(node)] > MAX_NODES:
                raise TooLargeError(f"the document expands to more than {MAX_NODES:,} values "
                                    "(aliases repeating aliases?)")
            continue
        if id(node) in sizes:
            continue
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in children if id(c) not in sizes)


def _flow_depth(text: str) -> int:
    """The deepest nesting of [ ] and { } outside quotes (PyYAML's scanner is quadratic in it)."""
    depth = deepest = 0
    quote = ""
    for char in text:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
        elif char == "\n":
            quote = ""
    return deepest


def load(text: str) -> Any:
    """Parse YAML text with `Loader` (a SafeLoader), after checking what it expands to."""
    if _flow_depth(text) > MAX_DEPTH:
        raise TooLargeError(f"the document nests more than {MAX_DEPTH} levels deep")
    loader = Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise TooLargeError(f"the document nests more than {MAX_DEPTH} levels deep") from None
        if node is None:
            return None
        _check_size(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()

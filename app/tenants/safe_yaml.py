"""Loading YAML that a person uploaded, within limits that keep a worker alive.

`yaml.safe_load` builds only plain data, but a few kilobytes can still describe an enormous
document: aliases that refer to lists of aliases ("billion laughs") are cheap to load and
explode when anything walks the result, and deep nesting overflows PyYAML's recursive
composer. `load_bounded` refuses both before any Python object is built.
"""
from __future__ import annotations

from typing import Any

import yaml
from flask_babel import gettext as _

from app.errors import Invalid

MAX_NODES = 20_000   # counted with every alias expanded, as a consumer walking the data would
MAX_DEPTH = 40


class TooComplex(Invalid, yaml.YAMLError):
    """The document exceeds a limit; `message` is for the person who uploaded it. Still a
    `yaml.YAMLError`, so a loader that reports YAML errors reports this one too."""

    def __init__(self, message: str):
        super().__init__(message)


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses deep nesting while composing, and documents whose aliases
    would expand past `MAX_NODES` (billion laughs) or loop, before anything is built."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = self._nodes = 0

    def compose_node(self, parent, index):
        self._depth += 1
        self._nodes += 1
        if self._depth > MAX_DEPTH:
            raise TooComplex(_too_deep())
        if self._nodes > MAX_NODES:
            raise TooComplex(_too_many())
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_document(self, node):
        _expanded_size(node, {}, 0)
        return super().construct_document(node)

    def construct_yaml_timestamp(self, node):
        """A date-like value that is no date (`2019-13-45`) is a YAML error at its line, not a crash."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            raise yaml.constructor.ConstructorError(None, None, "invalid date", node.start_mark) from None


_BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", _BoundedLoader.construct_yaml_timestamp)


def _too_deep() -> str:
    return _("susunan terlalu dalam (lebih dari %(n)s tingkat)", n=MAX_DEPTH)


def _too_many() -> str:
    return _("berkas terlalu besar atau memakai rujukan YAML (alias) yang berlipat: lebih dari %(n)s unsur",
             n=MAX_NODES)


def _expanded_size(node, sizes: dict[int, int], depth: int) -> int:
    """Nodes under `node` with aliases expanded; each distinct node is counted once per
    path through it, but computed once. A loop through an alias exceeds the depth."""
    if depth > MAX_DEPTH:
        raise TooComplex(_too_deep())
    if id(node) in sizes:
        return sizes[id(node)]
    children = node.value if isinstance(node, yaml.SequenceNode) else (
        [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else [])
    total = 1
    for child in children:
        total += _expanded_size(child, sizes, depth + 1)
        if total > MAX_NODES:
            raise TooComplex(_too_many())
    sizes[id(node)] = total
    return total


def load_bounded(text: str) -> Any:
    """`yaml.safe_load` that raises `TooComplex` (or `yaml.YAMLError`) instead of exploding."""
    return yaml.load(text, Loader=_BoundedLoader)

"""The kinds of SOP step the software knows, one module each.

Every module of this package that defines `KIND` (a `StepKind`) is a kind; `REGISTRY`
maps kind keys to them, in their `order`. SOP validation, taking a step, the case page,
the SOP diff and editor and the dashboard all ask the registry, so a new kind is a new
module here, its form partial in templates/cases/steps/, and its line in FORMAT.md.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from types import ModuleType

from app.casework.step_kinds.base import StepInput, StepKind

__all__ = ["KIND_LABELS", "REGISTRY", "StepInput", "StepKind", "kind_of", "register", "unregister"]

REGISTRY: dict[str, StepKind] = {}


def register(source: StepKind | ModuleType) -> StepKind:
    """Add a kind (or a module defining `KIND`) to the registry, keeping it in `order`."""
    kind = getattr(source, "KIND", source)
    if not isinstance(kind, StepKind):
        raise TypeError(f"{source!r} is not a step kind")
    kinds = {**REGISTRY, kind.key: kind}
    REGISTRY.clear()
    REGISTRY.update(sorted(kinds.items(), key=lambda item: (item[1].order, item[0])))
    return kind


def unregister(key: str) -> None:
    """Take a kind out of the registry (tests that add one at runtime)."""
    REGISTRY.pop(key, None)


def kind_of(key: str | None) -> StepKind | None:
    """The registered kind called `key`, or None."""
    return REGISTRY.get(key or "")


def _discover() -> None:
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if isinstance(getattr(module, "KIND", None), StepKind):
            register(module)


class _Labels(Mapping):
    """Kind key -> label, read from the registry at each use (kinds added later included)."""

    def __getitem__(self, key: str):
        return REGISTRY[key].label

    def __iter__(self) -> Iterator[str]:
        return iter(REGISTRY)

    def __len__(self) -> int:
        return len(REGISTRY)


KIND_LABELS: Mapping = _Labels()

_discover()

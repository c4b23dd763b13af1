"""Name → constructor registry: ``create_model(name)`` is the only way to build an architecture."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from torch import nn

__all__ = ["register_model", "create_model", "list_models"]

_MODELS: dict[str, Callable[..., nn.Module]] = {}


def register_model(fn: Callable[..., nn.Module]) -> Callable[..., nn.Module]:
    """Decorator: make ``fn`` buildable as ``create_model(fn.__name__)``."""
    if fn.__name__ in _MODELS:
        raise ValueError(f"architecture {fn.__name__!r} is registered twice")
    _MODELS[fn.__name__] = fn
    return fn


def create_model(name: str, **kwargs: Any) -> nn.Module:
    """Build a registered architecture; ``kwargs`` go to its constructor (e.g. ``num_classes``)."""
    try:
        factory = _MODELS[name]
    except KeyError:
        raise ValueError(f"unknown architecture {name!r}; choose from {list_models()}") from None
    return factory(**kwargs)


def list_models() -> list[str]:
    return sorted(_MODELS)

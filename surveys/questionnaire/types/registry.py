"""The question types by name: ``register(name)`` puts a type in, ``get(name)`` finds it.

An edition may use a type only once it is registered (``KNOWN`` is the live set of
names the edition checker consults), so a type added at run time, in a test for
instance, is known from then on and forgotten again by ``unregister``.

The registry holds instances of ``types.base.QuestionType`` but imports nothing of the
questionnaire: the edition asks it which types exist, and the types read editions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Set
from typing import Any, TypeVar

T = TypeVar("T", bound=type)

_TYPES: dict[str, Any] = {}


class UnknownQuestionType(LookupError):
    """No type of that name is registered."""


def register(name: str) -> Callable[[T], T]:
    """Class decorator: ``@register("grid")`` makes an instance of the class the type ``grid``."""

    def decorate(cls: T) -> T:
        if name in _TYPES:
            raise ValueError(f"a question type named {name!r} is registered already")
        instance = cls()
        instance.name = name
        _TYPES[name] = instance
        return cls

    return decorate


def unregister(name: str) -> None:
    if _TYPES.pop(name, None) is None:
        raise UnknownQuestionType(f"no question type named {name!r} is registered")


def get(name: str) -> Any:
    """The type of that name (a ``QuestionType``); UnknownQuestionType if there is none."""
    try:
        return _TYPES[name]
    except KeyError:
        raise UnknownQuestionType(f"unknown question type {name!r}") from None


class _Names(Set):
    """The names of the registered types, as they are at the moment of asking."""

    def __contains__(self, name: object) -> bool:
        return name in _TYPES

    def __iter__(self) -> Iterator[str]:
        return iter(list(_TYPES))

    def __len__(self) -> int:
        return len(_TYPES)

    @classmethod
    def _from_iterable(cls, names: Any) -> frozenset[str]:
        # Set operations (``KNOWN | {…}``) give a plain frozenset.
        return frozenset(names)

    def __repr__(self) -> str:
        return f"<question types {sorted(_TYPES)}>"


KNOWN: Set[str] = _Names()

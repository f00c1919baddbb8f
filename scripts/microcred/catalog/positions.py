"""Where each value of a YAML text starts, read from libyaml's events, for locating problems in linear time."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import yaml
from yaml.cyaml import CParser  # type: ignore[attr-defined]


@contextmanager
def cycles_uncollected() -> Iterator[None]:
    """Pause Python's cycle collector while many objects are made and none of them form a cycle.

    Each full collection walks every object alive, so a pass that creates a few hundred thousand
    (a large file's nodes, or jsonschema-rs's errors, all made at once) would take quadratic time;
    plain reference counting still frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Place:
    """Where a value starts and, for a collection, where its parts are."""

    __slots__ = ("column", "items", "keys", "line")

    def __init__(self, mark: Any, keys: dict[str, tuple[int, int, _Place]] | None = None, items: list[_Place] | None = None) -> None:
        self.line, self.column = mark.line + 1, mark.column + 1
        self.keys, self.items = keys, items  # a mapping's key -> (line, column, value); a sequence's items


class Locator:
    """Positions in one YAML text, read once from libyaml's events.

    Locating a problem then costs its depth, so thousands of problems in a file are located in linear time;
    no nodes are composed and no tags resolved, which is most of what composing costs.
    """

    def __init__(self, text: str) -> None:
        self._root: _Place | None = None
        stack: list[tuple[_Place, list[Any]]] = []  # open collections, each with the key (line, column, text) awaiting its value
        parser = CParser(text)
        try:
            self._read(parser, stack)
        finally:
            parser.dispose()

    def _read(self, parser: Any, stack: list[tuple[_Place, list[Any]]]) -> None:
        with cycles_uncollected():
            while (event := parser.get_event()) is not None and not isinstance(event, yaml.StreamEndEvent):
                if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                    stack.pop()
                elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    place = _Place(
                        event.start_mark,
                        {} if isinstance(event, yaml.MappingStartEvent) else None,
                        [] if isinstance(event, yaml.SequenceStartEvent) else None,
                    )
                    self._attach(stack, place, getattr(event, "value", None))
                    if place.keys is not None or place.items is not None:
                        stack.append((place, []))

    def _attach(self, stack: list[tuple[_Place, list[Any]]], place: _Place, value: str | None) -> None:
        if not stack:
            self._root = self._root or place
            return
        parent, pending = stack[-1]
        if parent.items is not None:
            parent.items.append(place)
        elif not pending:  # a key; only a text key can be looked up
            pending.append((place.line, place.column, value if isinstance(value, str) and place.keys is None else None))
        else:
            line, column, key = pending.pop()
            if key is not None and parent.keys is not None:
                parent.keys.setdefault(key, (line, column, place))

    def locate(self, parts: tuple[str | int, ...], key: str | None = None) -> tuple[int, int]:
        """Where a JSON path points; the nearest existing parent if it is absent."""
        place = self._root
        if place is None:
            return (1, 1)
        for part in parts:
            if place.keys is not None and isinstance(part, str) and part in place.keys:
                place = place.keys[part][2]
            elif place.items is not None and isinstance(part, int) and 0 <= part < len(place.items):
                place = place.items[part]
            else:
                break
        if key is not None and place.keys is not None and key in place.keys:
            return place.keys[key][:2]
        return place.line, place.column


@lru_cache(maxsize=4)
def _locator(text: str) -> Locator:
    return Locator(text)


def locate(text: str, parts: tuple[str | int, ...], key: str | None = None) -> tuple[int, int]:
    """Find where a JSON path points in YAML text; the nearest existing parent if it is absent."""
    return _locator(text).locate(parts, key)

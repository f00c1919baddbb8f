"""Safe YAML loading: plain data only, every refusal a located problem.

Valid files take the fast path (libyaml's parser, no position bookkeeping);
positions are recovered from the text only when a problem must be reported.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.cyaml import CParser  # type: ignore[attr-defined]
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from .positions import Locator, cycles_uncollected, locate
from .problems import Problem
from .syntax import explain

__all__ = ["Document", "Locator", "Refused", "cycles_uncollected", "load_document", "locate", "parse", "read_text"]

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 50
# libyaml's composer recurses in C: ten thousand levels are fine, a hundred
# thousand overflow the stack. Every collection needs an indicator character of
# its own ([ { - : ?), so their count bounds the depth cheaply.
_SAFE_INDICATORS = 4000
# Python refuses to convert an integer of more digits than this between text and int
# (a defence against quadratic conversions); such a number is refused where it is written.
MAX_INT_DIGITS = sys.get_int_max_str_digits() or 4300
_INT_BOUND = 10**MAX_INT_DIGITS

_STR = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float", "str", "seq", "map")}


class _Resolver(Resolver):
    """YAML 1.1 resolution minus the surprises.

    Timestamps stay strings (a date is data to show, not a datetime to
    convert), `<<` is an ordinary key, and only true/false are booleans, so
    `no` or `on` in prose stays a word.
    """


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag.rsplit(":", 1)[-1] not in ("timestamp", "merge", "bool")]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _Resolver.yaml_implicit_resolvers.setdefault(_first, []).append(
        ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"))
    )


class Refused(Exception):
    """A file the loader will not turn into data, with the place and the code."""

    def __init__(self, code: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.code, self.message, self.line, self.column = code, message, line, column


def _refuse(code: str, message: str, node: Node) -> Refused:
    return Refused(code, message, node.start_mark.line + 1, node.start_mark.column + 1)


class _Constructor(SafeConstructor):
    """Builds only JSON-shaped data: str, int, float, bool, None, list, dict."""

    yaml_constructors: ClassVar[dict[Any, Any]] = {tag: fn for tag, fn in SafeConstructor.yaml_constructors.items() if tag in _ALLOWED_TAGS}

    def __init__(self) -> None:
        super().__init__()
        self._depths: dict[int, int] = {}  # id of a collection node -> its depth

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        # A node met twice was reached through an alias; refusing all aliases
        # is what makes "billion laughs" documents harmless.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _refuse("MC006", "YAML anchors and aliases are not allowed; this value is reused through an alias", node)
        if node.tag not in _ALLOWED_TAGS:
            raise _refuse("MC009", f"the tag {node.tag} is not allowed; use plain YAML values", node)
        return super().construct_object(node, deep)

    def _nest(self, parent: Node, child: Node) -> None:
        """Give a child collection its depth; refuse it past the limit."""
        depth = self._depths.get(id(parent), 1) + 1
        if depth > MAX_DEPTH:
            raise _refuse("MC007", f"nesting is deeper than {MAX_DEPTH} levels", child)
        self._depths[id(child)] = depth

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[str, Any]:  # type: ignore[override]
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != _STR:
                shown = key_node.value if isinstance(key_node, ScalarNode) else "a collection"
                raise _refuse("MC010", f"mapping key {shown!r} is not a string; quote it", key_node)
            key = key_node.value
            if key in mapping:
                raise _refuse("MC005", f"duplicate key {key!r}", key_node)
            if not isinstance(value_node, ScalarNode):
                self._nest(node, value_node)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_sequence(self, node: SequenceNode, deep: bool = False) -> list[Any]:
        items = []
        for child in node.value:
            if not isinstance(child, ScalarNode):
                self._nest(node, child)
            items.append(self.construct_object(child, deep=deep))
        return items

    def construct_yaml_int(self, node: ScalarNode) -> int:
        # The text is bounded before any conversion (so that none, sexagesimal 1:00:00 included, does
        # quadratic work), and the value after it: 0x followed by 4,000 digits has more decimal digits.
        written = len(re.sub(r"[\W_]", "", node.value))  # the digits, without sign, underscores or colons
        if written > MAX_INT_DIGITS:
            raise _refuse("MC009", f"this number has {written:,} digits; a number may have at most {MAX_INT_DIGITS:,}", node)
        value: int = super().construct_yaml_int(node)
        if abs(value) >= _INT_BOUND:
            raise _refuse("MC009", f"this number has more than {MAX_INT_DIGITS:,} digits, the most a number may have", node)
        return value

    def construct_yaml_float(self, node: ScalarNode) -> float:
        value = super().construct_yaml_float(node)
        if value != value or value in (float("inf"), float("-inf")):
            raise _refuse("MC009", f"{node.value!r} is not a finite number", node)
        return value


_Constructor.yaml_constructors["tag:yaml.org,2002:float"] = _Constructor.construct_yaml_float
_Constructor.yaml_constructors["tag:yaml.org,2002:int"] = _Constructor.construct_yaml_int


class _Loader(CParser, _Constructor, _Resolver):
    """libyaml's parser (PyYAML's wheels ship it) with the constructor and resolver above."""

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


def parse(text: str) -> Any:
    """Parse one YAML document into plain data, or raise Refused."""
    with cycles_uncollected():
        return _parse(text)


def _parse(text: str) -> Any:
    try:
        if sum(map(text.count, "[{-:?")) > _SAFE_INDICATORS:
            _check_depth(text)
        loader = _Loader(text)
    except yaml.reader.ReaderError as err:
        raise _reader_refusal(text, err) from None
    except yaml.MarkedYAMLError as err:
        raise _syntax_refusal(text, err) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise Refused("MC011", "the file is empty")
        return loader.construct_document(node)
    except Refused:
        raise
    except yaml.reader.ReaderError as err:
        raise _reader_refusal(text, err) from None
    except yaml.MarkedYAMLError as err:
        raise _syntax_refusal(text, err) from None
    except yaml.YAMLError as err:  # e.g. a control character the reader rejects
        raise Refused("MC004", str(err).splitlines()[0]) from None
    except RecursionError:
        raise Refused("MC007", f"nesting is deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()


def _syntax_refusal(text: str, err: yaml.MarkedYAMLError) -> Refused:
    if isinstance(err, ConstructorError):
        what = f"{err.context} {err.problem}" if err.context else str(err.problem)
        return Refused("MC009", what, *_place(err.problem_mark or err.context_mark))
    return Refused("MC004", *explain(text, err))


def _check_depth(text: str) -> None:
    """Refuse deep nesting before libyaml's composer sees it.

    libyaml's parser keeps its state on a stack of its own (only the composer
    recurses), so its events are safe to read at any depth, and fast. Its scanner
    reads ahead and stops at a thousand levels, past the place to report; then
    PyYAML's own parser (state on a list, slower) finds the first level too deep.
    """
    try:
        _deepest(CParser(text))
    except yaml.MarkedYAMLError:
        _deepest(yaml.SafeLoader(text))


def _deepest(parser: Any) -> None:
    depth = 0
    try:
        while (event := parser.get_event()) is not None and not isinstance(event, yaml.StreamEndEvent):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise Refused("MC007", f"nesting is deeper than {MAX_DEPTH} levels", *_place(event.start_mark))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    finally:
        parser.dispose()


def _reader_refusal(text: str, err: yaml.reader.ReaderError) -> Refused:
    line, column = text.count("\n", 0, err.position) + 1, err.position - text.rfind("\n", 0, err.position)
    return Refused("MC004", f"character #x{err.character:04x} is not allowed in YAML", line, column)


def _place(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def read_text(root: Path, rel: str) -> str:
    """Read a catalog file as text, refusing what must not be loaded."""
    path = root / rel
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if not target.is_relative_to(Path(os.path.realpath(root))):
            raise Refused("MC008", "the file is a symlink to a place outside the repository")
    if not path.is_file():  # a FIFO or device would block or never end
        raise Refused("MC014", "not a regular file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise Refused("MC003", f"the file has {size:,} bytes; a catalog file may have at most {MAX_FILE_BYTES:,}")
        raw = path.read_bytes()
    except OSError as err:
        raise Refused("MC014", f"cannot read the file: {err.strerror}") from None
    if b"\0" in raw:
        line, column = _line_col(raw, raw.index(b"\0"))
        raise Refused("MC002", "the file holds binary data (a NUL byte); catalog files are YAML text", line, column)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line, column = _line_col(raw, err.start)
        raise Refused("MC001", f"byte 0x{raw[err.start]:02x} is not UTF-8; save the file as UTF-8", line, column) from None
    return text.removeprefix("\ufeff")


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1


@dataclass(frozen=True)
class Document:
    """One loaded catalog file. The text is kept to locate problems later."""

    path: str
    kind: str
    data: dict[str, Any]
    text: str

    @cached_property
    def _locator(self) -> Locator:
        return Locator(self.text)

    def locate(self, parts: tuple[str | int, ...], key: str | None = None) -> tuple[int, int]:
        """Line and column of the value at `parts` (of `key` within it, if given)."""
        return self._locator.locate(parts, key)

    def problem(self, code: str, message: str, parts: tuple[str | int, ...] = (), key: str | None = None) -> Problem:
        from .problems import json_path

        line, column = self.locate(parts, key)
        shown = (*parts, key) if key is not None else parts
        return Problem(self.path, line, column, code, message, json_path(shown))


def load_document(root: Path, rel: str, kind: str) -> Document | Problem:
    """Load one file as a Document, or say why it cannot be loaded."""
    try:
        text = read_text(root, rel)
        data = parse(text)
    except Refused as err:
        return Problem(rel, err.line, err.column, err.code, err.message)
    if not isinstance(data, dict):
        shape = "a list" if isinstance(data, list) else "a single value"
        return Problem(rel, 1, 1, "MC012", f"the file holds {shape}; a catalog file holds a mapping of fields")
    return Document(rel, kind, data, text)

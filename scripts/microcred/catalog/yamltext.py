"""YAML written as text: readable block scalars and comments, and read back the same by any YAML reader."""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

import yaml

Parts = tuple[str | int, ...]
WIDTH = 100  # comment lines are wrapped to this width

# What a YAML 1.1 or 1.2 reader may take for a number.
_NUMBER = re.compile(
    r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)


def _plain_ok(text: str) -> bool:
    """Whether a string can be written unquoted and still read back as the same string by any YAML reader."""
    if not text or text != text.strip() or "\n" in text or _NUMBER.fullmatch(text):
        return False
    if text[0] in "-?:,[]{}#&*!|>'\"%@`" or any(c in text for c in ",[]{}") or ": " in text or " #" in text or text.endswith(":"):
        return False
    try:
        return bool(yaml.safe_load(text) == text)
    except yaml.YAMLError:
        return False


def scalar(value: Any, flow: bool = False) -> str:
    """A value on one line; strings plain where every YAML reader agrees, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v, flow=True) for v in value) + "]"
    if isinstance(value, dict) and not value:
        return "{}"
    text = str(value)
    plain = _plain_ok(text) and (not flow or re.fullmatch(r"\w[\w .+/-]*", text) is not None)
    return text if plain else json.dumps(text, ensure_ascii=False)


def comment_lines(text: str, indent: int) -> list[str]:
    pad = " " * indent
    out = []
    for paragraph in text.splitlines() or [""]:  # every line break YAML knows (\u2028 too) starts a new comment line
        wrapped = textwrap.wrap(paragraph, WIDTH - indent - 2, break_long_words=False, break_on_hyphens=False) or [""]
        out += [f"{pad}# {line}".rstrip() for line in wrapped]
    return out


@dataclass
class Emitter:
    """Block-style YAML from plain data, with comments before keys and literal blocks for answers."""

    comments: dict[Parts, str] = field(default_factory=dict)
    blocks: set[Parts] = field(default_factory=set)

    def dump(self, data: dict[str, Any], header: str = "") -> str:
        lines = comment_lines(header, 0) if header else []
        self._mapping(data, (), 0, lines, dash=False)
        return "\n".join(lines) + "\n"

    def _mapping(self, data: dict[str, Any], path: Parts, indent: int, lines: list[str], dash: bool) -> None:
        for i, (key, value) in enumerate(data.items()):
            here = (*path, key)
            first = dash and i == 0
            pad = " " * (indent - 2) + "- " if first else " " * indent
            if here in self.comments:
                lines += comment_lines(self.comments[here], indent - 2 if first else indent)
            head = f"{pad}{scalar(key)}:"
            if here in self.blocks:
                lines += _literal(head, str(value), indent + 2)
            elif isinstance(value, dict) and value:
                lines.append(head)
                self._mapping(value, here, indent + 2, lines, dash=False)
            elif isinstance(value, list) and value and any(isinstance(v, dict) for v in value):
                lines.append(head)
                for j, item in enumerate(value):
                    if (*here, j) in self.comments:
                        lines += comment_lines(self.comments[(*here, j)], indent + 2)
                    if isinstance(item, dict) and item:
                        self._mapping(item, (*here, j), indent + 4, lines, dash=True)
                    else:
                        lines.append(f"{' ' * (indent + 2)}- {scalar(item)}")
            elif _foldable(value, len(head) + 1):
                lines.append(f"{head} >-")
                folded = textwrap.wrap(value, WIDTH - indent - 2, break_long_words=False, break_on_hyphens=False)
                lines += [f"{' ' * (indent + 2)}{line}" for line in folded]
            else:
                lines.append(f"{head} {scalar(value)}")


def _literal(head: str, text: str, indent: int) -> list[str]:
    """A literal block (`|`) that reads back as exactly `text`: an answer keeps its lines as written."""
    if not text:
        return [f"{head} |"]
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    indicator = "2" if body[:1] in (" ", "\n") else ""  # content that starts with space or a blank line
    lines = [f"{head} |{indicator}{chomp}"]
    lines += [f"{' ' * indent}{line}" if line else "" for line in body.split("\n")]
    return lines + [""] * (trailing - 1)


def _foldable(value: Any, room: int) -> bool:
    """A long one-line string that a folded block (`>-`) gives back exactly."""
    return isinstance(value, str) and len(value) + room > WIDTH and re.fullmatch(r"\S+( \S+)*", value) is not None

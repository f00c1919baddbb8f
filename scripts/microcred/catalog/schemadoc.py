"""The schemas read as documentation: the description, choices and form at an instance path.

Both what a blank field asks for (in `validate`'s messages) and what a new file still needs
(in the scaffolds' lists) are said in these words, so the two never disagree.
"""

from __future__ import annotations

from typing import Any

from .schemas import SCHEMA_FILES

Parts = tuple[str | int, ...]


def first_lower(text: str) -> str:
    """A description as a phrase inside a sentence: no final full stop, a lower-case first letter unless an acronym."""
    text = text.strip().rstrip(".")
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


class SchemaDoc:
    """The repository's schemas (by file name) read as documentation."""

    def __init__(self, documents: dict[str, dict[str, Any]]) -> None:
        self.docs = documents

    def _resolve(self, node: Any, file: str) -> tuple[dict[str, Any], str]:
        for _ in range(32):
            if not isinstance(node, dict) or "$ref" not in node:
                break
            uri, _, pointer = str(node["$ref"]).partition("#")
            file = uri or file
            target: Any = self.docs.get(file, {})
            for token in [t for t in pointer.split("/") if t]:
                target = target.get(token.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) else {}
            target = target if isinstance(target, dict) else {}
            form = {"_form": target["description"]} if "description" in target else {}
            node = {**target, **form, **{k: v for k, v in node.items() if k != "$ref"}}
        return (node if isinstance(node, dict) else {}), file

    def at(self, kind: str, parts: Parts) -> tuple[dict[str, Any], str]:
        """The schema at an instance path, and the most specific description that applies to it."""
        file = SCHEMA_FILES[kind]
        node, file = self._resolve(self.docs[file], file)
        description = str(node.get("description", ""))
        for part in parts:
            named = isinstance(part, str) and part in node.get("properties", {})
            child = node["properties"][part] if named else node.get("items" if isinstance(part, int) else "additionalProperties")
            if not isinstance(child, dict):
                return {}, description
            site = child.get("description")
            child, file = self._resolve(child, file)
            if site:
                description = str(site)
            elif named and child.get("description"):
                description = str(child["description"])
            node = child
        return node, description

    def choices(self, kind: str, parts: Parts) -> list[str]:
        """The allowed values at a path (of its items, for a list), in the schema's order."""
        node, _ = self.at(kind, parts)
        if "enum" not in node and node.get("type") == "array":
            node, _ = self.at(kind, (*parts, 0))
        return [str(v) for v in node.get("enum", [])]

    def what_to_write(self, kind: str, parts: Parts) -> str:
        """What a blank field at a path asks for: "choose one of a, b (what it is)", "fill in (what it is)"."""
        node, description = self.at(kind, parts)
        choices = self.choices(kind, parts)
        if node.get("const") is True:
            action = "set to true to confirm"
        elif choices and node.get("type") == "array":
            action = f"choose at least one of {', '.join(choices)}"
        elif choices:
            action = f"choose one of {', '.join(choices)}"
        elif node.get("type") == "array":
            action = "add at least one"
        else:
            action = "fill in"
        return f"{action} ({first_lower(description)})" if description else action


def placeholder(value: Any) -> bool:
    """A value a scaffold leaves for the author to replace: empty, https:// alone, false, an empty list."""
    return value is None or value is False or value in ("", "https://", []) or (isinstance(value, str) and not value.strip())

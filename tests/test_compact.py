"""Built pages are published without their indentation, and nothing a reader sees or a script runs changes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from microcred.site.compact import compact
from microcred.site.safety import check_and_seal

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <script>var a = 1;
        var b = 2;</script>
    <style>
      p   {  color: red }
    </style>
  </head>
  <body>
    <p>
      Two   words
      <a href="x">and a  link</a>
    </p>
    <pre><code>line one
    indented   line
</code></pre>
    <textarea name="t">
  kept as typed
</textarea>
    <p>word<b>bold</b> <i>close</i></p>
  </body>
</html>
"""


class Text(HTMLParser):
    """A page's text as a browser lays it out outside <pre>: runs of white space are one space."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self.parts.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def laid_out(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.parts)).strip()


def _read(html: str) -> Text:
    text = Text()
    text.feed(html)
    return text


def test_indentation_goes_and_the_page_reads_the_same() -> None:
    small = compact(PAGE)
    assert len(small) < len(PAGE)
    assert "\n  " not in re.sub(r"<(pre|textarea|script|style)\b.*?</\1>", "", small, flags=re.S)
    before, after = _read(PAGE), _read(small)
    assert after.laid_out() == before.laid_out()  # every word, every tag, in order, apart where they were apart
    assert after.tags == before.tags  # every attribute as it was
    assert "word<b>bold</b> <i>close</i>" in small  # no space made or taken where there was none or one


def test_what_keeps_its_white_space_is_kept_byte_for_byte() -> None:
    small = compact(PAGE)
    for element in re.findall(r"<(?:pre|textarea|script|style)\b.*?</(?:pre|textarea|script|style)>", PAGE, flags=re.S):
        assert element in small


def test_compact_is_idempotent_and_leaves_a_page_without_line_breaks_alone() -> None:
    assert compact(compact(PAGE)) == compact(PAGE)
    assert compact("<p>a  b</p> <p>c</p>") == "<p>a  b</p> <p>c</p>"
    assert compact("") == ""


def test_the_seal_writes_pages_compact_with_their_inline_scripts_hashed_unchanged(tmp_path: Path) -> None:
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide/index.html").write_text(PAGE, encoding="utf-8")
    assert check_and_seal(tmp_path) == []
    sealed = (tmp_path / "guide/index.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in sealed
    assert "<script>var a = 1;\n        var b = 2;</script>" in sealed  # hashed by the CSP as written
    assert "\n    <p>" not in sealed
    assert check_and_seal(tmp_path) == [] and (tmp_path / "guide/index.html").read_text(encoding="utf-8") == sealed

"""Catalog prose as the site's Markdown takes it: HTML escaped, script schemes and attribute lists neutralised.

One function for the pages (site/pages.py renders it) and for the check that its links go where they may
(catalog/links.py renders it the same way), so that what is checked is what is published.
"""

from __future__ import annotations

import html
import re

# A script scheme anywhere (inline links, reference definitions, autolinks) loses its colon.
_UNSAFE_SCHEME = re.compile(r"\b(javascript|vbscript|data)(\s*):", re.IGNORECASE)
# The site's Markdown extensions that shape links (mkdocs.yml's list; toc and the theme add none).
EXTENSIONS = ("admonition", "attr_list", "md_in_html", "tables")


def neutral(text: str) -> str:
    """Prose from a catalog file as Markdown: its Markdown kept; raw HTML, script links and attribute lists neutralised.

    A brace is written as a character reference, so no `{: onclick=... style=...}` of attr_list can attach
    attributes to what the prose makes.
    """
    return _UNSAFE_SCHEME.sub(r"\1\2-", html.escape(text.strip(), quote=False)).replace("{", "&#123;")

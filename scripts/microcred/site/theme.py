"""The site's theme additions, as the mkdocs plugin `microcred` that mkdocs.yml lists (`plugins: - microcred`).

It puts this package's templates (`site/theme/`) in front of the theme's: the header's search box, which
queries the Pagefind index that `microcred build` makes over the finished site, and the marking of the pages
that index holds. Shipped in the package, the override reaches every consortium's repository with the
command itself; a plugin found by name keeps mkdocs.yml free of a path to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin

TEMPLATES = Path(__file__).with_name("theme")


class ThemePlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    def on_config(self, config: Any) -> Any:
        config.theme.dirs.insert(0, str(TEMPLATES))
        return config

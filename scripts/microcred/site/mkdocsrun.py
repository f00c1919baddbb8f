"""mkdocs' own command line, run as the preview's child process, with redirects kept out of its warnings.

mkdocs' live-reload server logs every answer but 200 as a warning, so each redirect (the site's
path without its slash, a page's folder without its slash) and each 304 read like a fault.
"""

from __future__ import annotations

import logging
import re

# The livereload server's request line: `"GET /microcredentials HTTP/1.1" code 302`.
_NOT_A_FAULT = re.compile(r'" code 30[0-9]$')


class _Redirects(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno == logging.WARNING and _NOT_A_FAULT.search(record.getMessage()))


def main() -> None:
    from mkdocs.__main__ import cli

    logging.getLogger("mkdocs.livereload").addFilter(_Redirects())
    cli()


if __name__ == "__main__":
    main()

"""A page per earned badge, rendered by jinja2 outside mkdocs and written into the built site.

A catalog may hold hundreds of thousands of badges: mkdocs builds the catalog, and this module writes
`badges/earned/<uuid>/index.html` for each badge after it, in the theme's look (its built stylesheets and
the site's own), deterministic byte for byte. The safety scan and the Content-Security-Policy that every
page gets run after it, over these pages too. Every value reaches the page through jinja2's autoescape.
A page is rendered only when something it is made from changed since the last build: the others come from
the page cache (site/pagecache.py), keyed by `page_key`.
"""

from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlencode

import jinja2
import markupsafe
import segno

from .. import __version__
from ..badges import urls
from ..catalog import words
from ..catalog.model import Consortium
from . import earned
from .earned import EARNED, Earned
from .pagecache import CACHE as CACHE  # the folder build.py names
from .pagecache import PageCache

TEMPLATES = Path(__file__).parent / "templates"
LINKEDIN = "https://www.linkedin.com/profile/add"
ROOT = "../../../"  # from badges/earned/<uuid>/ back to the site's root
# The code a page is made by, besides its template: a change to any of them renders every page again.
MADE_BY = (Path(__file__), Path(earned.__file__), Path(urls.__file__), Path(words.__file__))
LIBRARIES = ("jinja2", "markupsafe", "segno")
# Rendering is about 2 ms a page: from a few thousand pages on, a process per core (up to 8) is worth its start-up.
PARALLEL_FROM, CHUNK, MAX_WORKERS = 4000, 2000, 8


def long_date(moment: str) -> str:
    """2026-03-13T18:20:02Z as 13 March 2026."""
    year, month, day = moment[:10].split("-")
    return f"{int(day)} {words.MONTHS[int(month) - 1]} {year}"


def linkedin_url(badge: Earned, consortium: Consortium) -> str:
    """LinkedIn's "Add to profile" link, its certification form filled in from the badge."""
    params: list[tuple[str, str]] = [("startTask", "CERTIFICATION_NAME"), ("name", badge.title)]
    if consortium.linkedin_organization_id:
        params.append(("organizationId", consortium.linkedin_organization_id))
    else:
        params.append(("organizationName", consortium.name))
    params += [("issueYear", badge.issued_on[:4]), ("issueMonth", str(int(badge.issued_on[5:7])))]
    if badge.expires and len(badge.expires) >= 7:
        params += [("expirationYear", badge.expires[:4]), ("expirationMonth", str(int(badge.expires[5:7])))]
    params += [("certUrl", badge.page), ("certId", badge.uuid)]
    return f"{LINKEDIN}?{urlencode(params)}"


def embed_html(badge: Earned) -> str:
    """The HTML an earner pastes into their own page: the artwork, linked to this page."""
    title = html.escape(badge.title)
    return (
        f'<a href="{html.escape(badge.page)}" title="{title}">'
        f'<img src="{html.escape(badge.artwork)}" alt="{title}: a badge verified by {html.escape(badge.urls.site_url)}" '
        'width="120" height="120"></a>'
    )


def qr_svg(address: str) -> str:
    """The page's address as a QR code, inline SVG drawn at build time (dark on light, a quiet zone of 4 modules)."""
    # One fixed mask (any of the eight is valid): choosing the best costs segno 5 ms, most of a page's time at 200,000 pages.
    code = segno.make(address, error="m", micro=False, mask=0)
    return str(code.svg_inline(scale=4, border=4, dark="#000", light="#fff", svgclass="mc-qr", lineclass=None, omitsize=False))


def theme_styles(site: Path) -> list[str]:
    """The theme's built stylesheets (main, then palette), by their site path; none when another builder left none."""
    folder = site / "assets/stylesheets"
    found = []
    for stem in ("main", "palette"):
        found += sorted(p.relative_to(site).as_posix() for p in folder.glob(f"{stem}.*.min.css"))
    return found


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        auto_reload=False,  # the template is loaded once: no check of its file for every page
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    return env


def local(site_url: str, address: str) -> str:
    """An address under the site as a link relative to a badge page, so a copy of the site links within itself."""
    return ROOT + address.removeprefix(site_url) if address.startswith(site_url) else address


def is_expired(badge: Earned, day: str) -> bool:
    """Whether the page shows the badge expired on `day` (the UTC day of the build): its expiry is that day or earlier."""
    return bool(badge.expires) and not badge.revoked and str(badge.expires)[:10] <= day


def render_page(
    env: jinja2.Environment, badge: Earned, consortium: Consortium, site_name: str, styles: list[str], today: str | None = None
) -> str:
    """One badge's page as HTML; a badge whose expiry is `today` (the UTC day of the build) or earlier reads as expired."""
    env.filters["local"] = lambda address: local(badge.home, address)
    day = today or datetime.now(UTC).date().isoformat()
    return env.get_template("badge.html.j2").render(
        b=badge,
        expired=is_expired(badge, day),
        consortium=consortium,
        site_name=site_name,
        root=ROOT,  # the page's own site: its files, the styles and scripts (a badge site has copies)
        # The catalog's pages and the class artwork: a badge site has no copy of the artwork, which would be the whole
        # catalog's (a class PNG per credential version, hundreds of MB at 20,000 credentials) on every badge site.
        catalog_root=ROOT if badge.own is None else badge.site_url,
        styles=styles,
        linkedin=linkedin_url(badge, consortium),
        embed=embed_html(badge),
        qr=markupsafe.Markup(qr_svg(badge.page)),  # noqa: S704 - segno's SVG holds only path numbers
    )


def shared_key(env: jinja2.Environment, consortium: Consortium, site_name: str, styles: list[str]) -> str:
    """The digest of what every badge's page is made from alike: settings, stylesheets, templates and code."""
    templates = sorted(env.list_templates(filter_func=lambda name: name.endswith(".html.j2")))
    made = {
        "consortium": [consortium.name, consortium.url, consortium.linkedin_organization_id],  # all that the template reads
        "site_name": site_name,
        "styles": styles,
        "templates": {name: _digest((TEMPLATES / name).read_bytes()) for name in templates},
        "code": {path.name: _digest(path.read_bytes()) for path in MADE_BY},
        "versions": {"microcred": __version__, **{name: version(name) for name in LIBRARIES}},
    }
    return _digest(json.dumps(made, sort_keys=True).encode("utf-8"))


def page_key(shared: str, badge: Earned, expired: bool) -> str:
    """The SHA-256 of everything one page depends on: what all pages share, the badge as read, and whether it reads expired.

    The badge as read (its repr: every field, in order) holds what its documents give the page, the assertion, the
    3.0 credential, the review record, the badge class and the revocation list alike; the build's day counts only
    through `expired`, so an expiring badge's page is rendered again on the day it expires, not every day.
    """
    return _digest(f"{shared}\0{badge!r}\0{expired}".encode())


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Written:
    """The badge pages of one build: how many were rendered, how many came from the cache unchanged."""

    rendered: int
    reused: int

    def __str__(self) -> str:
        return f"{self.rendered + self.reused} badge pages ({self.rendered} rendered, {self.reused} reused from {CACHE})"


def write_pages(
    site: Path, badges: Iterable[Earned], consortium: Consortium, site_name: str, cache: Path | None = None, today: str | None = None
) -> Written:
    """Write every badge's page under site/badges/earned/, reusing the pages kept in `cache` that nothing changed.

    `today`: the build's UTC day (by default the clock's). The cache ends up holding exactly this build's pages.
    """
    env = environment()
    styles = theme_styles(site)
    day = today or datetime.now(UTC).date().isoformat()
    shared = shared_key(env, consortium, site_name, styles)
    kept = PageCache(cache)
    todo: list[tuple[Earned, str]] = []
    reused = 0
    for badge in badges:
        key = page_key(shared, badge, is_expired(badge, day))
        data = kept.get(key)
        if data is None:
            todo.append((badge, key))
        else:
            _write(site, badge, data)
            reused += 1
    pages = Pages(consortium, site_name, styles, day)
    for (badge, key), data in zip(todo, pages.render([badge for badge, _ in todo]), strict=True):
        kept.put(key, data)
        _write(site, badge, data)
    kept.prune()
    return Written(len(todo), reused)


def _write(site: Path, badge: Earned, data: bytes) -> None:
    folder = site / EARNED / badge.uuid
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_bytes(data)


@dataclass(frozen=True)
class Pages:
    """What every page is rendered with; many pages are shared out to a process per core, in order."""

    consortium: Consortium
    site_name: str
    styles: list[str]
    day: str

    def render(self, badges: list[Earned]) -> Iterator[bytes]:
        """Each badge's page, in the order given: byte for byte the same whether one process renders them or several."""
        workers = min(os.cpu_count() or 1, MAX_WORKERS)
        chunks = [badges[i : i + CHUNK] for i in range(0, len(badges), CHUNK)]  # a chunk's pages at a time in memory
        if workers < 2 or len(badges) < PARALLEL_FROM:
            for chunk in chunks:
                yield from self.chunk(chunk)
            return
        # spawn: a fresh interpreter per worker, whatever the parent holds (no fork of its threads or locks)
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            for pages in pool.map(self.chunk, chunks):
                yield from pages

    def chunk(self, badges: list[Earned]) -> list[bytes]:
        env = environment()
        return [render_page(env, badge, self.consortium, self.site_name, self.styles, self.day).encode("utf-8") for badge in badges]

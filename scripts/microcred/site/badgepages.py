"""A page per earned badge, rendered by jinja2 outside mkdocs and written into the built site.

A catalog may hold hundreds of thousands of badges: mkdocs builds the catalog, and this module writes
`badges/earned/<uuid>/index.html` for each badge after it, in the theme's look (its built stylesheets and
the site's own), deterministic byte for byte. The safety scan and the Content-Security-Policy that every
page gets run after it, over these pages too. Every value reaches the page through jinja2's autoescape.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import jinja2
import markupsafe
import segno

from ..catalog.model import Consortium
from ..catalog.words import MONTHS
from .earned import EARNED, Earned

TEMPLATES = Path(__file__).parent / "templates"
LINKEDIN = "https://www.linkedin.com/profile/add"
ROOT = "../../../"  # from badges/earned/<uuid>/ back to the site's root


def long_date(moment: str) -> str:
    """2026-03-13T18:20:02Z as 13 March 2026."""
    year, month, day = moment[:10].split("-")
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


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


def render_page(
    env: jinja2.Environment, badge: Earned, consortium: Consortium, site_name: str, styles: list[str], today: str | None = None
) -> str:
    """One badge's page as HTML; a badge whose expiry is `today` (the UTC day of the build) or earlier reads as expired."""
    env.filters["local"] = lambda address: local(badge.home, address)
    day = today or datetime.now(UTC).date().isoformat()
    return env.get_template("badge.html.j2").render(
        b=badge,
        expired=bool(badge.expires) and not badge.revoked and str(badge.expires)[:10] <= day,
        consortium=consortium,
        site_name=site_name,
        root=ROOT,  # the page's own site: its files, the styles and scripts, the class artwork (a badge site has copies)
        catalog_root=ROOT if badge.own is None else badge.site_url,  # the catalog's pages
        styles=styles,
        linkedin=linkedin_url(badge, consortium),
        embed=embed_html(badge),
        qr=markupsafe.Markup(qr_svg(badge.page)),  # noqa: S704 - segno's SVG holds only path numbers
    )


def write_pages(site: Path, badges: Iterable[Earned], consortium: Consortium, site_name: str) -> int:
    """Write every badge's page under site/badges/earned/; the number written."""
    env = environment()
    styles = theme_styles(site)
    listed = list(badges)
    for badge in listed:
        folder = site / EARNED / badge.uuid
        folder.mkdir(parents=True, exist_ok=True)
        text = render_page(env, badge, consortium, site_name, styles)
        (folder / "index.html").write_text(text, encoding="utf-8")
    return len(listed)

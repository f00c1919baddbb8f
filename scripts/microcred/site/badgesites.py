"""Badge sites: the badges minted from a day on, published on a GitHub Pages site of their own.

One site holds about 35,000 badges (23 KB each: page, 3.0 credential, assertion) beside a large catalog
before it reaches its budget. A consortium that needs more lists badge sites in consortium.yml; the build
moves each badge whose id names a badge site out of the catalog's site into a folder of its own under
`site-badges/`, with the theme's assets, a front page, and
`sites.tsv` saying which repository publishes which folder. Everything a verifier reads besides the
badge itself (issuer, classes and their artwork, keys, status and revocation lists) stays on the catalog's site:
a copy of the artwork would be every class's on every badge site (349 MB at 20,000 credentials).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from ..catalog.arrangements import BadgeSite
from ..catalog.model import Consortium
from .badgepages import environment, theme_styles
from .earned import EARNED, Earned
from .safety import CSP_META, policy

SITES_FILE = "sites.tsv"  # folder, site URL, repository: one line a badge site, for the publishing workflow


def folder_name(url: str) -> str:
    """A badge site's folder under site-badges/: its host and path, e.g. three-rivers.github.io_badges-2027."""
    parts = urlsplit(url)
    return "_".join(p for p in (parts.netloc, *parts.path.split("/")) if p)


def repository(site: BadgeSite) -> str:
    """OWNER/NAME of the repository that publishes the site: given, or read from https://OWNER.github.io/NAME/; "" when unknown."""
    if site.repository:
        return site.repository
    parts = urlsplit(site.url)
    owner, _, rest = parts.netloc.partition(".")
    segments = [p for p in parts.path.split("/") if p]
    if rest.lower() != "github.io" or not owner or len(segments) > 1:
        return ""
    return f"{owner}/{segments[0]}" if segments else f"{owner}/{owner}.github.io"  # a project site, or the owner's own


def own_files(badge: Earned) -> list[str]:
    """The site paths that belong to a badge: its assertion (and an old baked image), its credentials, its page."""
    return [
        f"badges/assertions/{badge.uuid}.json",
        f"badges/assertions/{badge.uuid}.png",
        f"badges/credentials/{badge.uuid}.jwt",
        f"badges/credentials/upgraded/{badge.uuid}.jwt",
        f"{EARNED}/{badge.uuid}",
    ]


def write_badge_sites(site: Path, out: Path, badges: Iterable[Earned], consortium: Consortium, site_name: str) -> dict[str, int]:
    """Move each badge site's badges from the built `site` into `out/<folder>/`; the number of badges of each site URL.

    `out` is made anew. Each folder gets the assets of the catalog's site (styles, scripts, icons),
    a front page with the catalog's Content-Security-Policy, and `.nojekyll` (files are served as they are).
    """
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    by_site: dict[str, list[Earned]] = {s.url: [] for s in consortium.badge_sites}
    for badge in badges:
        if badge.own in by_site:
            by_site[badge.own].append(badge)
    lines = []
    sites = consortium.badge_sites
    env = environment()
    for i, badge_site in enumerate(sites):
        folder = out / folder_name(badge_site.url)
        if (site / "assets").is_dir():  # the styles and scripts; the class artwork is shown from the catalog's site
            shutil.copytree(site / "assets", folder / "assets")
        for badge in by_site[badge_site.url]:
            for rel in own_files(badge):
                if (site / rel).exists():
                    (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(site / rel, folder / rel)
        until = sites[i + 1].since if i + 1 < len(sites) else None
        page = env.get_template("badgesite.html.j2").render(
            since=badge_site.since,
            until=until,
            url=badge_site.url,
            count=len(by_site[badge_site.url]),
            consortium=consortium,
            site_name=site_name,
            styles=theme_styles(site),
        )
        (folder / "index.html").write_text(page.replace("<head>", "<head>\n" + CSP_META.format(policy(set())), 1), encoding="utf-8")
        (folder / ".nojekyll").write_bytes(b"")
        lines.append(f"{folder.name}\t{badge_site.url}\t{repository(badge_site)}\n")
    (out / SITES_FILE).write_text("".join(lines), encoding="utf-8")
    return {url: len(listed) for url, listed in by_site.items()}

"""After mkdocs: no page may run script that catalog data brought, and every page carries a Content-Security-Policy.

The pages made from catalog files (`catalog/`, the home page and each badge's page under `badges/earned/`) are
scanned for `<script>` elements, `on*=` handlers, `style` attributes, script or data links and embedded frames
that are not the theme's or ours.
The theme's own inline scripts are known from the hand-written pages, which no catalog file can change
(they differ only in the relative base they pass to `new URL`). Then each page gets a CSP `<meta>` that lets
scripts run only from the site itself and the theme's inline scripts, by hash: even markup that escaped every
filter could not run.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .compact import compact

GENERATED = ("catalog/", "index.html", "badges/earned/")  # site paths made from catalog and badge data
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
SOURCES = re.compile(
    r'^\s*src="(?:\.\.?/|/[^"]*/)*assets/javascripts/(?:bundle\.[0-9a-f]+\.min|catalog|browse|verify|badge|findbadges|search)\.js"\s*$'
)
DATA_BLOCK = re.compile(r'^\s*id="__config"\s+type="application/json"\s*$')
BASE = re.compile(r'new URL\("(?:\.|(?:\.\./)*\.\.|/[^"]*)",location\)')  # the theme's relative base, per page depth
# Inside a tag, outside its quoted attribute values: an escaped value may well say " onerror=" (a badge's title
# in its meta tags), and only an attribute can run. Each step is atomic, so a quote never starts a value after all.
TAG = r"""<[a-z](?>=\s*"[^"]*"|=\s*'[^']*'|[^<>])*?"""
HANDLER = re.compile(TAG + r"\son[a-z]+\s*=", re.IGNORECASE)
# Inside a tag only: the text of a page cannot hold "<" (catalog text is escaped), so these never match prose.
STYLE = re.compile(TAG + r"""\sstyle\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
OURS = {'"text-align: left;"', '"text-align: right;"', '"text-align: center;"', '"max-width:100%;height:auto"'}  # tables, charts
LINK = re.compile(TAG + r"""\s(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(?:javascript|vbscript|data):""", re.IGNORECASE)
EMBED = re.compile(r"""<(?:iframe|object|embed|frame|base)\b|<meta\s+http-equiv\s*=\s*["']?refresh""", re.IGNORECASE)
CSP_META = '<meta http-equiv="Content-Security-Policy" content="{}">'


@dataclass(frozen=True)
class Finding:
    page: str
    what: str

    def __str__(self) -> str:
        return f"{self.page}: {self.what}"


def _generated(rel: str) -> bool:
    return rel.startswith((GENERATED[0], GENERATED[2])) or rel == GENERATED[1]


def theme_scripts(site: Path) -> set[str]:
    """The theme's inline scripts as the hand-written pages carry them, their relative base blanked."""
    found: set[str] = set()
    for page in site.rglob("*.html"):
        rel = page.relative_to(site).as_posix()
        if not _generated(rel):
            found.update(BASE.sub("BASE", body) for attrs, body in SCRIPT.findall(page.read_text(encoding="utf-8")) if not attrs.strip())
    return found


def scan(rel: str, html: str, allowed: set[str]) -> list[Finding]:
    """What a generated page holds that is not the theme's or ours."""
    out = []
    for attrs, body in SCRIPT.findall(html):
        if attrs.strip() and (SOURCES.match(attrs) or DATA_BLOCK.match(attrs)):
            continue
        if not attrs.strip() and BASE.sub("BASE", body) in allowed:
            continue
        out.append(Finding(rel, f"a script that is not the site's: <script{attrs}>{body[:60]}"))
    out += [Finding(rel, f"an event handler: {m.group(0)[-60:]}") for m in HANDLER.finditer(SCRIPT.sub("", html))]
    out += [Finding(rel, f"a style attribute: style={m.group(1)[:60]}") for m in STYLE.finditer(html) if m.group(1) not in OURS]
    out += [Finding(rel, f"a script or data link: {m.group(0)[-60:]}") for m in LINK.finditer(html)]
    out += [Finding(rel, f"an embedded frame or document: {m.group(0)[:60]}") for m in EMBED.finditer(html)]
    return out


def policy(hashes: set[str]) -> str:
    """The site's CSP: scripts from the site, its WebAssembly and the theme's inline scripts only; nothing embedded; no other base."""
    scripts = " ".join(f"'sha256-{h}'" for h in sorted(hashes))
    # 'wasm-unsafe-eval': the search compiles Pagefind's WebAssembly, fetched from the site; it allows no eval of script.
    return (
        f"default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {scripts}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' https: data:; "
        "connect-src 'self' https: http://127.0.0.1:* http://localhost:*; font-src 'self'; object-src 'none'; "
        "frame-src 'none'; base-uri 'self'; form-action 'self'"
    )


def check_and_seal(site: Path) -> list[Finding]:
    """Scan the generated pages; when nothing is found, give every page the CSP and write it compact. The findings, when any."""
    allowed = theme_scripts(site)
    pages = {page.relative_to(site).as_posix(): page.read_text(encoding="utf-8") for page in sorted(site.rglob("*.html"))}
    findings = [f for rel, html in pages.items() if _generated(rel) for f in scan(rel, html, allowed)]
    if findings:
        return findings
    hashes: set[str] = set()
    for html in pages.values():
        for attrs, body in SCRIPT.findall(html):
            if not attrs.strip():
                hashes.add(base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii"))
    meta = CSP_META.format(policy(hashes))
    for rel, html in pages.items():
        if meta not in html:
            (site / rel).write_text(compact(html.replace("<head>", "<head>\n" + meta, 1)), encoding="utf-8")
    return []

"""A badge's page in Chromium: its verdict checked live from the published documents, its share links, QR code and axe."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml

sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python: pip install playwright")
expect = sync_api.expect

ROOT = Path(__file__).resolve().parents[2]
SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
VALID, REVOKED, STACK = (
    "a53891ea-fa7e-5c4e-b4db-a1d634d07df6",
    "ccc304c4-2444-5abb-b870-1110b12f851b",
    "39bf8b4c-fa0f-5e3f-86b7-7c00c293b1b8",
)
REASON = "Issued in error: the scored student work was from a colleague's class, not the earner's own; the earner may submit again."


def open_badge(page: Any, uuid: str, public: bool = False) -> None:
    page.goto(f"{SITE_URL if public else ''}badges/earned/{uuid}/")
    expect(page.locator("#mc-badge-verify[data-verdict]")).to_have_count(1)


@pytest.mark.parametrize(("uuid", "verdict"), [(VALID, "VALID"), (STACK, "VALID"), (REVOKED, "REVOKED")], ids=["valid", "stack", "revoked"])
@pytest.mark.parametrize("where", ["local copy", "public address"])
def test_badge_page_shows_the_live_verdict(page: Any, uuid: str, verdict: str, where: str) -> None:
    open_badge(page, uuid, public=where == "public address")
    expect(page.locator("#mc-badge-verify-status .admonition-title")).to_have_text(verdict)
    if verdict == "REVOKED":
        expect(page.locator("#mc-badge-verify-status")).to_contain_text(REASON)
        expect(page.locator(".mc-badge-revoked")).to_contain_text(REASON)
    if where == "public address":
        expect(page.locator("#mc-badge-verify-status")).not_to_contain_text("Checked against this copy")


def test_linkedin_link_decodes_to_the_certification(page: Any) -> None:
    open_badge(page, VALID)
    href = page.locator("#mc-badge-linkedin").get_attribute("href")
    assert urlsplit(href)[:3] == ("https", "www.linkedin.com", "/profile/add")
    assert parse_qsl(urlsplit(href).query) == [
        ("startTask", "CERTIFICATION_NAME"),
        ("name", "Exit Tickets That Shape the Next Lesson"),
        ("organizationName", "Three Rivers Educator Learning Consortium"),
        ("issueYear", "2026"),
        ("issueMonth", "3"),
        ("certUrl", f"{SITE_URL}badges/earned/{VALID}/"),
        ("certId", VALID),
    ]
    expect(page.locator("#mc-badge-linkedin")).to_have_count(1)
    open_badge(page, REVOKED)
    expect(page.locator("#mc-badge-linkedin")).to_have_count(0)  # a withdrawn badge is not offered to a profile


@pytest.mark.parametrize("uuid", [VALID, REVOKED])
def test_qr_code_decodes_to_the_page_address(page: Any, uuid: str) -> None:
    zxingcpp = pytest.importorskip("zxingcpp", reason="the QR test needs zxing-cpp: pip install zxing-cpp")
    from PIL import Image

    open_badge(page, uuid)
    shot = page.locator(".mc-badge-qr svg").screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)).convert("L"))
    assert [(r.format.name, r.text) for r in found] == [("QRCode", f"{SITE_URL}badges/earned/{uuid}/")]


def test_copy_link_button_copies_the_page_address(page: Any) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_badge(page, VALID)
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator(".mc-copy-status")).to_have_text("Link: copied.")
    assert page.evaluate("navigator.clipboard.readText()") == f"{SITE_URL}badges/earned/{VALID}/"
    page.get_by_role("button", name="Copy HTML").click()
    expect(page.locator(".mc-copy-status")).to_have_text("HTML: copied.")
    assert page.evaluate("navigator.clipboard.readText()").startswith(f'<a href="{SITE_URL}badges/earned/{VALID}/"')


@pytest.mark.parametrize("uuid", [VALID, REVOKED, STACK], ids=["valid", "revoked", "stack"])
@pytest.mark.parametrize("width", [1280, 390])
def test_badge_page_has_no_wcag_a_or_aa_violation(page: Any, axe_script: str, uuid: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_badge(page, uuid)
    page.add_script_tag(url=axe_script)
    violations = page.evaluate("async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations")
    report = [f"{v['id']}: {v['help']}\n" + "\n".join(f"    {n['target']}: {n['failureSummary']}" for n in v["nodes"]) for v in violations]
    assert not violations, "\n".join(report)


def test_printed_certificate_keeps_the_credential_and_drops_the_buttons(page: Any) -> None:
    open_badge(page, VALID)
    page.emulate_media(media="print")
    for shown in ("h1", ".mc-badge-facts", ".mc-badge-results table", ".mc-badge-address", ".mc-badge-qr svg", ".mc-print-note"):
        expect(page.locator(shown)).to_be_visible()
    for hidden in (".mc-badge-header", ".mc-badge-share", ".mc-badge-downloads", ".mc-badge-checks", ".md-footer"):
        expect(page.locator(hidden)).to_be_hidden()


def test_the_3_0_image_is_baked_in_the_browser(page: Any, site: Path) -> None:
    """The artwork with the signed credential in its openbadgecredential chunk, as `microcred bake` makes it."""
    from microcred.badges import artwork

    open_badge(page, VALID)
    with page.expect_download() as download:
        page.get_by_role("button", name="The badge image (PNG) with its Open Badges 3.0 credential baked in").click()
    made = Path(download.value.path()).read_bytes()
    token = (site / f"badges/credentials/{VALID}.jwt").read_text().strip()
    assert artwork.baked(made, artwork.KEYWORD_3) == token
    assert download.value.suggested_filename == f"exit-tickets-{VALID}-3.0.png"
    art = (site / "badges/classes/exit-tickets-1.0.0.png").read_bytes()
    assert made == artwork.bake(art, token, artwork.KEYWORD_3)  # byte for byte what `microcred bake` writes
    expect(page.locator(".mc-bake-status")).to_have_text("Made and saved.")

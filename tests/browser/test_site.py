"""What a reader does on the built site, in Chromium: search, browse, read a rubric, verify a badge, print."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python: pip install playwright")
expect = sync_api.expect

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog"
SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
BADGES = f"{SITE_URL}badges/assertions/"
# The sample catalog's own minted badges: obello's exit tickets, nsato's stack, and wkeane's revoked one.
VALID_BADGE = BADGES + "a53891ea-fa7e-5c4e-b4db-a1d634d07df6.json"
STACK_BADGE = BADGES + "39bf8b4c-fa0f-5e3f-86b7-7c00c293b1b8.json"
REVOKED_BADGE = BADGES + "ccc304c4-2444-5abb-b870-1110b12f851b.json"
FIELDS = {"subject": "subjects", "grade": "grade_bands", "type": "type"}  # browse facets the credential files hold


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def credentials() -> dict[str, dict[str, Any]]:
    return {p.stem: load(p) for p in sorted((CATALOG / "credentials").glob("*.yml"))}


def has(credential: dict[str, Any], facet: str, value: str) -> bool:
    field = credential[FIELDS[facet]]
    values = field if isinstance(field, list) else [field]
    return value in values or (facet == "subject" and "all-subjects" in values)  # for all subjects: under every one


def shown_ids(page: Any) -> list[str]:
    return page.locator(".mc-list > li[data-id]:visible").evaluate_all("items => items.map(li => li.dataset.id)")


def open_browse(page: Any) -> None:
    page.goto("catalog/")
    expect(page.locator("form.mc-filters")).to_be_visible()  # browse.js has loaded the index


def test_header_search_finds_a_credential_by_a_word_of_its_competency(page: Any) -> None:
    credential = credentials()["hinge-questions"]
    # The longest word of its competency that no other credential file uses.
    others = " ".join(p.read_text(encoding="utf-8") for p in (CATALOG / "credentials").glob("*.yml") if p.stem != credential["id"])
    words = set(re.findall(r"[a-z]{6,}", credential["competency"].lower())) - set(re.findall(r"[a-z]+", others.lower()))
    assert words, "the competency has no word of its own to search for"
    page.goto("./")
    page.locator("#mc-search-q").click()
    page.keyboard.type(max(sorted(words), key=len))
    results = page.locator("#mc-search-results")
    expect(results.get_by_role("link", name=credential["title"], exact=True)).to_be_visible()


def test_browse_filters_combine_and_survive_a_reload(page: Any) -> None:
    subject, grade = "science", "3-5"
    expected = sorted(cid for cid, c in credentials().items() if has(c, "subject", subject) and has(c, "grade", grade))
    assert 0 < len(expected) < len(credentials()), "pick filters that narrow the catalog"
    said = re.compile(rf"^{len(expected)} of {len(credentials())} micro-credentials$")
    open_browse(page)
    page.locator(f"input[name=subject][value='{subject}']").check()
    page.locator(f"input[name=grade][value='{grade}']").check()
    count = page.locator("#mc-browse [role=status]")
    expect(count).to_have_text(said)
    assert sorted(shown_ids(page)) == expected
    assert parse_qs(urlsplit(page.url).query) == {"subject": [subject], "grade": [grade]}

    page.reload()
    expect(page.locator("form.mc-filters")).to_be_visible()
    expect(count).to_have_text(said)
    assert sorted(shown_ids(page)) == expected
    expect(page.locator(f"input[name=subject][value='{subject}']")).to_be_checked()
    expect(page.locator(f"input[name=grade][value='{grade}']")).to_be_checked()


def test_on_a_phone_the_filters_fold_and_the_first_cards_show_at_once(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_browse(page)
    box = page.locator("details.mc-facet-box")
    expect(box).not_to_have_attribute("open", "")
    first = page.locator(".mc-list > li[data-id]").first.bounding_box()
    assert first is not None and first["y"] + first["height"] < 844, f"the first card ends at {first}"
    page.locator("summary.mc-facet-summary").click()
    page.locator("input[name=district][value='dunmore']").check()
    expect(page.locator("summary.mc-facet-summary")).to_have_text("Filters (1 chosen)")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    expect(page.locator("details.mc-facet-box")).to_have_attribute("open", "")  # wide: open, the choice kept


def test_with_a_district_chosen_each_card_says_what_it_gives(page: Any, site: Path) -> None:
    gives = json.loads((site / "catalog/index.json").read_text())
    exit_tickets = next(e for e in gives["credentials"] if e["id"] == "exit-tickets")["gives"]
    assert exit_tickets["dunmore"] != "Recognition only", "pick a district that gives something"
    open_browse(page)
    page.locator("input[name=district][value='dunmore']").check()
    note = page.locator(".mc-list > li[data-id='exit-tickets'] .mc-card-gives")
    expect(note).to_have_text(f"Dunmore County Schools gives: {exit_tickets['dunmore']}")
    page.locator("input[name=district][value='dunmore']").uncheck()
    expect(note).to_have_count(0)


def test_a_credential_page_leads_back_to_browse(page: Any) -> None:
    page.goto("catalog/credentials/exit-tickets/")
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    crumbs.get_by_role("link", name="Browse").click()
    expect(page.locator("form.mc-filters")).to_be_visible()


def test_a_credential_for_all_subjects_shows_under_every_subject(page: Any) -> None:
    district = load(CATALOG / "districts" / "dunmore.yml")
    endorsed = set(district["endorses"]["credentials"])
    for stack in district["endorses"]["stacks"]:
        endorsed |= set(load(CATALOG / "stacks" / f"{stack}.yml")["members"])
    expected = sorted(i for i in endorsed if {"mathematics", "all-subjects"} & set(credentials()[i]["subjects"]))
    open_browse(page)
    page.locator("input[name=district][value='dunmore']").check()
    mathematics = page.locator("input[name=subject][value='mathematics']")
    # The count beside Mathematics says what checking it will show.
    expect(page.locator("label.mc-option", has=mathematics).locator(".mc-option-count")).to_have_text(f"({len(expected)})")
    mathematics.check()
    expect(page.locator("#mc-browse [role=status]")).to_have_text(f"{len(expected)} of {len(credentials())} micro-credentials")
    assert sorted(shown_ids(page)) == expected


def test_browse_filter_toggles_from_the_keyboard(page: Any) -> None:
    open_browse(page)
    for _ in range(100):  # Tab from the top of the page, as a keyboard user would
        page.keyboard.press("Tab")
        focused = page.evaluate("(e => e.matches('#mc-browse input[type=checkbox]') && [e.name, e.value])(document.activeElement)")
        if focused:
            break
    else:
        pytest.fail("no filter checkbox is reachable with Tab")
    facet, value = focused
    page.keyboard.press("Space")
    expect(page.locator(":focus")).to_be_checked()
    assert parse_qs(urlsplit(page.url).query) == {facet: [value]}
    if facet in FIELDS:
        expected = sorted(cid for cid, c in credentials().items() if has(c, facet, value))
        expect(page.locator(".mc-list > li[data-id]:visible")).to_have_count(len(expected))
        assert sorted(shown_ids(page)) == expected
    page.keyboard.press("Space")
    expect(page.locator(":focus")).not_to_be_checked()


@pytest.mark.parametrize("credential_id", ["hinge-questions", "ct-data-patterns"])
def test_credential_page_shows_every_rubric_criterion(page: Any, credential_id: str) -> None:
    rubric = load(ROOT / "rubrics" / f"{credentials()[credential_id]['rubric']}.yml")
    page.goto(f"catalog/credentials/{credential_id}/")
    table = page.locator("xpath=//h2[@id='rubric']/following::table[1]")
    expect(table.locator("tbody tr td:first-child")).to_have_text([c["title"] for c in rubric["criteria"]])


@pytest.mark.parametrize(
    ("badge", "verdict"), [(VALID_BADGE, "VALID"), (STACK_BADGE, "VALID"), (REVOKED_BADGE, "REVOKED")], ids=["valid", "stack", "revoked"]
)
def test_verification_page_gives_the_verdict(page: Any, badge: str, verdict: str) -> None:
    page.goto(f"verify/?a={badge}")
    expect(page.locator("#mc-verify-status .admonition-title")).to_have_text(verdict)


@pytest.mark.parametrize(("badge", "verdict"), [(VALID_BADGE, "VALID"), (REVOKED_BADGE, "REVOKED")], ids=["valid", "revoked"])
def test_verification_page_checks_the_3_0_credential(page: Any, badge: str, verdict: str) -> None:
    credential = badge.replace("/assertions/", "/credentials/").replace(".json", ".jwt")
    page.goto(f"verify/?a={credential}")
    expect(page.locator("#mc-verify-status .admonition-title")).to_have_text(verdict)
    report = page.locator("#mc-verify-report")
    expect(report).to_contain_text("Its RS256 signature verifies with the key its kid names.")
    expect(report).to_contain_text("The issuer is this consortium (or one of its districts): its did:web is this site.")
    expect(report).to_contain_text("marks it revoked" if verdict == "REVOKED" else "does not mark it revoked")
    if verdict == "REVOKED":
        expect(page.locator("#mc-verify-status")).to_contain_text("the scored student work was from a colleague's class")


def test_a_local_copy_is_checked_locally_and_says_so(page: Any, base_url: str) -> None:
    page.goto(f"verify/?a={VALID_BADGE}")
    expect(page.locator("#mc-verify-status")).to_contain_text(f"Checked against this copy of the site ({base_url}), not the published site")


def test_an_unreachable_badge_is_unverified_not_invalid(page: Any) -> None:
    page.goto("verify/?a=https://elsewhere.example.org/badges/assertions/a53891ea-fa7e-5c4e-b4db-a1d634d07df6.json")
    expect(page.locator("#mc-verify-status .admonition-title")).to_have_text("UNVERIFIED")
    expect(page.locator("#mc-verify-status")).to_contain_text("which says nothing against it")


def test_a_look_alike_on_the_same_origin_under_another_path_is_invalid(page: Any, site: Path) -> None:
    """Another project of the same static host serves a copy of a valid assertion: the issuer's policy refuses it."""
    origin = "/".join(SITE_URL.split("/", 3)[:3])
    forged = f"{origin}/other/badges/assertions/a53891ea-fa7e-5c4e-b4db-a1d634d07df6.json"
    body = json.dumps({**json.loads((site / VALID_BADGE.removeprefix(SITE_URL)).read_text(encoding="utf-8")), "id": forged})
    cors = {"Access-Control-Allow-Origin": "*"}
    page.route(forged, lambda route: route.fulfill(status=200, headers=cors, content_type="application/json", body=body))
    page.goto(f"verify/?a={forged}")
    expect(page.locator("#mc-verify-status .admonition-title")).to_have_text("INVALID")
    expect(page.locator("#mc-verify-status")).to_contain_text(
        f"The badge is not hosted where the issuer allows: its address {forged} does not start with {BADGES}."
    )


def test_a_look_alike_whose_address_climbs_out_of_the_assertions_is_invalid(page: Any, site: Path) -> None:
    """Written under badges/assertions/, its address resolves (dot segments) to a file elsewhere: compared as fetched."""
    climbing = f"{BADGES}../../look-alike/a53891ea.json"
    copy = site / "look-alike" / "a53891ea.json"
    copy.parent.mkdir(exist_ok=True)
    copy.write_text(
        json.dumps({**json.loads((site / VALID_BADGE.removeprefix(SITE_URL)).read_text(encoding="utf-8")), "id": climbing}),
        encoding="utf-8",
    )
    page.goto(f"verify/?a={climbing}")
    expect(page.locator("#mc-verify-status .admonition-title")).to_have_text("INVALID")
    expect(page.locator("#mc-verify-status")).to_contain_text(
        f"The badge is not hosted where the issuer allows: its address {SITE_URL}look-alike/a53891ea.json does not start with {BADGES}."
    )


def test_a_badge_past_its_expiry_reads_expired_with_the_date(page: Any, site: Path) -> None:
    lapsed = f"{BADGES}0e0e0e0e-0000-5000-8000-000000000001.json"
    document = json.loads((site / VALID_BADGE.removeprefix(SITE_URL)).read_text(encoding="utf-8"))
    (site / lapsed.removeprefix(SITE_URL)).write_text(json.dumps({**document, "id": lapsed, "expires": "2026-04-01T12:00:00Z"}))
    page.goto(f"verify/?a={lapsed}")
    expect(page.locator("#mc-verify-status .admonition-title")).to_have_text("EXPIRED")
    expect(page.locator("#mc-verify-status")).to_contain_text("valid until its expiry, which has passed: It expired on")


def test_revoked_badge_shows_why(page: Any) -> None:
    page.goto(f"verify/?a={REVOKED_BADGE}")
    expect(page.locator("#mc-verify-status")).to_contain_text("the scored student work was from a colleague's class")


AXE_PAGES = {
    "home": ("./", "h1"),
    "browse": ("catalog/", "form.mc-filters"),
    "credential": ("catalog/credentials/exit-tickets/", "h1"),
    "district": ("catalog/districts/alder-creek/", "h1"),
    "catalog health": ("catalog/health/", "svg[role=img]"),
    "district report": ("catalog/reports/alder-creek/", "svg[role=img]"),
    "verify": (f"verify/?a={VALID_BADGE}", "#mc-verify-report table"),
    "verify 3.0": (f"verify/?a={VALID_BADGE.replace('/assertions/', '/credentials/').replace('.json', '.jwt')}", "#mc-verify-report table"),
    "verify unverified": ("verify/?a=https://elsewhere.example.org/badge.json", "#mc-verify-status .admonition"),
}


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", AXE_PAGES)
def test_page_has_no_wcag_a_or_aa_violation(page: Any, axe_script: str, name: str, width: int) -> None:
    path, ready = AXE_PAGES[name]
    page.set_viewport_size({"width": width, "height": 900 if width > 600 else 844})
    page.goto(path)
    expect(page.locator(ready).first).to_be_visible()
    page.add_script_tag(url=axe_script)
    violations = page.evaluate("async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations")
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} {v['helpUrl']}\n"
        + "\n".join(f"    {n['target']}: {n['failureSummary']}" for n in v["nodes"])
        for v in violations
    ]
    if violations:
        pytest.fail(f"axe found {len(violations)} violation(s) on {path}:\n" + "\n".join(report), pytrace=False)


def test_printed_credential_page_has_no_navigation(page: Any) -> None:
    page.goto("catalog/credentials/exit-tickets/")
    page.emulate_media(media="print")
    for navigation in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
        expect(page.locator(navigation)).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("xpath=//h2[@id='rubric']/following::table[1]")).to_be_visible()

"""Badge documents, rubric results, stack completion and artwork: the pure parts of minting, on the base catalog."""

from __future__ import annotations

import io
import shutil
import zlib
from dataclasses import replace

import pytest
from PIL import Image

from microcred.badges import artwork, ob3, urls
from microcred.badges import ob2 as badges
from microcred.catalog.model import Alignment, Catalog
from microcred.catalog.records import Record, ReviewRecord, Round
from microcred.catalog.validate import validate
from support import FIXTURES, make_repo

SITE = "https://consortium.example.org/catalog/"
URLS = urls.Urls(SITE)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    repo = make_repo(tmp_path_factory.mktemp("badges") / "repo")
    shutil.copytree(FIXTURES / "mint", repo, dirs_exist_ok=True)
    result = validate(repo, model=True)
    assert result.catalog is not None, result.problems
    return result.catalog


def _review(name: str, verdict: str, **scores: str) -> ReviewRecord:
    return ReviewRecord(f"rv-{name:0>12}", verdict, "2026-10-05", scores)


def _record(*rounds: Round) -> Record:
    return Record("dee-alpha-1", "alpha", "1.0.0", "dee", "north", 7, "2026-10-01", "2026-10-20T15:04:05Z", rounds)


def test_documents_are_written_as_fixed_bytes() -> None:
    assert badges.dump({"b": 1, "a": "é"}) == '{\n  "b": 1,\n  "a": "é"\n}\n'.encode()


def test_ids_are_derived_from_the_submission_and_agree_with_the_reports() -> None:
    name = urls.assertion_uuid(SITE, "alpha", "dee-alpha-1")
    assert name == "439663b4-c7de-55ab-973d-a22279709ac5"
    assert URLS.assertion(name) == urls.assertion_url(SITE, "alpha", "dee-alpha-1")
    assert urls.stack_uuid(SITE, "basics", "Dee") == urls.stack_uuid(SITE, "basics", "dee") == "35a71a8e-7b66-52d7-ac22-15ce5f50190a"
    assert URLS.path(URLS.badge_class("alpha", "1.0.0")) == "badges/classes/alpha-1.0.0.json"
    assert urls.image(URLS.stack_class("basics")) == f"{SITE}badges/classes/stack-basics.png"
    assert URLS.credential_page("alpha") == f"{SITE}catalog/credentials/alpha/"  # where pages.py puts catalog/credentials/alpha.md


def test_criteria_narrate_the_rubric(catalog: Catalog) -> None:
    assert badges.criteria_narrative(catalog.credentials["alpha"], catalog.rubrics["alpha"]) == (
        "Submit evidence from your own teaching: answers to 1 overview question, 1 work example (Plan) and 1 reflection.\n"
        'Two trained reviewers score it against the public rubric "Alpha rubric", and a third breaks a tie. Every criterion must be met.\n'
        "\n"
        "Criteria, and the levels that meet each:\n"
        "\n"
        "- Context is clear: Demonstrated\n"
        "- Plan is sound: Demonstrated\n"
        "- Impact is shown: Demonstrated\n"
    )


def test_results_come_from_the_approving_reviewers_and_ties_go_to_the_first_level(catalog: Catalog) -> None:
    rubric = catalog.rubrics["alpha"]
    round_ = Round(
        "a" * 40,
        "2026-10-01",
        "2026-10-12",
        "approved",
        True,
        (
            _review("1", "approved", context="met", plan="not-yet"),
            _review("2", "not-yet", context="not-yet", plan="not-yet", impact="not-yet"),
            _review("3", "approved", context="met", plan="met"),
        ),
    )
    found = [(r.criterion.id, r.level.id if r.level else None, r.count, r.of) for r in badges.results(rubric, round_)]
    assert found == [("context", "met", 2, 2), ("plan", "met", 1, 2), ("impact", None, 0, 2)]
    assert badges.review_narrative(_record(round_), rubric) == (
        'Approved by 2 of 3 reviewers, a third reviewer breaking a tie, against the public rubric "Alpha rubric". '
        "Results given by the approving reviewers:\n"
        "\n"
        "- Context is clear: Demonstrated (2 of 2)\n"
        "- Plan is sound: Demonstrated (1 of 2)\n"
        "- Impact is shown: not scored\n"
    )


def test_a_resubmission_says_which_round_decided(catalog: Catalog) -> None:
    first = Round("a" * 40, "2026-09-02", "2026-09-10", "not-yet", False, (_review("1", "not-yet"), _review("2", "not-yet")))
    second = Round("b" * 40, "2026-09-18", "2026-09-27", "approved", False, (_review("1", "approved"), _review("2", "approved")))
    text = badges.review_narrative(_record(first, second), catalog.rubrics["alpha"])
    assert text.startswith('Approved by 2 of 2 reviewers in round 2 of 2, after a resubmission, against the public rubric "Alpha rubric".')


def test_recipient_is_the_hashed_email_or_the_profile() -> None:
    earner = {"login": "eve", "district": "south", "email_hash": "sha256$" + "0" * 64, "email_salt": "5f1c2a9d7e3b4c60"}
    assert badges.recipient({"earner": earner}) == {
        "type": "email",
        "hashed": True,
        "salt": "5f1c2a9d7e3b4c60",
        "identity": "sha256$" + "0" * 64,
    }
    assert badges.recipient({"earner": {"login": "dee", "district": "north"}}) == {
        "type": "url",
        "hashed": False,
        "identity": "https://github.com/dee",
    }


def _held(login: str, credential: str, on: str, submission: str = "") -> badges.Held:
    return badges.Held(
        login, credential, submission or f"{login}-{credential}", f"{SITE}badges/assertions/{login}-{credential}.json", on, {}
    )


def test_a_stack_is_completed_by_holding_every_member(catalog: Catalog) -> None:
    held = [
        _held("dee", "gamma", "2026-12-01T08:15:00Z"),
        _held("dee", "alpha", "2026-10-20T15:04:05Z"),
        _held("dee", "alpha", "2026-09-01T00:00:00Z", "dee-alpha-0"),
        _held("dee", "beta", "2026-11-21T10:00:00Z"),
        _held("eve", "alpha", "2026-09-30T09:30:00Z"),
        _held("eve", "beta", "2026-10-30T09:30:00Z"),
    ]
    (done,) = badges.completed(catalog, held)
    assert (done.stack.id, done.login) == ("basics", "dee")
    assert [h.submission for h in done.members] == ["dee-alpha-0", "dee-beta", "dee-gamma"]  # the earliest alpha counts
    assert done.last.issued_on == "2026-12-01T08:15:00Z"


def test_credits_available_are_the_earners_districts_ceus(catalog: Catalog) -> None:
    alpha = catalog.credentials["alpha"]
    assert ob3.credits_available(catalog, alpha, "south") == 1.0  # 0.1 CEU per estimated hour, 10 hours
    assert ob3.credits_available(catalog, alpha, "north") is None  # salary credit, no CEUs
    assert ob3.credits_available(catalog, catalog.credentials["beta"], "south") is None  # south does not endorse beta


def test_artwork_is_a_deterministic_round_badge() -> None:
    png = artwork.badge_png("Exit Tickets That Shape the Next Lesson", "#1d4e89", "#f2a541", "Version 1.0.0")
    assert png == artwork.badge_png("Exit Tickets That Shape the Next Lesson", "#1d4e89", "#f2a541", "Version 1.0.0")
    assert png != artwork.badge_png("Exit Tickets", "#1d4e89", "#f2a541", "Version 1.0.0")
    with Image.open(io.BytesIO(png)) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (400, 400), "P")  # a palette: one per badge class is published
        colours = image.convert("RGBA")
        assert colours.getpixel((0, 0)) == (0, 0, 0, 0)  # transparent outside the disc
        assert colours.getpixel((10, 200)) == (0xF2, 0xA5, 0x41, 255)  # the accent ring, exactly
        assert colours.getpixel((200, 60)) == (0x1D, 0x4E, 0x89, 255)  # the primary disc, exactly
        assert colours.getpixel((36, 200)) == (255, 255, 255, 255)  # the white inner line
    assert len(png) < 8_000  # the RGBA drawing it is made from: about 16 KB
    assert artwork.baked(png) is None


def test_baking_adds_one_uncompressed_itxt_chunk_and_replaces_an_earlier_one() -> None:
    png = artwork.badge_png("Alpha", "#1d4e89", "#f2a541")
    once = artwork.bake(png, '{"id": "a", "name": "é"}')
    assert artwork.baked(once) == '{"id": "a", "name": "é"}'
    assert b"iTXtopenbadges\0\0\0\0\0" + b'{"id": "a"' in once
    twice = artwork.bake(once, '{"id": "b"}')
    assert artwork.baked(twice) == '{"id": "b"}'
    assert twice.count(b"openbadges") == 1
    assert artwork.bake(png, '{"id": "b"}') == twice
    with Image.open(io.BytesIO(twice)) as image:
        image.load()
        assert image.text == {"openbadges": '{"id": "b"}'}  # type: ignore[attr-defined]


def test_baked_reads_what_other_bakers_write() -> None:
    png = artwork.badge_png("Alpha", "#1d4e89", "#f2a541")
    head, rest = png[:33], png[33:]  # the signature and IHDR, then the rest
    text_chunk = artwork._chunk(b"tEXt", b"openbadges\0https://example.org/a.json")
    compressed = artwork._chunk(b"iTXt", b"openbadges\0\1\0\0\0" + zlib.compress(b'{"id": "z"}'))
    assert artwork.baked(head + text_chunk + rest) == "https://example.org/a.json"
    assert artwork.baked(head + compressed + rest) == '{"id": "z"}'
    assert artwork.baked(artwork.bake(head + text_chunk + rest, "{}")) == "{}"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a", "not a PNG image (the signature is missing)"),
        (artwork.SIGNATURE + b"\0\0", "the PNG ends inside a chunk header"),
        (artwork.SIGNATURE + b"\0\0\0\x10IHDR", "the PNG chunk 'IHDR' runs past the end of the file"),
        (artwork.SIGNATURE + artwork._chunk(b"IEND", b""), "the PNG has no IHDR chunk first"),
    ],
)
def test_what_is_not_a_png_is_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(artwork.ArtworkError) as caught:
        artwork.bake(data, "{}")
    assert str(caught.value) == message


def test_alignment_without_a_url_points_at_the_credential_page(catalog: Catalog) -> None:
    alpha = catalog.credentials["alpha"]
    document = badges.badge_class(alpha, catalog.rubrics["alpha"], URLS)
    assert "alignment" not in document and "tags" not in document  # the base catalog has neither
    aligned = replace(alpha, alignment=(Alignment("InTASC", "6", "Assessment", None),), tags=("assessment",))
    document = badges.badge_class(aligned, catalog.rubrics["alpha"], URLS)
    assert document["alignment"] == [
        {"targetName": "Assessment", "targetUrl": f"{SITE}catalog/credentials/alpha/", "targetFramework": "InTASC", "targetCode": "6"}
    ]
    assert document["tags"] == ["assessment"]
    achievement = ob3.achievement(aligned, URLS, None)
    # The 3.0 achievement is embedded minimally: its alignment, tags and rubric are the BadgeClass's, at its id.
    assert sorted(achievement) == ["achievementType", "criteria", "description", "id", "image", "name", "type", "version"]
    assert achievement["id"] == document["id"] and achievement["criteria"] == {"id": document["criteria"]["id"]}
    assert "creditsAvailable" not in achievement
    assert ob3.achievement(aligned, URLS, 1.5)["creditsAvailable"] == 1.5


def test_the_review_is_evidence_with_its_results_even_without_an_address(catalog: Catalog) -> None:
    rubric = catalog.rubrics["alpha"]
    approving = (_review("1", "approved", context="met", plan="met", impact="met"), _review("2", "approved", context="met"))
    record = _record(Round("a" * 40, "2026-10-01", "2026-10-12", "approved", False, approving))
    submission = {"id": "dee-alpha-1", "artifacts": {"plan": {"url": "https://storage.example.org/p.pdf", "description": "The  plan."}}}
    results = (
        'Approved by 2 of 2 reviewers, against the public rubric "Alpha rubric". Results given by the approving reviewers:\n'
        "\n"
        "- Context is clear: Demonstrated (2 of 2)\n"
        "- Plan is sound: Demonstrated (1 of 2)\n"
        "- Impact is shown: Demonstrated (1 of 2)\n"
    )
    review = {
        "type": "Evidence",
        "name": "Review in pull request #7",
        "description": "The reviewers' verdicts, scored against the public rubric before the submission was merged.",
        "narrative": results,
        "genre": "Review",
    }
    submitted = {
        "type": "Evidence",
        "name": "Submission dee-alpha-1",
        "description": "The earner's answers and links to their work, as merged.",
        "genre": "Submission",
    }
    plan = {
        "type": "Evidence",
        "id": "https://storage.example.org/p.pdf",
        "name": "Plan",
        "description": "The plan.",
        "audience": "The earner's district and the reviewers; the storage is access-controlled.",
    }
    assert badges.evidence(submission, catalog.credentials["alpha"], rubric, record, {}) == [review, submitted, plan]
    unnumbered = replace(record, pull_request=0)
    assert badges.evidence(submission, catalog.credentials["alpha"], rubric, unnumbered, {})[0]["name"] == "Review"
    links = {
        "pull_request": "https://github.com/o/r/pull/7",
        "submission": "https://github.com/o/r/blob/abc/submissions/alpha/dee-alpha-1.yml",
    }
    linked = badges.evidence(submission, catalog.credentials["alpha"], rubric, record, links)
    assert linked[:2] == [
        {"type": "Evidence", "id": links["pull_request"]} | review,
        {"type": "Evidence", "id": links["submission"]} | submitted,
    ]
    assert [list(item) for item in linked[:2]] == [
        ["type", "id", "name", "description", "narrative", "genre"],
        ["type", "id", "name", "description", "genre"],
    ]

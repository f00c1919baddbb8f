"""Review records: written as fixed text and read back to the same record."""

from __future__ import annotations

import yaml

from microcred.catalog.records import Record, ReviewRecord, Round

RECORD = Record(
    submission="dee-alpha-1",
    credential="alpha",
    version="1.0.0",
    earner="dee",
    district="alder-creek",
    pull_request=42,
    submitted_on="2026-09-01",
    merged_at="2026-09-20T15:04:05Z",
    rounds=(
        Round(
            "a" * 40,
            "2026-09-01",
            "2026-09-08",
            "not-yet",
            False,
            (
                ReviewRecord("rv-000000000001", "not-yet", "2026-09-05", {"sort": "not-yet", "aim": "demonstrated"}),
                ReviewRecord("rv-000000000002", "not-yet", "2026-09-08", {}),
            ),
        ),
        Round("b" * 40, "2026-09-10", "2026-09-19", "approved", True, ()),
    ),
)

TEXT = """\
# yaml-language-server: $schema=../../schemas/record.schema.json
# Written by `microcred mint` when the submission was merged; never edited by hand.
submission: dee-alpha-1
credential: alpha
version: 1.0.0
earner: dee
district: alder-creek
pull_request: 42
submitted_on: "2026-09-01"
merged_at: "2026-09-20T15:04:05Z"
rounds:
  - head: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    opened_on: "2026-09-01"
    decided_on: "2026-09-08"
    outcome: not-yet
    tiebreak: false
    reviews:
      - reviewer: rv-000000000001
        verdict: not-yet
        reviewed_on: "2026-09-05"
        scores: {aim: demonstrated, sort: not-yet}
      - reviewer: rv-000000000002
        verdict: not-yet
        reviewed_on: "2026-09-08"
        scores: {}
  - head: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
    opened_on: "2026-09-10"
    decided_on: "2026-09-19"
    outcome: approved
    tiebreak: true
    reviews: []
"""


def test_record_is_written_as_fixed_text() -> None:
    assert RECORD.to_yaml() == TEXT


def test_record_reads_back_the_same() -> None:
    assert Record.from_dict(yaml.safe_load(TEXT)) == RECORD


def test_record_facts() -> None:
    assert RECORD.path == "records/alpha/dee-alpha-1.yml"
    assert RECORD.approved
    assert RECORD.first_review_on == "2026-09-05"
    assert not Record.from_dict({**yaml.safe_load(TEXT), "rounds": []}).approved

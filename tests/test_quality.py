"""Review figures: Cohen's kappa on known cases, percentiles, score pairs, and the seeded history by hand."""

from __future__ import annotations

from microcred.catalog.records import ReviewRecord, Round
from microcred.reports.history import read_history
from microcred.reports.quality import (
    Bin,
    Ratio,
    cohen_kappa,
    days_number,
    days_text,
    figures,
    median,
    nearest_rank,
    percent_agreement,
    reviews,
    score_pairs,
    turnaround_bins,
)
from support import FIXTURES

HISTORY = FIXTURES / "history"
SITE = "https://consortium.example.org/catalog/"


def test_perfect_agreement_is_1() -> None:
    assert cohen_kappa([("met", "met"), ("not-yet", "not-yet"), ("met", "met")]) == 1.0


def test_chance_level_agreement_is_0() -> None:
    # p_o = 2/4; each rater says met half the time: p_e = 1/2 * 1/2 + 1/2 * 1/2 = 1/2; kappa = 0 / (1/2) = 0
    assert cohen_kappa([("met", "met"), ("met", "no"), ("no", "met"), ("no", "no")]) == 0.0
    # Lopsided raters, as with a rubric most submissions meet: both say met 12 times of 16.
    # p_o = (9 + 1) / 16 = 10/16; p_e = 3/4 * 3/4 + 1/4 * 1/4 = 10/16: 62.5% agreement, and no better than chance
    pairs = [("met", "met")] * 9 + [("no", "no")] + [("met", "no")] * 3 + [("no", "met")] * 3
    assert (percent_agreement(pairs), cohen_kappa(pairs)) == (Ratio(10, 16), 0.0)


def test_systematic_disagreement_is_negative() -> None:
    # p_o = 0; p_e = 1/2 * 1/2 + 1/2 * 1/2 = 1/2; kappa = (0 - 1/2) / (1 - 1/2) = -1
    assert cohen_kappa([("met", "no"), ("no", "met")]) == -1.0
    # Mostly disagreeing: p_o = 1/4; p_e = 1/2; kappa = (1/4 - 1/2) / (1/2) = -1/2
    assert cohen_kappa([("met", "no"), ("no", "met"), ("met", "no"), ("met", "met")]) == -0.5


def test_textbook_two_by_two() -> None:
    # The classic 50 proposals: both yes 20, A yes B no 5, A no B yes 10, both no 15.
    # p_o = 35/50 = 0.7; A says yes 25/50, B 30/50: p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    assert cohen_kappa(pairs) == 0.4  # exact: kappa is computed in fractions, then rounded once
    assert percent_agreement(pairs) == Ratio(35, 50)


def test_kappa_is_undefined_without_pairs_or_when_chance_agreement_is_certain() -> None:
    assert cohen_kappa([]) is None
    assert cohen_kappa([("met", "met"), ("met", "met")]) is None  # p_e = 1: nothing to correct for
    assert percent_agreement([]).rate is None


def test_median_and_nearest_rank_percentile() -> None:
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert median([]) is None
    values = [3, 6, 7, 7, 10, 10, 11, 14, 16, 20, 30]
    assert nearest_rank(values, 90) == 20  # rank ceil(0.9 * 11) = 10
    assert nearest_rank([5], 90) == 5
    assert nearest_rank(list(range(1, 11)), 90) == 9  # rank ceil(0.9 * 10) = 9
    assert nearest_rank([], 90) is None


def test_day_figures_are_integers_when_whole_else_one_decimal() -> None:
    # A median is a mean of two days at most, so it is whole or a half; the 90th percentile is always a whole day.
    # Every format writes both alike: 10 (never 10.0, as JSON would print a float), 10.5.
    values = [median([10, 10]), nearest_rank([18], 90), median([10, 11]), 1234567.0, None]
    assert [days_number(v) for v in values] == [10, 18, 10.5, 1234567, None]
    assert [type(days_number(v)) for v in values[:2]] == [int, int]
    assert [days_text(v) for v in values] == ["10", "18", "10.5", "1234567", "n/a"]


def test_score_pairs_order_reviewers_by_pseudonym_and_use_shared_criteria() -> None:
    reviews_ = (
        ReviewRecord("rv-c00000000003", "approved", "2026-01-02", {"a": "met", "b": "met"}),
        ReviewRecord("rv-a00000000001", "not-yet", "2026-01-01", {"a": "no", "c": "met"}),
        ReviewRecord("rv-b00000000002", "approved", "2026-01-03", {"b": "met"}),
    )
    round_ = Round("0" * 40, "2026-01-01", "2026-01-03", "approved", True, reviews_)
    # (a, c) share "a"; (b, c) share "b"; (a, b) share nothing
    assert score_pairs(round_) == [("no", "met"), ("met", "met")]


def test_turnaround_bins_cover_the_target_and_cut_long_tails() -> None:
    assert turnaround_bins([], 14) == (Bin("0–7", 0), Bin("8–14", 0))
    assert turnaround_bins([0, 7, 8, 30], 14) == (Bin("0–7", 2), Bin("8–14", 1), Bin("15–21", 0), Bin("22–28", 0), Bin("29–35", 1))
    long = turnaround_bins([1, 200], 14)
    assert len(long) == 10
    assert long[-1] == Bin("64+", 1)
    # A target beyond the tenth week keeps a closed week of its own: 80 days ends week 12, the open bin starts after it.
    far = turnaround_bins([1, 200], 80)
    assert (len(far), far[-2], far[-1]) == (13, Bin("78–84", 0), Bin("85+", 1))


def test_seeded_history_by_hand() -> None:
    history = read_history(HISTORY, SITE)
    report = reviews(history.records, 14)
    o = report.overall
    # 9 records: alpha (dee, eve, fay), beta (dee, eve), gamma, delta, epsilon (dee), zeta (eve).
    # Rounds: dee-beta and eve-alpha have 2, the others 1: 11 rounds.
    assert (o.submissions, o.rounds) == (9, 11)
    # First round not approved only for dee-beta and eve-alpha: 7 of 9 passed first, 2 of 9 resubmitted.
    assert (o.first_try, o.resubmitted) == (Ratio(7, 9), Ratio(2, 9))
    # Only dee-gamma's round needed a third reviewer.
    assert o.tiebreaks == Ratio(1, 11)
    # Score pairs (first rater = smaller pseudonym), m = met, n = not-yet:
    #   dee-alpha (a,b): mm mm mm                              3
    #   dee-beta r1 (a,b): context mm, impact nm, plan nn      3
    #   dee-gamma (a,b): mm, mn (plan), mm; (a,c): mm mm mm; (b,c): mm, nm (plan), mm     9
    #   dee-delta (a,b): context mm, plan mm (a left impact unscored)   2
    #   eve-alpha r1 (b,c): context nn, impact mn, plan nm     3
    #   every other round has a reviewer with no scores        0
    # 20 pairs: mm 13, nn 2, nm 3, mn 2 -> p_o = 15/20 = 0.75
    # first rater: m 15, n 5; second: m 16, n 4 -> p_e = 0.75 * 0.8 + 0.25 * 0.2 = 0.65
    # kappa = (0.75 - 0.65) / (1 - 0.65) = 0.1 / 0.35 = 2/7
    assert o.agreement == Ratio(15, 20)
    assert o.kappa == 2 / 7
    # Days per round: alpha 10, 30, 6, 16; beta 20, 11, 7; gamma 7; delta 14; epsilon 3; zeta 10
    # sorted 3 6 7 7 10 10 11 14 16 20 30: median the 6th = 10; p90 rank ceil(9.9) = 10th = 20; 8 of 11 within 14
    assert o.days == (3, 6, 7, 7, 10, 10, 11, 14, 16, 20, 30)
    assert (o.median_days, o.p90_days, o.within_target) == (10, 20, Ratio(8, 11))
    by_id = dict(report.credentials)
    assert list(by_id) == ["alpha", "beta", "delta", "epsilon", "gamma", "zeta"]
    alpha = by_id["alpha"]
    # 6 pairs: mm mm mm, nn, mn, nm -> p_o = 4/6; marginals first m4 n2, second m4 n2 -> p_e = 16/36 + 4/36 = 5/9
    # kappa = (6/9 - 5/9) / (4/9) = 1/4; days 6 10 16 30 -> median (10 + 16) / 2 = 13, p90 rank 4 = 30
    assert (alpha.first_try, alpha.resubmitted, alpha.agreement) == (Ratio(2, 3), Ratio(1, 3), Ratio(4, 6))
    assert alpha.kappa == 0.25
    assert (alpha.median_days, alpha.p90_days, alpha.within_target) == (13, 30, Ratio(2, 4))
    # beta: mm, nm, nn -> p_o 2/3; first m1 n2, second m2 n1 -> p_e = 2/9 + 2/9 = 4/9; kappa = (2/9) / (5/9) = 2/5
    assert by_id["beta"].kappa == 0.4
    # gamma: mm x7, mn, nm -> p_o 7/9; marginals m8 n1 each -> p_e = 65/81; kappa = (63 - 65) / (81 - 65) = -1/8
    assert by_id["gamma"].kappa == -0.125
    assert by_id["gamma"].tiebreaks == Ratio(1, 1)
    # delta: two met-met pairs: 100% agreement but kappa undefined; epsilon: no pairs at all
    assert (by_id["delta"].agreement, by_id["delta"].kappa) == (Ratio(2, 2), None)
    assert (by_id["epsilon"].agreement, by_id["epsilon"].kappa) == (Ratio(0, 0), None)
    assert by_id["delta"].within_target == Ratio(1, 1)  # 14 days is within a 14-day target


def test_a_shorter_target_changes_only_the_share_within_it() -> None:
    records = read_history(HISTORY, SITE).records
    assert figures(records, 7).within_target == Ratio(4, 11)  # 3 6 7 7
    assert figures(records, 7).median_days == 10

"""The arithmetic of penalties, without a database."""

from __future__ import annotations

from datetime import date

from service.enforcement.measures import Policy, balance, hearing_offered, is_major, surcharge_fen

DUE = date(2026, 3, 16)


def test_no_surcharge_within_the_period():
    assert surcharge_fen(fine_fen=100_000, due_on=DUE, fine_paid_on=DUE) == 0


def test_three_percent_of_the_fine_per_late_day():
    assert surcharge_fen(fine_fen=100_000, due_on=DUE, fine_paid_on=date(2026, 3, 20)) == 12_000


def test_the_surcharge_never_exceeds_the_fine():
    assert surcharge_fen(fine_fen=100_000, due_on=DUE, fine_paid_on=date(2026, 12, 31)) == 100_000


def test_the_surcharge_stops_when_the_fine_is_paid_in_full():
    owed = balance(fine_fen=100_000, due_on=DUE, today=date(2026, 4, 30),
                   payments=[(date(2026, 3, 17), 60_000), (date(2026, 3, 18), 40_000)])
    assert (owed.surcharge_fen, owed.outstanding_fen) == (6_000, 6_000)


def test_major_decisions_and_hearings_follow_the_configured_thresholds():
    policy = Policy(major_fine_fen=500_000, hearing_fine_fen=1_000_000)
    assert is_major(policy, measures=["fine"], fine_fen=500_000)
    assert not is_major(policy, measures=["fine"], fine_fen=499_999)
    assert is_major(policy, measures=["warning", "suspension"], fine_fen=None)
    assert not hearing_offered(policy, measures=["fine"], fine_fen=999_999)
    assert hearing_offered(policy, measures=["revocation"], fine_fen=None)

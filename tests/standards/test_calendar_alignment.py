"""CST statistic periods: alignment, next start, counting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from nenghao.standards.calendar import is_aligned, next_start, periods_between

CST = timezone(timedelta(hours=8))


def ts(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=CST).timestamp())


@pytest.mark.parametrize(
    ("period", "start", "expected"),
    [
        ("15min", ts(2024, 5, 1, 9, 45), ts(2024, 5, 1, 10, 0)),
        ("hour", ts(2024, 5, 1, 23), ts(2024, 5, 2, 0)),
        ("day", ts(2024, 2, 28), ts(2024, 2, 29)),
        ("month", ts(2024, 2, 1), ts(2024, 3, 1)),
        ("month", ts(2024, 12, 1), ts(2025, 1, 1)),
        ("year", ts(2024, 1, 1), ts(2025, 1, 1)),
    ],
)
def test_next_start(period: str, start: int, expected: int) -> None:
    assert next_start(period, start) == expected  # type: ignore[arg-type]
    assert periods_between(period, start, expected) == 1  # type: ignore[arg-type]


def test_periods_between() -> None:
    assert periods_between("month", ts(2023, 11, 1), ts(2024, 2, 1)) == 3
    assert periods_between("year", ts(2020, 1, 1), ts(2024, 1, 1)) == 4
    assert periods_between("15min", ts(2024, 5, 1), ts(2024, 5, 2)) == 96
    assert periods_between("day", ts(2024, 5, 1), ts(2024, 5, 1)) == 0
    with pytest.raises(ValueError, match="precede"):
        periods_between("day", ts(2024, 5, 2), ts(2024, 5, 1))
    with pytest.raises(ValueError, match="aligned"):
        periods_between("hour", ts(2024, 5, 1), ts(2024, 5, 1, 0, 30))


def test_alignment_is_in_cst() -> None:
    assert is_aligned("day", datetime(2024, 4, 30, 16, tzinfo=UTC))
    assert not is_aligned("day", datetime(2024, 5, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="aware"):
        is_aligned("day", datetime(2024, 5, 1))

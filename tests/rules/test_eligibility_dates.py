"""Counting years: "满N年" to 31 December of the review year (seed 003 三（一）), with the Civil Code's rules
for periods (民法典第二百零一条、第二百零二条、第一千二百五十九条)."""

from __future__ import annotations

import datetime as dt

from rules.eligibility.dates import add_years, duration, format_span, full_years_reached, span_between

D = dt.date
AS_OF = D(2023, 12, 31)


def test_a_period_started_on_31_december_is_full_on_31_december_n_years_later():
    assert full_years_reached(D(2018, 12, 31), 5, AS_OF)


def test_a_period_started_on_1_january_is_one_day_short_on_31_december():
    # 民法典第二百零一条: the first day is not counted, so the 5th anniversary (2024-01-01) is still to come.
    assert not full_years_reached(D(2019, 1, 1), 5, AS_OF)


def test_29_february_reaches_its_anniversary_on_28_february_of_a_common_year():
    # 民法典第二百零二条: without a corresponding day, the month's last day ends the period.
    assert add_years(D(2020, 2, 29), 1) == D(2021, 2, 28)
    assert add_years(D(2020, 2, 29), 4) == D(2024, 2, 29)
    assert full_years_reached(D(2020, 2, 29), 3, D(2023, 2, 28))
    assert not full_years_reached(D(2020, 2, 29), 3, D(2023, 2, 27))


def test_an_unbroken_period_counts_from_its_own_start():
    d = duration([(D(2018, 7, 1), None)], since=None, as_of=AS_OF)
    assert d.effective_start == D(2018, 7, 1)
    assert str(d) == "5年5个月"
    assert d.reaches(5) and not d.reaches(6)


def test_a_gap_is_not_counted():
    with_gap = duration([(D(2018, 12, 31), D(2020, 6, 29)), (D(2020, 7, 1), None)], since=None, as_of=AS_OF)
    assert with_gap.effective_start == D(2019, 1, 1)
    assert not with_gap.reaches(5)


def test_the_leap_day_counts_like_any_working_day():
    # 2018-12-31 .. 2023-12-31 is exactly 5 years; missing only 2020-02-29 leaves it one day short.
    full = duration([(D(2018, 12, 31), None)], since=None, as_of=AS_OF)
    without_leap_day = duration(
        [(D(2018, 12, 31), D(2020, 2, 28)), (D(2020, 3, 1), None)], since=None, as_of=AS_OF
    )
    assert full.reaches(5)
    assert not without_leap_day.reaches(5)


def test_overlapping_periods_are_counted_once():
    d = duration(
        [(D(2019, 1, 1), D(2020, 12, 31)), (D(2020, 1, 1), D(2021, 12, 31))], since=None, as_of=AS_OF
    )
    assert d.days == (D(2021, 12, 31) - D(2019, 1, 1)).days + 1


def test_time_before_the_start_date_and_after_as_of_is_clipped():
    d = duration([(D(2010, 1, 1), D(2030, 1, 1))], since=D(2020, 12, 31), as_of=AS_OF)
    assert d.effective_start == D(2020, 12, 31)
    assert d.reaches(3)


def test_an_ongoing_period_tells_when_the_years_will_be_reached():
    d = duration([(D(2019, 3, 1), None)], since=None, as_of=AS_OF)
    assert d.reached_on(5) == D(2024, 3, 1)
    ended = duration([(D(2019, 3, 1), D(2022, 1, 1))], since=None, as_of=AS_OF)
    assert ended.reached_on(5) is None


def test_spans_are_shown_in_years_and_months():
    assert format_span(span_between(D(2019, 9, 15), AS_OF)) == "4年3个月"
    assert format_span(span_between(D(2023, 11, 30), AS_OF)) == "1个月"
    assert format_span(span_between(D(2023, 12, 1), AS_OF)) == "不足1个月"
    assert format_span(span_between(D(2023, 12, 20), AS_OF)) == "不足1个月"

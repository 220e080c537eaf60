"""The pure bucket arithmetic behind /stats/events: ranges, clamping, de-duplication, rows."""

from __future__ import annotations

from datetime import date

import pytest

from service import stats

MAY = date(2024, 5, 17)


def test_buckets_cover_the_range_even_with_no_rows():
    counts = stats.count_buckets([], "month", split=False, first=date(2024, 1, 15), last=date(2024, 3, 1))
    assert [(b.key, b.start, b.end, b.count) for b in counts.buckets] == [
        ("2024-01", date(2024, 1, 1), date(2024, 1, 31), 0),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), 0),
        ("2024-03", date(2024, 3, 1), date(2024, 3, 31), 0),
    ]
    assert counts.series is None


def test_no_bounds_and_no_rows_is_no_buckets_and_one_bound_alone_is_one_bucket():
    assert stats.count_buckets([], "day", split=True).buckets == []
    (only,) = stats.count_buckets([], "year", split=False, first=MAY).buckets
    assert (only.key, only.count) == ("2024", 0)


def test_an_event_before_the_range_counts_in_its_first_bucket():
    rows = [(1, date(2023, 12, 30), None, None), (2, MAY, None, None)]
    counts = stats.count_buckets(rows, "month", split=False, first=date(2024, 4, 10), last=date(2024, 5, 31))
    assert [(b.key, b.count) for b in counts.buckets] == [("2024-04", 1), ("2024-05", 1)]


def test_an_event_counts_once_per_key_however_many_rows_repeat_it():
    rows = [(1, MAY, "anadolu", "Anadolu"), (1, MAY, "anadolu", "Anadolu"), (1, MAY, "tass", "TASS")]
    rows += [(2, MAY, None, None)]  # no source: only in the total
    (bucket,) = stats.count_buckets(rows, "year", split=True).buckets
    assert (bucket.count, bucket.by) == (2, {"anadolu": 1, "tass": 1})


def test_series_are_named_and_ordered_by_count_then_id():
    rows = [(1, MAY, "b", "Bee"), (2, MAY, "b", "Bee"), (2, MAY, "a", "Ay"), (3, MAY, "c", None)]
    counts = stats.count_buckets(rows, "month", split=True)
    assert counts.series == [
        stats.Series("b", "Bee", 2),
        stats.Series("a", "Ay", 1),
        stats.Series("c", "c", 1),
    ]


def test_the_last_bucket_of_the_calendar_ends_on_its_last_day():
    (bucket,) = stats.count_buckets([(1, date(9999, 12, 31), None, None)], "month", split=False).buckets
    assert (bucket.key, bucket.end) == ("9999-12", date(9999, 12, 31))
    (day,) = stats.count_buckets([(1, date(9999, 12, 31), None, None)], "day", split=False).buckets
    assert day.end == date(9999, 12, 31)


@pytest.mark.parametrize(
    "interval, first, last, expected",
    [
        ("day", date(2024, 2, 28), date(2024, 3, 1), 3),
        ("week", date(2024, 1, 7), date(2024, 1, 8), 2),  # Sunday, then Monday: two ISO weeks
        ("month", date(2023, 12, 31), date(2024, 1, 1), 2),
        ("year", date(2001, 6, 1), date(2024, 1, 1), 24),
    ],
)
def test_bucket_count(interval, first, last, expected):
    assert stats.bucket_count(first, last, interval) == expected
    counts = stats.count_buckets([], interval, split=False, first=first, last=last)
    assert len(counts.buckets) == expected


def test_too_many_buckets_are_refused_before_any_is_built():
    with pytest.raises(stats.TooManyBuckets, match="coarser interval"):
        stats.count_buckets([], "day", split=False, first=date(1, 1, 1), last=date(9999, 12, 31))


def test_flat_rows_repeat_every_series_in_every_bucket_with_zeros():
    rows = [(1, date(2024, 1, 5), "a", "Ay"), (2, date(2024, 3, 5), "b", "Bee")]
    counts = stats.count_buckets(rows, "month", split=True)
    flat = stats.flat_rows(counts)
    assert len(flat) == 3 * 2
    assert flat[:2] == [
        {"time": "2024-01-01T00:00:00Z", "series": "Ay", "series_id": "a", "value": 1},
        {"time": "2024-01-01T00:00:00Z", "series": "Bee", "series_id": "b", "value": 0},
    ]
    unsplit = stats.flat_rows(stats.count_buckets(rows, "year", split=False))
    assert unsplit == [
        {"time": "2024-01-01T00:00:00Z", "series": "events", "series_id": "events", "value": 2}
    ]


def test_buckets_and_series_dump_as_their_schemas_do():
    from service.api.schemas import StatsBucketOut, StatsSeriesOut, dump_buckets, dump_series

    rows = [(1, MAY, "b", "Bee"), (2, date(2024, 6, 2), "a", "Ay"), (3, date(2024, 8, 1), None, None)]
    for split in (True, False):
        counts = stats.count_buckets(rows, "month", split=split)
        assert dump_buckets(counts.buckets) == StatsBucketOut(many=True).dump(counts.buckets)
    series = stats.count_buckets(rows, "month", split=True).series
    assert len(series) == 2 and dump_series(series) == StatsSeriesOut(many=True).dump(series)

"""Document numbers: the pattern, the period a counter runs for, and no gaps or
duplicates when many documents take a number at the same moment."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_context

from crm.documents.models import DocumentCounter
from crm.documents.numbering import document_number, next_number, number_format, number_period, pattern_problem


def test_the_pattern_is_filled_with_the_year_month_and_number():
    day = date(2026, 3, 7)
    assert number_format("OF/{YYYY}/{MM}/{NR}", day, 12) == "OF/2026/03/12"
    assert number_format("{NR}/{YY}", day, 1) == "1/26"


@pytest.mark.parametrize(
    ("pattern", "reset", "period"),
    [
        ("FV/{YYYY}/{MM}/{NR}", "monthly", "2026-03"),
        ("FV/{YYYY}/{MM}/{NR}", "yearly", "2026"),
        # a monthly reset the number cannot show would repeat numbers: the series runs through the year
        ("OF/{YYYY}/{NR}", "monthly", "2026"),
        ("OF/{NR}", "monthly", ""),
    ],
)
def test_the_counter_starts_again_only_when_the_number_shows_the_period(pattern, reset, period):
    assert number_period(pattern, reset, date(2026, 3, 7)) == period


def test_a_pattern_needs_exactly_one_number_and_known_placeholders():
    assert pattern_problem("OF/{YYYY}/{NR}") is None
    assert pattern_problem("OF/{YYYY}") is not None
    assert pattern_problem("{NR}/{NR}") is not None
    assert pattern_problem("{NR}/{DD}") is not None


def test_numbers_follow_each_other_within_a_period_and_start_again_in_the_next(company_a):
    with schema_context(company_a.schema_name), transaction.atomic():
        first = document_number(series="offer", pattern="OF/{YYYY}/{NR}", reset="yearly", on=date(2026, 5, 1))
        second = document_number(series="offer", pattern="OF/{YYYY}/{NR}", reset="yearly", on=date(2026, 9, 1))
        next_year = document_number(series="offer", pattern="OF/{YYYY}/{NR}", reset="yearly", on=date(2027, 1, 2))
        other_series = document_number(series="other", pattern="X/{YYYY}/{NR}", reset="yearly", on=date(2026, 5, 1))
    assert (first, second, next_year, other_series) == ("OF/2026/1", "OF/2026/2", "OF/2027/1", "X/2026/1")


def test_a_rolled_back_document_gives_its_number_back(company_a):
    with schema_context(company_a.schema_name), transaction.atomic():
        assert next_number(series="offer", period="2026") == 1
        sid = transaction.savepoint()
        assert next_number(series="offer", period="2026") == 2
        transaction.savepoint_rollback(sid)
        assert next_number(series="offer", period="2026") == 2


def test_next_number_refuses_to_run_outside_a_transaction(committed):
    with schema_context(committed.a.schema_name), pytest.raises(RuntimeError):
        next_number(series="offer", period="2026")


def test_eight_documents_numbered_at_the_same_moment_get_eight_different_numbers_without_gaps(committed):
    schema = committed.a.schema_name
    start = threading.Barrier(8)
    got: list[int] = []
    errors: list[BaseException] = []

    def take() -> None:
        try:
            with schema_context(schema):
                start.wait(timeout=10)
                with transaction.atomic():
                    got.append(next_number(series="race", period="2026"))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(got) == list(range(1, 9))
    with schema_context(schema):
        assert DocumentCounter.objects.get(series="race", period="2026").last_number == 8

"""Calendars named by offices (q6c_other), and their offsets to the Gregorian year."""

import pytest

from standards.calendars import calendar_named


@pytest.mark.parametrize(
    ("text", "code", "offset"),
    [
        ("Republic of China calendar", "minguo", 1911),  # ROC 90 = 2001 (TIPO numbers)
        ("ROC year", "minguo", 1911),
        ("民國紀年", "minguo", 1911),
        ("Japanese era Heisei", "jp_heisei", 1988),  # Heisei 11 = 1999
        ("平成", "jp_heisei", 1988),
        ("Shōwa", "jp_showa", 1925),  # accents do not matter
        ("Reiwa", "jp_reiwa", 2018),
        ("Thai Buddhist Era", "buddhist", -543),
        ("Solar Hijri (Iranian) calendar", "solar_hijri", None),
    ],
)
def test_named_calendars(text, code, offset) -> None:
    calendar = calendar_named(text)
    assert calendar is not None and calendar.code == code
    assert calendar.offset == offset


@pytest.mark.parametrize("text", [None, "", "our own calendar", "process year", "Heisei or Showa"])
def test_unknown_or_ambiguous_names(text) -> None:
    # "roc" must be a word ("process" is no calendar); naming two calendars names none.
    assert calendar_named(text) is None

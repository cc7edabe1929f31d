"""Years written in calendars other than the Gregorian, turned into Gregorian years.

ST.13 (c) asks for the Gregorian year. Some offices number applications with the year
of another calendar: the Taiwan office (TIPO) with the year of the Republic of China
(Minguo) calendar, the Japan Patent Office before 2000 with the year of the imperial era.
Where the office names its calendar (questionnaire q6c = other, q6c_other), a year of
a calendar known here is converted by its fixed offset, and the conversion says so.

A calendar whose years do not fall on Gregorian years (the Solar Hijri year begins in
March) has no fixed offset: without the filing date its year gives two possible
Gregorian years, so it is not converted.

Pure Python, like the rest of the standards core.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from standards.messages import Text, gettext_noop

__all__ = ["CALENDARS", "Calendar", "calendar_named"]


@dataclass(frozen=True)
class Calendar:
    code: str
    name: Text
    # Gregorian year = year written + offset; None when no fixed offset exists.
    offset: int | None
    # Words (lower case, without accents) by which an office may name it in q6c_other.
    names: tuple[str, ...]
    first_year: int = 1  # the first year of the era, for a plausibility check


CALENDARS: tuple[Calendar, ...] = (
    # Minguo year 1 is 1912 (the founding of the Republic of China).
    Calendar(
        "minguo",
        gettext_noop("Republic of China (Minguo) calendar"),
        1911,
        ("minguo", "min guo", "republic of china", "roc", "taiwan", "民國", "民国"),
    ),
    # Japanese imperial eras: Showa 1 = 1926, Heisei 1 = 1989, Reiwa 1 = 2019.
    Calendar("jp_showa", gettext_noop("Japanese era Shōwa"), 1925, ("showa", "昭和")),
    Calendar("jp_heisei", gettext_noop("Japanese era Heisei"), 1988, ("heisei", "平成")),
    Calendar("jp_reiwa", gettext_noop("Japanese era Reiwa"), 2018, ("reiwa", "令和")),
    # Thai solar calendar: Buddhist Era year 2543 = 2000.
    Calendar("buddhist", gettext_noop("Thai Buddhist Era calendar"), -543, ("buddhist", "thai", "b.e.", "พ.ศ.")),
    Calendar(
        "solar_hijri",
        gettext_noop("Solar Hijri (Persian) calendar"),
        None,
        ("solar hijri", "hijri", "persian", "jalali", "shamsi", "iranian"),
    ),
)


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def calendar_named(text: str | None) -> Calendar | None:
    """The calendar an office names in words ("ROC calendar", "Heisei era"), or None
    when the text names none of them, or more than one."""
    if not text:
        return None
    folded = _folded(text)
    found = []
    for calendar in CALENDARS:
        for name in calendar.names:
            # Whole words for the Latin names ("roc" must not match "process").
            pattern = rf"(?<![a-z]){re.escape(name)}(?![a-z])" if name.isascii() else re.escape(name)
            if re.search(pattern, folded):
                found.append(calendar)
                break
    return found[0] if len(found) == 1 else None

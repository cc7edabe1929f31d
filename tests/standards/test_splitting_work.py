"""Reading a number costs work linear in its length, and a line longer than an
application number can be is refused before any splitting, whatever reads it."""

from __future__ import annotations

import pytest

from standards import numbers, profiles, splitting
from standards.numbers import MAX_LENGTH, Verdict, parse_numbers, parse_pct
from standards.structure import NumberingStructure

SIX_PARTS = ("type", "internal", "year", "serial", "other", "control")


def _steps(text: str, order: tuple[str, ...], *, grouping: bool = False) -> int:
    steps = splitting.Steps()
    kinds = [splitting.Kind(digits=p in ("year", "serial")) for p in order]
    cuts = {}
    if grouping:  # "1 234 567 …": a serial grouped by threes
        cuts = dict.fromkeys(range(1, len(text), 3), " ")
    splitting.readings(
        text, cuts, kinds, [(1, None)] * len(order), [p == "serial" for p in order], frozenset(" "), steps
    )
    return steps.count


@pytest.mark.parametrize("grouping", [False, True])
@pytest.mark.parametrize("order", [("year", "serial"), SIX_PARTS])
def test_candidate_splits_grow_linearly_with_the_length(order, grouping):
    short, long = _steps("1" * 60, order, grouping=grouping), _steps("1" * 6000, order, grouping=grouping)
    # A hundred times longer: about a hundred times the steps (the square would be 10,000 times).
    assert long <= 110 * short
    assert long <= 4 * (6000 + 1) * len(order)


def test_the_same_readings_as_trying_every_cut():
    structure = NumberingStructure(order=("year", "serial"), parts=("year", "serial"), separators=(" ", "/"))
    assert parse_numbers(["2019/004 488"], structure)[0].parts == (("year", "2019"), ("serial", "004488"))
    ambiguous = parse_numbers(["2019004488"], structure)[0]
    assert ambiguous.verdict == Verdict.ERROR and "more than one reading" in str(ambiguous.errors[0])


TOO_LONG = "EP " + "1" * 200


def _refused_before_splitting(monkeypatch, read):
    def no_splitting(*args, **kwargs):
        raise AssertionError("a line over MAX_LENGTH reached the splitting")

    monkeypatch.setattr(splitting, "readings", no_splitting)
    monkeypatch.setattr(numbers._Reader, "_tokens", no_splitting)
    result = read(TOO_LONG)
    assert result.verdict == Verdict.ERROR
    assert (
        str(result.errors[0])
        == f"the line has {len(TOO_LONG)} characters; an application number has at most {MAX_LENGTH}"
    )


def test_too_long_with_a_described_structure(monkeypatch):
    structure = NumberingStructure(order=("year", "serial"), parts=("year", "serial"))
    _refused_before_splitting(monkeypatch, lambda text: parse_numbers([text], structure)[0])


def test_too_long_with_a_profile(monkeypatch):
    calls = []
    monkeypatch.setattr(profiles, "_trimmed", lambda *a: calls.append(a))
    for profile in profiles.PROFILES:
        _refused_before_splitting(monkeypatch, lambda text, p=profile: profiles.parse_profile_many([text], p)[0])
    assert calls == []


def test_too_long_read_automatically(monkeypatch):
    monkeypatch.setattr(profiles, "office_of", lambda text: pytest.fail("read before the length was checked"))
    _refused_before_splitting(monkeypatch, lambda text: profiles.parse_auto_many([text])[0])


def test_too_long_pct_number():
    result = parse_pct("PCT/US2002/" + "0" * 100)
    assert result.verdict == Verdict.ERROR and "an application number has at most 60" in str(result.errors[0])

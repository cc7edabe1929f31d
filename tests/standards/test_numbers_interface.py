"""The number parser's interface: malformed arguments, a frozen and serialisable result,
the five verdicts, many numbers at once (blank lines, the limit, the time taken), and a
module that needs no Django."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from standards import checkdigits
from standards.numbers import DEFAULT_LIMIT, ParsedNumber, Verdict, parse_number, parse_numbers
from tests.standards.number_structures import EPO, MOLDOVA, PATENTS_COVERED, PIVOT_99


def test_malformed_arguments_raise() -> None:
    with pytest.raises(ValueError, match="two-letter ST.3 code"):
        parse_number("99403122.7", EPO, office_code="EPO")
    with pytest.raises(ValueError, match="unknown IPR type 'patent'"):
        parse_number("99403122.7", EPO, ipr_type="patent")


def test_result_is_frozen_and_serialisable() -> None:
    n = parse_number("EP 99403122.7", EPO)
    assert isinstance(n, ParsedNumber)
    with pytest.raises(AttributeError):
        n.st13 = "x"  # type: ignore[misc]
    assert n.as_dict() == {
        "input": "EP 99403122.7",
        "office_code": "EP",
        "ok": True,
        "verdict": "valid",
        "verdict_label": "valid",
        "reason": None,
        "check_digit": "verified",
        "check_note": "check digit 7 verified over the year and serial number (99403122): EPO: modulo 10, weights 1-2",
        "parts": {"year": "99", "serial": "403122", "control": "7"},
        "st13": "101999004031227",
        "st13_display": "EP 10-1999-4031227",
        "st13_partial": None,
        "office_display": "EP 99403122.7",
        "priority": "EP 99403122",
        "profile": None,
        "errors": [],
        "assumptions": [PATENTS_COVERED, PIVOT_99],
    }


# -- many numbers ------------------------------------------------------------------


def test_parse_numbers_skips_blank_lines() -> None:
    lines = ["EP 99403122.7\n", "", "   \n", "\t", "EP 99403122.5", "99403122.7"]
    results = parse_numbers(lines, EPO, office_code="EP")
    assert [r.input for r in results] == ["EP 99403122.7\n", "EP 99403122.5", "99403122.7"]
    assert [r.ok for r in results] == [True, False, True]
    # A pasted block is split into lines rather than read character by character.
    assert [r.st13 for r in parse_numbers("EP 99403122.7\n\nEP 06009468.7\n", EPO)] == [
        "101999004031227",
        "102006000094687",
    ]


def test_parse_numbers_limit() -> None:
    assert DEFAULT_LIMIT == 10_000
    with pytest.raises(ValueError, match=r"too many numbers: more than 10,000 non-blank lines"):
        parse_numbers(["EP 99403122.7"] * 10_001, EPO)
    # Blank lines do not count towards the limit.
    assert len(parse_numbers(["EP 99403122.7", ""] * 10_000, EPO)) == 10_000
    with pytest.raises(ValueError, match="more than 3 non-blank lines"):
        parse_numbers(["1", "2", "3", "4"], MOLDOVA, limit=3)


def test_ten_thousand_numbers_parse_quickly() -> None:
    algorithm = checkdigits.get("ep_mod10_w12")
    lines = []
    for i in range(10_000):
        digits = f"{i % 100:02d}{i:06d}"
        lines.append(f"EP {digits}.{algorithm.compute(digits)}")
    # Processor time of this process: other programs running at the same time on the
    # machine do not count against it, as wall-clock time would.
    started = time.process_time()
    results = parse_numbers(lines, EPO)
    elapsed = time.process_time() - started
    assert len(results) == 10_000 and all(r.ok for r in results)
    assert elapsed < 3.0, f"10,000 numbers took {elapsed:.2f} s"


def test_module_needs_no_django() -> None:
    code = "import sys, standards.numbers; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_every_verdict_is_one_of_five() -> None:
    assert {v.value for v in Verdict} == {
        "valid",
        "valid_check_digit_not_given",
        "valid_check_digit_not_verified",
        "error",
        "no_st13_form",
    }

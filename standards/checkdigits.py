"""Catalogue of check-digit (control number) algorithms used in application numbers.

ST.13 section (f) lets an office put a single control numeral at the end of the serial
number but leaves the computation to the office. Offices therefore answer question q9c
of the questionnaire by naming one of the algorithms below (or "other"), and the
number checker uses the same objects to verify the check character of a number.

Pure Python on purpose: the surveys app, the importers and the tests use it without
Django. Every algorithm here must be covered by a test on a real published number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from standards.messages import Text, gettext_noop

__all__ = ["CATALOGUE", "CheckDigitAlgorithm", "choices", "get"]

# Only the ASCII digits 0-9: str.isdigit() would also let through things such as
# superscripts or Arabic-Indic digits, which int() then reads differently.
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class CheckDigitAlgorithm:
    """One way of computing the check character appended to an application number."""

    code: str
    name: Text
    description: Text
    # The number of digits the check is computed over in the office's current form;
    # None when the algorithm works on any length.
    digits: int | None
    # Receives an already validated string of ASCII digits.
    func: Callable[[str], str | None] = field(repr=False, compare=False)
    # Further lengths accepted besides `digits`, e.g. an office's older numbering.
    other_lengths: tuple[int, ...] = ()
    # The parts of the number (questionnaire q2a codes) the check is computed over, taken
    # in the order the office writes them; anything else (a letter prefix, a code for
    # internal use) stays out of the computation.
    parts: tuple[str, ...] = ("type", "year", "serial")

    @property
    def lengths(self) -> tuple[int, ...]:
        """Every accepted input length; empty when any length will do."""
        if self.digits is None:
            return self.other_lengths
        return (self.digits, *self.other_lengths)

    def _validate(self, digits: str) -> None:
        if not isinstance(digits, str) or not _DIGITS.fullmatch(digits):
            message = f"expected a string of the digits 0-9 only, got {digits!r}"
            raise ValueError(f"{self.code}: {message}")
        lengths = self.lengths
        if lengths and len(digits) not in lengths:
            wanted = " or ".join(str(n) for n in lengths)
            message = f"expected {wanted} digits, got {len(digits)} ({digits!r})"
            raise ValueError(f"{self.code}: {message}")

    def compute(self, digits: str) -> str | None:
        """Return the check character for `digits` (the number without its check), or
        None where the office's rule gives no single character (see ``undefined``)."""
        self._validate(digits)
        return self.func(digits)

    def verify(self, digits: str, check: str) -> bool | None:
        """True when `check` is the right check character for `digits`, False when it
        is not, None when the rule gives no character to compare with.

        A malformed `digits` raises ValueError (it is a different mistake from a wrong
        check character); a malformed `check` simply does not match.
        """
        expected = self.compute(digits)
        if expected is None:
            return None
        return isinstance(check, str) and check.strip().upper() == expected


def _digit_sum(n: int) -> int:
    return n // 10 + n % 10


def _ep_mod10_w12(digits: str) -> str:
    # Luhn-style: alternate weights 1 and 2 starting from the leftmost digit, and a
    # doubled digit of 10 or more contributes the sum of its two digits (14 -> 1 + 4),
    # so that swapping two neighbouring digits usually changes the result.
    total = sum(_digit_sum(int(d) * (1 if i % 2 == 0 else 2)) for i, d in enumerate(digits))
    return str((10 - total % 10) % 10)


_CN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9)


def _cn_mod11(digits: str) -> str:
    # CNIPA weights the digits 2, 3, ..., 9 from the left and starts again at 2 after 9:
    # the 12-digit form (from October 2003) uses 2..9 then 2..5, the older 8-digit form
    # uses 2..9 once. The check is the remainder modulo 11 itself, not its complement,
    # and a remainder of 10 cannot be one digit, so it is written "X".
    total = sum(int(d) * _CN_WEIGHTS[i % len(_CN_WEIGHTS)] for i, d in enumerate(digits))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def _de_dpma_mod11(digits: str) -> str | None:
    # DPMA (Mitteilung Nr. 3/1983, for the file numbers from 1981; kept for the 8-digit
    # ones of 1995-2003 and the 12-digit ones since 2004): the units digit is weighted
    # 2, the tens 3, and so on leftwards; the check is 11 minus the remainder modulo 11,
    # so a remainder of 0 gives 0 (11 is not a digit; real numbers such as
    # 10 2008 013 670.0 bear this out). A remainder of 1 would give 10, which is not one
    # digit either, and DPMA's published worked examples do not say which character
    # stands for it (no real number with that remainder has been seen: DPMA may skip
    # such serials): the product does not guess, and reports such a number as not
    # verified. The 7-digit numbers are left out: until 1980 they used another rule
    # (weights 1-7, modulo 10), which their length alone cannot tell apart.
    total = sum(int(d) * weight for weight, d in enumerate(reversed(digits), start=2))
    remainder = total % 11
    if remainder == 1:
        return None
    return str((11 - remainder) % 11)


CATALOGUE: dict[str, CheckDigitAlgorithm] = {
    alg.code: alg
    for alg in (
        CheckDigitAlgorithm(
            code="ep_mod10_w12",
            name=gettext_noop("EPO: modulo 10, weights 1-2"),
            description=gettext_noop(
                "European Patent Office application numbers (8 digits, check digit "
                "after a dot, e.g. EP 99403122.7). Weights 1, 2, 1, 2, ... from the "
                "left; the digits of each product are added; check digit = "
                "(10 - sum mod 10) mod 10."
            ),
            digits=8,
            func=_ep_mod10_w12,
            parts=("year", "serial"),
        ),
        CheckDigitAlgorithm(
            code="cn_mod11",
            name=gettext_noop("China (CNIPA): modulo 11, weights 2-9"),
            description=gettext_noop(
                "China National Intellectual Property Administration application "
                "numbers (12 digits, check character after a dot, e.g. "
                "CN 201710601862.3; the older 8-digit numbers, e.g. 97101765.4, use "
                "the same rule). Weights 2, 3, ..., 9 from the left, restarting at 2; "
                "check = sum mod 11, a remainder of 10 being written X."
            ),
            digits=12,
            func=_cn_mod11,
            other_lengths=(8,),
            parts=("year", "type", "serial"),
        ),
        CheckDigitAlgorithm(
            code="de_dpma_mod11",
            name=gettext_noop("Germany (DPMA): modulo 11, weights 2, 3, 4 … from the right"),
            description=gettext_noop(
                "German Patent and Trade Mark Office file numbers (12 digits since 2004, "
                "check digit after a dot, e.g. DE 10 2007 004 488.9; also the 8-digit "
                "numbers of 1995-2003). The units digit is weighted 2, the tens digit 3, "
                "and so on leftwards; check digit = 11 - (sum mod 11), 0 when the sum is "
                "a multiple of 11. A remainder of 1 would need two digits (10): such a "
                "number is reported as not verified."
            ),
            digits=12,
            func=_de_dpma_mod11,
            other_lengths=(8,),
            parts=("type", "year", "serial"),
        ),
    )
}


def get(code: str) -> CheckDigitAlgorithm:
    """The algorithm with this catalogue code; KeyError names the known codes."""
    try:
        return CATALOGUE[code]
    except (KeyError, TypeError):
        known = ", ".join(sorted(CATALOGUE))
        raise KeyError(f"unknown check-digit algorithm {code!r}; known codes: {known}") from None


def choices() -> list[tuple[str, str]]:
    """(code, name) pairs in catalogue order, for form fields and the questionnaire."""
    return [(alg.code, alg.name) for alg in CATALOGUE.values()]

"""The structures the application-number tests read with.

The EPO, CNIPA and Moldova structures are built from questionnaire answers exactly as a
response would store them; the others are constructed, for the cases those three do not
reach. Numbers made with `_ep` and `_cn` are "constructed": made with the check-digit
algorithm, not read anywhere.
"""

from __future__ import annotations

from standards import checkdigits
from standards.structure import structure_from_answers

EPO = structure_from_answers(
    {"q1a": ["patents"], "q2a": ["year", "serial", "control"], "q3a": "other", "q3b": ["year", "serial", "control"],
     "q4a": "fixed", "q4b": {"year": 2, "serial": 6, "control": 1}, "q5a": "no", "q6a": "yes", "q6b": "2",
     "q6c": "gregorian", "q7a": "yes", "q9a": "yes", "q9b": "separate", "q9c": "ep_mod10_w12", "q11a": "yes",
     "q11b": ["dot"], "q11c": "no"}
)  # fmt: skip

CN = structure_from_answers(
    {"q1a": ["patents", "utility_models", "industrial_designs"], "q2a": ["year", "type", "serial", "control"],
     "q3a": "other", "q3b": ["year", "type", "serial", "control"], "q4a": "fixed",
     "q4b": {"year": 4, "type": 1, "serial": 7, "control": 1}, "q5a": "yes",
     "q5b": {"patents": {"code": "1"}, "utility_models": {"code": "2"}, "industrial_designs": {"code": "3"}},
     "q5c": "no", "q6a": "yes", "q6b": "4", "q6c": "gregorian", "q7a": "yes", "q9a": "yes", "q9b": "separate",
     "q9c": "cn_mod11", "q11a": "yes", "q11b": ["dot"], "q11c": "no"}
)  # fmt: skip

MOLDOVA = structure_from_answers(
    {"q1a": ["trademarks"], "q1b": "1992", "q2a": ["serial"], "q3a": "other", "q3b": ["serial"], "q4a": "fixed",
     "q4b": {"serial": 6}, "q5a": "no", "q6a": "no", "q7a": "yes", "q7b": "fixed", "q7c": "yes", "q7d": "no",
     "q7e": "no", "q7f": "no", "q8a": "no", "q9a": "no", "q10a": "no", "q11a": "no", "q12a": "yes", "q13a": "no",
     "q13b": "no"}
)  # fmt: skip

# Constructed structures for the cases the three real ones do not reach.
VARIABLE = structure_from_answers(
    {"q1a": ["patents"], "q2a": ["year", "serial"], "q3a": "other", "q3b": ["year", "serial"], "q4a": "variable",
     "q4c": {"year": {"min": 4, "max": 4}, "serial": {"min": 1, "max": 6}}, "q6a": "yes", "q6b": "4",
     "q6c": "gregorian", "q9a": "no", "q11a": "yes", "q11b": ["slash"]}
)  # fmt: skip
AMBIGUOUS = structure_from_answers(
    {"q1a": ["utility_models"], "q2a": ["year", "serial"], "q3a": "other", "q3b": ["year", "serial"],
     "q4a": "variable", "q4c": {"year": {"min": 2, "max": 4}, "serial": {"min": 1, "max": 6}}, "q6a": "yes",
     "q6c": "gregorian", "q9a": "no", "q11a": "yes", "q11b": ["slash"]}
)  # fmt: skip
INTERNAL = structure_from_answers(
    {"q1a": ["patents", "utility_models"], "q2a": ["type", "year", "internal", "serial"], "q3a": "other",
     "q3b": ["internal", "type", "year", "serial"], "q4a": "fixed",
     "q4b": {"internal": 2, "type": 2, "year": 4, "serial": 5}, "q5a": "yes",
     "q5b": {"patents": {"code": "10"}, "utility_models": {"code": "20"}}, "q5c": "yes", "q6a": "yes", "q6b": "4",
     "q6c": "gregorian", "q8a": "yes", "q8c": "other", "q9a": "no", "q11a": "yes", "q11b": ["hyphen"]}
)  # fmt: skip
PATENTS_AND_PCT = structure_from_answers(
    {"q1a": ["patents", "pct_national"], "q2a": ["year", "serial"], "q3a": "other", "q3b": ["year", "serial"],
     "q4a": "fixed", "q4b": {"year": 4, "serial": 6}, "q5a": "no", "q6a": "yes", "q6b": "4", "q6c": "gregorian",
     "q9a": "no", "q11a": "yes", "q11b": ["slash", "space"]}
)  # fmt: skip

PATENTS_COVERED = "type 10 taken from the IPR type covered (q1a): patents for inventions"
PIVOT_99 = "year 99 read as 1999 (two-digit years 50–99 are taken as 19xx, 00–49 as 20xx)"


def _ep(digits: str) -> str:
    """A constructed EP number: `digits` plus its check digit after a dot."""
    return f"{digits}.{checkdigits.get('ep_mod10_w12').compute(digits)}"


def _cn(digits: str) -> str:
    return f"{digits}.{checkdigits.get('cn_mod11').compute(digits)}"


def _epo_answers() -> dict:
    return {"q1a": ["patents"], "q3a": "other", "q3b": ["year", "serial", "control"], "q4a": "fixed",
            "q4b": {"year": 2, "serial": 6, "control": 1}, "q6c": "gregorian", "q9a": "yes", "q9b": "separate",
            "q9c": "ep_mod10_w12", "q11a": "yes", "q11b": ["dot"]}  # fmt: skip

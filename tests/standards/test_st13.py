"""ST.13 compliance, rule by rule: answers → structure → verdict and reason.

Every table row builds its structure with structure_from_answers, as the product does,
and checks the exact verdict and the exact one-line reason. Pure Python: no Django.
"""

import json

import pytest

from standards.st13 import RULES, ComplianceReport, RuleResult, Verdict, evaluate_compliance
from standards.structure import structure_from_answers


@pytest.fixture(autouse=True)
def _media_root():
    """Overrides the autouse fixture of tests/conftest.py, which needs pytest-django's
    `settings`: these tests touch no files and run with -p no:django."""


C, D, NA, U = Verdict.COMPLIES, Verdict.DEVIATES, Verdict.NOT_APPLICABLE, Verdict.UNKNOWN

# A numbering system that follows ST.13 throughout: type code 10 for patents, a
# four-digit Gregorian year, a nine-character serial whose last position is the
# control number (declared as a part of its own: 8 + 1), "/" for presentation only.
CONFORMANT = {
    "q1a": ["patents"], "q1b": "2012", "q2a": ["type", "year", "serial", "control"], "q3a": "st13",
    "q4a": "fixed", "q4b": {"type": 2, "year": 4, "serial": 8, "control": 1},
    "q5a": "yes", "q5b": {"patents": {"code": "10"}}, "q5c": "yes",
    "q6a": "yes", "q6b": "4", "q6c": "gregorian",
    "q7a": "yes", "q7b": "fixed", "q7c": "yes", "q7d": "no", "q7e": "no", "q7f": "no",
    "q8a": "no", "q9a": "yes", "q9b": "serial_last", "q9c": "other", "q10a": "no",
    "q11a": "yes", "q11b": ["slash"], "q11c": "no", "q12a": "yes", "q13a": "yes",
}  # fmt: skip

# Published response md-002 (Republic of Moldova, 2012), as in surveys.demo.
MOLDOVA = {
    "q1a": ["trademarks"], "q1b": "1992", "q2a": ["serial"], "q3a": "other", "q3b": ["serial"],
    "q4a": "fixed", "q4b": {"serial": 6}, "q5a": "no", "q6a": "no", "q7a": "yes", "q7b": "fixed",
    "q7c": "yes", "q7d": "no", "q7e": "no", "q7f": "no", "q8a": "no", "q9a": "no", "q10a": "no",
    "q11a": "no", "q12a": "yes", "q13a": "no", "q13b": "no",
    "q14a": [{"office_name": "State Agency on Intellectual Property", "example": "030812",
              "priority_presentation": "030812"}],
    "q14b": "1992", "q14c": [{"serial_position": "1-6"}],
}  # fmt: skip


def conformant(**changes):
    """CONFORMANT with some answers changed; None removes an answer."""
    answers = dict(CONFORMANT)
    for qid, value in changes.items():
        if value is None:
            answers.pop(qid, None)
        else:
            answers[qid] = value
    return answers


def evaluate(answers) -> ComplianceReport:
    return evaluate_compliance(structure_from_answers(answers))


def rows(section, table):
    return [pytest.param(section, *row[1:], id=f"{section}-{row[0]}") for row in table]


LENGTHS_8_1 = {"type": 2, "year": 4, "serial": 8, "control": 1}
WITH_INTERNAL = {
    "q2a": ["type", "year", "serial", "internal", "control"],
    "q4b": {"type": 2, "year": 4, "internal": 2, "serial": 6, "control": 1},
    "q8a": "yes",
    "q8b": [{"code": "01", "meaning": "Head office"}],
    "q8c": "serial_first_two",
}

RULE_A = [
    ("conformant", CONFORMANT, C,
     "(a) Type, year and serial come in ST.13 order (q2a, q3a), with 2+4+9 = 15 characters (q4b, q9b), "
     "as recommended."),
    ("parts unanswered", {}, U, "(a) The parts of the number are not answered (q2a)."),
    ("only a serial", {"q2a": ["serial"]}, D,
     "(a) The parts lack the type of IPR and the year (q2a); "
     "ST.13 composes the number of type, year and serial, 2+4+9 = 15 characters."),
    ("no year", conformant(q2a=["type", "serial"]), D,
     "(a) The parts lack the year (q2a); ST.13 composes the number of type, year and serial, 2+4+9 = 15 characters."),
    ("another part", conformant(q2a=["type", "year", "serial", "other"], q2a_other="branch"), D,
     "(a) The number has a part of another kind (q2a); "
     "ST.13 has only type, year and serial, optional codes sitting inside the serial."),
    ("order unanswered", conformant(q3a=None), U, "(a) The order of the parts is not answered (q3a)."),
    ("year first", conformant(q3a="other", q3b=["year", "type", "serial", "control"]), D,
     "(a) The parts run year, type, serial, control number (q3a, q3b); "
     "ST.13 puts them in the order type, year, serial."),
    ("variable length", conformant(q4a="variable", q4b=None, q4c={"serial": {"min": 1, "max": 9}}), D,
     "(a) Type, year and serial come in ST.13 order (q2a, q3a), but the number has variable length (q4a); "
     "ST.13 fixes it at 2+4+9 = 15 characters."),
    ("too short", conformant(q4b={"type": 2, "year": 2, "serial": 6, "control": 1}), D,
     "(a) Type, year and serial come in ST.13 order (q2a, q3a), but with 2+2+7 = 11 characters (q4b, q9b); "
     "ST.13 recommends 2+4+9 = 15."),
    # The control number sits inside the serial (q9b), so 9 + 1 makes a ten-character serial.
    ("control beyond nine", conformant(q4b={"type": 2, "year": 4, "serial": 9, "control": 1}), D,
     "(a) Type, year and serial come in ST.13 order (q2a, q3a), but with 2+4+10 = 16 characters (q4b, q9b); "
     "ST.13 recommends 2+4+9 = 15."),
    # Set apart, it does not count towards the serial; rule (f) reports it.
    ("control set apart", conformant(q4b={"type": 2, "year": 4, "serial": 9, "control": 1}, q9b="separate"), C,
     "(a) Type, year and serial come in ST.13 order (q2a, q3a), with 2+4+9 = 15 characters (q4b), as recommended."),
    ("internal code inside", conformant(**WITH_INTERNAL), C,
     "(a) Type, year and serial come in ST.13 order (q2a, q3a), "
     "with 2+4+9 = 15 characters (q4b, q8c, q9b), as recommended."),
    ("lengths not given", conformant(q4b=None), C,
     "(a) Type, year and serial come in ST.13 order (q2a, q3a); their lengths are not given (q4b)."),
]  # fmt: skip

RULE_B = [
    ("conformant", CONFORMANT, C, '(b) Type code "10" for patents (q4b, q5b): two digits within the ST.13 ranges.'),
    ("no type code", MOLDOVA, D,
     "(b) The number has no code for the type of IPR (q5a); ST.13 makes a two-digit type code indispensable."),
    ("q5a unanswered, not in q2a", conformant(q5a=None, q5b=None, q5c=None, q2a=["year", "serial"]), D,
     "(b) The number has no code for the type of IPR (q2a); ST.13 makes a two-digit type code indispensable."),
    ("unanswered", {}, U, "(b) Whether the number has a type code is not answered (q5a)."),
    ("three characters",
     conformant(q4b={"type": 3, "year": 4, "serial": 8, "control": 1}, q5b={"patents": {"code": "100"}}), D,
     "(b) The type code has 3 characters (q4b); ST.13 recommends two digits."),
    ("variable type length", conformant(q4a="variable", q4b=None, q4c={"type": {"min": 1, "max": 2}}), D,
     "(b) The type code has 1 to 2 characters (q4c); ST.13 recommends two digits."),
    ("PCT code for patents", conformant(q5b={"patents": {"code": "11"}}), D,
     '(b) Type code not as in ST.13 (q5b): "11" for patents, where ST.13 has 10.'),
    ("letters", conformant(q1a=["trademarks"], q5b={"trademarks": {"code": "TM"}}), D,
     '(b) Type code not as in ST.13 (q5b): "TM" for trademarks, where ST.13 has two digits.'),
    ("International Bureau range", conformant(q1a=["trademarks"], q5b={"trademarks": {"code": "91"}}), D,
     '(b) Type code not as in ST.13 (q5b): "91" for trademarks, where ST.13 has 30-89 '
     "(90-99 belong to the International Bureau)."),
    ("two offenders",
     conformant(q1a=["patents", "utility_models", "trademarks"],
                q5b={"patents": {"code": "10"}, "utility_models": {"code": "30"}, "trademarks": {"code": "5"}}), D,
     '(b) Type codes not as in ST.13 (q5b): "30" for utility models, where ST.13 has 20-29; '
     '"5" for trademarks, where ST.13 has two digits.'),
    ("every range",
     conformant(q1a=["patents", "pct_national", "plant_patents", "utility_models", "industrial_designs"],
                q5b={"patents": {"code": "10"}, "pct_national": {"code": "11"}, "plant_patents": {"code": "12"},
                     "utility_models": {"code": "21"}, "industrial_designs": {"code": "30"}}), C,
     '(b) Type codes "10" for patents, "11" for PCT national-phase applications, "12" for plant patents, '
     '"21" for utility models, "30" for industrial designs (q4b, q5b): two digits within the ST.13 ranges.'),
    # The codes are the evidence; q5c only decides when they are not all given.
    ("codes win over q5c", conformant(q1a=["trademarks"], q5b={"trademarks": {"code": "40"}}, q5c="no"), C,
     '(b) Type code "40" for trademarks (q4b, q5b): two digits within the ST.13 ranges.'),
    ("q5c yes, no codes", conformant(q5b=None), C,
     "(b) The office says its type codes are those of ST.13 (q4b, q5c)."),
    ("q5c partly", conformant(q5b=None, q5c="partly"), D,
     "(b) The office says its type codes are only partly those of ST.13 (q5c)."),
    ("q5c no", conformant(q5b=None, q5c="no"), D, "(b) The office says its type codes are not those of ST.13 (q5c)."),
    ("a code missing", conformant(q1a=["patents", "utility_models"], q5c=None), U,
     "(b) The type code for utility models is not given (q5b, q5c)."),
    ("codes not given", conformant(q5b=None, q5c=None, q4b=None), U, "(b) The type codes are not given (q5b, q5c)."),
]  # fmt: skip

TWO_DIGIT_YEAR = {"type": 2, "year": 2, "serial": 8, "control": 1}
RULE_C = [
    ("conformant", CONFORMANT, C, "(c) The year has four Gregorian digits (q6b, q4b, q6c), as recommended."),
    ("no year", MOLDOVA, D,
     '(c) The number codes no year (q6a); ST.13 wants four Gregorian digits, with "0000" in the machine-readable '
     "form when no year is coded."),
    ("unanswered", {}, U, "(c) Whether the number codes the year is not answered (q6a)."),
    ("two digits", conformant(q6b="2", q4b=TWO_DIGIT_YEAR), D,
     "(c) The year has 2 digits (q6b, q4b); ST.13 wants four digits of the Gregorian year."),
    ("q4b says two digits", conformant(q4b=TWO_DIGIT_YEAR), D,
     "(c) The year has 2 digits (q4b); ST.13 wants four digits of the Gregorian year."),
    ("another calendar", conformant(q6c="other", q6c_other="Hijri"), D,
     "(c) The year follows another calendar (q6c); ST.13 wants four digits of the Gregorian year."),
    ("two digits, another calendar", conformant(q6b="2", q6c="other", q4b=None), D,
     "(c) The year has 2 digits (q6b) and follows another calendar (q6c); "
     "ST.13 wants four digits of the Gregorian year."),
    ("digits from q4b", conformant(q6b=None), C, "(c) The year has four Gregorian digits (q4b, q6c), as recommended."),
    ("digits and calendar missing", conformant(q6b=None, q6c=None, q4b=None), U,
     "(c) The year's number of digits (q6b) and calendar (q6c) are not answered."),
    ("calendar missing", conformant(q6c=None), U, "(c) The year's calendar (q6c) is not answered."),
]  # fmt: skip

RULE_D = [
    ("conformant", CONFORMANT, C, "(d) The serial number has a fixed 9 characters (q4b, q9b), as recommended."),
    ("six characters", MOLDOVA, D, "(d) The serial number has 6 characters (q4b); ST.13 recommends 9."),
    ("no serial", conformant(q7a="no"), D,
     "(d) The number has no serial number (q7a); ST.13 recommends a fixed nine digits."),
    ("unanswered", {}, U, "(d) Whether the number has a serial number is not answered (q7a)."),
    ("variable serial", conformant(q7b="variable"), D,
     "(d) The serial number has variable length (q7b); ST.13 recommends a fixed 9."),
    ("control not a part of its own",
     conformant(q2a=["type", "year", "serial"], q4b={"type": 2, "year": 4, "serial": 9}), C,
     "(d) The serial number has a fixed 9 characters (q4b), as recommended."),
    ("internal code inside", conformant(**WITH_INTERNAL), C,
     "(d) The serial number has a fixed 9 characters (q4b, q8c, q9b), as recommended."),
    ("control set apart", conformant(q9b="separate"), D,
     "(d) The serial number has 8 characters (q4b); ST.13 recommends 9."),
    ("variable range", conformant(q4a="variable", q4b=None, q4c={"serial": {"min": 4, "max": 7}}), D,
     "(d) The serial number has 4 to 7 characters (q4c); ST.13 recommends a fixed 9."),
    ("range of exactly nine",
     conformant(q4a="variable", q4b=None, q4c={"serial": {"min": 8, "max": 8}, "control": {"min": 1, "max": 1}}), C,
     "(d) The serial number has a fixed 9 characters (q4c, q9b), as recommended."),
    ("range not given", conformant(q4a="variable", q4b=None), U,
     "(d) The length of the serial number is not given (q4c)."),
    ("length not given", conformant(q4b=None), U, "(d) The length of the serial number is not given (q4b)."),
    # Dropping leading zeros for display, gaps and not restarting each year are allowed.
    ("allowed freedoms", conformant(q7c="no", q7d="yes", q7e="yes", q7f="no"), C,
     "(d) The serial number has a fixed 9 characters (q4b, q9b), as recommended."),
]  # fmt: skip

RULE_E = [
    ("none", CONFORMANT, NA, "(e) There is no code for internal use (q8a); nothing to check."),
    ("unanswered", {}, U, "(e) Whether there is a code for internal use is not answered (q8a)."),
    ("q8a unanswered, listed in q2a", {"q2a": ["type", "year", "serial", "internal"]}, U,
     "(e) The position of the code for internal use is not answered (q8c)."),
    ("first two positions", conformant(q8a="yes", q8c="serial_first_two"), C,
     "(e) The code for internal use takes the first two positions of the serial number (q8c), as ST.13 provides."),
    ("elsewhere", conformant(q8a="yes", q8c="other", q8c_other="after the year"), D,
     "(e) The code for internal use sits elsewhere (q8c); "
     "ST.13 puts it in the first two positions of the serial number."),
    ("three characters",
     conformant(q8a="yes", q8c="serial_first_two", q2a=["type", "year", "serial", "internal"],
                q4b={"type": 2, "year": 4, "internal": 3, "serial": 6}), D,
     "(e) The code for internal use has 3 characters (q4b); "
     "ST.13 gives it the first two positions of the serial number."),
    ("position missing", conformant(q8a="yes"), U,
     "(e) The position of the code for internal use is not answered (q8c)."),
]  # fmt: skip

RULE_F = [
    ("conformant", CONFORMANT, C,
     "(f) The control number is one character in the last position of the serial number (q4b, q9b), "
     "as ST.13 provides."),
    ("none", MOLDOVA, NA, "(f) There is no control number (q9a); nothing to check."),
    ("unanswered", {}, U, "(f) Whether there is a control number is not answered (q9a)."),
    ("set apart", conformant(q9b="separate"), D,
     "(f) The control number is set apart after the number (q9b); "
     "ST.13 puts one numeral in the last position of the serial number."),
    ("elsewhere", conformant(q9b="other"), D,
     "(f) The control number sits elsewhere (q9b); ST.13 puts one numeral in the last position of the serial number."),
    ("two characters", conformant(q4b={"type": 2, "year": 4, "serial": 7, "control": 2}), D,
     "(f) The control number has 2 characters (q4b); ST.13 wants a single numeral."),
    ("length not declared", conformant(q2a=["type", "year", "serial"], q4b={"type": 2, "year": 4, "serial": 9}), C,
     "(f) The control number takes the last position of the serial number (q9b), as ST.13 provides."),
    ("position missing", conformant(q9b=None), U, "(f) The position of the control number is not answered (q9b)."),
]  # fmt: skip

ST13_TAIL = 'ST.13 allows only "/", "-" and space, for presentation.'
RULE_G = [
    ("conformant", CONFORMANT, C,
     '(g) Separators "/" (q11a, q11b, q11c) serve for presentation only, as ST.13 allows.'),
    ("none used", MOLDOVA, C, "(g) No separators are used (q11a), so none can enter the machine-readable form."),
    ("unanswered", {}, U, "(g) Whether separators are used, and which, is not answered (q11a, q11b)."),
    ("the three of ST.13", conformant(q11b=["slash", "hyphen", "space"]), C,
     '(g) Separators "/", "-" and space (q11a, q11b, q11c) serve for presentation only, as ST.13 allows.'),
    ("dot", conformant(q11b=["dot"]), D, f'(g) Separators include "." (q11a, q11b); {ST13_TAIL}'),
    ("kept in machine form", conformant(q11c="yes"), D,
     f"(g) Separators are kept in the machine-readable form (q11c); {ST13_TAIL}"),
    ("dot, comma, kept", conformant(q11b=["slash", "dot", "comma"], q11c="yes"), D,
     f'(g) Separators include "." and "," (q11a, q11b), and are kept in the machine-readable form (q11c); '
     f"{ST13_TAIL}"),
    ("another character", conformant(q11b=["other"], q11b_other="~"), D,
     f'(g) Separators include "~" (q11a, q11b); {ST13_TAIL}'),
    ("unidentifiable", conformant(q11b=["other"], q11b_other="letter x"), U,
     "(g) The separators used cannot be identified (q11a, q11b)."),
    ("q11c missing", conformant(q11c=None), U,
     '(g) Separators "/" (q11a, q11b); whether they are kept in the machine-readable form is not answered (q11c).'),
]  # fmt: skip

ALL_ROWS = [
    *rows("a", RULE_A),
    *rows("b", RULE_B),
    *rows("c", RULE_C),
    *rows("d", RULE_D),
    *rows("e", RULE_E),
    *rows("f", RULE_F),
    *rows("g", RULE_G),
]


@pytest.mark.parametrize(("section", "answers", "verdict", "reason"), ALL_ROWS)
def test_rule(section, answers, verdict, reason):
    result = evaluate(answers).rule(section)
    assert (result.verdict, result.reason) == (verdict, reason)


@pytest.mark.parametrize(("section", "answers", "verdict", "reason"), ALL_ROWS)
def test_answers_used_are_the_answered_questions_the_reason_cites(section, answers, verdict, reason):
    result = evaluate(answers).rule(section)
    assert all(qid in answers for qid in result.answers_used)
    assert all(qid in result.reason for qid in result.answers_used)
    if verdict != U:
        assert result.answers_used, "a verdict other than unknown rests on some answer"


def test_moldova_in_full():
    report = evaluate(MOLDOVA)
    assert [(r.section, r.title, r.verdict, r.reason, r.answers_used) for r in report.rules] == [
        ("a", "Composition", D,
         "(a) The parts lack the type of IPR and the year (q2a); "
         "ST.13 composes the number of type, year and serial, 2+4+9 = 15 characters.", ("q2a",)),
        ("b", "Type of IPR", D,
         "(b) The number has no code for the type of IPR (q5a); ST.13 makes a two-digit type code indispensable.",
         ("q5a",)),
        ("c", "Year", D,
         '(c) The number codes no year (q6a); ST.13 wants four Gregorian digits, with "0000" in the '
         "machine-readable form when no year is coded.", ("q6a",)),
        ("d", "Serial number", D, "(d) The serial number has 6 characters (q4b); ST.13 recommends 9.", ("q4b",)),
        ("e", "Code for internal use", NA, "(e) There is no code for internal use (q8a); nothing to check.",
         ("q8a",)),
        ("f", "Control number", NA, "(f) There is no control number (q9a); nothing to check.", ("q9a",)),
        ("g", "Separators", C, "(g) No separators are used (q11a), so none can enter the machine-readable form.",
         ("q11a",)),
    ]  # fmt: skip
    assert report.overall == D
    assert report.declared is False
    assert report.disagrees is False
    assert report.summary == (
        "Deviates from ST.13 on (a), (b), (c), (d); the office declares that it does not conform (q13a), which agrees."
    )


def test_conformant_system_complies_and_agrees():
    report = evaluate(CONFORMANT)
    assert [r.verdict for r in report.rules] == [C, C, C, C, NA, C, C]
    assert report.overall == C
    assert report.declared is True
    assert report.disagrees is False
    assert report.summary == (
        "Complies with ST.13 (rule (e) does not apply); the office declares that it conforms (q13a), which agrees."
    )


def test_declared_conformant_but_deviates_is_flagged():
    report = evaluate(conformant(q6b="2", q4b=TWO_DIGIT_YEAR))
    assert report.overall == D
    assert report.declared is True
    assert report.disagrees is True
    assert report.summary == (
        "Deviates from ST.13 on (a), (c); the office declares that it conforms (q13a), which disagrees: review."
    )


def test_declared_not_conformant_but_complies_is_flagged():
    report = evaluate(conformant(q13a="no", q9a="no", q9b=None, q9c=None, q2a=["type", "year", "serial"],
                                 q4b={"type": 2, "year": 4, "serial": 9}))  # fmt: skip
    assert report.overall == C
    assert report.disagrees is True
    assert report.summary == (
        "Complies with ST.13 (rules (e), (f) do not apply); "
        "the office declares that it does not conform (q13a), which disagrees: review."
    )


def test_empty_answers_are_unknown():
    report = evaluate({})
    assert [r.verdict for r in report.rules] == [U] * 7
    assert all(r.answers_used == () for r in report.rules)
    assert report.overall == U
    assert report.declared is None
    assert report.disagrees is False
    assert report.summary == (
        "No deviation found, but (a), (b), (c), (d), (e), (f), (g) cannot be judged (answers missing); "
        "the office has not said whether it conforms (q13a)."
    )


def test_unknown_never_disagrees():
    report = evaluate(conformant(q11c=None))
    assert report.overall == U
    assert report.declared is True
    assert report.disagrees is False
    assert report.summary == (
        "No deviation found, but (g) cannot be judged (answers missing); "
        "the office declares that it conforms (q13a), agreement cannot be judged yet."
    )


def test_deviation_outweighs_unknown():
    report = evaluate(conformant(q11c=None, q7b="variable"))
    assert report.overall == D
    assert report.sections(D) == ("d",) and report.sections(U) == ("g",)


def test_rules_metadata_and_accessor():
    assert [(r.section, r.title) for r in RULES] == [
        ("a", "Composition"),
        ("b", "Type of IPR"),
        ("c", "Year"),
        ("d", "Serial number"),
        ("e", "Code for internal use"),
        ("f", "Control number"),
        ("g", "Separators"),
    ]
    assert all(r.statement and "\n" not in r.statement for r in RULES)
    report = evaluate(MOLDOVA)
    assert [r.section for r in report.rules] == [r.section for r in RULES]
    assert isinstance(report.rule("d"), RuleResult) and report.rule("d").section == "d"
    with pytest.raises(KeyError):
        report.rule("h")


def test_every_reason_is_one_line_starting_with_its_section():
    for answers in (MOLDOVA, CONFORMANT, {}):
        for result in evaluate(answers).rules:
            assert result.reason.startswith(f"({result.section}) ")
            assert "\n" not in result.reason


def test_as_dict_is_json_ready():
    data = evaluate(MOLDOVA).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["overall"] == "deviates" and data["declared"] is False and data["disagrees"] is False
    assert [r["verdict"] for r in data["rules"]] == [
        "deviates", "deviates", "deviates", "deviates", "not_applicable", "not_applicable", "complies",
    ]  # fmt: skip
    assert data["rules"][3] == {
        "section": "d",
        "title": "Serial number",
        "verdict": "deviates",
        "reason": "(d) The serial number has 6 characters (q4b); ST.13 recommends 9.",
        "answers_used": ["q4b"],
    }
    assert data["summary"] == evaluate(MOLDOVA).summary


def test_verdict_values():
    assert [str(v) for v in Verdict] == ["complies", "deviates", "not_applicable", "unknown"]


# -- q5c: the office's word on its type codes, checked against the ST.13 (b) table ------


def _codes_answers(code: str, declared: str) -> dict:
    return {"q1a": ["patents"], "q2a": ["type", "year", "serial"], "q3a": "st13", "q4a": "fixed",
            "q4b": {"type": 2, "year": 4, "serial": 9}, "q5a": "yes", "q5b": {"patents": {"code": code}},
            "q5c": declared, "q13a": "yes"}  # fmt: skip


def test_codes_said_to_be_st13_that_contradict_it_are_flagged() -> None:
    report = evaluate_compliance(structure_from_answers(_codes_answers("20", "yes")))
    assert report.rule("b").verdict == Verdict.DEVIATES
    assert report.codes_disagree and report.codes_declared == "yes"
    assert report.summary.endswith(
        "The office says its type codes are those of ST.13 (q5c), which the codes it gives (q5b) contradict: review."
    )
    assert report.as_dict()["codes_disagree"] is True


def test_codes_said_not_to_be_st13_that_are_is_flagged_too() -> None:
    report = evaluate_compliance(structure_from_answers(_codes_answers("10", "no")))
    assert report.rule("b").verdict == Verdict.COMPLIES
    assert report.codes_disagree


def test_codes_that_agree_with_the_declaration_are_not_flagged() -> None:
    assert not evaluate_compliance(structure_from_answers(_codes_answers("10", "yes"))).codes_disagree
    assert not evaluate_compliance(structure_from_answers(_codes_answers("20", "no"))).codes_disagree

from standards.structure import structure_from_answers

MOLDOVA = {
    "q1a": ["trademarks"], "q1b": "1992", "q2a": ["serial"], "q3a": "other", "q3b": ["serial"],
    "q4a": "fixed", "q4b": {"serial": 6}, "q5a": "no", "q6a": "no", "q7a": "yes", "q7b": "fixed",
    "q7c": "yes", "q7d": "no", "q7e": "no", "q7f": "no", "q8a": "no", "q9a": "no", "q10a": "no",
    "q11a": "no", "q12a": "yes", "q13a": "no", "q13b": "no",
}  # fmt: skip


def test_moldova_structure():
    s = structure_from_answers(MOLDOVA)
    assert s.ipr_types == ("trademarks",)
    assert s.parts == s.order == ("serial",)
    assert s.fixed_length is True and s.lengths == {"serial": 6}
    assert (s.has_type_code, s.has_year, s.has_serial, s.has_internal_code, s.has_control) == (
        False, False, True, False, False,
    )  # fmt: skip
    assert s.year_digits is None and s.check_digit is None
    assert s.separators == ()
    assert s.declared_conformant is False
    assert s.cite("order", "lengths") == ("q3a", "q3b", "q4b")


def test_st13_order_and_separators():
    s = structure_from_answers(
        {"q2a": ["year", "type", "serial", "control"], "q3a": "st13", "q11a": "yes", "q11b": ["slash", "other"],
         "q11b_other": "~ x", "q6b": "4", "q4c": {"serial": {"min": 1, "max": "x"}}}
    )  # fmt: skip
    assert s.order == ("type", "year", "serial")
    assert s.separators == ("/", "~")
    assert s.year_digits == 4
    assert s.length_ranges is None  # a malformed range says nothing


def test_empty_answers_say_nothing():
    s = structure_from_answers({})
    assert s.parts is None and s.separators is None and s.declared_conformant is None
    assert s.sources == {}

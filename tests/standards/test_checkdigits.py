"""Check-digit catalogue, tested on application numbers that were actually published.

Every real number below was read in a public document (source noted beside it) and
not generated from the algorithm under test. Chinese patent numbers ("ZL ...") are
the application number with a ZL prefix, so they carry the same check character.
"""

import pytest

from standards import checkdigits
from standards.checkdigits import CATALOGUE, CheckDigitAlgorithm

# (algorithm code, number without its check, published check character, source)
REAL_NUMBERS = [
    # European Patent Office: 8 digits, check after the dot.
    ("ep_mod10_w12", "99403122", "7", "worked example in ST13.md: EP 99403122.7"),
    ("ep_mod10_w12", "06009468", "7", "US patent text, priority from EP 06 009468.7"),
    ("ep_mod10_w12", "09305284", "3", "US patent text, priority from EP 09305284.3"),
    ("ep_mod10_w12", "09175290", "7", "US patent text, priority from EP 09175290.7"),
    ("ep_mod10_w12", "01306315", "1", "US patent text citing EP 01306315.1"),
    # China (CNIPA): 12 digits since October 2003.
    ("cn_mod11", "201710601862", "3", "worked example in ST13.md: CN 201710601862.3"),
    ("cn_mod11", "201510703489", "3", "patent record of CN105338215A: CN201510703489.3"),
    ("cn_mod11", "201610202074", "2", "university lab page, patent list: 201610202074.2"),
    ("cn_mod11", "201510649451", "2", "same lab page: CN 201510649451.2"),
    ("cn_mod11", "201510977321", "1", "same lab page: CN 201510977321.1"),
    ("cn_mod11", "201410219412", "4", "same lab page: CN 201410219412.4"),
    ("cn_mod11", "201910603565", "1", "researcher's patent list: ZL201910603565.1"),
    ("cn_mod11", "202110049384", "6", "same patent list: ZL202110049384.6"),
    ("cn_mod11", "201811564288", "X", "same patent list: ZL201811564288.X"),
    ("cn_mod11", "200510030457", "8", "researcher's CV: ZL200510030457.8"),
    ("cn_mod11", "200510025251", "6", "same CV: ZL200510025251.6"),
    # China: the 8-digit numbers used before October 2003 (same CV).
    ("cn_mod11", "99113861", "9", "same CV: ZL99113861.9"),
    ("cn_mod11", "01105715", "7", "same CV: ZL01105715.7"),
    ("cn_mod11", "00125301", "8", "same CV: ZL00125301.8"),
    ("cn_mod11", "01126463", "2", "same CV: ZL01126463.2"),
    # Germany (DPMA): file numbers since 2004 (12 digits) and 1995-2003 (8 digits), as
    # printed in decisions of the Federal Patent Court (BPatG) and Court of Justice (BGH).
    ("de_dpma_mod11", "102007004488", "9", "BPatG 15 W (pat) 33/08, 16 Dec 2013: 10 2007 004 488.9"),
    ("de_dpma_mod11", "102014012282", "4", "BPatG 20 W (pat) 22/15, 6 Nov 2017: 10 2014 012 282.4"),
    ("de_dpma_mod11", "102007045776", "8", "BPatG 20 W (pat) 8/09, 22 Jul 2013: 10 2007 045 776.8-31"),
    ("de_dpma_mod11", "102008045672", "1", "BPatG 20 W (pat) 10/19, 18 Jan 2021: 10 2008 045 672.1"),
    ("de_dpma_mod11", "102008013670", "0", "same decision: 10 2008 013 670.0 (remainder 0 gives 0)"),
    ("de_dpma_mod11", "102012019863", "9", "BPatG 7 W (pat) 12/15, 4 Nov 2016: 10 2012 019 863.9"),
    ("de_dpma_mod11", "112014005344", "9", "BPatG 7 W (pat) 30/16, 13 Nov 2017: 11 2014 005 344.9"),
    ("de_dpma_mod11", "212012000187", "5", "BGH X ZB 18/16, 27 Mar 2018: 21 2012 000 187.5"),
    ("de_dpma_mod11", "302013060308", "7", "BPatG 26 W (pat) 29/15, 18 Apr 2016: 30 2013 060 308.7"),
    ("de_dpma_mod11", "402011006302", "6", "BPatG 30 W (pat) 705/13, 14 Nov 2013: 40 2011 006 302.6"),
    ("de_dpma_mod11", "19626775", "7", "BPatG 17 W (pat) 6/06, 9 Mar 2010: 196 26 775.7-53"),
    ("de_dpma_mod11", "19983824", "0", "BPatG 20 W (pat) 24/11, 11 Feb 2015: 199 83 824.0-55"),
    ("de_dpma_mod11", "10360860", "5", "BPatG 20 W (pat) 76/13, 10 Nov 2015: 103 60 860.5"),
    ("de_dpma_mod11", "20002064", "1", "BGH X ZB 23/01, 19 Nov 2002: 200 02 064.1"),
    ("de_dpma_mod11", "30731563", "0", "BPatG 24 W (pat) 110/10, 4 Sep 2012: 307 31 563.0"),
]

REAL_IDS = [f"{code}:{digits}.{check}" for code, digits, check, _ in REAL_NUMBERS]


@pytest.mark.parametrize(("code", "digits", "check", "source"), REAL_NUMBERS, ids=REAL_IDS)
def test_compute_matches_published_check(code: str, digits: str, check: str, source: str) -> None:
    assert checkdigits.get(code).compute(digits) == check, source


@pytest.mark.parametrize(("code", "digits", "check", "source"), REAL_NUMBERS, ids=REAL_IDS)
def test_verify_accepts_published_check(code: str, digits: str, check: str, source: str) -> None:
    assert checkdigits.get(code).verify(digits, check), source


@pytest.mark.parametrize(("code", "digits", "check", "source"), REAL_NUMBERS, ids=REAL_IDS)
def test_verify_rejects_every_other_check(code: str, digits: str, check: str, source: str) -> None:
    algorithm = checkdigits.get(code)
    for wrong in [*"0123456789X"]:
        if wrong != check:
            assert not algorithm.verify(digits, wrong), f"{source}: {wrong} accepted"


@pytest.mark.parametrize(
    ("digits", "check"),
    [
        # Constructed (not published): chosen by searching with the algorithm itself
        # for inputs whose weighted sum leaves remainder 10 modulo 11.
        ("201710601813", "X"),
        ("99113866", "X"),
    ],
)
def test_cn_mod11_remainder_ten_is_written_x(digits: str, check: str) -> None:
    cn = checkdigits.get("cn_mod11")
    assert cn.compute(digits) == check
    assert cn.verify(digits, "X")
    assert cn.verify(digits, "x")
    assert not cn.verify(digits, "0")
    assert not cn.verify(digits, "10")


@pytest.mark.parametrize(
    ("code", "digits", "check"),
    [
        ("ep_mod10_w12", "99403122", "6"),  # off by one
        ("ep_mod10_w12", "99403212", "7"),  # neighbouring digits swapped
        ("cn_mod11", "201710601862", "4"),
        ("cn_mod11", "201710601826", "3"),  # neighbouring digits swapped
        ("cn_mod11", "201811564288", "0"),  # X is not zero
        ("cn_mod11", "201710601862", ""),
        ("cn_mod11", "201710601862", "33"),
    ],
)
def test_verify_wrong_check_is_false(code: str, digits: str, check: str) -> None:
    assert checkdigits.get(code).verify(digits, check) is False


@pytest.mark.parametrize(
    ("code", "digits"),
    [
        ("ep_mod10_w12", "9940312A"),
        ("ep_mod10_w12", "99 40312"),
        ("ep_mod10_w12", "99403122.7"),
        ("ep_mod10_w12", "\uff19\uff19\uff14\uff10\uff13\uff11\uff12\uff12"),  # full-width
        ("ep_mod10_w12", "994031\u00b22"),  # superscript two passes str.isdigit()
        ("ep_mod10_w12", ""),
        ("cn_mod11", "20171060186X"),
        ("cn_mod11", "2017-0601862"),
        ("cn_mod11", " 201710601862"),
    ],
)
def test_non_digit_input_raises(code: str, digits: str) -> None:
    algorithm = checkdigits.get(code)
    with pytest.raises(ValueError, match="digits 0-9"):
        algorithm.compute(digits)
    with pytest.raises(ValueError, match="digits 0-9"):
        algorithm.verify(digits, "0")


@pytest.mark.parametrize(
    ("code", "digits"),
    [
        ("ep_mod10_w12", "9940312"),
        ("ep_mod10_w12", "994031227"),
        ("ep_mod10_w12", "201710601862"),
        ("cn_mod11", "20171060186"),
        ("cn_mod11", "2017106018623"),
        ("cn_mod11", "9911386"),
        ("cn_mod11", "991138619"),
    ],
)
def test_wrong_length_raises(code: str, digits: str) -> None:
    algorithm = checkdigits.get(code)
    with pytest.raises(ValueError, match=r"expected .* digits, got"):
        algorithm.compute(digits)
    with pytest.raises(ValueError, match=r"expected .* digits, got"):
        algorithm.verify(digits, "0")


def test_non_string_input_raises_value_error() -> None:
    with pytest.raises(ValueError, match="digits 0-9"):
        checkdigits.get("ep_mod10_w12").compute(99403122)  # type: ignore[arg-type]


def test_lengths() -> None:
    assert checkdigits.get("ep_mod10_w12").digits == 8
    assert checkdigits.get("ep_mod10_w12").lengths == (8,)
    assert checkdigits.get("cn_mod11").digits == 12
    assert checkdigits.get("cn_mod11").lengths == (12, 8)


def test_catalogue_is_keyed_by_code() -> None:
    assert {"ep_mod10_w12", "cn_mod11"} <= set(CATALOGUE)
    for code, algorithm in CATALOGUE.items():
        assert isinstance(algorithm, CheckDigitAlgorithm)
        assert algorithm.code == code
        assert algorithm.name
        assert algorithm.description


def test_get_unknown_code_raises_key_error_naming_known_codes() -> None:
    with pytest.raises(KeyError, match=r"unknown check-digit algorithm 'luhn'.*cn_mod11"):
        checkdigits.get("luhn")
    with pytest.raises(KeyError, match="unknown check-digit algorithm"):
        checkdigits.get("other")  # "other" is a questionnaire choice, not an algorithm


def test_choices_pairs_code_and_name() -> None:
    pairs = checkdigits.choices()
    assert pairs == [(a.code, a.name) for a in CATALOGUE.values()]
    assert [code for code, _ in pairs] == list(CATALOGUE)


def test_algorithms_are_frozen() -> None:
    algorithm = checkdigits.get("cn_mod11")
    with pytest.raises(AttributeError):
        algorithm.digits = 8  # type: ignore[misc]


def test_dpma_remainder_one_has_no_check_digit() -> None:
    # The DPMA rule gives 11 - 1 = 10 for a remainder of 1, which is not one digit, and
    # DPMA's published examples do not say how it is written: no answer rather than a guess.
    algorithm = checkdigits.get("de_dpma_mod11")
    digits = next(f"102020{n:06d}" for n in range(1000) if _dpma_remainder(f"102020{n:06d}") == 1)
    assert algorithm.compute(digits) is None
    assert algorithm.verify(digits, "0") is None
    assert algorithm.verify(digits, "X") is None


def _dpma_remainder(digits: str) -> int:
    return sum(int(d) * w for w, d in enumerate(reversed(digits), start=2)) % 11


def test_dpma_rule_worked_by_hand() -> None:
    # 10 2007 004 488: from the units digit, 8x2 + 8x3 + 4x4 + 4x5 + 0x6 + 0x7 + 7x8 + 0x9
    # + 0x10 + 2x11 + 0x12 + 1x13 = 167; 167 mod 11 = 2; 11 - 2 = 9.
    assert _dpma_remainder("102007004488") == 2
    assert checkdigits.get("de_dpma_mod11").compute("102007004488") == "9"


def test_dpma_seven_digit_numbers_are_not_read() -> None:
    # Until 1980 the 7-digit file numbers used weights 1-7 modulo 10 (DPMA Mitteilung
    # Nr. 3/1983: 30 25 842.5), which the length cannot tell from the 1981 rule.
    with pytest.raises(ValueError, match="expected 12 or 8 digits"):
        checkdigits.get("de_dpma_mod11").compute("3025842")


def test_each_algorithm_names_the_parts_it_covers() -> None:
    assert checkdigits.get("ep_mod10_w12").parts == ("year", "serial")
    assert checkdigits.get("cn_mod11").parts == ("year", "type", "serial")
    assert checkdigits.get("de_dpma_mod11").parts == ("type", "year", "serial")

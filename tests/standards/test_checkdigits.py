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

"""Built-in numbering profiles: documented structures, the office taken from the number."""

from __future__ import annotations

import pytest

from standards import profiles
from standards.numbers import Verdict
from standards.profiles import PROFILES, by_key, for_office, office_of, parse_auto, parse_with_profiles

REQUIRED_OFFICES = {"EP", "CN", "DE", "US", "KR", "JP", "AT", "WO"}


def test_the_documented_offices_have_profiles() -> None:
    assert {p.office for p in PROFILES} >= REQUIRED_OFFICES


@pytest.mark.parametrize("profile", PROFILES, ids=[p.key for p in PROFILES])
def test_every_profile_cites_its_sources_and_reads_its_examples(profile) -> None:
    assert profile.sources, f"{profile.key} names no source"
    for source in profile.sources:
        assert source.title and source.url.startswith(("http://", "https://"))
    assert profile.examples
    for example in profile.examples:
        n = parse_with_profiles(example, [profile])
        assert n.ok, (example, n.errors)
        assert n.profile == profile.key
        assert n.office_code == profile.office


@pytest.mark.parametrize(
    ("text", "office"),
    [
        ("EP 13748138.8", "EP"),
        ("CN 2017106018623", "CN"),
        ("CN201710601862", "CN"),
        ("de 10 2007 004 488.9", "DE"),
        ("PCT/US2002/003226", "WO"),
        ("WO2002US003226", "WO"),
        ("99403122.7", None),
        ("XX 12345", None),  # not an ST.3 code
        ("ABC 123", None),
    ],
)
def test_office_from_the_prefix(text, office) -> None:
    assert office_of(text) == office


def test_office_codes_in_front_pick_the_profile() -> None:
    n = parse_auto("EP 13748138.8")
    assert n.profile == "ep" and n.ok and n.st13 == "102013007481388"
    n = parse_auto("CN 2017 1 0601862.3")  # CNIPA allows spaces between year, type and serial
    assert n.profile == "cn" and n.st13 == "102017006018623"


def test_a_number_without_an_office_needs_one() -> None:
    n = parse_auto("99403122.7")
    assert n.verdict == Verdict.ERROR
    assert n.errors == (
        "no office: start the number with its ST.3 code (e.g. EP 99403122.7), or choose the office or a "
        "numbering system",
    )
    assert parse_auto("99403122.7", office_code="EP").st13 == "101999004031227"


def test_an_office_without_a_profile_says_so() -> None:
    n = parse_auto("MD 030812")
    assert n.errors == (
        "there is no built-in numbering profile for MD: choose a published numbering system or describe the structure",
    )


def test_a_number_that_fits_two_profiles_differently_is_refused() -> None:
    # "11-349082" is a Heisei year (1999) or a Shōwa year (1936): the era mark decides.
    n = parse_auto("JP 11-349082")
    assert n.verdict == Verdict.ERROR
    assert n.errors[0].startswith("the number fits several numbering systems of JP with different ST.13 forms")
    assert parse_auto("JP H11-349082").st13 == "101999000349082"
    assert parse_auto("JP 特願平11-349082号").st13 == "101999000349082"
    assert "平 or H in front of the year marks the Heisei era" in parse_auto("JP 平11-349082").assumptions


def test_profile_rules_refuse_what_st13_does_not_number() -> None:
    n = parse_auto("US 60/123,456")
    assert n.errors == ("series codes 60–63 number provisional applications, which ST.13 does not number",)
    n = parse_auto("US 29/149,571")
    assert n.st13 is None and n.st13_partial == "??0000290149571"
    assert "series codes 29 and 35 number applications for designs" in n.assumptions


def test_dpma_examining_section_is_not_part_of_the_number() -> None:
    n = parse_auto("DE 10 2007 045 776.8-31")
    assert n.st13 == "102007000457768"
    assert n.input == "DE 10 2007 045 776.8-31"
    assert (
        "the examining section written after the check digit (-NN) is an annotation of the file, not part of the number"
    ) in n.assumptions


def test_dpma_check_digit_names_the_right_digit() -> None:
    n = parse_auto("DE 10 2007 004488.3")
    assert n.verdict == Verdict.ERROR
    assert n.errors == ("check digit 3 does not match: the de_dpma_mod11 check digit of 102007004488 is 9",)


@pytest.mark.parametrize(
    ("text", "st13", "said"),
    [
        ("PCT/US2002/003226", "912002US0003226", None),
        ("PCT/US02/03226", "912002US0003226", "written in the form used until 2003"),
        ("pct/us2002/003226", "912002US0003226", None),
        ("WO2002US003226", "912002US0003226", "read as the patent-database form of a PCT application number"),
    ],
)
def test_pct_international_applications(text, st13, said) -> None:
    n = parse_auto(text)
    assert n.ok and n.profile == "wo"
    assert n.st13 == st13
    assert n.office_display == n.priority == "PCT/US2002/003226"
    assert n.st13_display == "WO 91-2002-US0003226"
    assert any(a.startswith("type 91: ST.13 (b) reserves 90–99") for a in n.assumptions)
    assert any("receiving Office's code US kept as a code for internal use" in a for a in n.assumptions)
    if said:
        assert any(a.startswith(said) for a in n.assumptions)


def test_pct_receiving_office_must_be_an_st3_code() -> None:
    assert parse_auto("PCT/XX2002/003226").errors == ("XX is not an ST.3 code of a receiving Office",)


def test_taiwan_years_are_minguo_years() -> None:
    n = parse_auto("TW 90121515")
    assert n.st13 == "102001000021515"
    assert (
        "year 90 of the Republic of China (Minguo) calendar read as 2001 (+1911 years) (q6c); "
        "ST.13 (c) asks for the Gregorian year"
    ) in n.assumptions


def test_profiles_are_found_by_key_and_office() -> None:
    assert by_key("de").office == "DE"
    assert [p.key for p in for_office("DE")] == ["de", "de-1995"]
    with pytest.raises(KeyError, match="unknown profile 'xx'"):
        by_key("xx")


def test_many_numbers_at_once() -> None:
    results = profiles.parse_auto_many(["EP 13748138.8", "", "PCT/US02/03226", "DE 10 2014 012 282.4"])
    assert [r.profile for r in results] == ["ep", "wo", "de"]
    with pytest.raises(ValueError, match="too many numbers"):
        profiles.parse_auto_many(["EP 13748138.8"] * 3, limit=2)

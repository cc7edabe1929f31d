"""Built-in numbering profiles: the structures of offices whose application numbers are
documented in public sources, so that a number can be checked without a questionnaire
response, and the office picked from the ST.3 code in front of the number.

Each profile is written as the questionnaire answers the office would give (so it is
read by exactly the same code as a response) plus, where the sources say more than the
questionnaire can hold, a table of type codes with their ST.13 codes. Every profile
names its sources; real numbers from them are in the tests.

Pure Python, like the rest of the standards core.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from standards.messages import Text, join
from standards.messages import gettext_noop as _
from standards.numbers import (
    DEFAULT_LIMIT,
    IPR_NAMES,
    ParsedNumber,
    Verdict,
    _office_argument,
    _Reader,
    _Result,
    looks_like_pct,
    non_blank,
    normalize,
    parse_pct,
    too_long,
)
from standards.structure import NumberingStructure, TypeCode, answers_describing, structure_from_answers

__all__ = ["PROFILES", "Profile", "Source", "by_key", "for_office", "parse_auto", "parse_with_profiles"]

_ST3_FILE = Path(__file__).resolve().parent / "data" / "st3.csv"


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Rule:
    """A value of a part that the profile treats specially: ``ipr`` says which IPR type
    numbers with it are (the USPTO's series 29 are designs); ``refusal`` says why the
    profile does not read them (series 60-63 are provisional applications)."""

    part: str
    pattern: str
    ipr: str | None = None
    refusal: Text | None = None
    note: Text | None = None  # why the IPR type follows from the value


@dataclass(frozen=True)
class Trim:
    """Something written around an office's numbers that is not part of them (a label,
    an annotation), removed before reading, with the reason stated."""

    pattern: str
    note: Text


@dataclass(frozen=True, eq=False)
class Profile:
    key: str
    office: str  # ST.3 code
    name: Text
    answers: Mapping[str, Any] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    examples: tuple[str, ...] = ()  # as the office writes them
    type_codes: tuple[TypeCode, ...] | None = None
    rules: tuple[Rule, ...] = ()
    trims: tuple[Trim, ...] = ()
    reader: Callable[[str], ParsedNumber] | None = None  # a reader of its own (the PCT)

    @property
    def structure(self) -> NumberingStructure:
        return _structure(self)


@cache
def _structure(profile: Profile) -> NumberingStructure:
    structure = structure_from_answers(profile.answers)
    if profile.type_codes is not None:
        structure = replace(structure, type_code_table=profile.type_codes)
    return structure


@cache
def _reader(profile: Profile) -> _Reader:
    return _Reader(profile.structure)


@cache
def st3_codes() -> frozenset[str]:
    with _ST3_FILE.open(encoding="utf-8") as handle:
        return frozenset(row["code"] for row in csv.DictReader(handle))


def _code(code: str, ipr: str | None, st13: str | None, meaning: Text | None = None) -> TypeCode:
    return TypeCode(code=code, ipr=ipr, st13=st13, meaning=meaning or IPR_NAMES.get(ipr or "", code))


def _answers(
    *,
    ipr: list[str],
    order: list[str],
    lengths: Mapping[str, int | tuple[int, int]],
    separators: list[str],
    calendar: str | None = None,
    check: str | None = None,
    other_part: str = "",
) -> dict[str, Any]:
    """Questionnaire answers (q1a-q12a) for a profile, as a response would store them; a
    check digit is set apart after the number, as every profile's office writes it."""
    return answers_describing(
        parts=order,
        lengths=lengths,
        separators=separators,
        ipr_types=ipr,
        calendar=calendar,
        check_digit=check,
        check_position="separate",
        other_part=other_part,
        priority_same_format=True,
    )


_DAS = "https://confluence.wipo.int/confluence/display/dascg/"
_EPO_GUIDELINES = Source(
    "EPO, Guidelines for Examination, A-II 1.8: numbering of European patent applications",
    "http://www.epo.org/patents/law/legal-texts/html/guiex/e/a_ii_1_8_2.htm",
)
_CNIPA = Source(
    "SIPO (CNIPA) standard ZC 0006-2003 on patent application numbers, as summarised at",
    "http://www.plnmw.com/PatentSearch/junaldpimd.html",
)
_DPMA_1983 = Source(
    "DPMA, Mitteilung des Präsidenten Nr. 3/1983: computing the check digit of file numbers",
    "http://www.dpma.de/service/veroeffentlichungen/mitteilungen/1983/mitteilungnr3/83/index.html",
)
_DPMA_2003 = Source(
    "DPMA, Mitteilung des Präsidenten Nr. 3/2003 of 27 May 2003: the form of file numbers from 2004",
    "http://www.dpma.de/service/veroeffentlichungen/mitteilungen/2003/mdp_nr03_2003.html",
)
_EPO_JAPAN = Source(
    "EPO, Asian patent information: numbering system of Japan",
    "https://www.epo.org/searching-for-patents/helpful-resources/asian/japan/numbering_de.html",
)
_CN_TYPES = (
    _code("1", "patents", "10"),
    _code("2", "utility_models", "20"),
    _code("3", "industrial_designs", None),
    _code("8", "pct_national", "11"),
    _code("9", None, "21", _("utility models from PCT applications (national phase)")),
)
# DPMA writes the examining section after a file number in its decisions
# ("196 26 775.7-53"): an annotation of the file, not part of the number.
_DPMA_SECTION = Trim(
    r"(?<=\.[0-9])\s*-\s*[0-9]{1,3}$",
    _("the examining section written after the check digit (-NN) is an annotation of the file, not part of the number"),
)


def _cn_profile(key: str, name: Text, *, year: int, serial: int, examples: tuple[str, ...]) -> Profile:
    """CNIPA numbers: year, type digit, serial, and a check character after a dot; the
    12-digit form since October 2003, the 8-digit one before."""
    return Profile(
        key=key,
        office="CN",
        name=name,
        answers=_answers(
            ipr=["patents", "pct_national", "utility_models", "industrial_designs"],
            order=["year", "type", "serial", "control"],
            lengths={"year": year, "type": 1, "serial": serial, "control": 1},
            separators=["space", "dot"],
            check="cn_mod11",
        ),
        type_codes=_CN_TYPES,
        sources=(_CNIPA,),
        examples=examples,
    )


_JPO_NUMBER_MARK = Trim(r"\s*号$", _("号 (number) after the number is a label, not part of it"))


def _jp_era_profile(key: str, name: Text, calendar: str, era_mark: Trim, example: str) -> Profile:
    """JPO numbers before 2000: the year of an imperial era (two digits), a hyphen, six digits."""
    return Profile(
        key=key,
        office="JP",
        name=name,
        answers=_answers(
            ipr=["patents"],
            order=["year", "serial"],
            lengths={"year": 2, "serial": 6},
            separators=["hyphen"],
            calendar=calendar,
        ),
        trims=(era_mark, _JPO_NUMBER_MARK),
        sources=(_EPO_JAPAN,),
        examples=(example,),
    )


PROFILES: tuple[Profile, ...] = (
    Profile(
        key="ep",
        office="EP",
        name=_("European Patent Office – patent applications"),
        answers=_answers(
            ipr=["patents"],
            order=["year", "serial", "control"],
            lengths={"year": 2, "serial": 6, "control": 1},
            separators=["space", "dot"],
            check="ep_mod10_w12",
        ),
        sources=(
            _EPO_GUIDELINES,
            Source(
                "EPO, European Patent Register help: application numbers, with and without check digit",
                "http://docs.epoline.org/epoline/webreg/help/en/application_number_or_filing_date.htm",
            ),
        ),
        examples=("EP 84 300 001.9", "EP 04257544.9", "EP 17928462.5"),
    ),
    _cn_profile(
        "cn",
        _("China (CNIPA) – applications since October 2003 (12 digits and check character)"),
        year=4,
        serial=7,
        examples=("CN 201710601862.3", "CN 201010596747.X", "CN 200580011009.1"),
    ),
    _cn_profile(
        "cn-1985",
        _("China – applications before October 2003 (8 digits and check character)"),
        year=2,
        serial=5,
        examples=("CN 97101765.4", "CN 95115608.X"),
    ),
    Profile(
        key="de",
        office="DE",
        name=_("Germany (DPMA) – file numbers since 2004 (patents, utility models; trademarks and designs since 2008)"),
        answers=_answers(
            ipr=[
                "patents",
                "pct_national",
                "spc",
                "utility_models",
                "layout_designs",
                "trademarks",
                "industrial_designs",
                "other",
            ],
            order=["type", "year", "serial", "control"],
            lengths={"type": 2, "year": 4, "serial": 6, "control": 1},
            separators=["space", "dot"],
            check="de_dpma_mod11",
        ),  # fmt: skip
        type_codes=(
            _code("10", "patents", "10"),
            _code("11", "pct_national", "11"),
            _code("12", "spc", "12"),
            _code("20", "utility_models", "20"),
            _code("21", None, "21", _("utility models from PCT applications (national phase)")),
            _code("22", "layout_designs", "22"),
            _code("30", "trademarks", "30"),
            _code("31", None, "31", _("geographical indications and designations of origin")),
            _code("40", "industrial_designs", "40"),
            _code("41", None, "41", _("typefaces")),
            _code("50", None, "50", _("European patents for Germany in German")),
            _code("60", None, "60", _("European patents for Germany in English or French")),
        ),
        trims=(_DPMA_SECTION,),
        sources=(_DPMA_2003, _DPMA_1983),
        examples=("DE 10 2007 004 488.9", "DE 11 2014 005 344.9", "DE 30 2013 060 308.7"),
    ),
    Profile(
        key="de-1995",
        office="DE",
        name=_("Germany (DPMA) – file numbers 1995–2003 (8 digits and check digit)"),
        answers=_answers(
            ipr=["patents", "utility_models", "trademarks"],
            order=["type", "year", "serial", "control"],
            lengths={"type": 1, "year": 2, "serial": 5, "control": 1},
            separators=["space", "dot"],
            check="de_dpma_mod11",
        ),
        type_codes=(
            _code("1", "patents", "10"),
            _code("2", "utility_models", "20"),
            _code("3", "trademarks", None),
        ),
        trims=(_DPMA_SECTION,),
        sources=(_DPMA_1983,),
        examples=("DE 196 26 775.7", "DE 103 60 860.5", "DE 200 02 064.1"),
    ),
    Profile(
        key="us",
        office="US",
        name=_("United States (USPTO) – patent applications (series code and serial number)"),
        answers=_answers(
            ipr=["patents", "industrial_designs"],
            order=["other", "serial"],
            lengths={"other": 2, "serial": 6},
            separators=["slash", "comma"],
            other_part="series code",
        ),
        rules=(
            Rule(
                "other",
                r"29|35",
                ipr="industrial_designs",
                note=_("series codes 29 and 35 number applications for designs"),
            ),
            Rule(
                "other",
                r"6[0-3]",
                refusal=_("series codes 60–63 number provisional applications, which ST.13 does not number"),
            ),
            Rule(
                "other",
                r"9[0-9]",
                refusal=_("series codes 90–99 number reexamination and other proceedings, not applications for an IPR"),
            ),
            Rule(
                "other",
                r"[0-9]{2}",
                ipr="patents",
                note=_("series codes other than 29, 35 and 60–99 number applications for patents for inventions"),
            ),
        ),
        sources=(
            Source(
                "USPTO, Manual of Patent Examining Procedure, § 503: application number (series code and serial)",
                "https://webarchive.library.unt.edu/eot2008/20090114024240/"
                "http://www.uspto.gov/web/offices/pac/mpep/documents/0500_503.htm",
            ),
            Source("WIPO DAS, United States of America: NN/NNN,NNN", _DAS + "United+States+of+America"),
        ),
        examples=("US 08/030,183", "US 14/870,744", "US 29/074,268"),
    ),
    Profile(
        key="kr",
        office="KR",
        name=_("Republic of Korea (KIPO) – applications since 1999"),
        answers=_answers(
            ipr=["patents", "utility_models", "industrial_designs", "trademarks"],
            order=["type", "year", "serial"],
            lengths={"type": 2, "year": 4, "serial": 7},
            separators=["hyphen"],
        ),
        type_codes=(
            _code("10", "patents", "10"),
            _code("20", "utility_models", "20"),
            _code("30", "industrial_designs", "30"),
            _code("40", "trademarks", "40"),
        ),
        sources=(
            Source(
                "EPO, Asian patent information: numbering system of Korea",
                "https://www.epo.org/searching-for-patents/helpful-resources/asian/korea/numbering_de.html",
            ),
        ),
        examples=("KR 10-2007-0113509", "KR 10-2012-0025108"),
    ),
    Profile(
        key="jp",
        office="JP",
        name=_("Japan (JPO) – patent applications since 2000"),
        answers=_answers(
            ipr=["patents"],
            order=["year", "serial"],
            lengths={"year": 4, "serial": 6},
            separators=["hyphen"],
        ),
        trims=(
            Trim(r"^特願\s*", _("特願 (patent application) in front of the number is a label, not part of it")),
            _JPO_NUMBER_MARK,
        ),
        sources=(_EPO_JAPAN,),
        examples=("JP 2006-119595", "JP 2016-563421"),
    ),
    _jp_era_profile(
        "jp-heisei",
        _("Japan (JPO) – patent applications 1989–1999 (year of the Heisei era)"),
        "Japanese era Heisei",
        Trim(r"^(?:特願)?\s*(?:平成?|H)\s*(?=[0-9])", _("平 or H in front of the year marks the Heisei era")),
        "JP H11-349082",
    ),
    _jp_era_profile(
        "jp-showa",
        _("Japan (JPO) – patent applications until 1989 (year of the Shōwa era)"),
        "Japanese era Showa",
        Trim(r"^(?:特願)?\s*(?:昭和?|S)\s*(?=[0-9])", _("昭 or S in front of the year marks the Shōwa era")),
        "JP S63-123456",
    ),
    Profile(
        key="at",
        office="AT",
        name=_("Austria – patent, utility model, trademark and design applications"),
        answers=_answers(
            ipr=["patents", "utility_models", "trademarks", "industrial_designs"],
            order=["type", "serial", "year"],
            lengths={"type": (1, 2), "serial": (1, 5), "year": 4},
            separators=["space", "slash"],
        ),
        type_codes=(
            _code("A", "patents", "10"),
            _code("GM", "utility_models", "20"),
            _code("AM", "trademarks", None),
            _code("MU", "industrial_designs", None),
        ),
        sources=(Source("WIPO DAS, Austria: A NNNNN/YYYY, GM, AM and MU NNNNN/YYYY", _DAS + "Austria"),),
        examples=("AT A 2156/2004", "AT A 812/2009", "AT GM 218/2013"),
    ),
    Profile(
        key="tw",
        office="TW",
        name=_("Taiwan (TIPO) – patent applications (year of the Republic of China calendar)"),
        answers=_answers(
            ipr=["patents", "utility_models", "industrial_designs"],
            order=["year", "type", "serial"],
            lengths={"year": (2, 3), "type": 1, "serial": 5},
            separators=[],
            calendar="Republic of China (Minguo) calendar",
        ),
        type_codes=(
            _code("1", "patents", "10"),
            _code("2", "utility_models", "20"),
            _code("3", "industrial_designs", None),
        ),
        sources=(
            Source(
                "JPO/INPIT Global IP Database: number formats in Taiwan (2 November 2022)",
                "https://www.globalipdb.inpit.go.jp/etc/26927/",
            ),
        ),
        examples=("TW 89123585", "TW 105208199"),
    ),
    Profile(
        key="wo",
        office="WO",
        name=_("PCT international applications (PCT/CCYYYY/NNNNNN)"),
        sources=(
            Source(
                "PCT Administrative Instructions, Section 307: system of numbering international applications",
                "https://www.wipo.int/pct/en/texts/ai/s307.html",
            ),
        ),
        examples=("PCT/IB2014/065737", "PCT/US02/03226"),
        reader=lambda text: parse_pct(text, known_offices=st3_codes()),
    ),
)

_BY_KEY = {p.key: p for p in PROFILES}


def by_key(key: str) -> Profile:
    """The profile with this key; KeyError names the known keys."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown profile {key!r}; known: {', '.join(_BY_KEY)}") from None


def for_office(code: str) -> tuple[Profile, ...]:
    return tuple(p for p in PROFILES if p.office == code)


def offices() -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.office for p in PROFILES))


# -- reading with profiles ---------------------------------------------------------------


def _read(profile: Profile, text: str, office_code: str | None, ipr_type: str | None) -> ParsedNumber:
    refusal = too_long(text)
    if refusal is not None:  # before any trimming or reading
        return replace(_Result(input=text).fail(refusal), profile=profile.key)
    if profile.reader is not None:
        return replace(profile.reader(text), profile=profile.key)
    reader = _reader(profile)
    prepared, notes = _trimmed(profile, text)
    number = reader.read(prepared, office_code, ipr_type)
    number = _apply_rules(profile, reader, number, prepared, office_code, ipr_type)
    return replace(number, input=text, profile=profile.key, assumptions=(*notes, *number.assumptions))


def _trimmed(profile: Profile, text: str) -> tuple[str, tuple[Text, ...]]:
    """The number without what the profile's trims remove, and the reasons."""
    if not profile.trims:
        return text, ()
    number = normalize(text)
    code = re.match(rf"{profile.office}(?: |(?=[^A-Za-z]))", number, re.IGNORECASE)
    head, body = (number[: code.end()], number[code.end() :]) if code else ("", number)
    notes = []
    for trim in profile.trims:
        shorter = re.sub(trim.pattern, "", body)
        if shorter != body:
            body = shorter
            notes.append(trim.note)
    return (head.strip() + " " + body if head else body), tuple(notes)


def _apply_rules(
    profile: Profile, reader: _Reader, number: ParsedNumber, text: str, office_code: str | None, ipr_type: str | None
) -> ParsedNumber:
    for rule in profile.rules:
        value = number.part(rule.part)
        if value is None or not re.fullmatch(rule.pattern, value):
            continue
        if rule.refusal is not None:
            result = _Result(input=text, office_code=number.office_code, parts=number.parts)
            return result.fail(rule.refusal)
        if rule.ipr is not None and ipr_type is None:
            number = reader.read(text, office_code, rule.ipr)
            if rule.note is not None:
                number = replace(number, assumptions=(rule.note, *number.assumptions))
        return number
    return number


def parse_with_profiles(
    text: str, profiles: Iterable[Profile], *, office_code: str | None = None, ipr_type: str | None = None
) -> ParsedNumber:
    """Read a number with each of an office's profiles and keep the reading that fits.

    Numbers that fit several profiles with different ST.13 forms are refused rather than
    guessed; numbers that fit none get the error of the profile that read them furthest.
    """
    profiles = tuple(profiles)
    readings = [_read(p, text, office_code, ipr_type) for p in profiles]
    fitting = [r for r in readings if r.verdict != Verdict.ERROR]
    if not fitting:
        # The profile that got past splitting (its parts are known) says most.
        return next((r for r in readings if r.parts), readings[0])
    forms = {r.st13 or r.st13_partial for r in fitting}
    if len(fitting) > 1 and len(forms) > 1:
        result = _Result(input=text, office_code=fitting[0].office_code)
        return result.fail(
            _(
                "the number fits several numbering systems of %(office)s with different ST.13 forms "
                "(%(profiles)s): choose one",
                office=fitting[0].office_code or "",
                profiles=join(p.name for p, r in zip(profiles, readings, strict=True) if r in fitting),
            )
        )
    return fitting[0]


_LEADING_CODE = re.compile(r"([A-Za-z]{2})(?=[\s0-9/.-]|$)")


def office_of(text: str) -> str | None:
    """The office a number names: "WO" for a PCT number, else the ST.3 code in front."""
    number = normalize(text)
    if looks_like_pct(number):
        return "WO"
    match = _LEADING_CODE.match(number)
    if match and match.group(1).upper() in st3_codes():
        return match.group(1).upper()
    return None


def parse_auto(text: str, *, office_code: str | None = None, ipr_type: str | None = None) -> ParsedNumber:
    """Read a number with the built-in profiles of the office it names (the ST.3 code in
    front of it, or ``office_code`` when it has none)."""
    given = _office_argument(office_code)
    refusal = too_long(text)
    if refusal is not None:
        return _Result(input=text, office_code=given).fail(refusal)
    found = office_of(text)
    office = found or given
    if office is None:
        return _Result(input=text).fail(
            _(
                "no office: start the number with its ST.3 code (e.g. EP 99403122.7), or choose the office "
                "or a numbering system"
            )
        )
    profiles = for_office(office)
    if not profiles:
        return _Result(input=text, office_code=office).fail(
            _(
                "there is no built-in numbering profile for %(office)s: choose a published numbering system "
                "or describe the structure",
                office=office,
            )
        )
    return parse_with_profiles(text, profiles, office_code=None if office == "WO" else office, ipr_type=ipr_type)


def parse_auto_many(
    lines: Iterable[str], *, office_code: str | None = None, ipr_type: str | None = None, limit: int = DEFAULT_LIMIT
) -> list[ParsedNumber]:
    return [parse_auto(line, office_code=office_code, ipr_type=ipr_type) for line in non_blank(lines, limit)]


def parse_profile_many(
    lines: Iterable[str],
    profile: Profile,
    *,
    office_code: str | None = None,
    ipr_type: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[ParsedNumber]:
    given = _office_argument(office_code) or (None if profile.office == "WO" else profile.office)
    return [_read(profile, line, given, ipr_type) for line in non_blank(lines, limit)]

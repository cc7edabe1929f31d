"""Real application numbers, as offices, courts and registers published them, read with
the built-in profiles (the office taken from the ST.3 code in front of the number).

Each row gives the number exactly as printed, the verdict, the ST.13 form (or the form
with an unknown type, "??"), and where the number was published. Court decisions are
cited by court, file number and date: BPatG = German Federal Patent Court, BGH =
German Federal Court of Justice, OLG Wien / OGH = Austrian courts, PTAB / BPAI = the
USPTO's appeal boards, J / T = EPO Boards of Appeal.

The ST.13 forms follow the product's documented rules (ST13.md): type + four-digit year +
nine-digit serial with the check digit in its last position; an office's code for a
type ST.13 leaves to offices is kept when it is two digits in range, otherwise "??";
no year gives 0000; a part that tells applications apart (a US series code, a PCT
receiving Office) is kept in the first two positions of the serial.
"""

from __future__ import annotations

import pytest

from standards.profiles import parse_auto

REAL = [
    # (as published, verdict, ST.13 form, form with unknown parts, source)
    ("EP 84 300 001.9", "valid", "101984003000019", None, "EPO Legal Board of Appeal J 0003/91, 1 Dec 1992"),
    ("EP 88113196.5", "valid", "101988001131965", None, "EPO Board of Appeal T 0492/95, 16 Oct 1996"),
    (
        "EP 92903535.0",
        "valid",
        "101992009035350",
        None,
        "EPO Board of Appeal T 0826/04, 9 Oct 2007 (Euro-PCT, check digit 0)",
    ),
    ("EP 04257544.9", "valid", "102004002575449", None, "EPO Legal Board of Appeal J 0009/07, 30 Jun 2008"),
    ("EP 05732613.4", "valid", "102005007326134", None, "BPatG 3 Ni 22/20 (EP), 26 Apr 2022"),
    ("EP 13160788.9", "valid", "102013001607889", None, "OLG Wien 133 R 83/19g, 4 Dec 2019"),
    ("EP 17928462.5", "valid", "102017009284625", None, "European Patent Register, EP3680786"),
    (
        "EP17928462",
        "valid_check_digit_not_given",
        "102017009284625",
        None,
        "European Patent Register URL parameter for 17928462.5",
    ),
    (
        "EP19880850217",
        "valid_check_digit_not_given",
        "101988008502176",
        None,
        "European Patent Register help: database form of 88850217",
    ),
    (
        "EP 04257544",
        "valid_check_digit_not_given",
        "102004002575449",
        None,
        "priority citation of J 0009/07's application without its check digit",
    ),
    ("DE 10 2007 004 488.9", "valid", "102007000044889", None, "BPatG 15 W (pat) 33/08, 16 Dec 2013"),
    ("DE 10 2014 012 282.4", "valid", "102014000122824", None, "BPatG 20 W (pat) 22/15, 6 Nov 2017"),
    ("DE 10 2007 004488.3", "error", None, None, "10 2007 004 488 with a wrong check digit (the right one is 9)"),
    (
        "DE 10 2007 045 776.8-31",
        "valid",
        "102007000457768",
        None,
        "BPatG 20 W (pat) 8/09, 22 Jul 2013 (examining section -31)",
    ),
    ("DE 10 2008 013 670.0", "valid", "102008000136700", None, "BPatG 20 W (pat) 10/19, 18 Jan 2021 (remainder 0)"),
    (
        "DE 11 2014 005 344.9",
        "valid",
        "112014000053449",
        None,
        "BPatG 7 W (pat) 30/16, 13 Nov 2017 (PCT national phase)",
    ),
    (
        "DE 21 2012 000 187.5",
        "valid",
        "212012000001875",
        None,
        "BGH X ZB 18/16, 27 Mar 2018 (utility model from a PCT application)",
    ),
    ("DE 30 2013 060 308.7", "valid", "302013000603087", None, "BPatG 26 W (pat) 29/15, 18 Apr 2016 (trademark)"),
    ("DE 40 2011 006 302.6", "valid", "402011000063026", None, "BPatG 30 W (pat) 705/13, 14 Nov 2013 (design)"),
    ("DE 196 26 775.7-53", "valid", "101996000267757", None, "BPatG 17 W (pat) 6/06, 9 Mar 2010 (8-digit form)"),
    ("DE 200 02 064.1", "valid", "202000000020641", None, "BGH X ZB 23/01, 19 Nov 2002 (utility model, 8-digit form)"),
    (
        "DE 10 2008 004 423",
        "valid_check_digit_not_given",
        "102008000044237",
        None,
        "BPatG 20 W (pat) 28/12, 5 Mar 2013 (cited without check digit)",
    ),
    ("CN 201710601862.3", "valid", "102017006018623", None, "worked example of the CNIPA check-digit rule"),
    ("CN 200730008065.1", "valid", None, "??2007000080651", "ZL200730008065.1, a design (case note, Beijing court)"),
    (
        "CN 200920182473.2",
        "valid",
        "202009001824732",
        None,
        "ZL200920182473.2, a utility model (Taizhou court judgment)",
    ),
    ("CN 201010596747.X", "valid", "10201000596747X", None, "Google Patents CN102541888A (check character X)"),
    ("CN 200580011009.1", "valid", "112005000110091", None, "priority of WO2006052848 (PCT national phase, type 8)"),
    (
        "CN201710931551",
        "valid_check_digit_not_given",
        "102017009315513",
        None,
        "European Patent Register EP17928462: priority without check character",
    ),
    ("CN 97101765.4", "valid", "101997000017654", None, "8-digit form used before October 2003"),
    ("KR 10-2007-0113509", "valid", "102007000113509", None, "US 8,867,995: Korean priority application"),
    ("KR 10-2012-0025108", "valid", "102012000025108", None, "US 2013/0237258: Korean priority application"),
    ("US 08/030,183", "valid", "100000080030183", None, "Stevens v. Tamai, 366 F.3d 1325 (Fed. Cir. 2004)"),
    ("US 11/627,902", "valid", "100000110627902", None, "PTAB Appeal 2020-000872, 1 Jul 2021"),
    ("US 14/150,735", "valid", "100000140150735", None, "PTAB Appeal 2019-001248, 30 Mar 2020"),
    ("US 29/149,571", "valid", None, "??0000290149571", "BPAI Appeal 2004-0152 (design application)"),
    ("US 90/005,384", "error", None, None, "BPAI Appeal 2005-1050 (ex parte reexamination)"),
    ("PCT/IB2014/065737", "valid", "912014IB0065737", None, "BPatG 7 W (pat) 30/16, 13 Nov 2017"),
    ("PCT/KR2003/002938", "valid", "912003KR0002938", None, "Google Patents US20060173265"),
    ("PCT/DE03/01379", "valid", "912003DE0001379", None, "form used until 2003 of PCT/DE2003/001379 (WO2003094047)"),
    ("AT A 2156/2004", "valid", "102004000002156", None, "OLG Wien 34 R 22/14a, 11 Jul 2014"),
    ("AT A 812/2009", "valid", "102009000000812", None, "OLG Wien 34 R 159/15z, 31 Mar 2016"),
    ("AT GM 218/2013", "valid", "202013000000218", None, "OGH 4 Ob 119/20h, 31 Aug 2020 (utility model)"),
    ("TW 89123585", "valid", "102000000023585", None, "IP & Commercial Court 113 Xing-Zan 1 (invention, ROC year 89)"),
    (
        "TW 105208199",
        "valid",
        "202016000008199",
        None,
        "IP & Commercial Court 113 Xing-Zhuan-Su 20 (utility model, ROC year 105)",
    ),
    (
        "JP 特願平11-349082号",
        "valid",
        "101999000349082",
        None,
        "IP High Court 平成23年(行ケ)10305, 4 Jul 2012 (Heisei 11)",
    ),
    ("JP 2016-563421", "valid", "102016000563421", None, "IP High Court 令和3年(行ケ)10097, 28 Apr 2022"),
]


@pytest.mark.parametrize(("text", "verdict", "st13", "partial", "source"), REAL, ids=[r[0] for r in REAL])
def test_real_numbers(text: str, verdict: str, st13: str | None, partial: str | None, source: str) -> None:
    n = parse_auto(text)
    assert n.verdict == verdict, (source, n.errors)
    assert n.st13 == st13, source
    assert n.st13_partial == partial, source
    if n.ok:
        assert n.errors == ()
        assert (n.st13 or n.st13_partial) and len(n.st13 or n.st13_partial) == 15
    else:
        assert n.st13 is None and n.errors


def test_no_real_number_is_valid_with_a_form_of_another_number() -> None:
    # Two different applications never share an ST.13 form.
    forms = [parse_auto(text).st13 for text, *_ in REAL]
    distinct = {f for f in forms if f}
    same_application = {"102004002575449", "102017009284625"}  # written with and without the check digit
    assert len([f for f in forms if f and f not in same_application]) == len(distinct - same_application)


def test_us_series_codes_keep_applications_apart() -> None:
    # 11/005859 and 13/005859 are different applications (MPEP § 503: series code + serial).
    assert parse_auto("US 11/005859").st13 != parse_auto("US 13/005859").st13

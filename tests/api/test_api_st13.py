"""REST API ST.13 checker: numbers read against answers describing a structure, a response's
structure or the built-in profiles; the sentences in the language of the request; the
refusals; ten thousand numbers in one request."""

from __future__ import annotations

import time

from rest_framework.test import APIClient

from surveys.models import ResponseStatus, SurveyResponse
from tests.api.helpers import client_for, url

# The EPO structure of ST13.md: two-digit year, six-digit serial, ep_mod10_w12 check digit after a dot.
EPO_ANSWERS = {
    "q1a": ["patents"], "q2a": ["year", "serial", "control"], "q3a": "other", "q3b": ["year", "serial", "control"],
    "q4a": "fixed", "q4b": {"year": 2, "serial": 6, "control": 1}, "q5a": "no", "q6a": "yes", "q6b": "2",
    "q6c": "gregorian", "q7a": "yes", "q9a": "yes", "q9b": "separate", "q9c": "ep_mod10_w12", "q11a": "yes",
    "q11b": ["dot"], "q11c": "no",
}  # fmt: skip
# China: year (4), type (1), serial (7), cn_mod11 check digit after a dot.
CN_ANSWERS = {
    "q1a": ["patents", "utility_models", "industrial_designs"], "q2a": ["year", "type", "serial", "control"],
    "q3a": "other", "q3b": ["year", "type", "serial", "control"], "q4a": "fixed",
    "q4b": {"year": 4, "type": 1, "serial": 7, "control": 1}, "q5a": "yes",
    "q5b": {"patents": {"code": "1"}, "utility_models": {"code": "2"}, "industrial_designs": {"code": "3"}},
    "q5c": "no", "q6a": "yes", "q6b": "4", "q6c": "gregorian", "q7a": "yes", "q9a": "yes", "q9b": "separate",
    "q9c": "cn_mod11", "q11a": "yes", "q11b": ["dot"], "q11c": "no",
}  # fmt: skip
EPO_OK = {
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
    "assumptions": [
        "type 10 taken from the IPR type covered (q1a): patents for inventions",
        "year 99 read as 1999 (two-digit years 50–99 are taken as 19xx, 00–49 as 20xx)",
    ],
}


def parse(client: APIClient, HTTP_ACCEPT_LANGUAGE: str = "en", **body):  # noqa: N803 — Django's header keyword
    return client.post(url("st13/parse/"), body, format="json", HTTP_ACCEPT_LANGUAGE=HTTP_ACCEPT_LANGUAGE)


def test_st13_acceptance_examples(reference_data):
    client = APIClient()  # anonymous: the checker is public
    epo = parse(client, numbers=["EP 99403122.7", "EP 99403122.5"], office="EP", answers=EPO_ANSWERS)
    assert epo.status_code == 200
    data = epo.json()
    assert (data["office"], data["response"], data["count"], data["valid"], data["invalid"]) == ("EP", None, 2, 1, 1)
    assert data["ignored_answers"] == []
    assert data["results"][0] == EPO_OK
    wrong = data["results"][1]
    assert wrong["ok"] is False
    assert wrong["errors"] == ["check digit 5 does not match: the ep_mod10_w12 check digit of 99403122 is 7"]
    assert (wrong["st13"], wrong["office_display"], wrong["priority"]) == (None, None, None)

    cn = parse(client, numbers=["CN 201710601862.3"], office="CN", answers=CN_ANSWERS).json()
    assert cn["valid"] == 1
    assert cn["results"][0]["ok"] is True
    assert cn["results"][0]["parts"] == {"year": "2017", "type": "1", "serial": "0601862", "control": "3"}


def test_st13_with_a_response_structure(make_response, office_a_respondent, office_b_respondent, moldova_answers):
    # Published as is: the structure questions alone do not make a complete response.
    ep = make_response(office_b_respondent, EPO_ANSWERS, label="Patents")
    SurveyResponse.objects.filter(pk=ep.pk).update(status=ResponseStatus.PUBLISHED)
    client = APIClient()
    data = parse(client, numbers=["99403122.7"], response=ep.pk).json()
    assert data["office"] == "EP"
    assert data["results"][0]["st13"] == "101999004031227"
    assert data["results"][0]["office_display"] == "EP 99403122.7"
    mismatch = parse(client, numbers=["99403122.7"], response=ep.pk, office="MD")
    assert mismatch.status_code == 400
    assert mismatch.json() == {"office": ["Response ep-001 is EP's: give that code or none."]}
    draft = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    hidden = parse(client, numbers=["030812"], response=draft.pk)
    assert hidden.status_code == 400
    assert hidden.json() == {"response": ["No response with this ID that you may read."]}
    own = parse(client_for(office_a_respondent), numbers=["030812", "30812"], response=draft.pk).json()
    fits, short = own["results"]
    assert (fits["parts"], fits["office_display"]) == ({"serial": "030812"}, "MD 030812")
    assert fits["ok"] and fits["st13_partial"] == "??0000000030812"
    assert (short["parts"], short["office_display"]) == ({}, None)
    assert short["errors"] == ["expected 6 digits (serial number 6), found 5"]


def test_st13_reads_each_number_with_the_profile_of_its_office(reference_data):
    client = APIClient()
    numbers = [
        "US 11/005859",  # MPEP § 503 series code 11 …
        "US 13/005859",  # … and 13: two applications, two forms
        "DE 10 2007 004 488.9",  # BPatG 15 W (pat) 33/08
        "DE 10 2007 004488.3",  # the same, wrong check digit
        "EP 04257544",  # priority form without the check digit (J 9/07: EP 04257544.9)
        "PCT/US02/03226",
        "MD 030812",  # no built-in profile for Moldova
    ]
    data = parse(client, numbers=numbers).json()
    results = data["results"]
    assert (data["office"], data["profile"], data["count"], data["valid"]) == (None, None, 7, 5)
    assert data["verdicts"] == {
        "valid": 4,
        "valid_check_digit_not_given": 1,
        "valid_check_digit_not_verified": 0,
        "error": 2,
        "no_st13_form": 0,
    }
    assert [r["st13"] for r in results] == [
        "100000110005859",
        "100000130005859",
        "102007000044889",
        None,
        "102004002575449",
        "912002US0003226",
        None,
    ]
    assert [r["profile"] for r in results] == ["us", "us", "de", "de", "ep", "wo", None]
    assert results[3]["errors"] == ["check digit 3 does not match: the de_dpma_mod11 check digit of 102007004488 is 9"]
    assert results[4]["verdict"] == "valid_check_digit_not_given" and results[4]["check_digit"] == "not_given"
    assert results[6]["reason"].startswith("there is no built-in numbering profile for MD")


def test_st13_with_a_profile_and_numbers_without_their_office(reference_data):
    data = parse(APIClient(), numbers=["10 2014 012 282.4"], profile="de").json()
    assert data["results"][0]["st13"] == "102014000122824"
    assert data["results"][0]["office_code"] == "DE"
    assert parse(APIClient(), numbers=["1"], profile="xx").status_code == 400


def test_st13_sentences_follow_the_language_of_the_request(reference_data):
    client = APIClient()
    french = parse(client, numbers=["DE 10 2007 004488.3"], HTTP_ACCEPT_LANGUAGE="fr").json()["results"][0]
    spanish = parse(client, numbers=["DE 10 2007 004488.3"], HTTP_ACCEPT_LANGUAGE="es").json()["results"][0]
    assert french["verdict"] == spanish["verdict"] == "error"  # codes stay as they are
    assert french["verdict_label"] == "erreur" and spanish["verdict_label"] == "error"
    assert "chiffre de contrôle 3" in french["errors"][0]
    assert "dígito de control 3" in spanish["errors"][0]


def test_st13_profiles_are_listed_with_their_sources(reference_data, django_assert_num_queries):
    with django_assert_num_queries(0):  # the profiles are part of the code, not of the database
        data = APIClient().get(url("st13/profiles/")).json()
    keys = {p["key"]: p for p in data}
    assert {"ep", "cn", "de", "us", "kr", "jp", "at", "wo"} <= set(keys)
    assert keys["de"]["sources"][0]["url"].startswith("http://www.dpma.de/")
    assert all(p["sources"] and p["examples"] for p in data)


def test_st13_refuses_bad_requests(reference_data):
    client = APIClient()
    both = parse(client, numbers=["1"], office="EP", answers=EPO_ANSWERS, response=1)
    assert both.json() == {
        "non_field_errors": [
            "Give one of: a response ID, answers describing the structure, or a profile (or none of them, to read "
            "each number with the profile of the office in front of it)."
        ]
    }
    assert parse(client, numbers=["1"], answers=EPO_ANSWERS).json() == {"office": ["Give the ST.3 code of the office."]}
    assert parse(client, numbers=["1"], office="ZZ", answers=EPO_ANSWERS).json() == {
        "office": ["No office has the ST.3 code 'ZZ'."]
    }
    assert parse(client, numbers=["1"], office="EP", answers={"q99": "x"}).json() == {
        "answers": ["Unknown question ID(s): q99."]
    }
    malformed = parse(client, numbers=["1"], office="EP", answers={**EPO_ANSWERS, "q4a": "sometimes"}).json()
    assert malformed == {"answers": {"q4a": ["Choose one of the listed options (got 'sometimes')."]}}
    assert parse(client, numbers=[], office="EP", answers=EPO_ANSWERS).status_code == 400
    assert parse(client, numbers=["EP 1", "  "], office="EP", answers=EPO_ANSWERS).json() == {
        "numbers": {"1": ["This field may not be blank."]}
    }
    too_many = parse(client, numbers=["EP 99403122.7"] * 10_001, office="EP", answers=EPO_ANSWERS)
    assert too_many.status_code == 413
    assert too_many.json() == {
        "detail": "You sent 10,001 numbers; at most 10,000 can be checked at once. "
        "Nothing was checked: split the list and check it in parts."
    }
    assert parse(client, numbers=["1"], office="EP", answers=EPO_ANSWERS, ipr_type="ships").status_code == 400


def test_st13_answers_that_do_not_apply_are_ignored_and_said_so(reference_data):
    answers = {**EPO_ANSWERS, "q4c": {"year": {"min": 1, "max": 2}}}
    data = parse(APIClient(), numbers=["EP 99403122.7"], office="EP", answers=answers).json()
    assert data["ignored_answers"] == ["q4c"]
    assert data["results"][0] == EPO_OK


def test_st13_ten_thousand_numbers(reference_data):
    numbers = [f"EP {n:08d}.0" for n in range(99_400_000, 99_410_000)]
    started = time.perf_counter()
    page = parse(APIClient(), numbers=numbers, office="EP", answers=EPO_ANSWERS)
    elapsed = time.perf_counter() - started
    assert page.status_code == 200
    data = page.json()
    assert data["count"] == 10_000
    assert data["valid"] + data["invalid"] == 10_000
    assert data["valid"] == sum(1 for r in data["results"] if r["ok"]) == 1000  # one number in ten ends in 0
    assert elapsed < 20, f"10,000 numbers took {elapsed:.1f} s"

"""The public ST.13 number checker at /st13/: form, results table, CSV, limits, scoping, speed."""

from __future__ import annotations

import csv
import io
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from standards.checkdigits import get as check_digit
from surveys.checker.views import CSV_COLUMNS
from surveys.demo import EPO_PATENTS

URL = "/st13/"

# The EPO structure described on the form: year 2 digits, serial 6, check digit after a dot.
EPO_FORM = {
    "source": "structure",
    "part_1": "year",
    "length_1": "2",
    "part_2": "serial",
    "length_2": "6",
    "part_3": "control",
    "length_3": "1",
    "year_digits": "2",
    "separators": ["dot"],
    "check_digit": "ep_mod10_w12",
    "control_position": "separate",
    "ipr_type": "patents",
}
# CNIPA: year 4, type 1, serial 7, check character after a dot (modulo 11).
CN_FORM = {
    "source": "structure",
    "part_1": "year",
    "length_1": "4",
    "part_2": "type",
    "length_2": "1",
    "part_3": "serial",
    "length_3": "7",
    "part_4": "control",
    "length_4": "1",
    "separators": ["dot"],
    "check_digit": "cn_mod11",
    "control_position": "separate",
    "type_code": "1",
    "ipr_type": "patents",
}
YEAR_ASSUMPTION = "year 99 read as 1999 (two-digit years 50–99 are taken as 19xx, 00–49 as 20xx)"


@pytest.fixture
def epo_published(office_b_respondent, make_response):
    return make_response(office_b_respondent, EPO_PATENTS, label="European patent applications", publish=True)


@pytest.fixture
def moldova_published(office_a_respondent, make_response, moldova_answers):
    return make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)


def post(client: Client, data: dict, **extra):
    return client.post(URL, data, **extra)


def table_rows(content: str) -> list[str]:
    body = content.split("<tbody>")[-1].split("</tbody>")[0]
    return [row.strip() for row in body.split("</tr>") if "<td" in row]


# --- the form -------------------------------------------------------------------------------


def test_url_name():
    assert reverse("toolkit:checker") == URL


def test_get_shows_the_empty_form_with_a_search_for_published_systems(
    client, epo_published, office_a_respondent, make_response
):
    make_response(office_a_respondent, label="Draft system")  # a draft is not public

    page = client.get(URL)

    assert page.status_code == 200
    content = page.content.decode()
    assert "Check application numbers" in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert 'name="numbers"' in content
    # No list of the published systems: a search field and its endpoint.
    assert 'name="system" id="id_system"' in content
    assert 'data-suggest-url="/st13/systems/"' in content
    assert '<input type="hidden" name="response" id="id_response">' in content
    assert "ep-001" not in content
    assert "Draft system" not in content
    assert "Results" not in content
    assert 'value="auto" id="id_source_0" required checked' in content


def test_a_link_to_a_published_system_names_it_in_the_search_field(client, epo_published):
    page = client.get(URL + f"?source=response&response={epo_published.pk}")

    content = page.content.decode()
    assert 'value="EP – European patent applications (ep-001, 2012)"' in content
    assert f'<input type="hidden" name="response" value="{epo_published.pk}" id="id_response">' in content


def test_get_query_prefills_the_form(client, reference_data):
    page = client.get(
        URL + "?source=structure&part_1=year&length_1=2&separators=dot&separators=slash&numbers=EP+99403122.7"
    )

    content = page.content.decode()
    assert ">\nEP 99403122.7</textarea>" in content
    assert "results-title" not in content  # pre-filled, not checked
    assert '<option value="year" selected>year</option>' in content
    assert 'name="length_1" value="2"' in content
    assert 'value="dot" id="id_separators_3" checked' in content
    assert 'value="slash" id="id_separators_0" checked' in content


def test_get_query_count_does_not_grow_with_published_systems(client, office_b_respondent, make_response):
    make_response(office_b_respondent, EPO_PATENTS, label="System 1", publish=True)
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    for i in range(2, 5):
        make_response(office_b_respondent, EPO_PATENTS, label=f"System {i}", publish=True)
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL)

    assert "EP – System" not in page.content.decode()
    assert len(one) == len(many) == 0  # the page reads no published system at all


# --- results ----------------------------------------------------------------------------------


def test_described_epo_structure_checks_the_acceptance_numbers(client, reference_data):
    page = post(client, {**EPO_FORM, "numbers": "EP 99403122.7\nEP 99403122.5\n"})

    assert page.status_code == 200
    content = page.content.decode()
    assert "<strong>1 valid, 1 with errors</strong>" in content
    assert "(2 numbers checked)" in content
    assert "Read against: year (2) + serial number (6) + check digit (1); separators “.”; check digit ep_mod10_w12" in (
        content
    )
    rows = table_rows(content)
    assert len(rows) == 2
    assert '<td class="mono">101999004031227<br><span class="muted">EP 10-1999-4031227</span></td>' in rows[0]
    assert '<td class="mono">EP 99403122.7</td><td class="mono">EP 99403122</td>' in rows[0]
    assert '<span class="verdict-label ok">Valid</span>' in rows[0]
    assert '<span class="part">serial <b>403122</b></span>' in rows[0]
    assert '<p class="err">check digit 5 does not match: the ep_mod10_w12 check digit of 99403122 is 7</p>' in rows[1]
    assert 'class="row-error"' in rows[1]


def test_described_cnipa_structure_with_its_type_code(client, reference_data):
    page = post(client, {**CN_FORM, "numbers": "CN 201710601862.3"})

    rows = table_rows(page.content.decode())
    # 2017 · type 1 · serial 0601862 · check 3: the check takes the last of the nine serial positions.
    assert '<td class="mono">102017006018623<br><span class="muted">CN 10-2017-6018623</span></td>' in rows[0]
    assert "type 10 taken from type code 1, which the office uses for patents for inventions" in rows[0]
    assert '<span class="verdict-label ok">Valid</span>' in rows[0]


def test_published_system_uses_its_office_and_asks_for_the_type(client, epo_published):
    numbers = "EP 99403122.7\n\n99403122.7"

    without_type = post(client, {"source": "response", "response": epo_published.pk, "numbers": numbers})
    with_type = post(
        client, {"source": "response", "response": epo_published.pk, "numbers": numbers, "ipr_type": "patents"}
    )

    first = without_type.content.decode()
    assert "<strong>0 valid, 2 with errors</strong>" in first
    assert (
        "the number does not show the type of IPR and the system covers several (patents for inventions, patent "
        "applications from PCT applications (national phase)): choose one" in first
    )
    second = with_type.content.decode()
    assert "<strong>2 valid, 0 with errors</strong>" in second
    rows = table_rows(second)
    # Line numbers are those of the pasted text (line 2 was blank).
    assert rows[1].startswith('<tr><td class="num">3</td><td class="mono">99403122.7</td>')
    assert '<td class="mono">EP 99403122.7</td>' in rows[1]  # the office comes from the response
    assert "Read against: EP – European patent applications (ep-001): year (2) + serial number (6)" in second
    # Shared assumptions are stated once, above the table.
    assert second.count(YEAR_ASSUMPTION) == 1
    assert "<ul><li>type 10 taken from the IPR type given: patents for inventions</li><li>" + YEAR_ASSUMPTION in second


def test_moldova_numbers_are_valid_with_their_type_marked_unknown(client, moldova_published):
    page = post(client, {"source": "response", "response": moldova_published.pk, "numbers": "030812"})

    content = page.content.decode()
    assert "<strong>1 valid, 0 with errors</strong>" in content
    assert "type unknown (??): ST.13 (b) leaves the code for trademarks to each office" in content


def test_errors_only_filters_the_table(client, reference_data):
    page = post(client, {**EPO_FORM, "numbers": "EP 99403122.7\nEP 99403122.5", "errors_only": "on"})

    content = page.content.decode()
    assert "<strong>1 valid, 1 with errors</strong>" in content
    assert "Only the 1 number with errors is shown." in content
    assert len(table_rows(content)) == 1


def test_input_is_escaped(client, reference_data):
    page = post(client, {**EPO_FORM, "numbers": "<script>alert(1)</script>"})

    content = page.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_download_of_the_same_table(client, reference_data):
    page = post(client, {**EPO_FORM, "numbers": "EP 99403122.7\nEP 99403122.5", "download": "1"})

    assert page.status_code == 200
    assert page["Content-Type"] == "text/csv; charset=utf-8"
    assert page["Content-Disposition"] == 'attachment; filename="st13-check.csv"'
    raw = page.getvalue()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [
        list(CSV_COLUMNS),
        [
            "1",
            "EP 99403122.7",
            "EP",
            "",
            "year=99 serial=403122 control=7",
            "101999004031227",
            "EP 10-1999-4031227",
            "",
            "EP 99403122.7",
            "EP 99403122",
            "yes",
            "valid",
            "verified",
            "",
            "",
            f"type 10 taken from the IPR type given: patents for inventions; {YEAR_ASSUMPTION}",
        ],
        [
            "2",
            "EP 99403122.5",
            "EP",
            "",
            "year=99 serial=403122 control=5",
            "",
            "",
            "",
            "",
            "",
            "no",
            "error",
            "wrong",
            "check digit 5 does not match: the ep_mod10_w12 check digit of 99403122 is 7",
            "check digit 5 does not match: the ep_mod10_w12 check digit of 99403122 is 7",
            "",
        ],
    ]


def test_csv_download_respects_errors_only(client, reference_data):
    page = post(client, {**EPO_FORM, "numbers": "EP 99403122.7\nEP 99403122.5", "errors_only": "on", "download": "1"})

    rows = list(csv.reader(io.StringIO(page.getvalue().decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == ["EP 99403122.5"]


# --- limits and form errors ----------------------------------------------------------------------


def test_more_than_10000_numbers_is_refused_and_nothing_is_checked(client, reference_data):
    numbers = "\n".join(["EP 99403122.7"] * 10_001)

    page = post(client, {**EPO_FORM, "numbers": numbers})

    assert page.status_code == 413
    content = page.content.decode()
    assert (
        "You sent 10,001 numbers; at most 10,000 can be checked at once. "
        "Nothing was checked: split the list and check it in parts."
    ) in content
    assert "results-title" not in content
    download = post(client, {**EPO_FORM, "numbers": numbers, "download": "1"})
    assert download.status_code == 413
    assert download["Content-Type"].startswith("text/html")


def test_blank_lines_do_not_count_towards_the_limit(client, reference_data):
    numbers = "\n\n".join(["EP 99403122.7"] * 10_000)

    page = post(client, {**EPO_FORM, "numbers": numbers, "errors_only": "on"})

    assert page.status_code == 200
    assert "<strong>10,000 valid, 0 with errors</strong>" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"numbers": "   \n"}, "Paste at least one application number."),
        ({"length_4": "3"}, "Choose the part this length is for."),
        ({"part_4": "year", "length_4": "2"}, "The year is already listed."),
        ({"length_2": "six"}, "Give the number of characters, e.g. 6, or a range, e.g. 1-7."),
        ({"length_2": "7-3"}, "The length must be at least 1, minimum first."),
        ({"length_2": ""}, "How many characters does the serial number have?"),
        ({"year_digits": "4"}, "The year part has 2 characters but 4 digits are chosen."),
        ({"part_3": "", "length_3": ""}, "Add a check-digit part to the number, or choose no check digit."),
        ({"control_position": ""}, "Say where the check digit is."),
        ({"type_code": "1"}, "Add a type-code part, or leave the type code empty."),
        ({"office": "ZZ"}, "“ZZ” is not an ST.3 office code."),
    ],
)
def test_form_errors(client, reference_data, data, message):
    page = post(client, {**EPO_FORM, "numbers": "EP 99403122.7", **data})

    assert page.status_code == 400
    content = page.content.decode()
    assert "Nothing was checked: please correct the form" in content
    assert message in content
    assert "results-title" not in content


def test_a_draft_cannot_be_chosen(client, office_a_respondent, make_response, moldova_answers):
    draft = make_response(office_a_respondent, moldova_answers, label="Trademarks")

    page = post(client, {"source": "response", "response": draft.pk, "numbers": "030812"})

    assert page.status_code == 400
    content = page.content.decode()
    assert f"No published numbering system has the ID {draft.pk}: search for it by office or name." in content
    assert '<a href="#id_system">Office and numbering system:' in content


def test_published_system_checks_office_and_type(client, epo_published):
    base = {"source": "response", "response": epo_published.pk, "numbers": "99403122.7"}

    other_office = post(client, {**base, "office": "md"})
    not_covered = post(client, {**base, "ipr_type": "trademarks"})
    no_choice = post(client, {**base, "response": ""})

    assert "“European patent applications” is a numbering system of EP, not of MD." in other_office.content.decode()
    assert (
        "This numbering system does not number trademarks (it numbers: patents for inventions, "
        "patent applications from pct applications (national phase))."
    ) in not_covered.content.decode()
    assert "Choose a numbering system." in no_choice.content.decode()


def test_csrf_is_enforced(reference_data):
    client = Client(enforce_csrf_checks=True)

    page = client.post(URL, {**EPO_FORM, "numbers": "EP 99403122.7"})

    assert page.status_code == 403


def test_only_get_and_post(client, reference_data):
    assert client.put(URL).status_code == 405


# --- speed and queries ----------------------------------------------------------------------------


def _epo_numbers(n: int) -> list[str]:
    algorithm = check_digit("ep_mod10_w12")
    numbers = []
    for i in range(n):
        digits = f"{99000000 + i * 37:08d}"
        numbers.append(f"EP {digits}.{algorithm.compute(digits)}")
    return numbers


def test_post_query_count_does_not_grow_with_numbers(client, epo_published):
    base = {"source": "response", "response": epo_published.pk, "ipr_type": "patents", "office": "EP"}
    with CaptureQueriesContext(connection) as one:
        post(client, {**base, "numbers": "EP 99403122.7"})
    with CaptureQueriesContext(connection) as many:
        page = post(client, {**base, "numbers": "\n".join(_epo_numbers(500))})

    assert "<strong>500 valid, 0 with errors</strong>" in page.content.decode()
    assert len(one) == len(many)
    # The chosen published system, the office; besides, the count of checks per client kept
    # in the cache table.
    assert len([q for q in many if "wipostad_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]) == 2


def test_ten_thousand_numbers_end_to_end(client, reference_data):
    numbers = _epo_numbers(10_000)
    numbers[17] = "EP 99403122.5"
    numbers[9_000] = "EP 9940312.7"
    data = {**EPO_FORM, "numbers": "\n".join(numbers)}

    start = time.perf_counter()
    page = post(client, data)
    html_seconds = time.perf_counter() - start
    start = time.perf_counter()
    download = post(client, {**data, "download": "1"})
    downloaded = download.getvalue()  # streamed: the rows are written as they are read
    csv_seconds = time.perf_counter() - start

    content = page.content.decode()
    assert '<strong>9,998 valid, 2 with errors</strong> <span class="muted">(10,000 numbers checked)</span>' in content
    assert len(table_rows(content)) == 10_000
    assert downloaded.decode("utf-8-sig").count("\r\n") == 10_001
    print(f"\n10,000 numbers through the view: HTML {html_seconds:.2f} s, CSV {csv_seconds:.2f} s")
    # Generous bounds (the machine is shared); measured figures are printed above.
    assert html_seconds < 10
    assert csv_seconds < 10


# --- documented offices: the office from the number, built-in profiles -------------------


REAL_MIX = "\n".join(
    [
        "EP 13748138.8",  # EPO, Euro-PCT range
        "DE 10 2007 004 488.9",  # BPatG 15 W (pat) 33/08: DPMA presentation, spaces group the serial
        "DE 10 2007 004488.3",  # the same with a wrong check digit
        "US 14/870,744",  # USPTO presentation, thousands comma
        "CN201710601862",  # database form without the check character
        "PCT/US02/03226",  # PCT, form used until 2003
        "99403122.7",  # no office code
    ]
)


def test_automatic_reading_takes_the_office_from_each_number(client, reference_data):
    page = post(client, {"source": "auto", "numbers": REAL_MIX})

    assert page.status_code == 200
    content = page.content.decode()
    assert "<strong>5 valid, 2 with errors</strong>" in content
    assert "<li>4 valid</li><li>1 valid, check digit not given</li><li>2 with errors</li>" in content
    rows = table_rows(content)
    assert "102013007481388" in rows[0]
    assert "102007000044889" in rows[1]
    assert "check digit 3 does not match: the de_dpma_mod11 check digit of 102007004488 is 9" in rows[2]
    assert "100000140870744" in rows[3]
    assert '<span class="verdict-label ok partly">Valid, check digit not given</span>' in rows[4]
    assert "912002US0003226" in rows[5]
    assert "no office: start the number with its ST.3 code" in rows[6]
    # The results come into view: the form posts to the results' anchor, which takes the focus.
    assert 'action="/st13/#results"' in content
    assert '<section class="results" id="results" tabindex="-1"' in content


def test_a_documented_profile_names_its_sources(client, reference_data):
    page = post(client, {"source": "profile", "profile": "de", "numbers": "10 2014 012 282.4"})

    content = page.content.decode()
    assert "<strong>1 valid, 0 with errors</strong>" in content
    assert "DE – Germany (DPMA) – file numbers since 2004" in content
    assert 'href="http://www.dpma.de/service/veroeffentlichungen/mitteilungen/2003/mdp_nr03_2003.html"' in content
    assert "102014000122824" in table_rows(content)[0]


def test_a_profile_must_be_chosen(client, reference_data):
    page = post(client, {"source": "profile", "numbers": "10 2014 012 282.4"})
    assert page.status_code == 400
    assert "Choose a numbering system." in page.content.decode()


@pytest.mark.parametrize(
    ("language", "valid", "wrong_digit", "partial"),
    [
        ("fr", "Valide", "chiffre de contrôle 3", "Valide"),
        ("es", "Válido", "dígito de control 3", "Válido"),
    ],
)
def test_verdicts_and_reasons_in_french_and_spanish(client, reference_data, language, valid, wrong_digit, partial):
    client.cookies["django_language"] = language
    numbers = "DE 10 2007 004 488.9\nDE 10 2007 004488.3\nUS 29/149,571"
    page = post(client, {"source": "auto", "numbers": numbers})

    content = page.content.decode()
    rows = table_rows(content)
    assert f'<span class="verdict-label ok">{valid}</span>' in rows[0]
    assert wrong_digit in rows[1]
    assert "102007004488" in rows[1] and "9" in rows[1]
    assert "??0000290149571" in rows[2]
    # No English sentence from the number reader is left in the table.
    assert "does not match" not in content and "taken from" not in content and "type unknown" not in content

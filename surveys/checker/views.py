"""The public ST.13 number checker: pasted application numbers read against a numbering
structure (a published response's, or one described on the spot), as a table and as CSV."""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from standards import profiles
from standards.numbers import CheckDigit, ParsedNumber, Verdict, parse_numbers
from standards.structure import NumberingStructure
from standards.translation import localize
from surveys.checker import limits
from surveys.checker.forms import PART_NAMES, SYSTEM_SEARCH_MAX, TOO_MUCH, CheckerForm, system_label
from surveys.responses import selectors
from surveys.table_files import csv_download

CSV_COLUMNS = (
    "line",
    "input",
    "office",
    "profile",
    "parts",
    "st13",
    "st13_display",
    "st13_partial",
    "presentation",
    "priority",
    "valid",
    "verdict",
    "check_digit",
    "reason",
    "errors",
    "assumptions",
)
# A described structure to start from: the EPO's (year, serial, check digit after a dot).
EXAMPLE_QUERY = (
    "source=structure&part_1=year&length_1=2&part_2=serial&length_2=6&part_3=control&length_3=1"
    "&year_digits=2&separators=dot&check_digit=ep_mod10_w12&control_position=separate&ipr_type=patents&office=EP"
)


@dataclass
class Row:
    line: int
    number: ParsedNumber
    assumptions: tuple[str, ...]  # without those every valid number shares (listed once)


@dataclass
class Check:
    structure: str
    rows: list[Row]
    total: int
    counts: dict[Verdict, int]
    common_assumptions: tuple[str, ...] = ()
    shown: int = 0
    sources: list[profiles.Source] | None = None

    @property
    def valid(self) -> int:
        return sum(
            n for verdict, n in self.counts.items() if verdict != Verdict.ERROR and verdict != Verdict.NO_ST13_FORM
        )

    @property
    def invalid(self) -> int:
        return self.total - self.valid

    @property
    def summary(self) -> str:
        # "valid" agrees with its number in French and Spanish; "with errors" stays plural.
        return ngettext(
            "%(valid)s valid, %(invalid)s with errors", "%(valid)s valid, %(invalid)s with errors", self.valid
        ) % {
            "valid": _count(self.valid),
            "invalid": _count(self.invalid),
        }

    @property
    def breakdown(self) -> list[str]:
        """How many numbers got each verdict, in the reader's language, leaving out zeros."""
        sentences = {
            Verdict.VALID: lambda n: ngettext("%(n)s valid", "%(n)s valid", n),
            Verdict.VALID_CHECK_DIGIT_NOT_GIVEN: lambda n: ngettext(
                "%(n)s valid, check digit not given", "%(n)s valid, check digit not given", n
            ),
            Verdict.VALID_CHECK_DIGIT_NOT_VERIFIED: lambda n: ngettext(
                "%(n)s valid, check digit not verified", "%(n)s valid, check digit not verified", n
            ),
            Verdict.NO_ST13_FORM: lambda n: ngettext("%(n)s without an ST.13 form", "%(n)s without an ST.13 form", n),
            Verdict.ERROR: lambda n: ngettext("%(n)s with an error", "%(n)s with errors", n),
        }
        return [
            sentence(self.counts[verdict]) % {"n": _count(self.counts[verdict])}
            for verdict, sentence in sentences.items()
            if self.counts.get(verdict)
        ]

    @property
    def total_text(self) -> str:
        return ngettext("%(n)s number checked", "%(n)s numbers checked", self.total) % {"n": _count(self.total)}

    @property
    def filtered(self) -> bool:
        return self.shown != self.total

    @property
    def shown_text(self) -> str:
        return ngettext(
            "Only the %(n)s number with errors is shown.", "Only the %(n)s numbers with errors are shown.", self.shown
        ) % {"n": _count(self.shown)}


def _count(n: int) -> str:
    # 10,000 in English, 10 000 in French, 10.000 in Spanish.
    return number_format(n, force_grouping=True)


def describe(structure: NumberingStructure) -> str:
    """One line on the structure the numbers are read against, e.g. "year (2) + serial number (6)…"."""
    pieces = []
    for part in structure.order or structure.parts or ():
        if structure.lengths and part in structure.lengths:
            size = str(structure.lengths[part])
        elif structure.length_ranges and part in structure.length_ranges:
            lo, hi = structure.length_ranges[part]
            size = str(lo) if lo == hi else f"{lo}–{hi}"
        else:
            size = "?"
        pieces.append(f"{PART_NAMES.get(part, part)} ({size})")
    text = " + ".join(pieces) or _("parts not known")
    if structure.separators:
        shown = " ".join(_("space") if c == " " else f"“{c}”" for c in structure.separators)
        text += _("; separators %(separators)s") % {"separators": shown}
    elif structure.separators == ():
        text += _("; no separators")
    if structure.check_digit:
        text += _("; check digit %(method)s") % {"method": structure.check_digit}
    return text


# Short part names for the results table, where space is tight.
SHORT_PART_NAMES = {
    "type": gettext_lazy("type"),
    "year": gettext_lazy("year"),
    "serial": gettext_lazy("serial"),
    "internal": gettext_lazy("internal"),
    "control": gettext_lazy("check"),
}


def _parts_html(number: ParsedNumber) -> str:
    # One unbreakable chip per part: the cell wraps between parts, never inside one.
    return " ".join(
        f'<span class="part">{html.escape(str(SHORT_PART_NAMES.get(code, code)))} <b>{html.escape(value)}</b></span>'
        for code, value in number.parts
    )


def _parse(form: CheckerForm, texts: list[str]) -> tuple[list[ParsedNumber], str, list[profiles.Source] | None]:
    """The numbers read as the form says, a line on what they were read against, and the
    sources of a built-in profile."""
    source = form.cleaned_data["source"]
    ipr_type = form.cleaned_data.get("ipr_type") or None
    office = form.office_code()
    if source == "auto":
        parsed = profiles.parse_auto_many(
            texts, office_code=office, ipr_type=ipr_type, limit=settings.WIPOSTAD_CHECKER_MAX_NUMBERS
        )
        return (
            parsed,
            _("the built-in numbering profile of the office whose ST.3 code stands in front of each number"),
            None,
        )
    profile = form.chosen_profile()
    limit = settings.WIPOSTAD_CHECKER_MAX_NUMBERS
    if profile is not None:
        parsed = profiles.parse_profile_many(texts, profile, office_code=office, ipr_type=ipr_type, limit=limit)
        return parsed, f"{profile.office} – {localize(profile.name)}", list(profile.sources)
    structure = form.structure()
    parsed = parse_numbers(texts, structure, office_code=office, ipr_type=ipr_type, limit=limit)
    response = form.cleaned_data.get("response") if source == "response" else None
    label = f"{response.office_id} – {response.numbering_system.label} ({response.public_key}): " if response else ""
    return parsed, label + describe(structure), None


def run_check(form: CheckerForm) -> Check:
    """Parse the form's numbers against its structure; the rows to show (all, or those with errors)."""
    lines = form.cleaned_data["numbers"]
    parsed, read_against, sources = _parse(form, [text for _, text in lines])
    # What every valid number assumed is said once, above the table, rather than 10,000
    # times; a number with errors keeps all of its own (it may not have got that far).
    valid = [n for n in parsed if n.ok]
    common: tuple[str, ...] = ()
    if len(valid) > 1:
        shared = set(valid[0].assumptions)
        for number in valid[1:]:
            shared &= set(number.assumptions)
            if not shared:
                break
        common = tuple(a for a in valid[0].assumptions if a in shared)
    only_errors = form.cleaned_data.get("errors_only")
    rows = [
        Row(
            line=line,
            number=number,
            assumptions=number.assumptions
            if number.errors
            else tuple(a for a in number.assumptions if a not in common),
        )
        for (line, _), number in zip(lines, parsed, strict=True)
        if not only_errors or not number.ok
    ]
    counts: dict[Verdict, int] = {}
    for number in parsed:
        counts[number.verdict] = counts.get(number.verdict, 0) + 1
    return Check(
        structure=read_against,
        rows=rows,
        total=len(parsed),
        counts=counts,
        common_assumptions=tuple(localize(a) for a in common),
        shown=len(rows),
        sources=sources,
    )


def _cell(text: str | None, *, mono: bool = False) -> str:
    value = html.escape(text) if text else "—"
    return f'<td class="mono">{value}</td>' if mono else f"<td>{value}</td>"


def _paragraphs(items: tuple[str, ...], css: str) -> str:
    return "".join(f'<p class="{css}">{html.escape(localize(item))}</p>' for item in items)


_VERDICT_CSS = {
    Verdict.VALID: "ok",
    Verdict.VALID_CHECK_DIGIT_NOT_GIVEN: "ok partly",
    Verdict.VALID_CHECK_DIGIT_NOT_VERIFIED: "ok partly",
    Verdict.NO_ST13_FORM: "no-form",
    Verdict.ERROR: "err",
}


def _verdict_html(n: ParsedNumber) -> str:
    label = html.escape(capfirst(localize(n.verdict_label)))
    out = f'<span class="verdict-label {_VERDICT_CSS[n.verdict]}">{label}</span>'
    if n.errors:
        out += _paragraphs(n.errors, "err")
    elif n.check_note is not None and n.check_digit != CheckDigit.VERIFIED:
        out += _paragraphs((n.check_note,), "note")
    elif n.check_note is not None:
        out += _paragraphs((n.check_note,), "assumption")
    return out


def _st13_html(n: ParsedNumber) -> str:
    if n.st13:
        shown = html.escape(n.st13)
        if n.st13_display:
            shown += f'<br><span class="muted">{html.escape(n.st13_display)}</span>'
        return shown
    if n.st13_partial:
        note = html.escape(_("?: not known, see the assumptions"))
        return f'{html.escape(n.st13_partial)}<br><span class="muted">{note}</span>'
    return "—"


def table_body(rows: list[Row]) -> SafeString:
    """The rows of the results table. Built here rather than in the template: for 10,000
    numbers the template engine takes about a second, escaping with the standard library a
    few hundredths; every value is escaped (html.escape also quotes ' and ")."""
    out = []
    for row in rows:
        n = row.number
        out.append(
            ("<tr>" if n.ok else '<tr class="row-error">')
            + f'<td class="num">{row.line}</td>'
            + _cell(n.input, mono=True)
            + f'<td class="result">{_verdict_html(n)}</td>'
            + f'<td class="mono">{_st13_html(n)}</td>'
            + _cell(n.office_display, mono=True)
            + _cell(n.priority, mono=True)
            + f'<td class="parts">{_parts_html(n) or "—"}</td>'
            + f'<td class="assumptions">{_paragraphs(row.assumptions, "assumption")}</td>'
            + "</tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 — every value above is escaped


def csv_rows(check: Check) -> Iterator[list[str | int]]:
    yield list(CSV_COLUMNS)
    for row in check.rows:
        n = row.number
        yield [
            row.line,
            n.input,
            n.office_code or "",
            n.profile or "",
            " ".join(f"{code}={value}" for code, value in n.parts),
            n.st13 or "",
            n.st13_display or "",
            n.st13_partial or "",
            n.office_display or "",
            n.priority or "",
            "yes" if n.ok else "no",
            str(n.verdict),
            str(n.check_digit),
            localize(n.reason) if n.reason is not None else "",
            "; ".join(localize(e) for e in n.errors),
            "; ".join(localize(a) for a in n.assumptions),
        ]


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """A short page with the refusal: what was sent was not read."""
    return render(request, "surveys/checker/refused.html", {"refusal": message}, status=status)


@require_http_methods(["GET", "POST"])
def checker(request: HttpRequest) -> HttpResponse:
    context: dict = {"example_query": EXAMPLE_QUERY, "profile_offices": profiles.offices()}
    if request.method != "POST":
        # GET parameters only pre-fill the form (e.g. a link to a numbering system); nothing
        # is checked until the form is sent.
        initial = {k: (v if k == "separators" else v[-1]) for k, v in request.GET.lists()}
        return render(request, "surveys/checker/checker.html", {**context, "form": CheckerForm(initial=initial)})
    # Refusals first, before the body is read.
    throttle = limits.CheckerThrottle()
    if not throttle.allow_request(request, None):
        refused = _refused(request, limits.throttled_message(), 429)
        refused["Retry-After"] = str(limits.retry_after(throttle))
        return refused
    too_large = limits.too_large(request)
    if too_large is not None:
        return _refused(request, too_large, 413)
    form = context["form"] = CheckerForm(request.POST)
    if not form.is_valid():
        # Too many numbers: the form again, with the list, to be split.
        status = 413 if form.has_error("numbers", TOO_MUCH) else 400
        return render(request, "surveys/checker/checker.html", context, status=status)
    check = run_check(form)
    if "download" in request.POST:
        return csv_download(csv_rows(check), "st13-check.csv")
    context["check"] = check
    context["table_body"] = table_body(check.rows)
    return render(request, "surveys/checker/checker.html", context)


class SystemSearchThrottle(limits.CheckerThrottle):
    """Searches for a published numbering system by one anonymous client: the checker's
    rate (``WIPOSTAD_CHECKER_RATE``), counted apart from the checks themselves so that
    choosing a system does not use up the checks."""

    scope = "st13_system_search"


def _system_suggestion(response) -> dict:
    return {
        "id": response.pk,
        "label": system_label(response),
        "office": response.office_id,
        "office_name": response.office.local_name,
        "system": response.numbering_system.label,
        "key": response.public_key,
        "year": response.round.year,
    }


@require_http_methods(["GET"])
def system_search(request: HttpRequest) -> JsonResponse:
    """Published numbering systems whose office (ST.3 code, or part of its name) or name
    matches ``q``: at most ``selectors.SYSTEM_SUGGESTIONS``, for the checker's search field."""
    throttle = SystemSearchThrottle()
    if not throttle.allow_request(request, None):
        refused = JsonResponse({"detail": limits.throttled_message()}, status=429)
        refused["Retry-After"] = str(limits.retry_after(throttle))
        return refused
    text = request.GET.get("q", "").strip()
    if len(text) > SYSTEM_SEARCH_MAX:
        message = _("Type at most %(limit)s characters.") % {"limit": SYSTEM_SEARCH_MAX}
        return JsonResponse({"detail": message}, status=400)
    found = selectors.search_published_systems(text, limit=selectors.SYSTEM_SUGGESTIONS + 1)
    return JsonResponse(
        {
            "results": [_system_suggestion(r) for r in found[: selectors.SYSTEM_SUGGESTIONS]],
            # More match than are sent: the page asks for more of the name.
            "more": len(found) > selectors.SYSTEM_SUGGESTIONS,
        }
    )

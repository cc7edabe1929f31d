"""The ST.13 number checker's form: which numbering structure, which numbers.

A structure comes either from a published response (its stored answers) or from a short
description, which is turned into answers to questions q1a–q11c exactly as a response
would store them, so that ``standards.structure.structure_from_answers`` reads both the
same way.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from standards import checkdigits, profiles
from standards.models import Office
from standards.profiles import Profile
from standards.structure import SEPARATOR_CHARACTERS, NumberingStructure, answers_describing, structure_from_answers
from standards.translation import localize
from surveys.checker import limits
from surveys.models import SurveyResponse
from surveys.questionnaire.edition import tr
from surveys.questionnaire.loading import bundled_numbering_edition
from surveys.responses import selectors

PART_ROWS = 6
_LENGTH = re.compile(r"^\s*(\d{1,2})\s*(?:[-–]\s*(\d{1,2})\s*)?$")

# The error code of a request that asks for more work than one request may (answered 413).
TOO_MUCH = "too_much"


def _edition_choices(question_id: str) -> tuple[tuple[str, str], ...]:
    """(code, label) of a question of the 2012 edition, worded as the questionnaire words
    them in the reader's language."""
    language = get_language() or "en"
    question = bundled_numbering_edition().by_id[question_id]
    return tuple((choice.code, tr(choice.label, language)) for choice in question.choices)


# Short names for the parts: the q2a codes people see in the form and the results.
PART_NAMES = {
    "type": gettext_lazy("type code"),
    "year": gettext_lazy("year"),
    "serial": gettext_lazy("serial number"),
    "internal": gettext_lazy("code for internal use"),
    "control": gettext_lazy("check digit"),
    "other": gettext_lazy("other part"),
}
SEPARATOR_NAMES = {
    "slash": gettext_lazy("slash “/”"),
    "hyphen": gettext_lazy("hyphen “-”"),
    "space": gettext_lazy("space"),
    "dot": gettext_lazy("dot “.”"),
    "comma": gettext_lazy("comma “,”"),
}


def system_label(response: SurveyResponse) -> str:
    """A published numbering system as the checker names it: "EP – European patent
    applications (ep-001, 2012)"."""
    return f"{response.office_id} – {response.numbering_system.label} ({response.public_key}, {response.round.year})"


class PublishedResponseField(forms.ModelChoiceField):
    """The ID of a published response, as the search's suggestions (or a link) give it:
    looked up alone, the published responses are never listed."""

    widget = forms.HiddenInput

    def label_from_instance(self, obj: SurveyResponse) -> str:
        return system_label(obj)


# The longest text the search for a published numbering system reads.
SYSTEM_SEARCH_MAX = 100


def numbered_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of the non-blank lines people pasted."""
    return [(i, line) for i, line in enumerate(text.splitlines(), start=1) if line.strip()]


def profile_choices() -> list[tuple[str, str]]:
    """(key, "DE – Germany (DPMA) – …") of the built-in profiles, in the reader's language."""
    return [(p.key, f"{p.office} – {localize(p.name)}") for p in profiles.PROFILES]


def described_answers(data: dict[str, Any], parts: list[str], lengths: dict[str, tuple[int, int]]) -> dict[str, Any]:
    """A structure described on the checker, as the answers to q1a-q11c a response would
    store (checked consistent by the form)."""
    ipr_type = data.get("ipr_type")
    code = (data.get("type_code") or "").strip()
    return answers_describing(
        parts=parts,
        lengths=lengths,
        separators=[c for c in SEPARATOR_CHARACTERS if c in (data.get("separators") or ())],
        ipr_types=[ipr_type] if ipr_type else [],
        check_digit=data.get("check_digit") or None,
        check_position=data.get("control_position") or None,
        type_codes={ipr_type: code} if code else None,
        type_codes_st13=bool(data.get("type_codes_st13")),
    )


class CheckerForm(forms.Form):
    source = forms.ChoiceField(
        label=gettext_lazy("Numbering system"),
        choices=[
            ("auto", gettext_lazy("From the ST.3 code in front of each number")),
            ("profile", gettext_lazy("A documented numbering system")),
            ("response", gettext_lazy("A published numbering system")),
            ("structure", gettext_lazy("A structure I describe")),
        ],
        initial="auto",
        widget=forms.RadioSelect,
    )
    profile = forms.ChoiceField(
        label=gettext_lazy("Documented numbering system"),
        required=False,
        help_text=gettext_lazy(
            "Built-in profiles of offices whose numbering is documented in public sources (each names its sources)."
        ),
    )
    system = forms.CharField(
        label=gettext_lazy("Office and numbering system"),
        max_length=SYSTEM_SEARCH_MAX,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "long"}),
        help_text=gettext_lazy(
            "Responses published by the International Bureau: type the office's ST.3 code (e.g. EP) or part of "
            "its name or of the system's name, then choose the system."
        ),
    )
    response = PublishedResponseField(
        label=gettext_lazy("Published response"),
        queryset=SurveyResponse.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "No published numbering system has the ID %(value)s: search for it by office or name."
            )
        },
    )
    year_digits = forms.ChoiceField(
        label=gettext_lazy("Digits of the year"),
        choices=[("", "—"), ("2", gettext_lazy("2 digits")), ("4", gettext_lazy("4 digits"))],
        required=False,
    )
    separators = forms.MultipleChoiceField(
        label=gettext_lazy("Separators between the parts"),
        choices=list(SEPARATOR_NAMES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: the number is written without separators."),
    )
    check_digit = forms.ChoiceField(label=gettext_lazy("Check digit computed by"), required=False)
    control_position = forms.ChoiceField(
        label=gettext_lazy("Position of the check digit"),
        choices=[
            ("separate", gettext_lazy("After the number, set apart (e.g. “.7”)")),
            ("serial_last", gettext_lazy("Last position of the serial number (ST.13 (f))")),
        ],
        initial="separate",
        required=False,
        widget=forms.RadioSelect,
    )
    type_codes_st13 = forms.BooleanField(
        label=gettext_lazy(
            "The type code is already an ST.13 code (10 patents, 11 PCT national phase, 20 utility models …)"
        ),
        required=False,
    )
    type_code = forms.CharField(
        label=gettext_lazy("Type code written for the type of IPR below"),
        max_length=9,
        required=False,
        widget=forms.TextInput(attrs={"class": "short"}),
        help_text=gettext_lazy("E.g. 1 for CNIPA invention patents; it maps to the ST.13 type of that IPR (q5b)."),
    )
    numbers = forms.CharField(
        label=gettext_lazy("Application numbers, one per line"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Paste at least one application number.")},
    )
    office = forms.CharField(
        label=gettext_lazy("ST.3 office code"),
        max_length=2,
        required=False,
        widget=forms.TextInput(attrs={"class": "short", "autocapitalize": "characters"}),
        help_text=gettext_lazy("Optional: the office the numbers belong to, when they are written without it."),
    )
    ipr_type = forms.ChoiceField(
        label=gettext_lazy("Type of IPR"),
        required=False,
        help_text=gettext_lazy(
            "Needed when the system numbers several types of IPR and the number does not show which."
        ),
    )
    errors_only = forms.BooleanField(
        label=gettext_lazy("Show (and download) only the numbers with errors"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["response"].queryset = selectors.published_systems()
        # Published systems matching the typed text when it names more than one (shown to choose from).
        self.system_matches: list[SurveyResponse] = []
        if not self.is_bound and self.initial.get("response") and not self.initial.get("system"):
            # A link to a numbering system (?source=response&response=ID): its name in the search field.
            chosen = self._published(self.initial["response"])
            self.initial["system"] = system_label(chosen) if chosen is not None else ""
        self.fields["profile"].choices = [("", _("Choose a numbering system…")), *profile_choices()]
        self.fields["numbers"].help_text = _(
            "As the office writes them, with or without the ST.3 code in front. At most %(limit)s."
        ) % {"limit": number_format(settings.WIPOSTAD_CHECKER_MAX_NUMBERS, force_grouping=True)}
        self.fields["check_digit"].choices = [
            ("", _("No check digit, or not verified")),
            *((code, localize(name)) for code, name in checkdigits.choices()),
            ("other", _("Another method (not verified)")),
        ]
        self.fields["ipr_type"].choices = [("", "—"), *_edition_choices("q1a")]
        parts = [("", "—"), *((code, PART_NAMES[code]) for code, _ in _edition_choices("q2a"))]
        for i in range(1, PART_ROWS + 1):
            self.fields[f"part_{i}"] = forms.ChoiceField(
                label=_("Part %(number)s") % {"number": i}, choices=parts, required=False
            )
            self.fields[f"length_{i}"] = forms.CharField(
                label=_("Characters of part %(number)s") % {"number": i},
                max_length=7,
                required=False,
                widget=forms.TextInput(attrs={"class": "short", "inputmode": "numeric", "placeholder": _("e.g. 6")}),
            )

    @property
    def part_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(i, self[f"part_{i}"], self[f"length_{i}"]) for i in range(1, PART_ROWS + 1)]

    # -- cleaning --------------------------------------------------------------------

    def clean_numbers(self) -> list[tuple[int, str]]:
        lines = numbered_lines(self.cleaned_data["numbers"])
        if not lines:
            raise ValidationError(_("Paste at least one application number."), code="empty")
        refusal = limits.too_much([text for _, text in lines])
        if refusal is not None:
            raise ValidationError(refusal, code=TOO_MUCH)
        return lines

    def clean_office(self) -> Office | None:
        code = self.cleaned_data["office"].strip().upper()
        if not code:
            return None
        office = Office.objects.filter(pk=code).first()
        if office is None:
            raise ValidationError(_("“%(code)s” is not an ST.3 office code.") % {"code": code}, code="unknown_office")
        return office

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("source") == "response":
            self._clean_response(data)
        elif data.get("source") == "structure":
            data["answers"] = self._answers(data)
        elif data.get("source") == "profile":
            self._clean_profile(data)
        return data

    def _clean_profile(self, data: dict[str, Any]) -> None:
        key = data.get("profile")
        if not key:
            self.add_error("profile", ValidationError(_("Choose a numbering system."), code="required"))
            return
        profile = profiles.by_key(key)
        office = data.get("office")
        if office is not None and profile.office != "WO" and office.pk != profile.office:
            self.add_error(
                "office",
                ValidationError(
                    _("“%(label)s” is a numbering system of %(owner)s, not of %(office)s.")
                    % {"label": localize(profile.name), "owner": profile.office, "office": office.pk},
                    code="other_office",
                ),
            )
        data["profile_object"] = profile

    @staticmethod
    def _published(pk: Any) -> SurveyResponse | None:
        try:
            return selectors.published_systems().filter(pk=int(pk)).first()
        except (TypeError, ValueError):
            return None

    def _searched_response(self, data: dict[str, Any]) -> SurveyResponse | None:
        """The published system the typed text names, when no suggestion was chosen (as
        without JavaScript): the only one that matches it; else an error, with the matches
        to choose from when there are a few."""
        text = (data.get("system") or "").strip()
        if not text:
            self.add_error("system", ValidationError(_("Choose a numbering system."), code="required"))
            return None
        matches = selectors.search_published_systems(text, limit=selectors.SYSTEM_SUGGESTIONS + 1)
        if len(matches) == 1:
            return matches[0]
        if not matches:
            message = _("No published numbering system matches “%(text)s”.") % {"text": text}
        elif len(matches) > selectors.SYSTEM_SUGGESTIONS:
            message = _(
                "More than %(count)s published numbering systems match “%(text)s”: type more of the office's or "
                "the system's name."
            ) % {"count": selectors.SYSTEM_SUGGESTIONS, "text": text}
        else:
            self.system_matches = matches
            message = _("%(count)s published numbering systems match “%(text)s”: choose one below.") % {
                "count": len(matches),
                "text": text,
            }
        self.add_error("system", ValidationError(message, code="choose"))
        return None

    def _clean_response(self, data: dict[str, Any]) -> None:
        if "response" in self.errors:
            # The ID is not that of a published system: said at the search field people see.
            for error in self.errors.pop("response").as_data():
                self.add_error("system", error)
            return
        response = data.get("response") or self._searched_response(data)
        if response is None:
            return
        data["response"] = response
        office = data.get("office")
        if office is not None and office.pk != response.office_id:
            self.add_error(
                "office",
                ValidationError(
                    _("“%(label)s” is a numbering system of %(owner)s, not of %(office)s.")
                    % {"label": response.numbering_system.label, "owner": response.office_id, "office": office.pk},
                    code="other_office",
                ),
            )
        covered = structure_from_answers(response.answers).ipr_types or ()
        wanted = data.get("ipr_type")
        if wanted and covered and wanted not in covered:
            labels = dict(_edition_choices("q1a"))
            self.add_error(
                "ipr_type",
                ValidationError(
                    _("This numbering system does not number %(wanted)s (it numbers: %(covered)s).")
                    % {
                        "wanted": labels[wanted].lower(),
                        "covered": ", ".join(labels.get(c, c).lower() for c in covered),
                    },
                    code="not_covered",
                ),
            )
        data["answers"] = response.answers

    def _parts(self, data: dict[str, Any]) -> list[tuple[str, int, int]] | None:
        """(part, minimum, maximum) from left to right; None (with errors added) if unusable."""
        rows: list[tuple[str, int, int]] = []
        ok = True
        for i in range(1, PART_ROWS + 1):
            part, raw = data.get(f"part_{i}") or "", (data.get(f"length_{i}") or "").strip()
            if not part:
                if raw:
                    self.add_error(
                        f"part_{i}", ValidationError(_("Choose the part this length is for."), code="no_part")
                    )
                    ok = False
                continue
            if any(p == part for p, _, _ in rows):
                self.add_error(
                    f"part_{i}",
                    ValidationError(
                        _("The %(part)s is already listed.") % {"part": PART_NAMES[part]}, code="duplicate"
                    ),
                )
                ok = False
                continue
            if not raw and part == "year" and data.get("year_digits"):
                raw = data["year_digits"]
            m = _LENGTH.match(raw)
            if not m:
                message = (
                    _("Give the number of characters, e.g. 6, or a range, e.g. 1-7.")
                    if raw
                    else _("How many characters does the %(part)s have?") % {"part": PART_NAMES[part]}
                )
                self.add_error(f"length_{i}", ValidationError(message, code="bad_length"))
                ok = False
                continue
            lo, hi = int(m[1]), int(m[2] or m[1])
            if not 1 <= lo <= hi:
                self.add_error(
                    f"length_{i}",
                    ValidationError(_("The length must be at least 1, minimum first."), code="bad_length"),
                )
                ok = False
                continue
            rows.append((part, lo, hi))
        if ok and not rows:
            self.add_error("part_1", ValidationError(_("Describe at least one part of the number."), code="no_parts"))
        return rows if ok and rows else None

    def _answers(self, data: dict[str, Any]) -> dict[str, Any] | None:
        rows = self._parts(data)
        if rows is None:
            return None
        lengths = {p: (lo, hi) for p, lo, hi in rows}
        problems = self._year_problems(data, lengths) + self._other_problems(data, lengths)
        for name, message in problems:
            self.add_error(name, ValidationError(message, code="inconsistent"))
        if problems:
            return None
        return described_answers(data, [p for p, _, _ in rows], lengths)

    @staticmethod
    def _year_problems(data: dict[str, Any], lengths: dict[str, tuple[int, int]]) -> list[tuple[str, str]]:
        digits = data.get("year_digits") or ""
        if "year" not in lengths:
            return [("year_digits", _("Add a year part, or leave the digits of the year empty."))] if digits else []
        lo, hi = lengths["year"]
        if lo != hi or lo not in (2, 4):
            return [("year_digits", _("A year has 2 or 4 digits (q6b)."))]
        if digits and int(digits) != lo:
            return [
                (
                    "year_digits",
                    _("The year part has %(length)s characters but %(digits)s digits are chosen.")
                    % {"length": lo, "digits": digits},
                )
            ]
        return []

    @staticmethod
    def _other_problems(data: dict[str, Any], lengths: dict[str, tuple[int, int]]) -> list[tuple[str, str]]:
        problems = []
        if data.get("check_digit") and "control" not in lengths:
            problems.append(("check_digit", _("Add a check-digit part to the number, or choose no check digit.")))
        if "control" in lengths and not data.get("control_position"):
            problems.append(("control_position", _("Say where the check digit is.")))
        if data.get("type_codes_st13") and "type" not in lengths:
            problems.append(("type_codes_st13", _("Add a type-code part, or untick this.")))
        code = (data.get("type_code") or "").strip()
        if code and "type" not in lengths:
            problems.append(("type_code", _("Add a type-code part, or leave the type code empty.")))
        elif code and not data.get("ipr_type"):
            problems.append(("type_code", _("Choose the type of IPR this code stands for (below).")))
        return problems

    # -- results ---------------------------------------------------------------------

    def structure(self) -> NumberingStructure:
        return structure_from_answers(self.cleaned_data["answers"])

    def chosen_profile(self) -> Profile | None:
        return self.cleaned_data.get("profile_object") if self.cleaned_data.get("source") == "profile" else None

    def office_code(self) -> str | None:
        office = self.cleaned_data.get("office")
        if office is not None:
            return office.pk
        response = self.cleaned_data.get("response") if self.cleaned_data.get("source") == "response" else None
        return response.office_id if response is not None else None

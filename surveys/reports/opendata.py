"""The open dataset of a round: its published answers as CSV and JSON files anyone may reuse.

Every version is one ZIP file:

- ``responses.csv`` (wide form): one row per published response, one column per part
  of an answer (a choice ticked or not, a code and its label, a length per part …), and
  for every question a ``<question>.state`` column;
- ``answers.csv`` (long form): one row per response and part of an answer, with the
  question, the part (named as the wide form's column), the answer state, the value's
  code and its label; a question that was not answered, or did not apply, has one row
  with its state and no value;
- ``codebook.csv`` and ``choices.csv``: every question of the edition with its text in
  English, French and Spanish, its type, its condition, and its choices' codes and labels;
- ``changes.csv``: the change log, version by version;
- ``open-data.json``: the same content in one JSON document;
- ``datapackage.json``: the Frictionless Data Package descriptor, a Table Schema per CSV.

The three answer states are the engine's (surveys/questionnaire/evaluation.py):
``answered``, ``not_answered`` (the question applied and was left blank) and
``not_applicable`` (the branching conditions hid it: any answer the office had given
is set aside and never shown). Codes and labels are the edition's; labels in English.

Only published responses, and of them only their answers, their office and their
number: no reviewer comments, no notes, nothing about the people who wrote them.

Versions (``OpenDataRelease``): a version is recorded when the published content of the
round changes (``record_release``: a response published, reopened or republished, the
edition's texts corrected), with a change-log line per response that came, went or came
back (and which questions changed). A version lists its responses with the version each
was published in, and the file is built from the responses' revisions: any recorded
version can be built again, and older versions stay downloadable. The file is an
``ExportBuild`` of format ``opendata`` (surveys/reports/builds.py), built by the task
queue when the version is recorded (never for a visitor), kept in storage and served
from there. Building reads the responses a chunk at a time (two queries per chunk) and
writes every file row by row through temporary files into the ZIP: memory does not
grow with the round.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from surveys.models import (
    PUBLIC_STATUSES,
    ExportBuild,
    OpenDataRelease,
    QuestionnaireEdition,
    ResponseEvent,
    ResponseRevision,
    SurveyResponse,
    SurveyRound,
)
from surveys.questionnaire import types as question_types
from surveys.questionnaire.edition import Edition, Question, tr
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.types.partial_date import format_partial_date
from surveys.reports import builds, tables
from surveys.responses.services import answers_changed
from surveys.table_files import csv_chunks

log = logging.getLogger(__name__)

OPEN_DATA = ExportBuild.Format.OPEN_DATA.value
# Raise by one whenever the files' layout changes: every round's dataset then gets a new version.
FORMAT_VERSION = 1
STATES = ("answered", "not_answered", "not_applicable")
LANGUAGES = ("en", "fr", "es")
CHUNK_SIZE = 500
SPOOL_BYTES = 1024 * 1024  # each file being written stays in memory up to this size, then goes to disk
ZIP_CONTENT_TYPE = "application/zip"
DEFAULT_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
FILES = ("responses.csv", "answers.csv", "codebook.csv", "choices.csv", "changes.csv", "open-data.json")


def license_terms() -> dict[str, str]:
    """The licence every dataset is published under (settings.WIPOSTAD_OPEN_DATA_LICENSE)."""
    return dict(getattr(settings, "WIPOSTAD_OPEN_DATA_LICENSE", DEFAULT_LICENSE))


# --- the parts of an answer ---------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One column of the wide form (and the ``part`` of the long form's rows)."""

    name: str
    question: Question
    type: str = "string"  # Table Schema type
    description: str = ""
    labelled: bool = False  # a "<name>.label" column follows with the code's label
    codes: tuple[str, ...] = ()  # the codes the column may hold (empty: any text)
    joined: bool = False  # several rows of a table answer, one per line


@dataclass(frozen=True)
class Value:
    """One part of one answer: the long form's row, and what the wide form shows of it."""

    part: str  # the long form's part
    code: str | int
    label: str
    column: str  # the wide form's column
    wide: str | int | None = None  # the wide form's cell, if not the code


def _source(edition: Edition, q: Question) -> Question | None:
    source = q.parts_from or q.rows_from
    return edition.by_id.get(source) if source else None


def _source_codes(edition: Edition, q: Question) -> tuple[str, ...]:
    source = _source(edition, q)
    return source.choice_codes if source is not None else ()


def _text(q: Question) -> str:
    return tr(q.text, "en")


def _choice_parts(q: Question, edition: Edition) -> list[Part]:
    return [Part(f"{q.id}.{code}", q, "boolean", f"{q.id}: “{q.choice_label(code)}” ticked") for code in q.choice_codes]


def _choice_values(q: Question, value: Any, edition: Edition) -> Iterator[Value]:
    chosen = set(value) if isinstance(value, list) else set()
    for code in q.choice_codes:
        if code in chosen:
            name = f"{q.id}.{code}"
            yield Value(name, code, q.choice_label(code), name, "true")


def _single_parts(q: Question, edition: Edition) -> list[Part]:
    # A catalogue (check digits) may offer codes the edition file does not list.
    codes = () if q.catalogue else q.choice_codes
    return [Part(q.id, q, "string", f"{q.id}: the code of the answer chosen", labelled=True, codes=codes)]


def _single_values(q: Question, value: Any, edition: Edition) -> Iterator[Value]:
    yield Value(q.id, str(value), q.choice_label(str(value)), q.id)


def _text_parts(q: Question, edition: Edition) -> list[Part]:
    return [Part(q.id, q, "string", f"{q.id}: the text as answered")]


def _text_values(q: Question, value: Any, edition: Edition) -> Iterator[Value]:
    yield Value(q.id, str(value), str(value), q.id)


def _date_parts(q: Question, edition: Edition) -> list[Part]:
    return [Part(q.id, q, "string", f"{q.id}: a year (YYYY) or a date (YYYY-MM-DD); the label as DD/MM/YYYY")]


def _date_values(q: Question, value: Any, edition: Edition) -> Iterator[Value]:
    yield Value(q.id, str(value), format_partial_date(str(value)), q.id)


def _int_parts(q: Question, edition: Edition) -> list[Part]:
    return [Part(q.id, q, "integer", f"{q.id}: a whole number")]


def _int_values(q: Question, value: Any, edition: Edition) -> Iterator[Value]:
    yield Value(q.id, value, str(value), q.id)


def _lengths_parts(q: Question, edition: Edition) -> list[Part]:
    source = _source(edition, q)
    parts = []
    for code in _source_codes(edition, q):
        label = source.choice_label(code) if source else code
        if q.range:
            parts.append(Part(f"{q.id}.{code}.min", q, "integer", f"{q.id}: fewest characters of “{label}”"))
            parts.append(Part(f"{q.id}.{code}.max", q, "integer", f"{q.id}: most characters of “{label}”"))
        else:
            parts.append(Part(f"{q.id}.{code}", q, "integer", f"{q.id}: number of characters of “{label}”"))
    return parts


def _lengths_values(q: Question, value: Any, edition: Edition) -> Iterator[Value]:
    if not isinstance(value, dict):
        return
    for code in _source_codes(edition, q):
        given = value.get(code)
        if given is None or given == "":
            continue
        if isinstance(given, dict):
            for end in ("min", "max"):
                if given.get(end) not in (None, ""):
                    name = f"{q.id}.{code}.{end}"
                    yield Value(name, given[end], str(given[end]), name)
        else:
            name = f"{q.id}.{code}"
            yield Value(name, given, str(given), name)


def _order_parts(q: Question, edition: Edition) -> list[Part]:
    codes = _source_codes(edition, q)
    return [
        Part(f"{q.id}.{n}", q, "string", f"{q.id}: the part in position {n}", labelled=True, codes=codes)
        for n in range(1, len(codes) + 1)
    ]


def _order_values(q: Question, value: Any, edition: Edition) -> Iterator[Value]:
    source = _source(edition, q)
    for n, code in enumerate(value if isinstance(value, list) else [], start=1):
        name = f"{q.id}.{n}"
        yield Value(name, str(code), source.choice_label(str(code)) if source else str(code), name)


def _grid_parts(q: Question, edition: Edition) -> list[Part]:
    rows = _source_codes(edition, q)
    if rows:  # one row per code chosen in another question (e.g. the code of each IPR type)
        source = _source(edition, q)
        return [
            Part(
                f"{q.id}.{row}.{col.id}",
                q,
                "string",
                f"{q.id}: “{tr(col.label, 'en')}” of “{source.choice_label(row)}”",
            )
            for row in rows
            for col in q.columns
        ]
    return [
        Part(
            f"{q.id}.{col.id}",
            q,
            "string",
            f"{q.id}: “{tr(col.label, 'en')}”, one line per row of the answer (the long form numbers the rows)",
            joined=True,
        )
        for col in q.columns
    ]


def _grid_values(q: Question, value: Any, edition: Edition) -> Iterator[Value]:
    columns = [c.id for c in q.columns]
    if isinstance(value, dict):
        for row in _source_codes(edition, q):
            cells = value.get(row)
            for col in columns:
                text = cells.get(col) if isinstance(cells, dict) else None
                if text not in (None, ""):
                    name = f"{q.id}.{row}.{col}"
                    yield Value(name, str(text), str(text), name)
    elif isinstance(value, list):
        for n, cells in enumerate(value, start=1):
            for col in columns:
                text = cells.get(col) if isinstance(cells, dict) else None
                if text not in (None, ""):
                    yield Value(f"{q.id}.{n}.{col}", str(text), str(text), f"{q.id}.{col}")


def _other_parts(q: Question, edition: Edition) -> list[Part]:
    return [Part(q.id, q, "string", f"{q.id}: the answer as a spreadsheet cell")]


def _other_values(q: Question, value: Any, edition: Edition) -> Iterator[Value]:
    try:
        text = question_types.get(q.type).to_cell(q, value)
    except (NotImplementedError, question_types.UnknownQuestionType):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    yield Value(q.id, str(text), str(text), q.id)


# How each type's answer is cut into parts; a type not listed (a new one) gives one column,
# its spreadsheet cell, until it is given its own parts here.
PartsOf = Callable[[Question, Edition], list[Part]]
ValuesOf = Callable[[Question, Any, Edition], Iterator[Value]]
SHAPES: dict[str, tuple[PartsOf, ValuesOf]] = {
    "multi": (_choice_parts, _choice_values),
    "single": (_single_parts, _single_values),
    "yesno": (_single_parts, _single_values),
    "text": (_text_parts, _text_values),
    "partial_date": (_date_parts, _date_values),
    "int": (_int_parts, _int_values),
    "part_lengths": (_lengths_parts, _lengths_values),
    "order": (_order_parts, _order_values),
    "grid": (_grid_parts, _grid_values),
}


def _shape(q: Question) -> tuple[PartsOf, ValuesOf]:
    return SHAPES.get(q.type, (_other_parts, _other_values))


def question_parts(edition: Edition, q: Question) -> list[Part]:
    return _shape(q)[0](q, edition)


def answer_values(edition: Edition, q: Question, value: Any) -> list[Value]:
    return list(_shape(q)[1](q, value, edition))


# --- the columns of each file --------------------------------------------------------------

RESPONSE_FIELDS = [
    ("response_id", "string", "The response's key: the office's ST.3 code and its number in the round (e.g. md-002)."),
    ("round", "string", "The survey round (its address on the site)."),
    ("office_code", "string", "The office's WIPO Standard ST.3 code."),
    ("office_name", "string", "The office's name."),
    ("response_sequence", "integer", "n in “Response n of m” of the office in this round."),
    ("response_version", "integer", "The version of the response that was published."),
    ("published_on", "date", "When this version of the response was published."),
]
LONG_FIELDS = [
    *RESPONSE_FIELDS[:5],
    ("question_id", "string", "The question's stable ID (see codebook.csv)."),
    (
        "part",
        "string",
        "The part of the answer; the column of responses.csv that holds it (rows of a table answer are numbered).",
    ),
    (
        "state",
        "string",
        "answered · not_answered (the question applied and was left blank) · "
        "not_applicable (the branching conditions hid it).",
    ),
    (
        "value_code",
        "string",
        "The value: a choice's code, a number, a date (YYYY or YYYY-MM-DD) or the text as answered; "
        "blank unless answered.",
    ),
    ("value_label", "string", "The value as read: a choice's label in English, or the value itself."),
]
CODEBOOK_FIELDS = [
    ("question_id", "string", "The question's stable ID."),
    ("position", "integer", "The question's place in the questionnaire."),
    ("section", "string", "The section of the questionnaire."),
    ("number", "integer", "The question's number."),
    ("letter", "string", "The question's letter (blank for a follow-up such as “Other: which?”)."),
    ("type", "string", "The question type: multi, single, yesno, text, partial_date, int, part_lengths, order, grid."),
    ("required", "boolean", "Whether an answer is required when the question applies."),
    ("text_en", "string", "The question in English."),
    ("text_fr", "string", "The question in French."),
    ("text_es", "string", "The question in Spanish."),
    ("condition", "string", "When the question applies (blank: always)."),
    ("condition_tree", "string", "The same condition as the questionnaire's JSON tree (blank: always)."),
    ("choices", "string", "The choices, code=label in English, separated by “; ” (see choices.csv)."),
    ("parts_from", "string", "The question whose chosen codes are this question's parts or rows."),
    ("answer_parts", "string", "The columns of responses.csv that hold the answer, separated by spaces."),
]
CHOICE_FIELDS = [
    ("question_id", "string", "The question (see codebook.csv)."),
    ("code", "string", "The choice's code, as in the answers."),
    ("label_en", "string", "The choice in English."),
    ("label_fr", "string", "The choice in French."),
    ("label_es", "string", "The choice in Spanish."),
]
CHANGE_FIELDS = [
    ("version", "integer", "The version of the dataset."),
    ("released_at", "datetime", "When the version was recorded."),
    ("change", "string", "first_published · published · republished · corrected · withdrawn · texts_corrected"),
    ("response_id", "string", "The response concerned (blank for a change of the questionnaire's texts)."),
    ("changed_at", "datetime", "When the response was published, republished or withdrawn."),
    ("questions", "string", "The questions whose answers changed since the response's last published version."),
]


@dataclass(frozen=True)
class Layout:
    """The columns of the wide form for an edition, decided once."""

    edition: Edition
    parts: dict[str, list[Part]]  # question ID → its parts

    @classmethod
    def of(cls, edition: Edition) -> Layout:
        return cls(edition, {q.id: question_parts(edition, q) for q in edition.questions})

    @cached_property
    def joined(self) -> frozenset[str]:
        """The wide form's columns that hold several rows of a table answer, one per line."""
        return frozenset(p.name for parts in self.parts.values() for p in parts if p.joined)

    @cached_property
    def labelled(self) -> frozenset[str]:
        """The wide form's columns followed by a ".label" column."""
        return frozenset(p.name for parts in self.parts.values() for p in parts if p.labelled)

    def wide_fields(self) -> list[tuple[str, str, str, dict]]:
        """(name, type, description, constraints) for every column of responses.csv."""
        fields = [(name, kind, text, {}) for name, kind, text in RESPONSE_FIELDS]
        for q in self.edition.questions:
            fields.append((f"{q.id}.state", "string", f"{q.id}: the answer state", {"enum": list(STATES)}))
            for part in self.parts[q.id]:
                constraints = {"enum": list(part.codes)} if part.codes else {}
                fields.append((part.name, part.type, part.description, constraints))
                if part.labelled:
                    fields.append((f"{part.name}.label", "string", f"{part.name}: the label in English", {}))
        return fields


# --- the change log ---------------------------------------------------------------------------


def current_content(survey_round: SurveyRound) -> tuple[list[list], str]:
    """The published responses of the round as a version lists them, and the digest of the
    content (one query). The round comes with its edition."""
    members = [
        [pk, version, f"{office.lower()}-{sequence:03d}", name]
        for pk, version, office, sequence, name in SurveyResponse.objects.for_round(survey_round)
        .public()
        .order_by("office_id", "sequence")
        .values_list("id", "version", "office_id", "sequence", "office__name")
    ]
    edition = survey_round.edition
    parts = {
        "format": FORMAT_VERSION,
        "round": [survey_round.slug, survey_round.title, survey_round.year],
        "edition": [edition.pk, edition.checksum, builds._definition_digest(edition)],
        "responses": members,
        "license": license_terms(),
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return [m[:3] for m in members], digest


def latest_release(survey_round: SurveyRound) -> OpenDataRelease | None:
    return survey_round.open_data_releases.order_by("-version").first()


def record_release(survey_round: SurveyRound) -> tuple[OpenDataRelease | None, bool]:
    """The version of the round's open data for its published content now, recorded with
    its change log if the content changed; and whether it is new. None while nothing has
    ever been published."""
    survey_round = SurveyRound.objects.select_related("edition").get(pk=survey_round.pk)
    with transaction.atomic():
        # One recording at a time per round (PostgreSQL): the versions follow each other.
        SurveyRound.objects.select_for_update().filter(pk=survey_round.pk).first()
        members, digest = current_content(survey_round)
        earlier = list(survey_round.open_data_releases.order_by("-version").only("version", "fingerprint", "responses"))
        latest = earlier[0] if earlier else None
        if latest is not None and latest.fingerprint == digest:
            return latest, False
        if latest is None and not members:
            return None, False
        release = OpenDataRelease.objects.create(
            round=survey_round,
            version=latest.version + 1 if latest else 1,
            fingerprint=digest,
            responses=members,
            changes=_changes(earlier, members, survey_round.edition.structure),
        )
    return release, True


def _changes(earlier: list[OpenDataRelease], members: list[list], edition: Edition) -> list[dict]:
    """The change-log lines of a new version with these members, against the versions before."""
    now = timezone.now().isoformat()
    if not earlier:
        return [{"change": "first_published", "response": key, "at": None, "questions": []} for _, _, key in members]
    before = {pk: (version, key) for pk, version, key in earlier[0].responses}
    current = {pk: (version, key) for pk, version, key in members}
    # Each response's last published version, in any earlier version of the dataset.
    last_seen: dict[int, int] = {}
    for release in reversed(earlier):
        last_seen.update({pk: version for pk, version, _key in release.responses})
    compared = [
        (pk, last_seen.get(pk), version)
        for pk, (version, _key) in current.items()
        if before.get(pk, (None,))[0] != version
    ]
    revisions = _revisions({(pk, v) for pk, old, new in compared for v in (old, new) if v is not None})
    lines = []
    for pk, old, new in compared:
        revision = revisions.get((pk, new))
        at = revision["created_at"].isoformat() if revision else None
        if old is None:
            lines.append({"change": "published", "response": current[pk][1], "at": at, "questions": []})
            continue
        previous = revisions.get((pk, old))
        questions = answers_changed(previous["answers"], revision["answers"]) if previous and revision else []
        questions.sort(key=_questionnaire_order(edition))
        change = "corrected" if pk in before else "republished"
        lines.append({"change": change, "response": current[pk][1], "at": at, "questions": questions})
    lines += [
        {"change": "withdrawn", "response": key, "at": now, "questions": []}
        for pk, (_version, key) in before.items()
        if pk not in current
    ]
    return lines or [{"change": "texts_corrected", "response": "", "at": now, "questions": []}]


def _questionnaire_order(edition: Edition) -> Callable[[str], int]:
    positions = {q.id: i for i, q in enumerate(edition.questions)}
    return lambda qid: positions.get(qid, len(positions))


def _revisions(wanted: set[tuple[int, int]]) -> dict[tuple[int, int], dict]:
    """The revisions (answers, time) of these (response, version) pairs (one query)."""
    if not wanted:
        return {}
    rows = ResponseRevision.objects.filter(
        response_id__in={pk for pk, _ in wanted}, version__in={v for _, v in wanted}
    ).values("response_id", "version", "answers", "created_at")
    return {(r["response_id"], r["version"]): r for r in rows if (r["response_id"], r["version"]) in wanted}


# --- the file of a version ------------------------------------------------------------------


def build_key(survey_round: SurveyRound, release: OpenDataRelease) -> builds.BuildKey:
    return builds.BuildKey(survey_round, tables.Scope.PUBLISHED, OPEN_DATA, f"v{release.version}", "en")


def find_build(survey_round: SurveyRound, release: OpenDataRelease) -> ExportBuild | None:
    return builds.find(build_key(survey_round, release), release.fingerprint)


def request_build(survey_round: SurveyRound, release: OpenDataRelease, user=None) -> tuple[ExportBuild, bool]:
    """Queue the file of a version (once; again if it failed)."""
    return builds.request_build(build_key(survey_round, release), release.fingerprint, user)


def filename(survey_round: SurveyRound, release: OpenDataRelease) -> str:
    return f"{survey_round.slug}-open-data-v{release.version}.zip"


def make_file(build: ExportBuild) -> tuple[str, str, Iterable[bytes]]:
    """The ZIP of the version a build is of (the maker builds.py calls in the worker)."""
    release = OpenDataRelease.objects.get(round_id=build.round_id, version=int(build.table_id.removeprefix("v")))
    if release.fingerprint != build.fingerprint:
        raise ValueError("the build does not describe this version")
    survey_round = build.round
    return filename(survey_round, release), ZIP_CONTENT_TYPE, zip_pieces(survey_round, release)


builds.register_kind(OPEN_DATA, make_file)


@dataclass
class _Entry:
    """A published response as the dataset shows it."""

    key: str
    office_code: str
    office_name: str
    sequence: int
    version: int
    published_on: str
    answers: dict[str, Any]


def published_entries(release: OpenDataRelease) -> Iterator[_Entry]:
    """The responses of a version, in its order, each with its answers as published
    (two queries per chunk of responses)."""
    members = release.responses
    for start in range(0, len(members), CHUNK_SIZE):
        chunk = members[start : start + CHUNK_SIZE]
        wanted = {(pk, version) for pk, version, _key in chunk}
        responses = SurveyResponse.objects.filter(pk__in=[pk for pk, _ in wanted]).select_related("office")
        by_id = {
            r.pk: r for r in responses.only("id", "office_id", "sequence", "version", "published_at", "office__name")
        }
        revisions = _revisions(wanted)
        revisions.update(_unrevised(wanted - revisions.keys()))
        for pk, version, key in chunk:
            response, revision = by_id.get(pk), revisions.get((pk, version))
            if response is None or revision is None:
                raise LookupError(f"response {key} version {version} is no longer on record")
            published = revision["created_at"]
            yield _Entry(
                key=key,
                office_code=response.office_id,
                office_name=response.office.name,
                sequence=response.sequence,
                version=version,
                published_on=timezone.localdate(published).isoformat() if published else "",
                answers=revision["answers"],
            )


def _unrevised(wanted: set[tuple[int, int]]) -> dict[tuple[int, int], dict]:
    """Responses recorded without a revision of the version listed (written straight into
    the database, e.g. by an import): their answers as they stand, if still that version
    (one query, only when there are such responses)."""
    if not wanted:
        return {}
    rows = SurveyResponse.objects.filter(pk__in={pk for pk, _ in wanted}).values(
        "id", "version", "answers", "published_at"
    )
    return {
        (r["id"], r["version"]): {"answers": r["answers"], "created_at": r["published_at"]}
        for r in rows
        if (r["id"], r["version"]) in wanted
    }


class _Writers:
    """The three files written while the responses are read: the wide form, the long form
    and the JSON list of responses, each to a temporary file (on disk past a few MB)."""

    def __init__(self, layout: Layout, round_slug: str) -> None:
        self.layout = layout
        self.round_slug = round_slug
        # Closed by close(), once the ZIP has been written from them.
        self.wide = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
        self.long = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
        self.json = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
        self.wide_columns = [name for name, *_ in layout.wide_fields()]
        self.count = 0

    def close(self) -> None:
        for handle in (self.wide, self.long, self.json):
            handle.close()

    def add(self, entry: _Entry) -> tuple[list, list[list]]:
        """The wide row and the long rows of one response, also written as JSON."""
        edition = self.layout.edition
        evaluation = evaluate(edition, entry.answers, with_warnings=False)
        head = [entry.key, self.round_slug, entry.office_code, entry.office_name, entry.sequence]
        wide: dict[str, Any] = {}
        long_rows: list[list] = []
        for q in edition.questions:
            state = evaluation.state(q.id)
            wide[f"{q.id}.state"] = state
            values = answer_values(edition, q, evaluation.answers[q.id]) if state == "answered" else []
            if not values:
                long_rows.append([*head, q.id, q.id, state, "", ""])
            for value in values:
                long_rows.append([*head, q.id, value.part, state, value.code, value.label])
            self._fill_wide(wide, q, state, values)
        row = [*head, entry.version, entry.published_on] + [
            wide.get(c, "") for c in self.wide_columns[len(RESPONSE_FIELDS) :]
        ]
        item = {
            **dict(zip([f[0] for f in RESPONSE_FIELDS], [*head, entry.version, entry.published_on], strict=True)),
            "answers": [
                {"question_id": r[5], "part": r[6], "state": r[7], "value_code": r[8], "value_label": r[9]}
                for r in long_rows
            ],
        }
        self.json.write((",\n" if self.count else "").encode() + json.dumps(item, ensure_ascii=False).encode("utf-8"))
        self.count += 1
        return row, long_rows

    def _fill_wide(self, wide: dict[str, Any], q: Question, state: str, values: list[Value]) -> None:
        if state == "answered":
            for part in self.layout.parts[q.id]:
                if part.type == "boolean":
                    wide[part.name] = "false"  # answered, and this choice not ticked
        joined, labelled = self.layout.joined, self.layout.labelled
        for value in values:
            cell = value.wide if value.wide is not None else value.code
            if value.column in joined and value.column in wide:
                wide[value.column] = f"{wide[value.column]}\n{cell}"
            else:
                wide[value.column] = cell
            if value.column in labelled:
                wide[f"{value.column}.label"] = value.label

    def write_all(self, entries: Iterable[_Entry]) -> None:
        wide_text = _TextSink(self.wide)
        long_text = _TextSink(self.long)
        for piece in csv_chunks(self._wide_rows(entries, long_text)):
            wide_text.raw.write(piece)
        long_text.finish()

    def _wide_rows(self, entries: Iterable[_Entry], long_text: _TextSink) -> Iterator[list]:
        yield self.wide_columns
        long_text.row([name for name, *_ in LONG_FIELDS])
        for entry in entries:
            row, long_rows = self.add(entry)
            for long_row in long_rows:
                long_text.row(long_row)
            yield row


class _TextSink:
    """Rows of a CSV file written to a binary file through the shared writer, a piece at a time."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.pending: list[list] = []

    def row(self, row: list) -> None:
        self.pending.append(row)
        if len(self.pending) >= 1000:
            self.flush()

    def flush(self) -> None:
        # csv_chunks writes a byte-order mark first: only the first piece of the file keeps it.
        first = self.raw.tell() == 0
        for i, piece in enumerate(csv_chunks(self.pending)):
            self.raw.write(piece if first or i else piece.removeprefix("\ufeff".encode()))
        self.pending = []

    def finish(self) -> None:
        self.flush()


# --- the codebook ------------------------------------------------------------------------------


def condition_text(condition: Any) -> str:
    """A condition tree in words: 'q1a has "other"', 'q5a = "yes" and …' (blank: always)."""
    if condition is None:
        return ""
    ((op, arg),) = condition.items()
    if op in ("all", "any"):
        joiner = " and " if op == "all" else " or "
        return joiner.join(
            f"({condition_text(c)})" if len(c) and next(iter(c)) in ("all", "any") else condition_text(c) for c in arg
        )
    if op == "not":
        return f"not ({condition_text(arg)})"
    if op == "answered":
        return f"{arg} is answered"
    qid, expected = arg
    if op == "eq":
        return f"{qid} = {json.dumps(expected, ensure_ascii=False)}"
    if op == "in":
        return f"{qid} is one of " + ", ".join(json.dumps(e, ensure_ascii=False) for e in expected)
    return f"{qid} has {json.dumps(expected, ensure_ascii=False)}"


def codebook_rows(layout: Layout) -> Iterator[list]:
    edition = layout.edition
    for position, q in enumerate(edition.questions, start=1):
        yield [
            q.id,
            position,
            q.section_id,
            q.number,
            q.letter or "",
            q.type,
            "true" if q.required else "false",
            *(q.text.get(language, "") for language in LANGUAGES),
            condition_text(q.condition),
            json.dumps(q.condition, ensure_ascii=False) if q.condition is not None else "",
            "; ".join(f"{code}={q.choice_label(code)}" for code in _own_codes(q)),
            q.parts_from or q.rows_from or "",
            " ".join(p.name for p in layout.parts[q.id]),
        ]


def _own_codes(q: Question) -> tuple[str, ...]:
    return q.choice_codes if question_types.get(q.type).has_choices else ()


def choice_rows(layout: Layout) -> Iterator[list]:
    for q in layout.edition.questions:
        for code in _own_codes(q):
            yield [q.id, code, *(q.choice_label(code, language) for language in LANGUAGES)]


def change_rows(releases: Iterable[OpenDataRelease]) -> Iterator[list]:
    for release in releases:
        for line in release.changes:
            yield [
                release.version,
                release.created_at.isoformat(),
                line["change"],
                line["response"],
                line["at"] or "",
                " ".join(line["questions"]),
            ]


# --- the descriptor -----------------------------------------------------------------------------


def _schema(fields: list[tuple], primary_key: list[str] | None = None, foreign_keys: list[dict] | None = None) -> dict:
    schema: dict[str, Any] = {"fields": []}
    for name, kind, text, *rest in fields:
        field = {"name": name, "type": kind, "description": text}
        constraints = rest[0] if rest else {}
        if constraints:
            field["constraints"] = constraints
        schema["fields"].append(field)
    schema["missingValues"] = [""]
    if primary_key:
        schema["primaryKey"] = primary_key
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def _resource(name: str, path: str, title: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "title": title,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True},
        "schema": schema,
    }


def descriptor(survey_round: SurveyRound, release: OpenDataRelease, layout: Layout) -> dict:
    """The Data Package descriptor (datapackage.json) of a version."""
    edition = survey_round.edition
    codebook_key = {"fields": "question_id", "reference": {"resource": "codebook", "fields": "question_id"}}
    text_note = (
        " Text that a spreadsheet program would take for a formula (starting with =, +, -, @) is written "
        "behind an apostrophe."
    )
    return {
        "profile": "data-package",
        "name": f"{survey_round.slug}-open-data",
        "title": f"{survey_round.title}: published responses",
        "description": (
            f"The published responses to “{tr(edition.structure.title, 'en')}” ({edition.slug}) in the round "
            f"“{survey_round.title}”, with the questionnaire's codebook. Answer states: answered, not_answered "
            "(the question applied and was left blank), not_applicable (the branching conditions hid it)."
        ),
        "version": str(release.version),
        "created": release.created_at.isoformat(),
        "licenses": [license_terms()],
        "keywords": ["WIPO", "CWS", "ST.13", "application numbering", "survey"],
        "resources": [
            _resource(
                "responses",
                "responses.csv",
                "Responses (wide form)",
                "One row per published response, one column per part of an answer, with the state of each question."
                + text_note,
                _schema(layout.wide_fields(), ["response_id"]),
            ),
            _resource(
                "answers",
                "answers.csv",
                "Answers (long form)",
                "One row per response and part of an answer; one row with the state alone for a question not "
                "answered or not applicable." + text_note,
                _schema(
                    LONG_FIELDS,
                    ["response_id", "part"],
                    [
                        {"fields": "response_id", "reference": {"resource": "responses", "fields": "response_id"}},
                        codebook_key,
                    ],
                ),
            ),
            _resource(
                "codebook",
                "codebook.csv",
                "Codebook",
                "Every question of the edition: texts in English, French and Spanish, type, condition, choices.",
                _schema(CODEBOOK_FIELDS, ["question_id"]),
            ),
            _resource(
                "choices",
                "choices.csv",
                "Choices",
                "The choices of every question with choices: code and label in three languages.",
                _schema(CHOICE_FIELDS, ["question_id", "code"], [codebook_key]),
            ),
            _resource(
                "changes",
                "changes.csv",
                "Change log",
                "What changed in each version of the dataset.",
                _schema(CHANGE_FIELDS),
            ),
            {
                "name": "open-data-json",
                "path": "open-data.json",
                "title": "The same content as JSON",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
            },
        ],
    }


# --- the ZIP --------------------------------------------------------------------------------------


class _ZipSink(io.RawIOBase):
    """Where the ZIP is written: the bytes wait here until the generator hands them on."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.pieces.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def take(self) -> bytes:
        data = b"".join(self.pieces)
        self.pieces = []
        return data


def _copy(source: IO[bytes], target: IO[bytes], sink: _ZipSink) -> Iterator[bytes]:
    source.seek(0)
    while piece := source.read(builds.CHUNK_BYTES):
        target.write(piece)
        yield sink.take()


def zip_pieces(survey_round: SurveyRound, release: OpenDataRelease) -> Iterator[bytes]:
    """The ZIP of a version, a piece at a time: the responses are read once, in chunks."""
    edition = survey_round.edition.structure
    layout = Layout.of(edition)
    writers = _Writers(layout, survey_round.slug)
    try:
        writers.write_all(published_entries(release))
        releases = list(survey_round.open_data_releases.filter(version__lte=release.version).order_by("version"))
        sink = _ZipSink()
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, source in (("responses.csv", writers.wide), ("answers.csv", writers.long)):
                with archive.open(name, "w", force_zip64=True) as member:
                    yield from _copy(source, member, sink)
            for name, fields, rows in (
                ("codebook.csv", CODEBOOK_FIELDS, codebook_rows(layout)),
                ("choices.csv", CHOICE_FIELDS, choice_rows(layout)),
                ("changes.csv", CHANGE_FIELDS, change_rows(releases)),
            ):
                with archive.open(name, "w") as member:
                    for piece in csv_chunks([[f[0] for f in fields], *rows]):
                        member.write(piece)
                yield sink.take()
            with archive.open("open-data.json", "w", force_zip64=True) as member:
                yield from _write_json(member, sink, survey_round, release, layout, releases, writers.json)
            package = descriptor(survey_round, release, layout)
            archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2))
        yield sink.take()
    finally:
        writers.close()


def _write_json(member, sink, survey_round, release, layout, releases, responses) -> Iterator[bytes]:
    codebook = []
    choices = {}
    for row in choice_rows(layout):
        choices.setdefault(row[0], []).append(dict(zip([f[0] for f in CHOICE_FIELDS][1:], row[1:], strict=True)))
    for row in codebook_rows(layout):
        item = dict(zip([f[0] for f in CODEBOOK_FIELDS], row, strict=True))
        item["required"] = item["required"] == "true"
        item["condition_tree"] = layout.edition.by_id[row[0]].condition
        item["choices"] = choices.get(row[0], [])
        item["answer_parts"] = item["answer_parts"].split()
        codebook.append(item)
    head = {
        "dataset": {
            "round": survey_round.slug,
            "title": survey_round.title,
            "edition": survey_round.edition.slug,
            "version": release.version,
            "created": release.created_at.isoformat(),
            "license": license_terms(),
            "states": list(STATES),
        },
        "codebook": codebook,
        "changes": [dict(zip([f[0] for f in CHANGE_FIELDS], row, strict=True)) for row in change_rows(releases)],
    }
    opening = json.dumps(head, ensure_ascii=False, indent=1)
    member.write((opening[:-2] + ',\n "responses": [\n').encode("utf-8"))
    yield from _copy(responses, member, sink)
    member.write(b"\n]}\n")
    yield sink.take()


# --- recorded and queued when published content changes ---------------------------------------------


def prepare(survey_round: SurveyRound, user=None) -> OpenDataRelease | None:
    """Record the version of the current content (if new) and queue its file (if not
    built yet); the version, None while nothing is published."""
    release, _created = record_release(survey_round)
    if release is not None:
        build = find_build(survey_round, release)
        if build is None or builds.has_failed(build):
            request_build(survey_round, release, user)
    return release


def _record_on_commit(round_id: int) -> None:
    def record() -> None:
        survey_round = SurveyRound.objects.select_related("edition").filter(pk=round_id).first()
        if survey_round is None:
            return
        if builds._published_files_wanted():
            prepare(survey_round)
        else:
            record_release(survey_round)

    transaction.on_commit(record, robust=True)


@receiver(post_save, sender=SurveyResponse, dispatch_uid="open_data_response_saved")
def _response_saved(sender, instance: SurveyResponse, **kwargs) -> None:
    if instance.status in PUBLIC_STATUSES:
        _record_on_commit(instance.round_id)


@receiver(post_save, sender=ResponseEvent, dispatch_uid="open_data_response_reopened")
def _response_left_public(sender, instance: ResponseEvent, created: bool, **kwargs) -> None:
    if created and instance.from_status in PUBLIC_STATUSES and instance.to_status not in PUBLIC_STATUSES:
        _record_on_commit(instance.response.round_id)


@receiver(post_delete, sender=SurveyResponse, dispatch_uid="open_data_response_deleted")
def _response_deleted(sender, instance: SurveyResponse, **kwargs) -> None:
    if instance.status in PUBLIC_STATUSES:
        _record_on_commit(instance.round_id)


@receiver(post_save, sender=QuestionnaireEdition, dispatch_uid="open_data_edition_changed")
def _edition_changed(sender, instance: QuestionnaireEdition, created: bool, **kwargs) -> None:
    if created:
        return
    for round_id in (
        SurveyRound.objects.filter(edition=instance).with_published_responses().values_list("pk", flat=True)
    ):
        _record_on_commit(round_id)


# --- what the pages show ----------------------------------------------------------------------

CHANGE_WORDS = {
    "first_published": _("in the first version"),
    "published": _("published"),
    "republished": _("reopened and published again"),
    "corrected": _("corrected while published"),
    "withdrawn": _("reopened: left out until it is published again"),
    "texts_corrected": _("the questionnaire's texts or the offices' names were corrected"),
}


@dataclass(frozen=True)
class ChangeLine:
    change: str
    words: str
    response: str
    at: str
    questions: list[str]


@dataclass(frozen=True)
class VersionRow:
    release: OpenDataRelease
    build: ExportBuild | None
    changes: list[ChangeLine]

    @property
    def version(self) -> int:
        return self.release.version

    @property
    def responses(self) -> int:
        return len(self.release.responses)

    @property
    def ready(self) -> bool:
        return self.build is not None and self.build.state == ExportBuild.State.DONE

    @property
    def being_built(self) -> bool:
        return self.build is not None and not self.ready and not builds.has_failed(self.build)


@dataclass(frozen=True)
class Listing:
    """The landing page of a round's open data: its versions, newest first."""

    versions: list[VersionRow]
    up_to_date: bool  # the newest version holds the published content as it is now
    published: int  # responses published now

    @property
    def latest(self) -> VersionRow | None:
        return self.versions[0] if self.versions else None

    @property
    def needs_preparing(self) -> bool:
        """The content published now has no version yet, or the newest version has no file
        and none is being built."""
        latest = self.latest
        if self.published and not self.up_to_date:
            return True
        return latest is not None and not latest.ready and not latest.being_built


def listing(survey_round: SurveyRound) -> Listing:
    """The versions with their files and change logs (three queries, however many versions)."""
    members, digest = current_content(survey_round)
    releases = list(survey_round.open_data_releases.order_by("-version"))
    files: dict[tuple[str, str], ExportBuild] = {}
    for build in ExportBuild.objects.filter(round=survey_round, format=OPEN_DATA).defer("error").order_by("-id"):
        files.setdefault((build.table_id, build.fingerprint), build)
    rows = [
        VersionRow(release, files.get((f"v{release.version}", release.fingerprint)), _change_lines(release))
        for release in releases
    ]
    return Listing(rows, bool(releases) and releases[0].fingerprint == digest, len(members))


def _change_lines(release: OpenDataRelease) -> list[ChangeLine]:
    return [
        ChangeLine(
            line["change"],
            str(CHANGE_WORDS.get(line["change"], line["change"])),
            line["response"],
            (line["at"] or "")[:10],
            line["questions"],
        )
        for line in release.changes
    ]

"""The CWS working document of a round: what the secretariat submits to a session of the Committee.

A cover part in the manner of CWS documents — the symbol CWS/<session>/<number>, the
original language and the date, the session and where it meets, the title, "Document
prepared by the Secretariat", numbered paragraphs: an introduction whose figures are
counted from the data, a comparison with the previous round of the same questionnaire,
the proposal (the secretariat's own text, kept on the round in each language) and what
the Committee is invited to do — then the Annex: the round's report (results question by
question as in Handbook Part 7.2.5, the examples of Part 7.2.6, the offices that
answered) and the changes since the previous round as two more tables.

The same blocks are laid out as DOCX (editable: Word paragraphs and tables) and PDF, in
English, French or Spanish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import formats, translation
from django.utils.translation import gettext, ngettext

from surveys.models import WorkingDocument
from surveys.questionnaire.edition import tr
from surveys.reports.comparison import RoundComparison, compare_rounds, comparison_rows, previous_round
from surveys.reports.tables import Cell, Column, Kind, Report, Row, Scope, Section, Table, build_report

# Working documents go to the Committee with the figures the secretariat has reviewed.
SCOPE = Scope.REVIEWED
LANGUAGES = ("en", "fr", "es")
TABLE_ID = "working-document"  # how its stored builds are told apart from the report's files

ORDINALS = {
    "en": (
        "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
        "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth",
        "Eighteenth", "Nineteenth", "Twentieth",
    ),
    "fr": (
        "Première", "Deuxième", "Troisième", "Quatrième", "Cinquième", "Sixième", "Septième", "Huitième",
        "Neuvième", "Dixième", "Onzième", "Douzième", "Treizième", "Quatorzième", "Quinzième", "Seizième",
        "Dix-septième", "Dix-huitième", "Dix-neuvième", "Vingtième",
    ),
    "es": (
        "Primera", "Segunda", "Tercera", "Cuarta", "Quinta", "Sexta", "Séptima", "Octava", "Novena", "Décima",
        "Undécima", "Duodécima", "Decimotercera", "Decimocuarta", "Decimoquinta", "Decimosexta",
        "Decimoséptima", "Decimoctava", "Decimonovena", "Vigésima",
    ),
}  # fmt: skip


def new_settings(survey_round, today) -> WorkingDocument:
    """Unsaved settings for a round that has none: the session and its first day from what the
    round records of its presentation ("CWS/3", the day), dated today."""
    match = re.fullmatch(r"\s*CWS/(\d+)\s*", survey_round.cws_session or "")
    return WorkingDocument(
        round=survey_round,
        date=today,
        session=int(match.group(1)) if match else None,
        meeting_starts=survey_round.presented_on,
    )


def session_name(session: int, language: str) -> str:
    """ "Third Session", "Troisième session", "Tercera sesión" (a number past the twentieth)."""
    words = ORDINALS[language]
    with translation.override(language):
        if session <= len(words):
            return gettext("%(ordinal)s Session") % {"ordinal": words[session - 1]}
        return gettext("Session %(number)s") % {"number": session}


@dataclass(frozen=True)
class Block:
    """One paragraph of the cover part. `kind` says how it is laid out:
    symbol, committee, session, title, prepared, heading, paragraph, closing."""

    kind: str
    text: str
    number: int | None = None  # numbered paragraphs


@dataclass
class WorkingDocumentContent:
    settings: WorkingDocument
    language: str
    blocks: list[Block]
    report: Report
    annex: list[Section]
    comparison: RoundComparison | None

    @property
    def symbol(self) -> str:
        return self.settings.symbol

    @property
    def filename(self) -> str:
        return f"{self.symbol.replace('/', '-')}-{self.language}"

    def close(self) -> None:
        self.report.close()


def _date(value, language: str) -> str:
    with translation.override(language):
        return formats.date_format(value, "j F Y")


def _meeting(settings: WorkingDocument, language: str) -> str:
    # The usual place in the document's language; any other as the secretariat wrote it.
    place = gettext("Geneva") if settings.meeting_place == "Geneva" else settings.meeting_place
    if settings.meeting_starts and settings.meeting_ends:
        return gettext("%(place)s, %(start)s to %(end)s") % {
            "place": place,
            "start": _date(settings.meeting_starts, language),
            "end": _date(settings.meeting_ends, language),
        }
    return place


def _introduction(report: Report, invited: int) -> list[str]:
    rnd = report.survey_round
    offices = ngettext("%(n)s office", "%(n)s offices", report.office_count) % {"n": report.office_count}
    responses = ngettext("%(n)s response", "%(n)s responses", report.response_count) % {"n": report.response_count}
    invited_text = ngettext("%(n)s office", "%(n)s offices", invited) % {"n": invited}
    return [
        gettext(
            "From %(opens)s to %(closes)s the Secretariat asked %(invited)s to answer the questionnaire "
            "“%(edition)s” (survey round “%(round)s”). Each office answered once for each numbering system it "
            "uses."
        )
        % {
            "opens": _date(rnd.opens_on, report.language),
            "closes": _date(rnd.closes_on, report.language),
            "invited": invited_text,
            "edition": tr(rnd.edition.structure.title, report.language),
            "round": rnd.title_in(report.language),
        },
        gettext("This document presents %(responses)s from %(offices)s, counting %(scope)s.")
        % {"responses": responses, "offices": offices, "scope": report.scope_label},
        gettext(
            "The Annex gives the results question by question, as in Part 7.2.5 of the WIPO Handbook on "
            "Industrial Property Information and Documentation, the examples of application numbers and of "
            "their presentation as priority application numbers, as in Part 7.2.6, and the list of the offices "
            "that answered."
        ),
    ]


def _comparison_paragraph(comparison: RoundComparison | None) -> str:
    if comparison is None:
        return gettext("No earlier round of this questionnaire was held, so there is nothing to compare with.")
    changed = len(comparison.changed_questions)
    return gettext(
        "Compared with the previous round, “%(previous)s”: %(joined)s answered for the first time, "
        "%(left)s did not answer again and %(continuing)s answered in both rounds. Of the numbering "
        "systems described in both rounds (%(systems)s), the answers to %(questions)s changed for at least one "
        "system. The last part of the Annex gives the details."
    ) % {
        "previous": comparison.previous.local_title,
        "joined": ngettext("%(n)s office", "%(n)s offices", len(comparison.joined)) % {"n": len(comparison.joined)},
        "left": ngettext("%(n)s office", "%(n)s offices", len(comparison.left)) % {"n": len(comparison.left)},
        "continuing": comparison.continuing,
        "systems": comparison.systems_compared,
        "questions": ngettext("%(n)s question", "%(n)s questions", changed) % {"n": changed},
    }


def _standard_proposal() -> list[str]:
    return [
        gettext(
            "The Secretariat proposes that the results in the Annex be published in Part 7 of the WIPO Handbook "
            "on Industrial Property Information and Documentation, the results of the survey as Part 7.2.5 and "
            "the examples as Part 7.2.6, replacing the earlier versions of those parts."
        )
    ]


def cover_blocks(settings: WorkingDocument, report: Report, comparison: RoundComparison | None, invited: int):
    """The cover part's paragraphs, in the active language."""
    language = report.language
    blocks = [
        Block("symbol", settings.symbol),
        Block("symbol", gettext("ORIGINAL: ENGLISH")),
        Block("symbol", gettext("DATE: %(date)s") % {"date": _date(settings.date, language).upper()}),
        Block("committee", gettext("Committee on WIPO Standards (CWS)")),
        Block("session", session_name(settings.session, language)),
        Block("session", _meeting(settings, language)),
        Block(
            "title",
            gettext("Results of the survey “%(round)s”") % {"round": report.survey_round.title_in(language)},
        ),
        Block("prepared", gettext("Document prepared by the Secretariat")),
        Block("heading", gettext("Introduction")),
    ]
    paragraphs = [*_introduction(report, invited), _comparison_paragraph(comparison)]
    proposal = settings.proposal(language) or _standard_proposal()
    number = 0
    for text in paragraphs:
        number += 1
        blocks.append(Block("paragraph", text, number))
    blocks.append(Block("heading", gettext("Proposal")))
    first_proposal = number + 1
    for text in proposal:
        number += 1
        blocks.append(Block("paragraph", text, number))
    invitation = gettext(
        "The CWS is invited to (a) note the results of the survey presented in the Annex to this document, and "
        "(b) consider the proposal in paragraph %(paragraph)s above."
    ) % {"paragraph": first_proposal}
    blocks.append(Block("decision", invitation, number + 1))
    blocks.append(Block("closing", gettext("[Annex follows]")))
    return blocks


def _office_changes_table(comparison: RoundComparison) -> Table:
    joined, left = gettext("answered for the first time"), gettext("did not answer again")
    rows = [Row(o.code, [Cell(o.code), Cell(o.name), Cell(joined)]) for o in comparison.joined]
    rows += [Row(o.code, [Cell(o.code), Cell(o.name), Cell(left)]) for o in comparison.left]
    rows.sort(key=lambda row: row.key)
    return Table(
        id="comparison_offices",
        section="comparison",
        title=gettext("Offices that joined or left"),
        columns=[
            Column("st3_code", gettext("ST.3 code"), Kind.KEY),
            Column("office", gettext("Office")),
            Column("change", gettext("Since the previous round")),
        ],
        rows=rows,
        notes=[_comparison_paragraph(comparison)],
        sheet_name=gettext("Offices joined or left")[:31],
    )


def _answer_changes_table(comparison: RoundComparison, language: str) -> Table:
    across = comparison.across_editions
    # Across a revision, every question the mapping changed is listed with the ones it comes from.
    shown = [r for r in comparison_rows(comparison, language) if r.compared or (across and r.how != "same")]
    rows = [
        Row(
            r.question or r.previous,
            [
                Cell(r.question),
                Cell(r.text),
                *([Cell(r.previous if r.how == "same" else f"{r.previous} ({r.link})".strip())] if across else []),
                Cell(r.compared, css="rt-count"),
                Cell(r.changed, css="rt-count"),
                Cell(r.offices),
            ],
        )
        for r in shown
    ]
    previous_column = [Column("previous", gettext("In the previous round"))] if across else []
    return Table(
        id="comparison_answers",
        section="comparison",
        title=gettext("Answers that changed since the previous round"),
        columns=[
            Column("question", gettext("Question"), Kind.KEY),
            Column("text", gettext("Text of the question")),
            *previous_column,
            Column("compared", gettext("Numbering systems compared"), Kind.COUNT),
            Column("changed", gettext("Answer changed"), Kind.COUNT),
            Column("offices", gettext("Offices whose answer changed")),
        ],
        rows=rows,
        legend=gettext(
            "A numbering system is compared when it was described in both rounds and the question was answered "
            "in at least one of them; an answer that is no longer given counts as a change."
        ),
        sheet_name=gettext("Changed answers")[:31],
    )


def build(settings: WorkingDocument, language: str) -> WorkingDocumentContent:
    """Everything the document shows, in `language`: one pass over the round, one over the previous."""
    if language not in LANGUAGES:
        raise ValueError(f"no working document in language {language!r}")
    survey_round = settings.round
    report = build_report(survey_round, scope=SCOPE, language=language)
    earlier = previous_round(survey_round)
    comparison = compare_rounds(earlier, survey_round, scope=SCOPE) if earlier else None
    invited = survey_round.invitations.count()
    with translation.override(language):
        blocks = cover_blocks(settings, report, comparison, invited)
        annex = list(report.sections)
        if comparison is not None:
            title = gettext("Changes since the previous round")
            tables = [_office_changes_table(comparison), _answer_changes_table(comparison, language)]
            annex.append(Section("comparison", "", title, tables, language))
    return WorkingDocumentContent(settings, language, blocks, report, annex, comparison)

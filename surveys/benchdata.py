"""Realistic generated data for the benchmarks and the load test, at a chosen scale.

About 190 offices from the ST.3 list, each with one to four numbering systems (on average
2.2, so 418 responses a round at scale 1), three rounds of the 2012 questionnaire — two
closed and mostly published, one open with drafts, submitted, returned, accepted and
published responses — and answers cycling through realistic answer sets (the published
Moldova response, the illustrative EPO one, a conformant ST.13 system, a variable-length
one with a check digit, and incomplete drafts). A scale of 10 gives every office ten times
as many numbering systems — but the generated respondent's, which keeps its four — so every
round about ten times as many responses (12,432 in all; 124,212 at scale 100). Everything
is written with bulk inserts, a batch at a time.

The answers are illustrative, not survey data.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import transaction

OFFICES = 190
# The office of the generated respondent (one with four numbering systems: twelve responses
# over the three rounds, at every scale).
RESPONDENT_OFFICE = 5
# Numbering systems per office at scale 1, in turn: on average 2.2 (418 for 190 offices).
SYSTEMS_PER_OFFICE = (1, 2, 3, 2, 1, 4, 2, 3, 2, 2)
SYSTEM_LABELS = (
    "Patents",
    "Utility models",
    "Industrial designs",
    "Trademarks",
    "PCT national phase entries",
    "Plant varieties",
    "Supplementary protection certificates",
)
BATCH = 2000
EDITION_SLUG = "application-numbering-2012"

# Answer sets the generated responses cycle through, so that every report table has
# ticks, "—" cells, examples and all four verdicts.
CONFORMANT = {
    "q1a": ["patents", "utility_models"],
    "q1b": "2012",
    "q2a": ["type", "year", "serial"],
    "q3a": "st13",
    "q4a": "fixed",
    "q4b": {"type": 2, "year": 4, "serial": 9},
    "q5a": "yes",
    "q5b": {"patents": {"code": "10"}, "utility_models": {"code": "20"}},
    "q5c": "yes",
    "q6a": "yes",
    "q6b": "4",
    "q6c": "gregorian",
    "q7a": "yes",
    "q7b": "fixed",
    "q7c": "yes",
    "q7d": "yes",
    "q7e": "yes",
    "q7f": "no",
    "q8a": "no",
    "q9a": "no",
    "q10a": "no",
    "q11a": "yes",
    "q11b": ["hyphen"],
    "q11c": "no",
    "q12a": "yes",
    "q13a": "yes",
    "q14a": [{"office_name": "Synthetic office", "example": "10-2012-000012345", "priority_presentation": "10-2012"}],
    "q14b": "2012",
    "q14c": [{"ipr_types": "10, 20", "year": "4 digits", "serial_position": "7-15"}],
}
VARIABLE = {
    "q1a": ["industrial_designs", "other"],
    "q1a_other": "Plant varieties",
    "q1b": "1990",
    "q2a": ["year", "serial", "internal", "control"],
    "q3a": "other",
    "q3b": ["internal", "year", "serial", "control"],
    "q4a": "variable",
    "q4c": {
        "year": {"min": 4, "max": 4},
        "serial": {"min": 1, "max": 6},
        "internal": {"min": 1, "max": 1},
        "control": {"min": 1, "max": 1},
    },
    "q5a": "no",
    "q6a": "yes",
    "q6b": "4",
    "q6c": "gregorian",
    "q7a": "yes",
    "q7b": "variable",
    "q7c": "yes",
    "q7d": "no",
    "q7e": "yes",
    "q7f": "yes",
    "q8a": "yes",
    "q8b": [{"code": "D", "meaning": "Designs"}],
    "q8c": "other",
    "q8c_other": "Before the year",
    "q9a": "yes",
    "q9b": "serial_last",
    "q9c": "other",
    "q9c_other": "Modulo 7",
    "q10a": "no",
    "q11a": "yes",
    "q11b": ["slash"],
    "q11c": "no",
    "q12a": "no",
    "q12b": "Without the check digit.",
    "q13a": "yes",
    "q14a": [{"office_name": "Synthetic office", "example": "D1990/1234-5", "priority_presentation": "D1990/1234"}],
}
INCOMPLETE = {"q1a": ["trademarks"], "q2a": ["serial"], "q3a": "st13", "q13a": "no"}


def answer_sets() -> list[dict[str, Any]]:
    from surveys.demo import CHINA_DRAFT, EPO_PATENTS, MOLDOVA_TRADEMARKS

    return [MOLDOVA_TRADEMARKS, EPO_PATENTS, CONFORMANT, VARIABLE, INCOMPLETE, CHINA_DRAFT]


# The rounds: (year, round status, mix of response statuses in tenths).
ROUNDS = (
    (2012, "closed", ("published",) * 9 + ("accepted",)),
    (2018, "closed", ("published",) * 8 + ("accepted", "submitted")),
    (2024, "open", ("draft",) * 3 + ("submitted",) * 2 + ("returned", "accepted", "accepted") + ("published",) * 2),
)
# The round the report is measured on: closed, mostly published.
REPORT_ROUND_YEAR = 2018


@dataclass
class BenchData:
    scale: int
    edition_slug: str
    round_slugs: dict[int, str]
    offices: int
    systems: int
    responses: int
    published_in_report_round: int = 0
    users: dict[str, str] = field(default_factory=dict)

    @property
    def report_round(self) -> str:
        return self.round_slugs[REPORT_ROUND_YEAR]


def _references() -> Any:
    """The offices, the standards and the 2012 edition, loaded when missing."""
    from standards.models import Office
    from standards.services import offices_load, standards_load
    from surveys.models import QuestionnaireEdition
    from surveys.questionnaire.loading import EDITIONS_DIR, edition_load

    if not Office.objects.exists():
        offices_load()
        standards_load()
    edition = QuestionnaireEdition.objects.filter(slug=EDITION_SLUG).first()
    if edition is None:
        edition, _ = edition_load(EDITIONS_DIR / f"{EDITION_SLUG}.json")
    return edition


def _answers(template: dict[str, Any], office_name: str, n: int) -> dict[str, Any]:
    answers = copy.deepcopy(template)
    if "q14a" in answers:
        example = answers["q14a"][0]
        example["office_name"] = office_name
        # Examples differ from response to response, as real ones do.
        example["example"] = f"{example['example']}{n % 10}"
    return answers


def _users(offices: list[Any], password: str) -> dict[str, str]:
    """A secretariat reviewer and a respondent of RESPONDENT_OFFICE (same password)."""
    from surveys.models import SECRETARIAT_GROUP, Membership

    hashed = make_password(password)
    reviewer, _ = User.objects.get_or_create(username="bench.secretariat", defaults={"password": hashed})
    reviewer.is_staff = True
    reviewer.password = hashed
    reviewer.save(update_fields=["is_staff", "password"])
    reviewer.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
    respondent, _ = User.objects.get_or_create(username="bench.respondent", defaults={"password": hashed})
    respondent.password = hashed
    respondent.save(update_fields=["password"])
    office = offices[RESPONDENT_OFFICE]
    Membership.objects.update_or_create(user=respondent, defaults={"office": office, "role": "respondent"})
    return {"secretariat": reviewer.username, "respondent": respondent.username}


@transaction.atomic
def generate(scale: int = 1, password: str = "", prefix: str = "bench") -> BenchData:
    """Write the generated data set at ``scale`` into the current database and say what it holds.

    ``password``: the sign-in password of the two generated users (none made without it)."""
    from standards.models import Office
    from surveys.models import Invitation, NumberingSystem, SurveyResponse, SurveyRound

    if scale < 1:
        raise ValueError("The scale is a whole number from 1.")
    edition = _references()
    offices = list(Office.objects.order_by("code")[:OFFICES])
    systems = []
    for i, office in enumerate(offices):
        # The bench respondent's office keeps its size: its dashboard shows the same rows at
        # every scale while the tables around it grow, which is what a flat page must survive.
        for n in range(SYSTEMS_PER_OFFICE[i % len(SYSTEMS_PER_OFFICE)] * (1 if i == RESPONDENT_OFFICE else scale)):
            label = SYSTEM_LABELS[n % len(SYSTEM_LABELS)]
            if n >= len(SYSTEM_LABELS):
                label = f"{label} (series {n // len(SYSTEM_LABELS) + 1})"
            systems.append(NumberingSystem(office=office, label=f"{label} ({prefix} ×{scale})"))
    systems = NumberingSystem.objects.bulk_create(systems, batch_size=BATCH)
    names = {office.code: office.name for office in offices}
    templates = answer_sets()
    data = BenchData(scale, edition.slug, {}, len(offices), len(systems), 0)
    for year, round_status, mix in ROUNDS:
        survey_round = SurveyRound.objects.create(
            edition=edition,
            slug=f"{prefix}-{year}-x{scale}",
            title=f"Questionnaire on application numbering ({year}), generated at {scale}×",
            year=year,
            opens_on=date(year, 3, 1),
            closes_on=date(year, 12, 31),
            status=round_status,
        )
        data.round_slugs[year] = survey_round.slug
        Invitation.objects.bulk_create([Invitation(round=survey_round, office=o) for o in offices])
        stamp = datetime(year, 6, 1, tzinfo=UTC)
        sequence: dict[str, int] = {}
        batch = []
        for i, system in enumerate(systems):
            sequence[system.office_id] = sequence.get(system.office_id, 0) + 1
            status = mix[(i * 7 + year) % len(mix)]
            template = templates[-1] if status == "draft" and i % 2 else templates[i % (len(templates) - 1)]
            batch.append(
                SurveyResponse(
                    round=survey_round,
                    office_id=system.office_id,
                    numbering_system=system,
                    sequence=sequence[system.office_id],
                    status=status,
                    answers=_answers(template, names[system.office_id], i),
                    version=1 if status == "draft" else 3,
                    submitted_at=None if status == "draft" else stamp,
                    accepted_at=stamp if status in ("accepted", "published") else None,
                    published_at=stamp if status == "published" else None,
                )
            )
            if status == "published" and year == REPORT_ROUND_YEAR:
                data.published_in_report_round += 1
            if len(batch) >= BATCH:
                SurveyResponse.objects.bulk_create(batch)
                data.responses += len(batch)
                batch = []
        SurveyResponse.objects.bulk_create(batch)
        data.responses += len(batch)
    if password:
        data.users = _users(offices, password)
    return data


def throwaway_postgres(url: str, suffix: str) -> tuple[str, Callable[[], None]]:
    """A new, empty PostgreSQL database on the server ``url`` names (its name followed by
    ``suffix``): its URL, and the function that drops it."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'wipostad'}_{suffix}"
    if not re.fullmatch(r"[A-Za-z0-9_]{1,63}", name):
        raise ValueError(f"Unsuitable name for a throw-away database: {name!r}")
    # Databases are created and dropped from the server's maintenance database.
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


@transaction.atomic
def generate_published_round(responses: int, slug: str) -> str:
    """One closed round of the 2012 edition with `responses` published responses, spread over
    the first 190 offices of the ST.3 list (one numbering system each, then a second, …), the
    answers cycling through the complete answer sets; the round's slug."""
    from standards.models import Office
    from surveys.models import Invitation, NumberingSystem, SurveyResponse, SurveyRound

    edition = _references()
    offices = list(Office.objects.order_by("code")[:OFFICES])
    year = REPORT_ROUND_YEAR
    survey_round = SurveyRound.objects.create(
        edition=edition,
        slug=slug,
        title=f"Questionnaire on application numbering ({year}), {responses} published responses",
        year=year,
        opens_on=date(year, 3, 1),
        closes_on=date(year, 12, 31),
        status="closed",
    )
    used = offices[: min(responses, len(offices))]
    Invitation.objects.bulk_create([Invitation(round=survey_round, office=o) for o in used])
    complete = [t for t in answer_sets() if t is not INCOMPLETE][:4]
    systems = NumberingSystem.objects.bulk_create(
        [NumberingSystem(office=used[i % len(used)], label=f"{slug} system {i + 1}") for i in range(responses)],
        batch_size=BATCH,
    )
    stamp = datetime(year, 6, 1, tzinfo=UTC)
    sequence: dict[str, int] = {}
    batch = []
    for i, system in enumerate(systems):
        sequence[system.office_id] = sequence.get(system.office_id, 0) + 1
        batch.append(
            SurveyResponse(
                round=survey_round,
                office_id=system.office_id,
                numbering_system=system,
                sequence=sequence[system.office_id],
                status="published",
                answers=_answers(complete[i % len(complete)], system.office.name, i),
                version=3,
                submitted_at=stamp,
                accepted_at=stamp,
                published_at=stamp,
            )
        )
    SurveyResponse.objects.bulk_create(batch, batch_size=BATCH)
    return survey_round.slug

"""Demonstration data: a few offices, users, a draft, a submitted response, and Moldova.

The Moldova answers are those of the published 2012 response (response 2 of 2); the
other offices' answers are illustrative only. A 2026 round on the revised edition
(application-numbering-2026, which revises 2012 with a mapping) is open to Moldova and the
EPO: when Moldova starts its trademarks response there, its published 2012 answers are
carried over through the mapping and marked for confirmation.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group, User
from django.db import transaction

from standards.models import Office
from surveys.accounts.backends import DEMO_PASSWORD
from surveys.models import (
    SECRETARIAT_GROUP,
    Attachment,
    Invitation,
    Membership,
    NumberingSystem,
    QuestionnaireEdition,
    SurveyRound,
)
from surveys.questionnaire.loading import EDITIONS_DIR, edition_load
from surveys.responses.services import response_save_draft, response_start
from surveys.review.workflow import response_accept, response_publish, response_submit

EDITION_SLUG = "application-numbering-2012"
ROUND_SLUG = "application-numbering-2012"
# What the demonstration shows beyond the logins (printed by load_demo).
NOTES = (
    "2026 round (the revised questionnaire, application-numbering-2026): sign in as md.approver and start "
    "the response for “Trademarks”. It opens pre-filled from Moldova's published 2012 answers through the "
    "revision's mapping: each carried answer is marked “Carried over from 2012 — confirm it below”, the answer "
    "that could not be carried (q14b, removed) is listed with why, and every section is to be confirmed before "
    "submitting. The comparison of the two rounds: /surveys/rounds/application-numbering-2026/comparison/.",
)
# The revised edition and its round: Moldova's 2012 answers pre-fill its response there.
REVISED_EDITION_SLUG = "application-numbering-2026"
REVISED_ROUND_SLUG = "application-numbering-2026"

# Published response md-002 (Republic of Moldova, 2012), answer for answer.
MOLDOVA_TRADEMARKS = {
    "q1a": ["trademarks"],
    "q1b": "1992",
    "q2a": ["serial"],
    "q3a": "other",
    "q3b": ["serial"],
    "q4a": "fixed",
    "q4b": {"serial": 6},
    "q5a": "no",
    "q6a": "no",
    "q7a": "yes",
    "q7b": "fixed",
    "q7c": "yes",
    "q7d": "no",
    "q7e": "no",
    "q7f": "no",
    "q8a": "no",
    "q9a": "no",
    "q10a": "no",
    "q11a": "no",
    "q12a": "yes",
    "q13a": "no",
    "q13b": "no",
    "q14a": [
        {"office_name": "State Agency on Intellectual Property", "example": "030812", "priority_presentation": "030812"}
    ],
    "q14b": "1992",
    "q14c": [{"serial_position": "1-6"}],
}

# Illustrative: a numbering system with a two-digit year and a check digit set apart.
EPO_PATENTS = {
    "q1a": ["patents", "pct_national"],
    "q1b": "1978",
    "q2a": ["year", "serial", "control"],
    "q3a": "other",
    "q3b": ["year", "serial", "control"],
    "q4a": "fixed",
    "q4b": {"year": 2, "serial": 6, "control": 1},
    "q5a": "no",
    "q6a": "yes",
    "q6b": "2",
    "q6c": "gregorian",
    "q7a": "yes",
    "q7b": "fixed",
    "q7c": "yes",
    "q7d": "yes",
    "q7e": "no",
    "q7f": "yes",
    "q8a": "no",
    "q9a": "yes",
    "q9b": "separate",
    "q9c": "ep_mod10_w12",
    "q10a": "no",
    "q11a": "yes",
    "q11b": ["dot"],
    "q11c": "no",
    "q12a": "yes",
    "q13a": "no",
    "q13b": "no",
    "q14a": [
        {"office_name": "European Patent Office", "example": "EP 99403122.7", "priority_presentation": "EP 99403122"}
    ],
    "q14b": "1978",
}

CHINA_DRAFT = {"q1a": ["patents", "utility_models", "industrial_designs"], "q2a": ["year", "type", "serial", "control"]}

USERS = [
    # username, office, role, secretariat
    ("ib.reviewer", None, None, True),
    ("md.respondent", "MD", Membership.Role.RESPONDENT, False),
    ("md.approver", "MD", Membership.Role.APPROVER, False),
    ("ep.respondent", "EP", Membership.Role.RESPONDENT, False),
    ("ep.approver", "EP", Membership.Role.APPROVER, False),
    ("cn.respondent", "CN", Membership.Role.RESPONDENT, False),
    ("cn.approver", "CN", Membership.Role.APPROVER, False),
]


def _user(username: str, office_code: str | None, role: str | None, secretariat: bool, password: str) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    if secretariat:
        user.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if office_code:
        Membership.objects.update_or_create(user=user, defaults={"office_id": office_code, "role": role})
    return user


def _answered(survey_round, office, label, user, answers, *, approver=None, reviewer=None, until="draft"):
    """Start and fill a response, then take it as far as `until` (draft/submitted/published)."""
    system, _ = NumberingSystem.objects.get_or_create(office=office, label=label, defaults={"created_by": user})
    response = response_start(survey_round=survey_round, numbering_system=system, user=user)
    if response.version == 1 and answers:
        response_save_draft(response=response, answers=answers, user=user, expected_version=response.version)
        if until in ("submitted", "published"):
            response_submit(response=response, user=approver)
        if until == "published":
            response_accept(response=response, user=reviewer, comment="Checked against the published record.")
            response_publish(response=response, user=reviewer)
    return response


@transaction.atomic
def demo_load(password: str = DEMO_PASSWORD) -> list[tuple[str, str]]:
    """Create the demonstration round, users and responses (safe to run again); new
    accounts get ``password``."""
    edition = QuestionnaireEdition.objects.get(slug=EDITION_SLUG)
    survey_round, _ = SurveyRound.objects.get_or_create(
        slug=ROUND_SLUG,
        defaults={
            "edition": edition,
            "title": "Questionnaire on application numbering (2012)",
            "year": 2012,
            "opens_on": date(2012, 3, 1),
            "closes_on": date(2012, 12, 31),
            # The 2012 results went to the CWS's third session, held 15 to 19 April 2013
            # (WIPO Handbook Part 7.2.5, June 2013; document WO/GA/43/16, Annex I).
            "cws_session": "CWS/3",
            "presented_on": date(2013, 4, 15),
        },
    )
    offices = {o.code: o for o in Office.objects.filter(code__in=["MD", "EP", "CN", "FR"])}
    for office in offices.values():
        Invitation.objects.get_or_create(round=survey_round, office=office)
    users = {u[0]: _user(*u, password=password) for u in USERS}

    md, reviewer = users["md.respondent"], users["ib.reviewer"]
    # Moldova filed two responses; the first (patents) is not part of the published seed,
    # so it is kept as an empty draft and only response 2 carries answers.
    _answered(survey_round, offices["MD"], "Patents, utility models and industrial designs", md, {})
    moldova = _answered(
        survey_round,
        offices["MD"],
        "Trademarks",
        md,
        MOLDOVA_TRADEMARKS,
        approver=users["md.approver"],
        reviewer=reviewer,
        until="published",
    )
    if not moldova.attachments.exists():
        Attachment.objects.create(
            response=moldova,
            question_id="q14d",
            token="md-002-example-2-doc",
            original_name="Example 2.doc",
            uploaded_by=md,
        )
    _answered(
        survey_round,
        offices["EP"],
        "European patent applications",
        users["ep.respondent"],
        EPO_PATENTS,
        approver=users["ep.approver"],
        until="submitted",
    )
    _answered(survey_round, offices["CN"], "Patents, utility models and designs", users["cn.respondent"], CHINA_DRAFT)
    _revised_round(offices)
    return [
        ("ib.reviewer", "secretariat reviewer (sees every office)"),
        ("md.respondent", "Republic of Moldova, respondent"),
        ("md.approver", "Republic of Moldova, approver (submits the office's responses)"),
        ("ep.respondent", "European Patent Office, respondent"),
        ("ep.approver", "European Patent Office, approver (submitted ep-001, waiting for review)"),
        ("cn.respondent", "China, respondent (has a draft)"),
        ("cn.approver", "China, approver (submits China's draft once it is complete)"),
    ]


def _revised_round(offices: dict[str, Office]) -> SurveyRound:
    """The 2026 round on the revised edition (loaded here when `load_edition` has not),
    Moldova and the EPO invited; nothing answered yet, so that Moldova's start shows the
    carrying over."""
    edition = QuestionnaireEdition.objects.filter(slug=REVISED_EDITION_SLUG).first()
    if edition is None:
        edition, _ = edition_load(EDITIONS_DIR / f"{REVISED_EDITION_SLUG}.xlsx")
    survey_round, _ = SurveyRound.objects.get_or_create(
        slug=REVISED_ROUND_SLUG,
        defaults={
            "edition": edition,
            "title": "Questionnaire on application numbering (2026 revision)",
            "year": 2026,
            "opens_on": date(2026, 3, 1),
            "closes_on": date(2026, 12, 31),
        },
    )
    for code in ("MD", "EP"):
        Invitation.objects.get_or_create(round=survey_round, office=offices[code])
    return survey_round

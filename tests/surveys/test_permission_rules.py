"""The rules of surveys/permissions.py, persona by persona: one table, a row per named
permission and object, the personas that may.

Office A (Republic of Moldova, MD) has a draft never submitted (md-001, "Patents"), a
published response (md-002, "Trademarks"), a response submitted and returned (md-003,
"Utility models"), and a numbering system with no response ("Industrial designs").
Besides the office and secretariat personas: a task-force reader and a translator.
The round invites MD and EP; a second round invites MD alone and has nothing published,
a third invites CN alone.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, User

from standards.models import Office
from surveys.models import Invitation, NumberingSystem, SurveyResponse, SurveyRound
from surveys.permissions import PERMISSIONS, may, private_rows
from surveys.review.workflow import response_return

PERSONAS = (
    "anonymous",
    "office_a_respondent",
    "office_a_approver",
    "office_b_respondent",
    "secretariat_reviewer",
    "task_force_reader",
    "translator",
)
ANON, A_RESP, A_APPR, B_RESP, IB, TF, TR = PERSONAS
NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(PERSONAS)
OFFICE_A = frozenset({A_RESP, A_APPR})

# (permission, object) → the personas that may. Objects are attributes of the world below;
# None asks without an object (may the user do it to any response, round …).
TABLE: list[tuple[str, str | None, frozenset[str]]] = [
    ("surveys.view_surveyresponse", "draft", OFFICE_A | {IB}),
    ("surveys.view_surveyresponse", "published", EVERYONE),
    ("surveys.view_surveyresponse", "returned", OFFICE_A | {IB, TF}),
    ("surveys.view_surveyresponse", None, frozenset({IB})),
    ("surveys.view_private_surveyresponse", "draft", OFFICE_A | {IB}),
    ("surveys.view_private_surveyresponse", "published", OFFICE_A | {IB, TF}),
    ("surveys.view_private_surveyresponse", "returned", OFFICE_A | {IB, TF}),
    ("surveys.view_private_surveyresponse", None, frozenset({IB})),
    ("surveys.view_every_office_responses", None, frozenset({IB, TF})),
    ("surveys.download_attachment", "draft", OFFICE_A | {IB}),
    ("surveys.download_attachment", "published", EVERYONE),
    ("surveys.download_attachment", None, frozenset({IB})),
    ("surveys.view_set_aside_answers", "draft", OFFICE_A),
    ("surveys.view_set_aside_answers", "published", OFFICE_A),
    ("surveys.view_set_aside_answers", "returned", OFFICE_A),
    ("surveys.change_surveyresponse", "draft", OFFICE_A),
    ("surveys.change_surveyresponse", "returned", OFFICE_A),
    ("surveys.change_surveyresponse", None, NOBODY),
    ("surveys.submit_surveyresponse", "draft", frozenset({A_APPR})),
    ("surveys.submit_surveyresponse", "returned", frozenset({A_APPR})),
    ("surveys.submit_surveyresponse", None, NOBODY),
    ("surveys.mark_ready_surveyresponse", "draft", OFFICE_A),
    ("surveys.mark_ready_surveyresponse", None, NOBODY),
    ("surveys.hand_back_surveyresponse", "draft", frozenset({A_APPR})),
    ("surveys.hand_back_surveyresponse", None, NOBODY),
    ("surveys.review_surveyresponse", "draft", frozenset({IB})),
    ("surveys.review_surveyresponse", "returned", frozenset({IB})),
    ("surveys.review_surveyresponse", None, frozenset({IB})),
    ("surveys.comment_surveyresponse", "draft", OFFICE_A | {IB}),
    ("surveys.comment_surveyresponse", "returned", OFFICE_A | {IB, TF}),
    ("surveys.comment_surveyresponse", None, frozenset({IB})),
    ("surveys.import_surveyresponse", None, frozenset({IB})),
    ("surveys.export_surveyresponse", None, frozenset({IB})),
    ("surveys.view_numberingsystem", "fresh_system", OFFICE_A | {IB}),
    ("surveys.view_numberingsystem", "published_system", EVERYONE),
    ("surveys.start_surveyresponse", "fresh_system", OFFICE_A),
    ("surveys.add_office_numberingsystem", "office_a", OFFICE_A),
    ("surveys.add_office_numberingsystem", "office_b", frozenset({B_RESP})),
    ("surveys.add_office_numberingsystem", None, NOBODY),
    ("surveys.manage_numberingsystems", None, frozenset({IB})),
    ("surveys.view_surveyround", "survey_round", EVERYONE),
    ("surveys.view_surveyround", "quiet_round", OFFICE_A | {IB, TF, TR}),
    ("surveys.view_surveyround", "other_round", frozenset({IB, TF, TR})),
    ("surveys.view_invited_offices", "survey_round", frozenset({IB})),
    ("surveys.translate_texts", None, frozenset({IB, TR})),
    ("surveys.translate_texts", "survey_round", frozenset({IB, TR})),
    ("surveys.view_round_dashboard", None, frozenset({IB})),
    ("surveys.open_surveyround", None, frozenset({IB})),
    ("surveys.remind_offices", "survey_round", frozenset({IB})),
    ("surveys.close_surveyround", "survey_round", frozenset({IB})),
    ("surveys.view_unpublished_figures", None, frozenset({IB, TF})),
    ("surveys.prepare_working_document", None, frozenset({IB})),
    ("surveys.resend_mail", None, frozenset({IB})),
    ("surveys.unlock_signin", None, frozenset({IB})),
    ("surveys.use_two_factor", None, frozenset({IB})),
    ("surveys.view_exportbuild", "public_figures", EVERYONE),
    ("surveys.view_exportbuild", "reviewed_figures", frozenset({IB, TF})),
    ("surveys.view_exportbuild", "submitted_figures", frozenset({IB, TF})),
    ("surveys.view_exportbuild", None, frozenset({IB, TF})),
    ("surveys.prepare_exportbuild", "public_figures", EVERYONE - {ANON}),
    ("surveys.prepare_exportbuild", "reviewed_figures", frozenset({IB, TF})),
    ("surveys.prepare_exportbuild", "submitted_figures", frozenset({IB, TF})),
    # Editions: translators read drafts (to translate them) and re-import texts.
    ("surveys.view_edition_drafts", None, frozenset({IB, TR})),
    ("surveys.upload_edition", None, frozenset({IB})),
    ("surveys.upload_spreadsheet", None, frozenset({IB, TR})),
    ("surveys.publish_edition", None, frozenset({IB})),
    ("surveys.invite_contacts", None, frozenset({IB})),
    ("surveys.invite_contacts", "survey_round", frozenset({IB})),
    # An office's people: its approvers, for the office or anything of it (a membership, an invitation).
    ("surveys.manage_office_people", "office_a", frozenset({A_APPR})),
    ("surveys.manage_office_people", "office_b", NOBODY),
    ("surveys.manage_office_people", "a_membership", frozenset({A_APPR})),
    ("surveys.manage_office_people", "b_membership", NOBODY),
    ("surveys.manage_office_people", None, NOBODY),
]


def _round(edition, slug: str, offices: list[str]) -> SurveyRound:
    survey_round = SurveyRound.objects.create(
        edition=edition, slug=slug, title=slug, year=2013, opens_on=date(2013, 1, 1), closes_on=date(2013, 12, 31)
    )
    for code in offices:
        Invitation.objects.create(round=survey_round, office_id=code)
    return survey_round


@pytest.fixture
def world(
    office_a_respondent,
    office_a_approver,
    office_b_respondent,
    secretariat_reviewer,
    task_force_reader,
    translator,
    make_response,
    moldova_answers,
    survey_round,
):
    draft = make_response(office_a_respondent, {"q1b": "1992"}, label="Patents")
    published = make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    returned = make_response(office_a_respondent, moldova_answers, label="Utility models", submit=True)
    response_return(response=returned, user=secretariat_reviewer, comment="Check q4b.")
    fresh_system = NumberingSystem.objects.create(office_id="MD", label="Industrial designs")
    assert (draft.public_key, published.public_key, published.status) == ("md-001", "md-002", "published")
    assert (returned.public_key, returned.status) == ("md-003", "returned")
    return SimpleNamespace(
        draft=draft,
        published=published,
        returned=returned,
        fresh_system=fresh_system,
        published_system=published.numbering_system,
        office_a=Office.objects.get(code="MD"),
        office_b=Office.objects.get(code="EP"),
        a_membership=office_a_respondent.membership,
        b_membership=office_b_respondent.membership,
        survey_round=survey_round,
        quiet_round=_round(survey_round.edition, "quiet", ["MD"]),
        other_round=_round(survey_round.edition, "other", ["CN"]),
        # What a report file is of (a build, or the key of one): its figures' scope.
        public_figures=SimpleNamespace(scope="published"),
        reviewed_figures=SimpleNamespace(scope="reviewed"),
        submitted_figures=SimpleNamespace(scope="with_submitted"),
        users={
            ANON: AnonymousUser(),
            A_RESP: office_a_respondent,
            A_APPR: office_a_approver,
            B_RESP: office_b_respondent,
            IB: secretariat_reviewer,
            TF: task_force_reader,
            TR: translator,
        },
    )


def _fresh(user):
    """The user as a new request sees it: nothing looked up yet."""
    return user if not user.is_authenticated else User.objects.get(pk=user.pk)


def test_the_table_names_every_permission():
    assert {perm for perm, _, _ in TABLE} == set(PERMISSIONS)


@pytest.mark.parametrize(("perm", "target", "allowed"), TABLE, ids=[f"{p}|{t}" for p, t, _ in TABLE])
def test_who_may(world, perm, target, allowed):
    obj = getattr(world, target) if target else None
    granted = {persona for persona, user in world.users.items() if may(_fresh(user), perm, obj)}
    assert granted == allowed


@pytest.mark.parametrize(("perm", "target", "allowed"), TABLE, ids=[f"{p}|{t}" for p, t, _ in TABLE])
def test_has_perm_agrees_for_every_persona(world, perm, target, allowed):
    """Django's own check asks the same rules (the personas hold no model permissions)."""
    obj = getattr(world, target) if target else None
    granted = {persona for persona, user in world.users.items() if _fresh(user).has_perm(perm, obj)}
    assert granted == allowed


def test_a_site_administrator_is_the_secretariat_but_no_office_member(world):
    admin = User.objects.create_superuser("site.admin", "admin@example.org", "x")
    assert may(admin, "surveys.review_surveyresponse", world.draft)
    assert may(admin, "surveys.view_private_surveyresponse", world.draft)
    assert not may(admin, "surveys.change_surveyresponse", world.draft)
    assert not may(admin, "surveys.submit_surveyresponse", world.draft)
    assert not may(admin, "surveys.start_surveyresponse", world.fresh_system)
    # Django's has_perm lets a superuser do anything; the application asks may().
    assert admin.has_perm("surveys.change_surveyresponse", world.draft)


def test_a_management_command_may_record_responses_and_nothing_else(world):
    assert may(None, "surveys.import_surveyresponse")
    assert [perm for perm in PERMISSIONS if may(None, perm)] == ["surveys.import_surveyresponse"]
    assert not may(None, "surveys.change_surveyresponse", world.draft)


def test_an_unknown_permission_is_an_error_not_a_refusal(world):
    with pytest.raises(KeyError, match="surveys.edit_everything"):
        may(world.users[IB], "surveys.edit_everything")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_querysets_hold_exactly_what_the_rules_allow(world, persona):
    user = world.users[persona]
    for model, perm in (
        (SurveyResponse, "surveys.view_surveyresponse"),
        (NumberingSystem, "surveys.view_numberingsystem"),
        (SurveyRound, "surveys.view_surveyround"),
    ):
        listed = set(model.objects.readable_by(_fresh(user)))
        assert listed == {obj for obj in model.objects.all() if may(_fresh(user), perm, obj)}, model
    private = set(private_rows(SurveyResponse.objects.all(), _fresh(user)))
    assert private == {
        r for r in SurveyResponse.objects.all() if may(_fresh(user), "surveys.view_private_surveyresponse", r)
    }


@pytest.mark.parametrize("persona", [A_RESP, B_RESP, IB, TF, TR])
def test_who_the_user_is_is_looked_up_once_per_request(world, persona, django_assert_num_queries):
    user = _fresh(world.users[persona])
    with django_assert_num_queries(2):  # the membership, the groups
        may(user, "surveys.review_surveyresponse", world.draft)
        may(user, "surveys.change_surveyresponse", world.draft)
    with django_assert_num_queries(0):
        for perm in ("surveys.view_private_surveyresponse", "surveys.submit_surveyresponse"):
            for response in (world.draft, world.published):
                may(user, perm, response)


def test_which_accounts_an_office_may_take_in_or_must_leave_active(world):
    from django.contrib.auth.models import Group

    from surveys.models import TASK_FORCE_GROUP, TRANSLATOR_GROUP
    from surveys.permissions import is_bureau_account, keeps_account_without_office

    users = world.users
    assert [p for p in PERSONAS if is_bureau_account(_fresh(users[p]))] == [IB]
    staff = User.objects.create_user("staff.member", is_staff=True)
    assert is_bureau_account(staff) and keeps_account_without_office(staff)
    assert not keeps_account_without_office(_fresh(users[A_RESP]))
    for group in (TASK_FORCE_GROUP, TRANSLATOR_GROUP):
        person = User.objects.create_user(f"{group}.member")
        person.groups.add(Group.objects.get_or_create(name=group)[0])
        assert keeps_account_without_office(person) and not is_bureau_account(person)

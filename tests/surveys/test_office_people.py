"""An office's approvers manage its people: invite colleagues, change their roles, remove
them; never another office's, and never leaving the office without an approver."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.accounts import people
from surveys.errors import NotAllowed, WorkflowError
from surveys.models import TASK_FORCE_GROUP, AccountInvitation, Membership
from tests.surveys.test_invitations import accept, link_in
from tests.surveys.web_helpers import logged_in

PAGE = "/surveys/office/people/"


def member(user) -> Membership:
    return Membership.objects.get(user=user)


def test_the_page_is_the_approvers_of_an_office(
    office_a_approver, office_a_respondent, secretariat_reviewer, office_b_respondent, client
):
    assert reverse("surveys:office_people") == PAGE
    assert client.get(PAGE).status_code == 302
    for user in (office_a_respondent, secretariat_reviewer, office_b_respondent):
        assert logged_in(user).get(PAGE).status_code == 403
        assert (
            logged_in(user).post(PAGE, {"emails": "x@example.org", "role": "respondent", "language": "en"}).status_code
            == 403
        )
    assert not AccountInvitation.objects.exists()
    page = logged_in(office_a_approver).get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "a.respondent@example.org" in html and "a.approver@example.org" in html
    assert "b.respondent@example.org" not in html


def test_the_office_dashboard_links_to_the_page_for_approvers_only(office_a_approver, office_a_respondent):
    dashboard = reverse("surveys:dashboard")
    assert f'href="{PAGE}"' in logged_in(office_a_approver).get(dashboard).content.decode()
    assert f'href="{PAGE}"' not in logged_in(office_a_respondent).get(dashboard).content.decode()


def test_an_approver_invites_a_colleague_who_joins_the_office(office_a_approver, django_capture_on_commit_callbacks):
    approver = logged_in(office_a_approver)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = approver.post(PAGE, {"emails": "colleague@agepi.example", "role": "approver", "language": "es"})
    assert answer.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "[wipostad] Invitación a responder en nombre de República de Moldova"
    assert "a.approver@example.org le invita" in message.body
    page = approver.get(PAGE).content.decode()
    assert "colleague@agepi.example" in page and ">Send again<" in page
    accept(Client(), link_in(message)[1])
    assert Membership.objects.get(user__email="colleague@agepi.example").role == "approver"
    assert "colleague@agepi.example" in approver.get(PAGE).content.decode()


def test_an_approver_changes_a_colleagues_role(office_a_approver, office_a_respondent):
    approver = logged_in(office_a_approver)
    answer = approver.post(
        reverse("surveys:office_person_role", args=[member(office_a_respondent).pk]), {"role": "approver"}
    )
    assert answer.status_code == 302 and answer["Location"] == PAGE
    assert member(office_a_respondent).role == "approver"
    # Now two approvers: the first may step down to respondent.
    approver.post(reverse("surveys:office_person_role", args=[member(office_a_approver).pk]), {"role": "respondent"})
    assert member(office_a_approver).role == "respondent"


def test_the_last_approver_stays_one(office_a_approver, office_a_respondent):
    with pytest.raises(WorkflowError, match="only approver"):
        people.member_role_set(member=member(office_a_approver), role="respondent", user=office_a_approver)
    page = logged_in(office_a_approver).post(
        reverse("surveys:office_person_role", args=[member(office_a_approver).pk]), {"role": "respondent"}, follow=True
    )
    assert "the office&#x27;s only approver" in page.content.decode() or "only approver" in page.content.decode()
    assert member(office_a_approver).role == "approver"


def test_removing_a_colleague_asks_first_then_deactivates_the_account(office_a_approver, office_a_respondent):
    approver = logged_in(office_a_approver)
    url = reverse("surveys:office_person_remove", args=[member(office_a_respondent).pk])
    confirm = approver.get(url)
    assert confirm.status_code == 200 and ">Remove from the office<" in confirm.content.decode()
    assert Membership.objects.filter(user=office_a_respondent).exists()
    answer = approver.post(url)
    assert answer.status_code == 302
    office_a_respondent.refresh_from_db()
    assert not Membership.objects.filter(user=office_a_respondent).exists()
    assert not office_a_respondent.is_active
    # Their sessions end with it.
    assert logged_in(office_a_respondent).get(reverse("surveys:dashboard")).status_code == 302


def test_an_account_with_another_use_stays_active(office_a_approver, office_a_respondent):
    office_a_respondent.groups.add(Group.objects.get_or_create(name=TASK_FORCE_GROUP)[0])
    assert people.member_remove(member=member(office_a_respondent), user=office_a_approver) is False
    office_a_respondent.refresh_from_db()
    assert office_a_respondent.is_active


def test_an_approver_cannot_remove_themselves_nor_leave_the_office_without_an_approver(
    office_a_approver, office_a_respondent
):
    with pytest.raises(WorkflowError, match="cannot remove yourself"):
        people.member_remove(member=member(office_a_approver), user=office_a_approver)
    second = User.objects.create_user("second", email="second@example.org")
    Membership.objects.create(user=second, office_id="MD", role="approver")
    people.member_role_set(member=member(office_a_approver), role="respondent", user=second)
    with pytest.raises(WorkflowError, match="only approver"):
        people.member_role_set(member=member(second), role="respondent", user=second)
    assert member(second).role == "approver"
    assert Membership.objects.filter(user=office_a_approver).exists()


def test_another_offices_people_and_invitations_are_not_found(
    office_a_approver, office_b_respondent, secretariat_reviewer, reference_data
):
    from standards.models import Office
    from surveys.accounts import invitations

    ep_approver = User.objects.create_user("ep.approver", email="ep.approver@example.org")
    Membership.objects.create(user=ep_approver, office_id="EP", role="approver")
    outcome = invitations.invitations_send(
        office=Office.objects.get(code="EP"),
        emails=["ep.colleague@example.org"],
        role="respondent",
        language="en",
        user=ep_approver,
        base_url="http://testserver",
    )
    ep_invitation = outcome.invited[0]
    approver = logged_in(office_a_approver)
    other = member(office_b_respondent).pk
    assert approver.post(reverse("surveys:office_person_role", args=[other]), {"role": "approver"}).status_code == 404
    assert approver.get(reverse("surveys:office_person_remove", args=[other])).status_code == 404
    assert approver.post(reverse("surveys:office_person_remove", args=[other])).status_code == 404
    assert approver.post(reverse("surveys:invitation_resend", args=[ep_invitation.pk])).status_code == 404
    assert approver.post(reverse("surveys:invitation_revoke", args=[ep_invitation.pk])).status_code == 404
    assert member(office_b_respondent).role == "respondent" and Membership.objects.filter(office_id="EP").count() == 2
    ep_invitation.refresh_from_db()
    assert ep_invitation.state == "pending" and ep_invitation.send_count == 1
    with pytest.raises(NotAllowed):
        people.member_role_set(member=member(office_b_respondent), role="approver", user=office_a_approver)
    # A respondent of the invitation's own office does not manage it either.
    respondent = logged_in(office_b_respondent)
    assert respondent.post(reverse("surveys:invitation_revoke", args=[ep_invitation.pk])).status_code == 404
    # The approver of that office does.
    answer = logged_in(ep_approver).post(reverse("surveys:invitation_revoke", args=[ep_invitation.pk]))
    assert answer.status_code == 302 and answer["Location"] == PAGE


def test_the_forms_need_the_csrf_token(office_a_approver, office_a_respondent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_a_approver)
    url = reverse("surveys:office_person_role", args=[member(office_a_respondent).pk])
    assert client.post(url, {"role": "approver"}).status_code == 403
    assert client.post(PAGE, {"emails": "x@example.org", "role": "respondent", "language": "en"}).status_code == 403
    assert member(office_a_respondent).role == "respondent" and not AccountInvitation.objects.exists()


def test_the_page_costs_the_same_queries_whatever_the_number_of_people(office_a_approver, office_a_respondent):
    from standards.models import Office
    from surveys.accounts import invitations

    client = logged_in(office_a_approver)
    md = Office.objects.get(code="MD")
    invitations.invitations_send(
        office=md, emails=["w@example.org"], role="respondent", language="fr", user=office_a_approver, base_url=""
    )
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGE).status_code == 200
    for n in range(8):
        user = User.objects.create_user(f"p{n}", email=f"p{n}@example.org")
        Membership.objects.create(user=user, office_id="MD")
    invitations.invitations_send(
        office=md,
        emails=[f"w{n}@example.org" for n in range(7)],
        role="respondent",
        language="fr",
        user=office_a_approver,
        base_url="http://testserver",
    )
    with CaptureQueriesContext(connection) as many:
        page = client.get(PAGE)
    assert len(page.context["page"]) == 10 and len(page.context["open_invitations"]) == 8
    assert len(many) == len(few)

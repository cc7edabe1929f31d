"""Invitations: the secretariat (or an office's approver) invites a contact; the e-mail, in
the contact's language, carries a single-use, expiring link to set a password and reach
the office's dashboard; invitations can be sent again (a new link) and revoked."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from surveys.accounts import invitations
from surveys.accounts.services import language_of
from surveys.errors import NotAllowed, WorkflowError
from surveys.models import AccountInvitation, Membership, OutgoingMail
from tests.surveys.web_helpers import logged_in

BASE = "https://surveys.example.org"
LINK = re.compile(r"(https?://\S+/accounts/invitations/([^/\s]+)/)")


def link_in(message) -> tuple[str, str]:
    """The invitation link of an e-mail and its path."""
    (url, _token) = LINK.search(message.body).groups()
    return url, url.removeprefix(BASE).removeprefix("http://testserver")


def invite(user, office_code="MD", emails=("new.person@example.org",), role="respondent", language="en", **kw):
    from standards.models import Office

    return invitations.invitations_send(
        office=Office.objects.get(code=office_code),
        emails=list(emails),
        role=role,
        language=language,
        user=user,
        base_url=BASE,
        **kw,
    )


@pytest.fixture
def sent(secretariat_reviewer, survey_round, django_capture_on_commit_callbacks):
    """One invitation of a Moldovan contact for the round, its e-mail sent."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = invite(secretariat_reviewer, survey_round=survey_round, language="fr")
    (invitation,) = outcome.invited
    (message,) = mail.outbox
    return invitation, message


def accept(client, path, password="A long pass phrase 2027"):
    return client.post(path, {"new_password1": password, "new_password2": password})


# --- the invitation and its e-mail ---------------------------------------------------------


def test_the_invitation_keeps_only_a_digest_of_the_link(sent):
    invitation, message = sent
    url, _path = link_in(message)
    token = LINK.search(message.body).group(2)
    assert url.startswith(f"{BASE}/accounts/invitations/")
    assert invitation.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(AccountInvitation.objects.filter(pk=invitation.pk).values().get())
    assert len(token) >= 40
    assert invitation.state == "pending" and invitation.send_count == 1
    days = (invitation.expires_at - invitation.created_at).days
    assert days == settings.WIPOSTAD_INVITATION_DAYS == 14


def test_the_e_mail_is_in_the_contacts_language_with_office_role_round_deadline_and_expiry(sent, survey_round):
    invitation, message = sent
    assert message.to == ["new.person@example.org"]
    assert message.subject == "[wipostad] Invitation à répondre pour République de Moldova"
    body = message.body
    assert "Le Bureau international de l’OMPI vous invite à répondre pour République de Moldova (MD)" in body
    assert "répondant" in body
    assert f"«\u00a0{survey_round.title}\u00a0»" in body and "31 décembre 2012" in body
    expiry = timezone.localtime(invitation.expires_at)
    assert f"jusqu’au {expiry.day} " in body
    assert "Your response" not in body and "Hello" not in body
    # Recorded like every e-mail of the site.
    assert OutgoingMail.objects.get().recipients == ["new.person@example.org"]


def test_the_link_uses_the_site_address_when_one_is_set(settings, secretariat_reviewer, survey_round, client):
    settings.WIPOSTAD_SITE_URL = "https://cws.example.int"
    assert invitations.site_url() == "https://cws.example.int"
    settings.WIPOSTAD_SITE_URL = ""
    request = client.get("/").wsgi_request
    assert invitations.site_url(request) == "http://testserver"


def test_only_the_secretariat_and_the_offices_approvers_invite(
    office_a_respondent, office_a_approver, office_b_respondent, reference_data
):
    for user in (office_a_respondent, office_b_respondent):
        with pytest.raises(NotAllowed):
            invite(user, "MD")
    with pytest.raises(NotAllowed):
        invite(office_a_approver, "EP")
    assert invite(office_a_approver, "MD").invited


def test_addresses_that_cannot_be_invited_are_refused_one_by_one(
    secretariat_reviewer, office_a_respondent, office_b_respondent, reference_data
):
    outcome = invite(
        secretariat_reviewer,
        "MD",
        emails=["ok@example.org", "not-an-address", office_b_respondent.email, office_a_respondent.email.upper()],
    )
    assert [i.email for i in outcome.invited] == ["ok@example.org"]
    reasons = dict(outcome.refused)
    assert reasons["not-an-address"] == "not an e-mail address"
    assert "another office" in reasons["b.respondent@example.org"]
    assert "already has an account in this office" in reasons["a.respondent@example.org"]
    assert (
        "International Bureau"
        in dict(invite(secretariat_reviewer, emails=[secretariat_reviewer.email]).refused)[secretariat_reviewer.email]
    )


def test_addresses_are_read_from_lines_commas_and_semicolons():
    text = "A@Example.org, b@example.org;\n c@example.org  a@example.org\n<d@example.org>"
    assert invitations.addresses_in(text) == ["a@example.org", "b@example.org", "c@example.org", "d@example.org"]


def test_inviting_again_sends_the_open_invitation_again_with_a_new_role(secretariat_reviewer, sent):
    invitation, _message = sent
    outcome = invite(secretariat_reviewer, role="approver", language="es")
    assert outcome.sent_again == [AccountInvitation.objects.get()]
    invitation.refresh_from_db()
    assert (invitation.role, invitation.language, invitation.send_count) == ("approver", "es", 2)


# --- accepting ----------------------------------------------------------------------------


def test_accepting_makes_the_account_signs_in_and_lands_on_the_dashboard(sent, client):
    invitation, message = sent
    _url, path = link_in(message)
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    # In the language chosen for the contact, until they choose another.
    assert '<html lang="fr">' in html and "Accepter l’invitation" in html
    assert "République de Moldova" in html and "Répondant" in html and invitation.round.title in html
    assert 'name="new_password1"' in html and 'name="new_password2"' in html

    answer = accept(client, path)
    assert answer.status_code == 302 and answer["Location"] == reverse("surveys:dashboard")
    user = User.objects.get(email="new.person@example.org")
    assert user.username == "new.person@example.org" and user.check_password("A long pass phrase 2027")
    assert Membership.objects.filter(user=user, office_id="MD", role="respondent").exists()
    assert language_of(user) == "fr"
    invitation.refresh_from_db()
    assert invitation.state == "accepted" and invitation.accepted_user == user
    assert invitation.accepted_at == user.last_login and invitation.signed_in_since is False
    # Signed in, in the person's language.
    dashboard = client.get(reverse("surveys:dashboard"))
    assert dashboard.wsgi_request.user == user
    assert '<html lang="fr">' in dashboard.content.decode()
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_the_link_works_once(sent, client):
    _invitation, message = sent
    _url, path = link_in(message)
    accept(client, path)
    again = Client().get(path)
    assert again.status_code == 410
    assert "already been accepted" in again.content.decode()
    assert accept(Client(), path).status_code == 410
    assert User.objects.filter(email="new.person@example.org").count() == 1


def test_the_passwords_must_match_and_pass_the_validators(sent, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the switcher's choice wins
    _invitation, message = sent
    _url, path = link_in(message)
    page = client.post(path, {"new_password1": "12345678", "new_password2": "12345678"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "This password is too common." in html or "too common" in html
    page = client.post(path, {"new_password1": "A long pass phrase 1", "new_password2": "A long pass phrase 2"})
    assert page.status_code == 400 and "didn’t match" in page.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_an_expired_link_gets_a_clear_page(sent, client):
    invitation, message = sent
    AccountInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    _url, path = link_in(message)
    for answer in (client.get(path), accept(client, path)):
        assert answer.status_code == 410
        html = answer.content.decode()
        assert "has expired" in html and "Traceback" not in html
    assert not User.objects.filter(email="new.person@example.org").exists()
    assert AccountInvitation.objects.get().state == "expired"


def test_a_revoked_link_stops_working(sent, client, secretariat_reviewer):
    invitation, message = sent
    invitations.invitation_revoke(invitation=invitation, user=secretariat_reviewer)
    _url, path = link_in(message)
    answer = client.get(path)
    assert answer.status_code == 410 and "withdrawn" in answer.content.decode()
    with pytest.raises(WorkflowError, match="revoked"):
        invitations.invitation_resend(invitation=invitation, user=secretariat_reviewer, base_url=BASE)


def test_sending_again_gives_a_new_link_and_the_old_one_stops_working(
    sent, client, secretariat_reviewer, django_capture_on_commit_callbacks
):
    invitation, first = sent
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitation_resend(invitation=invitation, user=secretariat_reviewer, base_url=BASE)
    second = mail.outbox[-1]
    (_u1, old), (_u2, new) = link_in(first), link_in(second)
    assert old != new
    answer = client.get(old)
    assert answer.status_code == 404
    html = answer.content.decode()
    assert "not valid" in html and "latest e-mail" in html and "new.person" not in html
    assert client.get(new).status_code == 200
    invitation.refresh_from_db()
    assert invitation.send_count == 2


def test_an_unknown_link_says_nothing_of_other_invitations(client, sent):
    answer = client.get(reverse("invitation_accept", args=["made-up-token"]))
    assert answer.status_code == 404
    assert "Republic of Moldova" not in answer.content.decode()


def test_an_address_that_joined_another_office_meanwhile_is_refused_clearly(sent, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the switcher's choice wins
    _invitation, message = sent
    other = User.objects.create_user("someone", email="New.Person@example.org", password="x")
    Membership.objects.create(user=other, office_id="EP")
    _url, path = link_in(message)
    page = client.get(path)
    assert page.status_code == 200
    assert "belongs to an account of another office" in page.content.decode()
    assert 'name="new_password1"' not in page.content.decode()
    assert accept(client, path).status_code == 200
    assert not Membership.objects.filter(office_id="MD", user=other).exists()


def test_an_account_without_an_office_is_attached(sent, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the switcher's choice wins
    _invitation, message = sent
    existing = User.objects.create_user("np", email="new.person@example.org", password="old", is_active=False)
    _url, path = link_in(message)
    assert "already exists" in client.get(path).content.decode()
    accept(client, path)
    existing.refresh_from_db()
    assert existing.is_active and existing.check_password("A long pass phrase 2027")
    assert existing.membership.office_id == "MD"
    assert User.objects.filter(email__iexact="new.person@example.org").count() == 1


def test_accepting_needs_the_csrf_token(sent):
    _invitation, message = sent
    _url, path = link_in(message)
    client = Client(enforce_csrf_checks=True)
    assert client.get(path).status_code == 200
    refused = client.post(
        path, {"new_password1": "A long pass phrase 2027", "new_password2": "A long pass phrase 2027"}
    )
    assert refused.status_code == 403
    assert not User.objects.filter(email="new.person@example.org").exists()


# --- the secretariat's page of a round's contacts ----------------------------------------------


def _page_url(survey_round) -> str:
    return reverse("surveys:round_invitations", args=[survey_round.slug])


def test_only_the_secretariat_opens_the_round_invitations_page(
    survey_round, office_a_approver, office_a_respondent, secretariat_reviewer, client
):
    url = _page_url(survey_round)
    assert client.get(url).status_code == 302
    for user in (office_a_approver, office_a_respondent):
        assert logged_in(user).get(url).status_code == 403
        assert logged_in(user).post(url, {"office": "MD", "emails": "x@example.org"}).status_code == 403
    assert not AccountInvitation.objects.exists()
    assert logged_in(secretariat_reviewer).get(url).status_code == 200


def test_the_secretariat_invites_several_and_keeps_the_refused_in_the_form(
    survey_round, secretariat_reviewer, office_b_respondent, django_capture_on_commit_callbacks
):
    client = logged_in(secretariat_reviewer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            _page_url(survey_round),
            {
                "office": "MD",
                "emails": "one@example.org\ntwo@example.org, broken@, b.respondent@example.org",
                "role": "approver",
                "language": "es",
            },
        )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Invitations sent to one@example.org, two@example.org." in html
    assert "Not invited: broken@ (not an e-mail address)." in html
    assert "Not invited: b.respondent@example.org" in html
    textarea = html[html.index('name="emails"') :].split("</textarea>")[0]
    assert "broken@" in textarea and "one@example.org" not in textarea
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.org", "two@example.org"]
    assert all("Invitación" in m.subject for m in mail.outbox)
    assert set(AccountInvitation.objects.values_list("round", "role", "language")) == {
        (survey_round.pk, "approver", "es")
    }


def test_an_office_not_invited_to_the_round_cannot_be_chosen(survey_round, secretariat_reviewer):
    page = logged_in(secretariat_reviewer).post(
        _page_url(survey_round), {"office": "CN", "emails": "x@example.org", "role": "respondent", "language": "en"}
    )
    assert page.status_code == 400 and not AccountInvitation.objects.exists()
    assert "Select a valid choice" in page.content.decode()


def test_the_contacts_list_shows_each_state_with_resend_and_revoke(
    survey_round, secretariat_reviewer, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = invite(
            secretariat_reviewer, emails=["p@example.org", "e@example.org", "r@example.org", "a@example.org"]
        )
    by = {i.email: i for i in outcome.invited}
    AccountInvitation.objects.filter(pk=by["e@example.org"].pk).update(expires_at=timezone.now() - timedelta(days=1))
    invitations.invitation_revoke(invitation=by["r@example.org"], user=secretariat_reviewer)
    path = link_in(next(m for m in mail.outbox if m.to == ["a@example.org"]))[1]
    accept(client, path)
    ib = logged_in(secretariat_reviewer)
    page = ib.get(_page_url(survey_round))
    rows = {inv.email: inv.state for inv in page.context["page"]}
    assert rows == {
        "p@example.org": "pending",
        "e@example.org": "expired",
        "r@example.org": "revoked",
        "a@example.org": "accepted",
    }
    html = page.content.decode()
    assert "not signed in since" in html
    assert html.count(">Send again<") == 2 and html.count(">Revoke<") == 2
    expired = ib.get(_page_url(survey_round), {"state": "expired"})
    assert [i.email for i in expired.context["page"]] == ["e@example.org"]
    # Sending the expired one again from the page.
    answer = ib.post(
        reverse("surveys:invitation_resend", args=[by["e@example.org"].pk]), {"next": _page_url(survey_round)}
    )
    assert answer.status_code == 302 and answer["Location"] == _page_url(survey_round)
    assert AccountInvitation.objects.get(email="e@example.org").state == "pending"
    ib.post(reverse("surveys:invitation_revoke", args=[by["p@example.org"].pk]))
    assert AccountInvitation.objects.get(email="p@example.org").state == "revoked"


def test_an_accepted_invitation_shows_a_later_sign_in(sent, client, secretariat_reviewer, survey_round):
    invitation, message = sent
    accept(client, link_in(message)[1])
    user = User.objects.get(email="new.person@example.org")
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() + timedelta(minutes=5))
    invitation.refresh_from_db()
    assert invitation.signed_in_since is True
    html = logged_in(secretariat_reviewer).get(_page_url(survey_round)).content.decode()
    assert "last signed in" in html and "not signed in since" not in html


def test_the_contacts_page_costs_the_same_queries_whatever_the_number_of_rows(
    survey_round, secretariat_reviewer, client
):
    client = logged_in(secretariat_reviewer)
    invite(secretariat_reviewer, emails=["first@example.org"])
    with CaptureQueriesContext(connection) as one:
        assert client.get(_page_url(survey_round)).status_code == 200
    invite(secretariat_reviewer, emails=[f"p{n}@example.org" for n in range(12)])
    invite(secretariat_reviewer, "EP", emails=[f"q{n}@example.org" for n in range(12)])
    with CaptureQueriesContext(connection) as many:
        page = client.get(_page_url(survey_round))
    assert len(page.context["page"]) == 25
    assert len(many) == len(one)


def test_opening_a_round_leads_to_its_invitations(edition, secretariat_reviewer):
    page = logged_in(secretariat_reviewer).post(
        reverse("surveys:round_new"),
        {
            "edition": edition.pk,
            "title": "Application numbering 2027",
            "slug": "application-numbering-2027",
            "year": 2027,
            "opens_on": "2027-01-15",
            "closes_on": "2027-06-30",
            "offices": "MD EP",
        },
    )
    assert page.status_code == 302
    assert page["Location"] == reverse("surveys:round_invitations", args=["application-numbering-2027"])


# --- the round dashboard's contacts ---------------------------------------------------------


def test_the_round_dashboard_counts_contacts_per_office_in_one_query(
    survey_round, secretariat_reviewer, client, django_capture_on_commit_callbacks
):
    url = reverse("surveys:round_dashboard", args=[survey_round.slug])
    ib = logged_in(secretariat_reviewer)
    with CaptureQueriesContext(connection) as before:
        ib.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        invite(secretariat_reviewer, emails=["a@example.org", "b@example.org", "c@example.org"])
        invite(secretariat_reviewer, "EP", emails=["d@example.org"])
    accept(client, link_in(next(m for m in mail.outbox if m.to == ["a@example.org"]))[1])
    invitations.invitation_revoke(
        invitation=AccountInvitation.objects.get(email="c@example.org"), user=secretariat_reviewer
    )
    with CaptureQueriesContext(connection) as after:
        page = ib.get(url)
    assert len(after) == len(before)
    contacts = {c["office"].code: (c["invited"], c["accepted"], c["not_back"]) for c in page.context["contacts"]}
    assert contacts == {"MD": (2, 1, 1), "EP": (1, 0, 0)}
    html = page.content.decode()
    assert reverse("surveys:round_invitations", args=[survey_round.slug]) in html
    assert "Not signed in since accepting" in html


# --- the admin --------------------------------------------------------------------------------


def test_the_admin_shows_invitations_read_only_and_sends_again_or_revokes(
    secretariat_reviewer, sent, django_capture_on_commit_callbacks
):
    invitation, _message = sent
    secretariat_reviewer.is_staff = True
    secretariat_reviewer.save()
    client = logged_in(secretariat_reviewer)
    changelist = reverse("admin:surveys_accountinvitation_changelist")
    assert client.get(changelist).status_code == 200
    detail = client.get(reverse("admin:surveys_accountinvitation_change", args=[invitation.pk]))
    assert detail.status_code == 200 and invitation.token_digest in detail.content.decode()
    assert b'name="email"' not in detail.content  # read only
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(changelist, {"action": "send_again", "_selected_action": [invitation.pk]})
    assert len(mail.outbox) == 1
    client.post(changelist, {"action": "revoke", "_selected_action": [invitation.pk]})
    invitation.refresh_from_db()
    assert invitation.state == "revoked" and invitation.send_count == 2
    assert client.get(reverse("admin:surveys_preferences_changelist")).status_code == 200


# --- end to end, without a browser ----------------------------------------------------------


def test_the_secretariat_invites_two_contacts_who_each_get_in(
    survey_round, secretariat_reviewer, django_capture_on_commit_callbacks
):
    ib = logged_in(secretariat_reviewer)
    url = _page_url(survey_round)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for office, email, role, language in (
            ("MD", "ana@agepi.example", "approver", "fr"),
            ("EP", "hans@epo.example", "respondent", "es"),
        ):
            answer = ib.post(url, {"office": office, "emails": email, "role": role, "language": language})
            assert answer.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@agepi.example", "hans@epo.example"]
    for message in mail.outbox:
        contact = Client()
        link, path = link_in(message)
        assert link.startswith("http://testserver/accounts/invitations/")
        form = contact.get(path)
        assert form.status_code == 200
        answer = contact.post(
            path, {"new_password1": "Correct horse battery 9", "new_password2": "Correct horse battery 9"}, follow=True
        )
        assert answer.redirect_chain == [(reverse("surveys:dashboard"), 302)]
        dashboard = answer.content.decode()
        user = answer.wsgi_request.user
        assert user.email == message.to[0]
        assert user.membership.office.name_in(answer.wsgi_request.LANGUAGE_CODE) in dashboard
        signed_in = Client().post(reverse("login"), {"username": message.to[0], "password": "Correct horse battery 9"})
        assert signed_in.status_code == 302 and signed_in["Location"] == reverse("surveys:dashboard")
    ana = User.objects.get(email="ana@agepi.example")
    assert (ana.membership.office_id, ana.membership.role, language_of(ana)) == ("MD", "approver", "fr")
    states = {i.email: i.state for i in AccountInvitation.objects.all()}
    assert states == {"ana@agepi.example": "accepted", "hans@epo.example": "accepted"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's EXPLAIN QUERY PLAN")
@pytest.mark.parametrize("query", ["", "?office=MD", "?state=pending"])
def test_the_contacts_list_reads_its_page_in_order_from_its_index(survey_round, secretariat_reviewer, query):
    from tests.surveys.test_list_indexes import SORTS_EVERY_ROW, page_queries, plan, the_page_query

    invite(secretariat_reviewer, emails=[f"p{n:02}@example.org" for n in range(30)])
    invite(secretariat_reviewer, "EP", emails=[f"q{n:02}@example.org" for n in range(30)])
    queries = page_queries(logged_in(secretariat_reviewer), _page_url(survey_round) + query)
    read = plan(the_page_query(queries, "surveys_accountinvitation"))
    assert "accountinvitation_listing" in read and SORTS_EVERY_ROW not in read, read


def test_a_username_already_taken_gets_a_suffix_and_the_page_says_which(sent, client):
    _invitation, message = sent
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    User.objects.create_user("new.person@example.org", email="someone.else@example.org")
    _url, path = link_in(message)
    assert "<dd>new.person@example.org-2</dd>" in client.get(path).content.decode()
    answer = accept(client, path, password="A long pass phrase 2027")
    assert answer.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert user.username == "new.person@example.org-2"
    welcome = client.get(reverse("surveys:dashboard")).content.decode()
    assert "La prochaine fois, connectez-vous avec new.person@example.org-2." in welcome  # the stored language


# --- no flooding ------------------------------------------------------------------------------


def test_one_address_gets_at_most_three_invitations_an_hour_whoever_sends_them(
    sent, secretariat_reviewer, office_a_approver, django_capture_on_commit_callbacks
):
    invitation, _first = sent
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitation_resend(invitation=invitation, user=secretariat_reviewer, base_url=BASE)
        again = invite(office_a_approver, emails=["new.person@example.org", "other.person@example.org"])
    assert [i.email for i in again.sent_again] == ["new.person@example.org"]
    assert len(mail.outbox) == 4  # three to the address, one to the other person
    # A fourth within the hour is refused, by any way of sending, with the wait.
    refused = invite(secretariat_reviewer, emails=["New.Person@example.org"])
    assert refused.invited == refused.sent_again == []
    ((email, why),) = refused.refused
    assert email == "new.person@example.org"
    assert why == "was sent 3 invitations in the last hour; try again in 60 minutes"
    with pytest.raises(WorkflowError) as caught:
        invitations.invitation_resend(invitation=invitation, user=secretariat_reviewer, base_url=BASE)
    assert str(caught.value) == (
        "Not sent again: new.person@example.org (was sent 3 invitations in the last hour; try again in 60 minutes)."
    )
    assert len(mail.outbox) == 4
    invitation.refresh_from_db()
    assert invitation.send_count == 3  # the refused sendings made no new link


def test_an_offices_coordinators_send_a_bounded_number_of_invitations_an_hour(
    office_a_approver, secretariat_reviewer, monkeypatch
):
    monkeypatch.setattr(invitations, "OFFICE_MAILS_PER_HOUR", 4)
    first = invite(office_a_approver, emails=[f"colleague{n}@example.org" for n in range(6)])
    assert len(first.invited) == 4
    assert [email for email, _why in first.refused] == ["colleague4@example.org", "colleague5@example.org"]
    assert first.refused[0][1] == "your office has sent its 4 invitations of the hour; try again in 60 minutes"
    # Another office's coordinators and the secretariat are not held back by it.
    assert len(invite(secretariat_reviewer, emails=["colleague4@example.org"]).invited) == 1


def test_the_people_page_keeps_the_addresses_not_invited_with_why(office_a_approver, monkeypatch):
    monkeypatch.setattr(invitations, "OFFICE_MAILS_PER_HOUR", 1)
    client = logged_in(office_a_approver)
    page = client.post(
        reverse("surveys:office_people"),
        {"emails": "one@example.org two@example.org", "role": "respondent", "language": "en"},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Not invited: two@example.org (your office has sent its 1 invitations of the hour" in html
    assert "\ntwo@example.org</textarea>" in html  # kept in the field, nothing typed is lost
    assert AccountInvitation.objects.filter(email="one@example.org").exists()
    assert not AccountInvitation.objects.filter(email="two@example.org").exists()

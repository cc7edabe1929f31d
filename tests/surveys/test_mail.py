"""E-mail goes out after the step commits, through the task queue: a mail server that
fails never turns a saved step into an error page, and the secretariat sees and resends
what failed."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse

from surveys.models import OutgoingMail
from surveys.review.workflow import response_accept
from tests.surveys.web_helpers import logged_in, submit_through_form

FAILING = "tests.surveys.test_mail.FailingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
ADMIN_LIST = "/admin/surveys/outgoingmail/"


class FailingBackend(BaseEmailBackend):
    """A mail server that drops the connection."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def _take_step(action, client, response, edition, answers):
    if action == "submit":
        return submit_through_form(client, edition, response, answers, version=response.version)
    url = reverse("surveys:response_review", args=[response.pk])
    return client.post(url, {"action": action, "comment": "See q4b.", "version": response.version})


@pytest.mark.parametrize(
    ("action", "start", "actor", "saved_as"),
    [
        ("submit", "draft", "approver", "submitted"),
        ("return", "submitted", "secretariat", "returned"),
        ("accept", "submitted", "secretariat", "accepted"),
        ("reopen", "accepted", "secretariat", "returned"),
    ],
)
def test_a_failing_mail_server_does_not_break_the_step(
    action, start, actor, saved_as, settings, edition, make_response, moldova_answers, office_a_respondent,
    office_a_approver, secretariat_reviewer, django_capture_on_commit_callbacks,
):  # fmt: skip
    response = make_response(office_a_respondent, moldova_answers, submit=start != "draft")
    if start == "accepted":
        response_accept(response=response, user=secretariat_reviewer)
        response.refresh_from_db()
    OutgoingMail.objects.all().delete()
    settings.EMAIL_BACKEND = FAILING
    client = logged_in(office_a_approver if actor == "approver" else secretariat_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        page = _take_step(action, client, response, edition, moldova_answers)
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.status == saved_as
    assert response.events.order_by("-pk").first().action == action
    failed = OutgoingMail.objects.get()
    assert failed.status == OutgoingMail.Status.FAILED
    assert failed.attempts == 1
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in failed.last_error
    assert failed.recipients
    assert mail.outbox == []


@pytest.fixture
def failed_mail(
    settings, make_response, moldova_answers, office_a_respondent, secretariat_reviewer,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """A submission whose e-mail (to the secretariat) the mail server refused."""
    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        make_response(office_a_respondent, moldova_answers, submit=True)
    return OutgoingMail.objects.get()


def test_the_secretariat_sees_failed_mail_and_sends_it_again(
    failed_mail, settings, secretariat_reviewer, django_capture_on_commit_callbacks
):
    failed = failed_mail
    assert failed.status == OutgoingMail.Status.FAILED

    secretariat_reviewer.is_staff = True
    secretariat_reviewer.save()
    client = logged_in(secretariat_reviewer)
    page = client.get(ADMIN_LIST)
    assert page.status_code == 200
    content = page.content.decode()
    for shown in (secretariat_reviewer.email, failed.subject, "Connection unexpectedly closed", "Failed"):
        assert shown in content

    settings.EMAIL_BACKEND = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(ADMIN_LIST, {"action": "send_again", "_selected_action": [failed.pk]})
    assert page.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutgoingMail.Status.SENT and failed.attempts == 2 and failed.sent_at is not None
    assert [(m.subject, m.to) for m in mail.outbox] == [(failed.subject, [secretariat_reviewer.email])]


def test_only_the_secretariat_sees_the_mail_list(office_a_approver, client):
    office_a_approver.is_staff = True
    office_a_approver.save()
    assert logged_in(office_a_approver).get(ADMIN_LIST).status_code == 403
    assert client.get(ADMIN_LIST).status_code == 302


def test_retry_mail_command_sends_failed_mail_again(failed_mail, settings, django_capture_on_commit_callbacks):
    assert failed_mail.status == OutgoingMail.Status.FAILED
    settings.EMAIL_BACKEND = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retry_mail")
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT
    assert len(mail.outbox) == 1


def test_a_rolled_back_step_leaves_no_mail(make_response, moldova_answers, office_a_respondent, secretariat_reviewer):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        make_response(office_a_respondent, moldova_answers, submit=True)
        raise RuntimeError
    assert not OutgoingMail.objects.exists()


def test_a_failure_is_tried_again_later_when_the_queue_can_wait(
    settings, make_response, moldova_answers, office_a_respondent, secretariat_reviewer,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from surveys.review.mail import send_mail_task

    settings.EMAIL_BACKEND = FAILING
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        make_response(office_a_respondent, moldova_answers, submit=True)
    outgoing = OutgoingMail.objects.get()
    backend = send_mail_task.get_backend()
    assert [r.args for r in backend.results] == [[outgoing.pk, 3]]
    send_mail_task.call(outgoing.pk, 3)
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.QUEUED and outgoing.attempts == 1
    retry = backend.results[-1]
    assert retry.args == [outgoing.pk, 2] and retry.task.run_after is not None
    send_mail_task.call(outgoing.pk, 2)
    send_mail_task.call(outgoing.pk, 1)
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.FAILED and outgoing.attempts == 3
    assert len(backend.results) == 3

"""A round's deadline: shown to offices, automatic reminders before and after it (each
point once per office, recorded), manual reminders recorded alike, and a closed round
where offices change nothing. Dates are fixed: the round of the fixture closes on
31/12/2012, its schedule is 14, 7, 1 days before and 7, 14 days after."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from surveys.errors import WorkflowError
from surveys.models import Invitation, NumberingSystem, ReminderSent, ResponseEvent, SurveyResponse, SurveyRound
from surveys.responses.attachments import attachment_add
from surveys.responses.deadlines import deadline_of
from surveys.responses.services import response_save_draft, response_start
from surveys.review.reminders import due_reminders, points_due, record_reminder, send_due_reminders
from surveys.review.rounds import round_close, round_create, round_reopen, round_send_reminders
from surveys.review.workflow import allowed_actions, response_hand_back, response_mark_ready, response_submit
from tests.api.helpers import client_for, url
from tests.surveys.web_helpers import logged_in

pytestmark = pytest.mark.django_db

FOURTEEN_BEFORE = date(2012, 12, 17)
SEVEN_AFTER = date(2013, 1, 7)


def sent(**filters) -> list[tuple[str, str, int]]:
    rows = ReminderSent.objects.filter(**filters).order_by("office_id", "kind", "days")
    return list(rows.values_list("office_id", "kind", "days"))


def close(survey_round):
    SurveyRound.objects.filter(pk=survey_round.pk).update(status=SurveyRound.Status.CLOSED)
    survey_round.refresh_from_db()


# --- the schedule ------------------------------------------------------------------------


def test_points_fall_before_and_after_the_deadline(survey_round):
    assert (survey_round.reminder_days_before, survey_round.reminder_days_after) == ("14,7,1", "7,14")
    due = {d: [(p.kind, p.days) for p in points_due(survey_round, d)] for d in (FOURTEEN_BEFORE, SEVEN_AFTER)}
    assert due == {FOURTEEN_BEFORE: [("before", 14)], SEVEN_AFTER: [("after", 7)]}
    assert [(p.kind, p.days) for p in points_due(survey_round, date(2012, 12, 30))] == [("before", 1)]
    assert points_due(survey_round, date(2012, 12, 31)) == []  # the deadline itself is no point
    assert points_due(survey_round, date(2012, 12, 18)) == []


def test_due_reminders_go_to_every_office_that_has_not_submitted(
    survey_round, office_a_respondent, office_b_respondent, make_response, django_capture_on_commit_callbacks
):
    make_response(office_a_respondent, label="Trademarks")  # a draft: MD has not submitted
    with django_capture_on_commit_callbacks(execute=True):
        assert due_reminders(FOURTEEN_BEFORE) == {survey_round.slug: 2}
    assert sent() == [("EP", "before", 14), ("MD", "before", 14)]
    assert sorted(m.to[0] for m in mail.outbox) == [office_a_respondent.email, office_b_respondent.email]
    assert all("closes on 31/12/2012" in m.body for m in mail.outbox)
    # Each record keeps its e-mail, and the invitation its count.
    assert all(m.recipients for r in ReminderSent.objects.all() for m in r.mails.all())
    assert all(r.mails.exists() for r in ReminderSent.objects.all())
    assert Invitation.objects.get(office_id="MD").reminders_sent == 1
    # Nothing due the next day; after the deadline, the first point after it.
    assert due_reminders(date(2012, 12, 18)) == {survey_round.slug: 0}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert due_reminders(SEVEN_AFTER) == {survey_round.slug: 2}
    assert sent(kind="after") == [("EP", "after", 7), ("MD", "after", 7)]
    # After the deadline the e-mail says it has passed and that the round is still open.
    assert len(mail.outbox) == 2
    assert all("deadline of the survey" in m.body and "was 31/12/2012" in m.body for m in mail.outbox)
    assert not any("closes on" in m.body for m in mail.outbox)


def test_offices_that_submitted_everything_are_skipped(
    survey_round, office_a_respondent, office_b_respondent, make_response, moldova_answers
):
    make_response(office_a_respondent, moldova_answers, submit=True)
    assert due_reminders(FOURTEEN_BEFORE) == {survey_round.slug: 1}
    assert sent() == [("EP", "before", 14)]
    # A second system still in draft makes MD wait again.
    make_response(office_a_respondent, label="Patents")
    assert due_reminders(date(2012, 12, 24)) == {survey_round.slug: 2}
    assert sent(days=7) == [("EP", "before", 7), ("MD", "before", 7)]


def test_running_twice_sends_each_point_once(survey_round, office_b_respondent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert due_reminders(FOURTEEN_BEFORE) == {survey_round.slug: 2}
        assert due_reminders(FOURTEEN_BEFORE) == {survey_round.slug: 0}
    assert ReminderSent.objects.count() == 2
    assert len(mail.outbox) == 1  # EP's respondent (MD has no user with an address)
    assert not ReminderSent.objects.get(office_id="MD").mails.exists()


def test_a_point_recorded_by_a_concurrent_run_is_not_sent_again(survey_round, django_capture_on_commit_callbacks):
    # Another run took MD's point between this run's look-up and its insert: the unique
    # constraint refuses the second record, and no e-mail is queued for it.
    ReminderSent.objects.create(round=survey_round, office_id="MD", kind="before", days=14)
    invitation = Invitation.objects.select_related("round").get(office_id="MD")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert record_reminder(invitation, kind="before", days=14) is None
    assert callbacks == []
    assert ReminderSent.objects.count() == 1
    assert Invitation.objects.get(office_id="MD").reminders_sent == 0


def test_a_closed_round_gets_no_reminders(survey_round):
    close(survey_round)
    assert due_reminders(FOURTEEN_BEFORE) == {}
    assert points_due(survey_round, FOURTEEN_BEFORE) == []
    assert not ReminderSent.objects.exists()


def test_a_round_without_a_schedule_sends_nothing(survey_round):
    SurveyRound.objects.filter(pk=survey_round.pk).update(reminder_days_before="", reminder_days_after="")
    assert due_reminders(FOURTEEN_BEFORE) == {survey_round.slug: 0}


def test_a_round_whose_days_cannot_be_read_leaves_the_others_reminded(survey_round, edition, caplog):
    broken = SurveyRound.objects.create(
        edition=edition,
        slug="broken",
        title="Broken",
        year=2012,
        opens_on=date(2012, 1, 1),
        closes_on=date(2012, 12, 31),
    )
    Invitation.objects.create(round=broken, office_id="MD")
    SurveyRound.objects.filter(pk=broken.pk).update(reminder_days_before="14, soon")
    assert due_reminders(FOURTEEN_BEFORE) == {"broken": 0, survey_round.slug: 2}
    assert "broken: its reminder days cannot be read" in caplog.text


def test_the_task_and_the_command_act_on_the_day_given(survey_round, capsys):
    assert send_due_reminders.call("2012-12-17") == {survey_round.slug: 2}
    call_command("send_reminders", "--date", "2012-12-24")
    assert "2 reminder(s) sent." in capsys.readouterr().out
    call_command("send_reminders", "--date", "2012-12-30", "--queue")  # the tests' task queue runs at once
    assert "Reminders queued" in capsys.readouterr().out
    assert sorted({days for _, _, days in sent()}) == [1, 7, 14]
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "31/12/2012")


def test_manual_reminders_are_recorded_with_who_sent_them(survey_round, secretariat_reviewer):
    assert round_send_reminders(survey_round=survey_round, user=secretariat_reviewer) == 2
    assert round_send_reminders(survey_round=survey_round, user=secretariat_reviewer, office_codes=["EP"]) == 1
    assert sent() == [("EP", "manual", 0), ("EP", "manual", 0), ("MD", "manual", 0)]
    assert set(ReminderSent.objects.values_list("sent_by", flat=True)) == {secretariat_reviewer.pk}
    assert Invitation.objects.get(office_id="EP").reminders_sent == 2


# --- the schedule on the round's forms -----------------------------------------------------


def test_a_new_round_takes_its_schedule_from_the_form(edition, secretariat_reviewer):
    survey_round = round_create(
        edition=edition,
        title="2027",
        slug="r-2027",
        year=2027,
        opens_on=date(2027, 1, 1),
        closes_on=date(2027, 6, 30),
        office_codes=["MD"],
        user=secretariat_reviewer,
        reminder_days_before="1 7 30",
        reminder_days_after="",
    )
    assert (survey_round.reminder_days_before, survey_round.reminder_days_after) == ("30, 7, 1", "")
    with pytest.raises(WorkflowError, match="not a number of days"):
        round_create(
            edition=edition,
            title="2028",
            slug="r-2028",
            year=2028,
            opens_on=date(2028, 1, 1),
            closes_on=date(2028, 6, 30),
            office_codes=["MD"],
            user=secretariat_reviewer,
            reminder_days_before="two weeks",
        )


def test_the_reminder_schedule_page_changes_the_days(survey_round, secretariat_reviewer):
    client = logged_in(secretariat_reviewer)
    address = reverse("surveys:round_reminder_schedule", args=[survey_round.slug])
    page = client.get(address)
    assert page.status_code == 200 and 'value="14,7,1"' in page.content.decode()
    dashboard = reverse("surveys:round_dashboard", args=[survey_round.slug])
    said = "Automatic reminders to offices that have not submitted: %s days before the deadline; %s days after it."
    assert said % ("14, 7, 1", "7, 14") in client.get(dashboard).content.decode()
    refused = client.post(address, {"reminder_days_before": "10, x", "reminder_days_after": ""})
    assert refused.status_code == 200
    assert "“x” is not a number of days from 1 to 365." in refused.content.decode()
    client.post(address, {"reminder_days_before": "3, 10", "reminder_days_after": "30"})
    survey_round.refresh_from_db()
    assert (survey_round.reminder_days_before, survey_round.reminder_days_after) == ("10, 3", "30")
    assert [(p.kind, p.days) for p in points_due(survey_round, date(2013, 1, 30))] == [("after", 30)]
    assert said % ("10, 3", "30") in client.get(dashboard).content.decode()
    client.post(address, {"reminder_days_before": "", "reminder_days_after": "21 3"})
    assert said % ("—", "3, 21") in client.get(dashboard).content.decode()


# --- the round dashboard --------------------------------------------------------------------


def test_the_round_dashboard_lists_reminders_sent(survey_round, secretariat_reviewer, office_b_respondent):
    due_reminders(FOURTEEN_BEFORE)
    round_send_reminders(survey_round=survey_round, user=secretariat_reviewer, office_codes=["EP"])
    page = logged_in(secretariat_reviewer).get(reverse("surveys:round_dashboard", args=[survey_round.slug]))
    html = page.content.decode()
    assert page.context["reminders_total"] == 3
    table = html[html.index('id="reminders-sent"') :]
    assert "3 reminders sent" in table
    assert "14 days before the deadline" in table and "sent by hand" in table
    assert office_b_respondent.email in table
    assert "nobody with an e-mail address" in table  # MD has no user
    assert reverse("surveys:round_close", args=[survey_round.slug]) in html


def test_the_reminder_list_is_bounded_and_its_queries_do_not_grow(survey_round, secretariat_reviewer):
    client = logged_in(secretariat_reviewer)
    address = reverse("surveys:round_dashboard", args=[survey_round.slug])
    round_send_reminders(survey_round=survey_round, user=secretariat_reviewer)
    with CaptureQueriesContext(connection) as few:
        client.get(address)
    for _ in range(15):
        round_send_reminders(survey_round=survey_round, user=secretariat_reviewer)
    with CaptureQueriesContext(connection) as many:
        page = client.get(address)
    assert len(few) == len(many)
    assert len(page.context["reminders"]) == 20 and page.context["reminders_total"] == 32
    assert "(the latest 20)" in page.content.decode()
    # The latest are read along the index, not by sorting every reminder of the round.
    reminders = [q["sql"] for q in many.captured_queries if q["sql"].startswith('SELECT "surveys_remindersent".')]
    assert len(reminders) == 1 and reminders[0].endswith("LIMIT 20")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {reminders[0]}")
            steps = "\n".join(row[-1] for row in cursor.fetchall())
        assert "reminder_round_latest" in steps and "USE TEMP B-TREE FOR ORDER BY" not in steps, steps


# --- the deadline as offices see it ---------------------------------------------------------


def test_the_deadline_says_how_many_days_are_left_or_that_it_passed(survey_round):
    assert deadline_of(survey_round, date(2012, 12, 30)).sentence == "Deadline: 31 December 2012, 1 day left."
    assert deadline_of(survey_round, date(2012, 12, 17)).days_left == 14
    assert deadline_of(survey_round, date(2012, 12, 31)).sentence == "Deadline: today, 31 December 2012."
    passed = deadline_of(survey_round, date(2013, 1, 3))
    assert passed.state == "passed" and "passed 3 days ago" in passed.sentence
    with translation.override("fr"):
        french = deadline_of(survey_round, date(2012, 12, 21)).sentence
    assert "31 décembre 2012" in french and "10" in french
    close(survey_round)
    assert deadline_of(survey_round, date(2012, 12, 1)).state == "closed"


def test_the_dashboard_and_the_form_show_the_deadline(survey_round, office_a_respondent, make_response):
    response = make_response(office_a_respondent)
    client = logged_in(office_a_respondent)
    dashboard = client.get(reverse("surveys:dashboard")).content.decode()
    assert 'data-deadline="passed"' in dashboard and "31 December 2012" in dashboard
    form = client.get(reverse("surveys:response_edit", args=[response.pk])).content.decode()
    assert 'data-deadline="passed"' in form and survey_round.title in dashboard


# --- a closed round ---------------------------------------------------------------------------


def test_closing_asks_first_then_closes_and_reopens(survey_round, secretariat_reviewer, office_a_approver):
    client = logged_in(secretariat_reviewer)
    close_url = reverse("surveys:round_close", args=[survey_round.slug])
    confirm = client.get(close_url)
    assert confirm.status_code == 200 and "Close the round?" in confirm.content.decode()
    assert "2 invited offices have not submitted all of their responses." in confirm.content.decode()
    survey_round.refresh_from_db()
    assert survey_round.status == "open"  # asking changes nothing
    client.post(close_url)
    survey_round.refresh_from_db()
    assert survey_round.status == "closed"
    again = client.post(close_url, follow=True)
    assert "is already closed" in again.content.decode()
    client.post(reverse("surveys:round_reopen", args=[survey_round.slug]))
    survey_round.refresh_from_db()
    assert survey_round.status == "open"
    assert logged_in(office_a_approver).post(close_url).status_code == 403
    with pytest.raises(Exception, match="Only the International Bureau"):
        round_close(survey_round=survey_round, user=office_a_approver)
    with pytest.raises(WorkflowError, match="open already"):
        round_reopen(survey_round=survey_round, user=secretariat_reviewer)


def test_offices_change_nothing_in_a_closed_round(
    survey_round, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers)
    close(survey_round)
    response.refresh_from_db()
    with pytest.raises(WorkflowError, match="is closed: its responses can no longer be changed or submitted"):
        response_save_draft(response=response, answers={}, user=office_a_respondent, expected_version=response.version)
    with pytest.raises(WorkflowError, match="is closed"):
        response_submit(response=response, user=office_a_approver)
    with pytest.raises(WorkflowError, match="is closed"):
        attachment_add(
            response=response,
            question_id="q14d",
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"),
            user=office_a_respondent,
        )
    system = NumberingSystem.objects.create(office_id="MD", label="Patents")
    with pytest.raises(WorkflowError, match="is closed"):
        response_start(survey_round=survey_round, numbering_system=system, user=office_a_respondent)
    assert allowed_actions(response, office_a_approver) == []
    stored = SurveyResponse.objects.get(pk=response.pk)
    assert (stored.status, stored.version, stored.answers) == ("draft", response.version, response.answers)


def test_nothing_is_handed_over_inside_an_office_in_a_closed_round(
    survey_round, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    # Marking ready or handing back would tell people to act on a response they can no
    # longer change: refused like every other change, and nothing is recorded or sent.
    ready = make_response(office_a_respondent, moldova_answers)
    response_mark_ready(response=ready, user=office_a_respondent)
    draft = make_response(office_a_respondent, moldova_answers, label="Patents")
    close(survey_round)
    events = ResponseEvent.objects.count()
    with pytest.raises(WorkflowError, match="is closed"):
        response_hand_back(response=ready, user=office_a_approver, note="Please check Q4.")
    with pytest.raises(WorkflowError, match="is closed"):
        response_mark_ready(response=draft, user=office_a_respondent)
    assert SurveyResponse.objects.get(pk=ready.pk).ready_for_approval_at is not None
    assert SurveyResponse.objects.get(pk=draft.pk).ready_for_approval_at is None
    assert ResponseEvent.objects.count() == events


def test_the_pages_say_the_round_is_closed(
    survey_round, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers)
    close(survey_round)
    client = logged_in(office_a_respondent)
    edit = reverse("surveys:response_edit", args=[response.pk])
    page = client.get(edit, follow=True)
    assert page.redirect_chain == [(reverse("surveys:response_detail", args=[response.pk]), 302)]
    html = page.content.decode()
    assert "is closed: this response can no longer be changed. It is shown read-only." in html
    assert 'data-deadline="closed"' in html and edit not in html  # no Edit button
    posted = client.post(edit, {"version": response.version, "q1b": "1999", "action": "save"})
    assert posted.status_code == 302
    assert SurveyResponse.objects.get(pk=response.pk).answers == response.answers
    dashboard = client.get(reverse("surveys:dashboard")).content.decode()
    assert "(round closed)" in dashboard and edit not in dashboard
    # The approver is not offered "Check and submit" either: the submit would be refused.
    approver_page = logged_in(office_a_approver).get(reverse("surveys:response_detail", args=[response.pk]))
    assert reverse("surveys:response_submit", args=[response.pk]) not in approver_page.content.decode()
    SurveyRound.objects.filter(pk=survey_round.pk).update(status=SurveyRound.Status.OPEN)
    approver_page = logged_in(office_a_approver).get(reverse("surveys:response_detail", args=[response.pk]))
    assert reverse("surveys:response_submit", args=[response.pk]) in approver_page.content.decode()


def test_the_api_refuses_changes_in_a_closed_round(survey_round, office_a_respondent, make_response):
    response = make_response(office_a_respondent)
    close(survey_round)
    client = client_for(office_a_respondent)
    assert client.get(url(f"responses/{response.pk}/")).json()["can_edit"] is False
    page = client.patch(url(f"responses/{response.pk}/"), {"answers": {"q1b": "1999"}, "version": 1}, format="json")
    assert page.status_code == 400
    assert "is closed: its responses can no longer be changed or submitted" in page.json()["detail"]


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite runs one writer at a time: no race to lose")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_point_once(survey_round, office_b_respondent):
    barrier = threading.Barrier(2)
    results: list[object] = []

    def run():
        try:
            barrier.wait()
            results.append(due_reminders(FOURTEEN_BEFORE)[survey_round.slug])
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(r, int) for r in results) and sum(results) == 2, results
    assert sent() == [("EP", "before", 14), ("MD", "before", 14)]
    assert sorted(Invitation.objects.values_list("reminders_sent", flat=True)) == [1, 1]

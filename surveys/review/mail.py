"""Outgoing e-mail: recorded with the step that causes it, sent by a background task.

``queue_mail`` writes an ``OutgoingMail`` row inside the caller's transaction and, once
that transaction commits, hands the row to ``send_mail_task`` (django-tasks: a database
queue worked by ``manage.py db_worker`` in production, at once in development and
tests). A rolled-back step leaves no mail; a committed step always leaves its mail on
record, sent or not. A mail server that fails never reaches the step: the error is
recorded on the row, the task tries again later (``WIPOSTAD_MAIL_ATTEMPTS`` tries in
all, spaced out), and what still fails is listed for the secretariat in the admin, which
can send it again (``send_again``), as can ``manage.py retry_mail``.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from surveys.models import OutgoingMail

log = logging.getLogger(__name__)

# The first retry waits this long; each further one four times as long as the one before.
FIRST_RETRY_DELAY = timedelta(minutes=1)


def queue_mail(subject: str, body: str, recipients: list[str]) -> OutgoingMail | None:
    """Record a message and send it once the current transaction commits (at once
    outside one); None when nobody is to receive it."""
    if not recipients:
        log.info("no recipient for %r", subject)
        return None
    outgoing = OutgoingMail.objects.create(subject=subject[:255], body=body, recipients=list(recipients))
    transaction.on_commit(lambda: _enqueue(outgoing.pk), robust=True)
    return outgoing


def send_again(mails: list[OutgoingMail]) -> int:
    """Queue messages again (those not sent yet); how many were queued."""
    pending = [m for m in mails if m.status != OutgoingMail.Status.SENT]
    OutgoingMail.objects.filter(pk__in=[m.pk for m in pending]).update(status=OutgoingMail.Status.QUEUED)
    for outgoing in pending:
        transaction.on_commit(lambda pk=outgoing.pk: _enqueue(pk), robust=True)
    return len(pending)


def _enqueue(pk: int, tries_left: int | None = None, run_after=None) -> None:
    tries_left = settings.WIPOSTAD_MAIL_ATTEMPTS if tries_left is None else tries_left
    job = send_mail_task if run_after is None else send_mail_task.using(run_after=run_after)
    job.enqueue(pk, tries_left)


@task()
def send_mail_task(pk: int, tries_left: int = 1) -> str:
    """Send one recorded message; on failure, record why and try again later while tries are left."""
    outgoing = OutgoingMail.objects.filter(pk=pk).first()
    if outgoing is None or outgoing.status == OutgoingMail.Status.SENT:
        return "nothing to send"
    outgoing.attempts += 1
    outgoing.last_attempt_at = timezone.now()
    try:
        EmailMessage(outgoing.subject, outgoing.body, settings.DEFAULT_FROM_EMAIL, outgoing.recipients).send()
    except Exception as exc:  # any failure of the mail backend is recorded, never raised to the step
        log.warning("e-mail %s (%r) not sent: %s", pk, outgoing.subject, exc)
        outgoing.last_error = f"{type(exc).__name__}: {exc}"
        outgoing.status = _after_failure(outgoing, tries_left)
    else:
        outgoing.status = OutgoingMail.Status.SENT
        outgoing.sent_at = outgoing.last_attempt_at
    outgoing.save(update_fields=["attempts", "last_attempt_at", "last_error", "status", "sent_at"])
    return outgoing.status


def _after_failure(outgoing: OutgoingMail, tries_left: int) -> str:
    """Queue the next try when one is left and the task backend can wait; the new status."""
    if tries_left <= 1 or not send_mail_task.get_backend().supports_defer:
        return OutgoingMail.Status.FAILED
    tried = settings.WIPOSTAD_MAIL_ATTEMPTS - tries_left
    delay = FIRST_RETRY_DELAY * 4 ** max(tried, 0)
    _enqueue(outgoing.pk, tries_left - 1, run_after=timezone.now() + delay)
    return OutgoingMail.Status.QUEUED

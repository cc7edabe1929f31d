"""The domain errors of the services: each says, in a sentence for the person who asked,
why a step cannot be done. Views turn them into messages (NotAllowed into 403), the API
into 400, 403 or 409, spreadsheet imports into row problems."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from surveys.models import SurveyResponse
from surveys.questionnaire.edition import Edition
from surveys.questionnaire.evaluation import Evaluation, Issue


class WorkflowError(Exception):
    """A workflow step that cannot be done; the message is for the person who asked."""


class NotAllowed(WorkflowError):
    """The user may not take this step (the web answers 403, as does the API)."""


class ResponseConflict(WorkflowError):
    """Someone else saved the response since this person loaded it."""

    def __init__(self, response: SurveyResponse, expected_version: int):
        self.response = response
        self.expected_version = expected_version
        who = response.updated_by.get_username() if response.updated_by else _("someone else")
        when = timezone.localtime(response.updated_at).strftime("%d/%m/%Y %H:%M")
        super().__init__(
            _(
                "This response was changed by %(who)s at %(when)s (version %(version)s) after you opened it "
                "(version %(expected)s). Nothing was overwritten: your answers are still on this page. "
                "Reload the response to see the other changes, then enter yours again."
            )
            % {"who": who, "when": when, "version": response.version, "expected": expected_version}
        )


class ResponseBusy(WorkflowError):
    """Someone else's change to the same response was being written at the same moment:
    nothing was changed, and trying again a moment later will do (answered like a
    ResponseConflict: 409, the person's input kept)."""


@contextmanager
def database_busy_as_conflict() -> Iterator[None]:
    """A write that found the database locked by another writer (SQLite, once its busy
    timeout has passed) is refused like a version clash: ResponseBusy, nothing written.
    Any other database error goes on as it is."""
    try:
        yield
    except OperationalError as exc:
        if "database is locked" not in str(exc) and "database table is locked" not in str(exc):
            raise
        raise ResponseBusy(
            _(
                "The database was busy with another change at the same moment. Nothing was saved: your "
                "answers are still on this page. Save again in a moment."
            )
        ) from None


class AnswersTooLarge(WorkflowError):
    """Answers over their questions' size limits: refused on every save, drafts included."""

    def __init__(self, issues: list[Issue], edition: Edition):
        self.issues = issues
        problems = "; ".join(
            _("Question %(question)s: %(problem)s")
            % {"question": _question_ref(edition, i.question_id), "problem": i.message}
            for i in issues
        )
        super().__init__(_("Nothing was saved, some answers are too large. %(problems)s") % {"problems": problems})


def _question_ref(edition: Edition, qid: str) -> str:
    q = edition.by_id[qid]
    return f"{q.number} {q.letter})" if q.letter else str(q.number)


class ResponseInvalid(WorkflowError):
    def __init__(self, evaluation: Evaluation, unconfirmed: list[str] | None = None):
        self.evaluation = evaluation
        self.unconfirmed = unconfirmed or []
        n = len(evaluation.errors)
        parts = []
        if n:
            parts.append(ngettext("%(n)s question needs attention", "%(n)s questions need attention", n) % {"n": n})
        if self.unconfirmed:
            count = len(self.unconfirmed)
            parts.append(
                ngettext(
                    "%(n)s pre-filled section still to confirm", "%(n)s pre-filled sections still to confirm", count
                )
                % {"n": count}
            )
        super().__init__(_("The response cannot be submitted yet: %(reasons)s.") % {"reasons": "; ".join(parts)})


# Refusals of the services that record responses for an office (surveys/intake/recording.py).


class RoundClosed(WorkflowError):
    pass


class OfficeNotInvited(WorkflowError):
    pass


class SequenceUnavailable(WorkflowError):
    """The requested "Response n" number is taken, or is not the response's own number."""


class ResponseExists(WorkflowError):
    """The numbering system already has its response in the round (one per system and round)."""


class ResponseNotEditable(WorkflowError):
    pass

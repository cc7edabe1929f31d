"""Files attached to an answer: no question type of its own.

The questionnaire lets an office attach a file to its comments (Q14 d). In the edition
that is a question of another type (``text``) marked ``"attachment": true``; the file
is kept beside the answers (the response's attachments), never in them, so a file has
nothing to parse, validate, display or put in a spreadsheet cell, and ``file`` is not
registered as a type. What a question that carries a file needs is the upload in the
form (templates/surveys/question_types/_file.html, drawn by the one-field partials)
and, on a published page, telling the lines that name the file from the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from surveys.questionnaire.edition import Question
    from surveys.questionnaire.types.pages import Line


def without_attachments(q: Question, lines: list[Line], reader: Any) -> list[Line]:
    """The answer lines of ``q`` less those naming a file attached to it, which the reader
    records (``reader.take_attachment(line)`` is False for a line that names none)."""
    if not q.attachment:
        return lines
    return [line for line in lines if not reader.take_attachment(line)]

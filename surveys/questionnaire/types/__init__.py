"""Question types: one module per type, found through a registry.

Each module defines a class with every operation its questions need (see ``base``) and
registers it under the type's name (``registry.register``); the engine, the form, the
pages, the spreadsheets and the published-page reader ask ``get(q.type)`` and never
branch on type names. Adding a type is one module plus its form partial
(templates/surveys/question_types/) and its tests; an edition may use it once it is
registered (``KNOWN``).

Shared by several types: ``choices`` (multi, single, yesno), ``parts`` (part_lengths,
order and grids by IPR type), ``forms``, ``cells`` and ``pages`` (reading posted
fields, spreadsheet cells and published pages). ``file`` is the attachment a question
may carry, not a type.
"""

from surveys.questionnaire.types import grid, multi, order, part_lengths, partial_date, single, text, yesno
from surveys.questionnaire.types import int as whole_number
from surveys.questionnaire.types.base import Display, QuestionType
from surveys.questionnaire.types.registry import KNOWN, UnknownQuestionType, get, register, unregister

# The built-in types, registered on import.
BUILT_IN = (multi, single, yesno, text, partial_date, whole_number, part_lengths, order, grid)

__all__ = ["BUILT_IN", "KNOWN", "Display", "QuestionType", "UnknownQuestionType", "get", "register", "unregister"]

"""``yesno``: a single choice with the fixed codes ``yes`` and ``no``, read in the
interface's words (the gates of the questionnaire: Q5 a, Q6 a …)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from surveys.questionnaire.types.registry import register
from surveys.questionnaire.types.single import Single

if TYPE_CHECKING:
    from surveys.questionnaire.edition import Edition, Question


@register("yesno")
class YesNo(Single):
    def check_definition(self, checker: Any, where: str, definition: Any) -> None:
        """No choices to check: the codes are fixed (``Question.choice_codes``)."""

    def from_cell(self, q: Question, cell: Any, edition: Edition) -> Any:
        # A spreadsheet program may have made TRUE/FALSE of a typed yes/no.
        if isinstance(cell, bool):
            return "yes" if cell else "no"
        return super().from_cell(q, cell, edition)

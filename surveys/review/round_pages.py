"""What the secretariat's small pages about one round share: the refusal of anyone else,
and the page of a few settings of the round (a form filled from the round's own fields,
saved by one service, a message, back to where the page leads)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from surveys.errors import WorkflowError
from surveys.models import SurveyRound
from surveys.permissions import may


def refuse_unless(request: HttpRequest, perm: str) -> None:
    """403 unless the user may (surveys/permissions.py): these are the secretariat's pages."""
    if not may(request.user, perm):
        raise PermissionDenied(_("Only the International Bureau (secretariat) can open this page."))


def round_settings_page(
    request: HttpRequest,
    survey_round: SurveyRound,
    *,
    form_class: type[Form],
    save: Callable[..., Any],
    done: str,
    done_url: str,
    template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A form whose fields are the round's fields of the same names: shown filled from the
    round; posted, ``save(survey_round=, user=, **fields)`` is called, and a refusal of the
    service is shown on the form, with everything typed kept."""
    initial = {name: getattr(survey_round, name) for name in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save(survey_round=survey_round, user=request.user, **form.cleaned_data)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect(done_url)
    return render(request, template, {"form": form, "round": survey_round, **(context or {})})

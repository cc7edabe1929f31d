"""The pages of invitations and of an office's people: the secretariat's contacts of a
round, an office approver's colleagues. Thin: scoped fetch → form → service → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from standards.models import Office
from surveys.accounts import invitations, people, selectors
from surveys.accounts.forms import InviteForm, RoleForm, RoundInviteForm
from surveys.accounts.views import safe_next
from surveys.errors import NotAllowed, WorkflowError
from surveys.models import AccountInvitation, InvitationState, Membership, SurveyRound
from surveys.pagination import PER_PAGE, paginated
from surveys.permissions import may, office_of, office_rows


def _report(request: HttpRequest, outcome: invitations.InviteOutcome) -> None:
    """Say what became of each address."""
    if outcome.invited:
        messages.success(
            request,
            ngettext("Invitation sent to %(emails)s.", "Invitations sent to %(emails)s.", len(outcome.invited))
            % {"emails": ", ".join(i.email for i in outcome.invited)},
        )
    if outcome.sent_again:
        messages.success(
            request,
            ngettext(
                "Already invited, sent again with a new link: %(emails)s.",
                "Already invited, sent again with new links: %(emails)s.",
                len(outcome.sent_again),
            )
            % {"emails": ", ".join(i.email for i in outcome.sent_again)},
        )


def _refusals(form, outcome: invitations.InviteOutcome) -> None:
    """Put the refused addresses back in the form, each with its reason: nothing typed is lost."""
    form.data = form.data.copy()
    form.data["emails"] = "\n".join(email for email, _why in outcome.refused)
    for email, why in outcome.refused:
        form.add_error("emails", _("Not invited: %(email)s (%(why)s).") % {"email": email, "why": why})


def _invite(request: HttpRequest, form, office: Office, survey_round: SurveyRound | None) -> bool:
    """Send the form's invitations; True when every address was invited."""
    data = form.cleaned_data
    try:
        outcome = invitations.invitations_send(
            office=office,
            emails=data["emails"],
            role=data["role"],
            language=data["language"],
            user=request.user,
            base_url=invitations.site_url(request),
            survey_round=survey_round,
        )
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except WorkflowError as exc:
        form.add_error(None, str(exc))
        return False
    _report(request, outcome)
    if outcome.refused:
        _refusals(form, outcome)
        return False
    return True


# --- the secretariat: a round's contacts ------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def round_invitations(request: HttpRequest, slug: str) -> HttpResponse:
    if not may(request.user, "surveys.invite_contacts"):
        raise PermissionDenied(_("Only the International Bureau (secretariat) can open this page."))
    survey_round = get_object_or_404(SurveyRound, slug=slug)
    offices = Office.objects.filter(invitations__round=survey_round).order_by("code")
    form = RoundInviteForm(request.POST or None, offices=offices, initial={"language": request.LANGUAGE_CODE})
    status = 200
    if request.method == "POST":
        if form.is_valid() and _invite(request, form, form.cleaned_data["office"], survey_round):
            return redirect("surveys:round_invitations", slug=slug)
        status = 400
    state, office = request.GET.get("state", ""), request.GET.get("office", "")
    rows = selectors.round_contacts(survey_round, state=state, office=office)
    context = {
        "round": survey_round,
        "form": form,
        "offices": offices,
        "states": InvitationState.choices,
        "state": state,
        "office_filter": office,
        **paginated(request, rows),
    }
    return render(request, "surveys/round_invitations.html", context, status=status)


def _back(request: HttpRequest, default: str) -> HttpResponse:
    return redirect(safe_next(request, request.POST.get("next", ""), default))


def _invitation_or_404(request: HttpRequest, pk: int) -> AccountInvitation:
    """An invitation the user may change: any for the secretariat, their office's for its
    approvers; 404 for anyone else (nothing said about other offices' invitations)."""
    invitation = get_object_or_404(office_rows(AccountInvitation.objects.select_related("office"), request.user), pk=pk)
    user = request.user
    if not (may(user, "surveys.invite_contacts") or may(user, "surveys.manage_office_people", invitation)):
        raise Http404
    return invitation


def _default_page(request: HttpRequest) -> str:
    return "surveys:round_list" if may(request.user, "surveys.invite_contacts") else "surveys:office_people"


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation_or_404(request, pk)
    try:
        invitations.invitation_resend(invitation=invitation, user=request.user, base_url=invitations.site_url(request))
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Invitation sent again to %(email)s with a new link; the earlier link no longer works.")
            % {"email": invitation.email},
        )
    return _back(request, _default_page(request))


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation_or_404(request, pk)
    try:
        invitations.invitation_revoke(invitation=invitation, user=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Invitation of %(email)s revoked: its link no longer works.") % {"email": invitation.email}
        )
    return _back(request, _default_page(request))


# --- an office's approvers: its people ---------------------------------------------------


def _own_office(request: HttpRequest) -> Office:
    office = office_of(request.user)
    if office is None or not may(request.user, "surveys.manage_office_people", office):
        raise PermissionDenied(_("Only an approver of an office manages its people."))
    return office


@login_required
@require_http_methods(["GET", "POST"])
def office_people(request: HttpRequest) -> HttpResponse:
    office = _own_office(request)
    form = InviteForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    status = 200
    if request.method == "POST":
        if form.is_valid() and _invite(request, form, office, None):
            return redirect("surveys:office_people")
        status = 400
    open_invitations = Paginator(selectors.office_open_invitations(office.code), PER_PAGE).get_page(
        request.GET.get("invitations")
    )
    context = {
        "office": office,
        "form": form,
        "roles": Membership.Role.choices,
        "open_invitations": open_invitations,
        **paginated(request, selectors.office_people(office.code)),
    }
    return render(request, "surveys/office_people.html", context, status=status)


def _member_or_404(request: HttpRequest, pk: int) -> Membership:
    office = _own_office(request)
    return get_object_or_404(Membership.objects.select_related("user", "office"), pk=pk, office=office)


@login_required
@require_POST
def office_person_role(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_or_404(request, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role: respondent or approver."))
        return redirect("surveys:office_people")
    try:
        people.member_role_set(member=member, role=form.cleaned_data["role"], user=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": member.user.email or member.user.get_username(), "role": member.get_role_display().lower()},
        )
    return redirect("surveys:office_people")


@login_required
@require_http_methods(["GET", "POST"])
def office_person_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first; the POST removes."""
    member = _member_or_404(request, pk)
    name = member.user.email or member.user.get_username()
    if request.method == "POST":
        try:
            deactivated = people.member_remove(member=member, user=request.user)
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            if deactivated:
                text = _("%(name)s was removed from the office; their account can no longer sign in.")
            else:
                text = _("%(name)s was removed from the office; their account keeps its other uses.")
            messages.success(request, text % {"name": name})
        return redirect("surveys:office_people")
    return render(request, "surveys/office_person_remove.html", {"member": member, "name": name})

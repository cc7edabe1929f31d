"""Read-only queries of accounts: an office's people and open invitations, a round's
contacts and their counts per office."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from surveys.models import AccountInvitation, Invitation, InvitationState, Membership, SurveyRound


def office_people(office_code: str) -> QuerySet[Membership]:
    """The office's members with their accounts, by address."""
    return (
        Membership.objects.filter(office_id=office_code)
        .select_related("user")
        .order_by("user__email", "user__username", "pk")
    )


def office_open_invitations(office_code: str) -> QuerySet[AccountInvitation]:
    """The office's invitations neither accepted nor revoked, by address."""
    return (
        AccountInvitation.objects.open()
        .filter(office_id=office_code)
        .select_related("round", "invited_by")
        .order_by("office_id", "email", "id")
    )


def round_contacts(survey_round: SurveyRound, *, state: str = "", office: str = "") -> QuerySet[AccountInvitation]:
    """The invitations of the offices invited to the round (whichever round they were sent
    for), by office and address; ``state`` and ``office`` filter them."""
    offices = Invitation.objects.filter(round=survey_round).values("office_id")
    rows = AccountInvitation.objects.filter(office_id__in=offices)
    if office:
        rows = rows.filter(office_id=office)
    if state in InvitationState.values:
        rows = rows.in_state(state)
    return rows.select_related("office", "round", "accepted_user").order_by("office_id", "email", "id")


def contact_counts(office_codes: list[str]) -> dict[str, dict[str, int]]:
    """For each office (one query for them all): its invitations not revoked, those
    accepted, and those accepted whose person never signed in again."""
    accepted = Q(accepted_at__isnull=False)
    not_back = accepted & (
        Q(accepted_user__isnull=True)
        | Q(accepted_user__last_login__isnull=True)
        | Q(accepted_user__last_login__lte=F("accepted_at"))
    )
    rows = (
        AccountInvitation.objects.filter(office_id__in=office_codes)
        .exclude(revoked_at__isnull=False, accepted_at__isnull=True)
        .values("office_id")
        .annotate(invited=Count("pk"), accepted=Count("pk", filter=accepted), not_back=Count("pk", filter=not_back))
        .order_by()
    )
    counts = {code: {"invited": 0, "accepted": 0, "not_back": 0} for code in office_codes}
    for row in rows:
        counts[row.pop("office_id")] = row
    return counts

"""An office's people, managed by its approvers: changing a colleague's role and removing
a colleague. An office always keeps at least one approver; nobody touches another
office's people (``surveys.manage_office_people``)."""

from __future__ import annotations

import logging

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from surveys.errors import NotAllowed, WorkflowError
from surveys.models import Membership
from surveys.permissions import keeps_account_without_office, may

log = logging.getLogger(__name__)


def _locked_approvers(member: Membership) -> set[int]:
    """The office's approvers' memberships (locked until the step ends), by id."""
    rows = Membership.objects.select_for_update().filter(office_id=member.office_id, role=Membership.Role.APPROVER)
    return set(rows.values_list("pk", flat=True))


def _check(member: Membership, user: User) -> None:
    if not may(user, "surveys.manage_office_people", member):
        raise NotAllowed(_("Only an approver of this office manages its people."))


def _name(member: Membership) -> str:
    return member.user.email or member.user.get_username()


@transaction.atomic
def member_role_set(*, member: Membership, role: str, user: User) -> Membership:
    """Give a colleague another role; the office's last approver stays one."""
    _check(member, user)
    if role not in Membership.Role.values:
        raise WorkflowError(_("Choose a role: respondent or approver."))
    approvers = _locked_approvers(member)
    if role != Membership.Role.APPROVER and approvers == {member.pk}:
        raise WorkflowError(
            _("%(name)s is the office's only approver: make someone else an approver first.") % {"name": _name(member)}
        )
    Membership.objects.filter(pk=member.pk).update(role=role)
    member.refresh_from_db()
    log.info("%s set the role of %s in %s to %s", user, member.user, member.office_id, role)
    return member


@transaction.atomic
def member_remove(*, member: Membership, user: User) -> bool:
    """Take a colleague out of the office; their account is deactivated unless it has
    another use (the secretariat, staff, a task force, translation). Whether it was."""
    _check(member, user)
    if member.user_id == user.pk:
        raise WorkflowError(_("You cannot remove yourself: ask another approver of your office."))
    approvers = _locked_approvers(member)
    if approvers == {member.pk}:
        raise WorkflowError(
            _("%(name)s is the office's only approver: make someone else an approver first.") % {"name": _name(member)}
        )
    person = member.user
    member.delete()
    deactivated = not keeps_account_without_office(person)
    if deactivated:
        person.is_active = False
        person.save(update_fields=["is_active"])
    log.info("%s removed %s from %s (deactivated: %s)", user, person, member.office_id, deactivated)
    return deactivated

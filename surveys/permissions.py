"""Who may do what: every rule of access of the site, here and nowhere else.

The people: the International Bureau's **secretariat** (members of the group named by
``SECRETARIAT_GROUP``, and site administrators), a **member of an office** (a respondent
or an approver, through their ``Membership``), a **task-force reader** (reads every
response once submitted, and the reports with figures not yet published; comments;
changes nothing), a **translator** (edits the French and Spanish texts of rounds and
editions; sees no answers), and **the public** (anyone, signed in or not). Each rule is
a `rules` predicate; each thing one may do is a named permission below.

How the rest of the code asks:

- ``may(user, "surveys.submit_surveyresponse", response)``: pages, the API, services and
  the admin. It asks these rules only. (``user.has_perm`` asks them too, through the
  ObjectPermissionBackend, but a Django superuser passes every ``has_perm``: here a site
  administrator counts as the secretariat, never as a member of an office.)
- ``SurveyResponse.objects.readable_by(user)`` (and numbering systems, rounds): the
  queryset form of the ``view_*`` permissions, built by the ``scope_*`` functions below,
  so that a list holds exactly the rows whose detail the user may open.
  ``office_rows`` is the queryset form of "the office's own rows, every row for the
  secretariat"; ``private_rows`` adds a task-force reader's (``view_private_surveyresponse``).
- The admin asks Django's model permissions, which the secretariat's group holds
  (``SECRETARIAT_MODEL_PERMISSIONS``, granted by a data migration).

Who the user is (their membership, whether they are the secretariat) is looked up once
per user object, that is once per request: a permission check costs no query after that.
Only the rules on rounds and numbering systems ask the database about the object itself
(is the office invited, does it have a published response).
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any

import rules
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from standards.models import Office
from surveys.models.accounts import SECRETARIAT_GROUP, TASK_FORCE_GROUP, TRANSLATOR_GROUP, Membership

AnyUser = User | AnonymousUser

# --- who the user is (cached on the user object, so once per request) ----------------


def membership_of(user: AnyUser | None) -> Membership | None:
    """The user's membership of an office (with the office), or None."""
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_wipostad_membership", False)
    if cached is False:
        cached = Membership.objects.select_related("office").filter(user=user).first()
        user._wipostad_membership = cached
    return cached


def office_of(user: AnyUser | None) -> Office | None:
    """The office the user answers for, or None (the secretariat and the public have none)."""
    membership = membership_of(user)
    return membership.office if membership else None


def _office_code(obj: Any) -> str | None:
    """The ST.3 code of the office an object belongs to: an office, or anything with an office_id."""
    if obj is None:
        return None
    if isinstance(obj, Office):
        return obj.pk
    return getattr(obj, "office_id", None)


def secretariat_members() -> QuerySet[User]:
    """The people of the secretariat's group (those told when an office submits)."""
    return get_user_model().objects.filter(groups__name=SECRETARIAT_GROUP)


def office_members(office_code: str) -> QuerySet[User]:
    """The people who answer for an office (those told when the secretariat returns or accepts)."""
    return get_user_model().objects.filter(membership__office_id=office_code)


def office_approvers(office_code: str) -> QuerySet[User]:
    """The office's approvers (those told when a respondent marks a response ready for approval)."""
    return office_members(office_code).filter(membership__role=Membership.Role.APPROVER)


def office_respondents(office_code: str) -> QuerySet[User]:
    """The office's respondents (those told when an approver hands a response back)."""
    return office_members(office_code).filter(membership__role=Membership.Role.RESPONDENT)


# --- predicates ----------------------------------------------------------------------

# rules caches the user's group names on the user object: one query per request at most.
is_secretariat = rules.is_authenticated & (rules.is_superuser | rules.is_group_member(SECRETARIAT_GROUP))

# A CWS task force's reader: reads submitted responses and reports, comments, changes nothing.
is_task_force_reader = rules.is_authenticated & rules.is_group_member(TASK_FORCE_GROUP)
# A translator: edits the French and Spanish texts of editions and rounds, sees no answers.
is_translator = rules.is_authenticated & rules.is_group_member(TRANSLATOR_GROUP)


@rules.predicate
def is_command(user: AnyUser | None) -> bool:
    """No user: a management command, run by someone with access to the server."""
    return user is None


@rules.predicate
def is_office_member(user: AnyUser | None, obj: Any) -> bool:
    """A member of the office the object belongs to (the object: an office, a numbering
    system, a response …); without an object, nobody."""
    code = _office_code(obj)
    membership = membership_of(user)
    return code is not None and membership is not None and membership.office_id == code


@rules.predicate
def is_office_approver(user: AnyUser | None, obj: Any) -> bool:
    """An approver of the office the object belongs to."""
    membership = membership_of(user)
    return is_office_member.test(user, obj) and membership.role == Membership.Role.APPROVER


@rules.predicate
def is_published(user: AnyUser | None, response: Any) -> bool:
    """A response the International Bureau has published: everyone reads it."""
    return response is not None and response.is_public


@rules.predicate
def was_submitted(user: AnyUser | None, response: Any) -> bool:
    """A response handed to the International Bureau at least once: whatever its status
    now, unless it is a draft never submitted (see ``SUBMITTED_ONCE`` for the filter)."""
    return response is not None and (response.status != "draft" or response.submitted_at is not None)


# ``was_submitted`` as a filter on responses.
SUBMITTED_ONCE = ~Q(status="draft") | Q(submitted_at__isnull=False)

# A task-force reader, on a response the International Bureau has been given.
reads_as_task_force = is_task_force_reader & was_submitted


@rules.predicate
def has_published_responses(user: AnyUser | None, obj: Any) -> bool:
    """A round or a numbering system with a published response (one query)."""
    return obj is not None and obj.responses.public().exists()


@rules.predicate
def is_invited(user: AnyUser | None, survey_round: Any) -> bool:
    """A member of an office invited to the round (one query)."""
    membership = membership_of(user)
    if survey_round is None or membership is None:
        return False
    return survey_round.invitations.filter(office_id=membership.office_id).exists()


@rules.predicate
def is_public_figures(user: AnyUser | None, export: Any) -> bool:
    """A report file of published figures only (the object: a build, or what one is of)."""
    return export is not None and str(export.scope) == "published"


# --- named permissions ---------------------------------------------------------------
# Without an object, a rule about "its office" holds for nobody: asked without an object,
# a permission answers whether the user may do it to any response (round …), which only
# the secretariat's rules give.

PERMISSIONS: dict[str, rules.Predicate] = {
    # Responses (the object: a response).
    # Read its answers and evaluation: the public reads what is published.
    "surveys.view_surveyresponse": is_secretariat | is_office_member | is_published | reads_as_task_force,
    # See what the public does not: drafts, comments, workflow steps, revisions, attached
    # files, confirmed sections; the office's and the secretariat's pages of a response.
    "surveys.view_private_surveyresponse": is_secretariat | is_office_member | reads_as_task_force,
    # The list of every office's responses (each row one the user may read).
    "surveys.view_every_office_responses": is_secretariat | is_task_force_reader,
    # A file attached to an answer: its office and the secretariat (and a task force's
    # readers, who read the response); everyone once the response is published (the form
    # tells the office that the files are published with it).
    "surveys.download_attachment": is_secretariat | is_office_member | reads_as_task_force | is_published,
    # The office's answers to questions that no longer apply.
    "surveys.view_set_aside_answers": is_office_member,
    # Save answers and attachments (whether it can be changed now is the workflow's state).
    "surveys.change_surveyresponse": is_office_member,
    "surveys.submit_surveyresponse": is_office_approver,
    # Inside the office: mark a response ready for the approver; hand it back with a note.
    "surveys.mark_ready_surveyresponse": is_office_member,
    "surveys.hand_back_surveyresponse": is_office_approver,
    # Return, accept, publish, reopen; the review page.
    "surveys.review_surveyresponse": is_secretariat,
    "surveys.comment_surveyresponse": is_secretariat | is_office_member | reads_as_task_force,
    # Record responses on an office's behalf: spreadsheet imports, published pages.
    "surveys.import_surveyresponse": is_secretariat | is_command,
    "surveys.export_surveyresponse": is_secretariat,
    # Numbering systems (the object: a numbering system, or for adding one, the office).
    "surveys.view_numberingsystem": is_secretariat | is_office_member | has_published_responses,
    "surveys.start_surveyresponse": is_office_member,
    "surveys.add_office_numberingsystem": is_office_member,
    # The admin, where the secretariat adds and renames any office's numbering systems.
    "surveys.manage_numberingsystems": is_secretariat,
    # Rounds (the object: a round).
    "surveys.view_surveyround": is_secretariat
    | is_task_force_reader
    | is_translator
    | is_invited
    | has_published_responses,
    # The French and Spanish texts of rounds and editions (never any answer).
    "surveys.translate_texts": is_secretariat | is_translator,
    "surveys.view_invited_offices": is_secretariat,
    # The round list, a round's dashboard and its CSV.
    "surveys.view_round_dashboard": is_secretariat,
    "surveys.open_surveyround": is_secretariat,
    "surveys.remind_offices": is_secretariat,
    # Close a round (offices can no longer change, start or submit responses) and reopen it.
    "surveys.close_surveyround": is_secretariat,
    # Report figures from responses not yet published (accepted; submitted on request).
    "surveys.view_unpublished_figures": is_secretariat | is_task_force_reader,
    # E-mail the site sent or failed to send: the list (admin) and sending one again.
    "surveys.resend_mail": is_secretariat,
    # See the sign-in lockouts in force and lift one (surveys/accounts/lockout.py).
    "surveys.unlock_signin": is_secretariat,
    # Report files built in the background (the object: a build, or what one is of):
    # download one, follow its progress; ask for one to be built (never without signing in).
    "surveys.view_exportbuild": is_secretariat | is_task_force_reader | is_public_figures,
    "surveys.prepare_exportbuild": rules.is_authenticated & (is_secretariat | is_task_force_reader | is_public_figures),
    # A round's CWS working document: its settings, and its files (figures under review included).
    "surveys.prepare_working_document": is_secretariat,
    # Questionnaire editions (surveys/questionnaire/authoring.py). Drafts are read by the
    # secretariat and by translators (who translate them); the secretariat uploads and
    # replaces drafts and publishes them; translators (and the secretariat) re-import the
    # French and Spanish texts of a draft or of a published edition.
    "surveys.view_edition_drafts": is_secretariat | is_translator,
    "surveys.upload_edition": is_secretariat,
    "surveys.publish_edition": is_secretariat,
    # (The texts' re-import: "surveys.translate_texts", with the rounds' texts above.)
    # Open the upload page or call the upload API at all: whoever may do one of the two.
    "surveys.upload_spreadsheet": is_secretariat | is_translator,
    # Set up and be asked for a two-factor code (surveys/accounts/two_factor.py): the
    # secretariat and the site's staff; required of them by WIPOSTAD_REQUIRE_TWO_FACTOR.
    "surveys.use_two_factor": is_secretariat | rules.is_staff,
    # Invite offices' contacts to create their accounts, send invitations again, revoke them.
    "surveys.invite_contacts": is_secretariat,
    # An office's people (the object: the office, a membership or an invitation of it):
    # invite colleagues, change their roles, remove them. The office's approvers only.
    "surveys.manage_office_people": is_office_approver,
}

for _name, _predicate in PERMISSIONS.items():
    rules.set_perm(_name, _predicate)


def is_bureau_account(user: AnyUser | None) -> bool:
    """The secretariat's and staff accounts: never attached to an office by an invitation."""
    return bool(user is not None and (is_secretariat.test(user) or rules.is_staff.test(user)))


def keeps_account_without_office(user: AnyUser | None) -> bool:
    """Whether the account has a use besides its office (the secretariat, staff, a task
    force's reader, a translator): removed from its office, it stays active."""
    return is_bureau_account(user) or bool(is_task_force_reader.test(user) or is_translator.test(user))


def may(user: AnyUser | None, perm: str, obj: Any = None) -> bool:
    """Whether the user may do ``perm`` (to ``obj``), by the rules above alone."""
    if perm not in PERMISSIONS:
        raise KeyError(f"no permission named {perm!r} in surveys/permissions.py")
    return rules.has_perm(perm, user, obj)


# --- the same rules as querysets ---------------------------------------------------------


def office_rows(queryset: QuerySet, user: AnyUser | None, office_field: str = "office") -> QuerySet:
    """The rows of the user's office (``office_field`` leads to it), every row for the
    secretariat, none for anyone else: ``is_secretariat | is_office_member`` as a filter."""
    if is_secretariat.test(user):
        return queryset
    membership = membership_of(user)
    if membership is None:
        return queryset.none()
    return queryset.filter(**{office_field: membership.office_id})


def scope_responses(responses: QuerySet, user: AnyUser | None) -> QuerySet:
    """``surveys.view_surveyresponse`` as a filter: the office's own, every one for the
    secretariat, every one submitted at least once for a task-force reader, and every
    published one."""
    if is_secretariat.test(user):
        return responses
    if is_task_force_reader.test(user):
        return responses.filter(SUBMITTED_ONCE) | office_rows(responses, user)
    return responses.public() | office_rows(responses, user)


def private_rows(responses: QuerySet, user: AnyUser | None) -> QuerySet:
    """``surveys.view_private_surveyresponse`` as a filter: ``office_rows``, and for a
    task-force reader every response submitted at least once."""
    if is_task_force_reader.test(user) and not is_secretariat.test(user):
        return responses.filter(SUBMITTED_ONCE) | office_rows(responses, user)
    return office_rows(responses, user)


def scope_numbering_systems(systems: QuerySet, user: AnyUser | None) -> QuerySet:
    """``surveys.view_numberingsystem`` as a filter: the office's own, all for the
    secretariat, and those of published responses (their labels are on the public pages)."""
    if is_secretariat.test(user):
        return systems
    return systems.with_published_responses() | office_rows(systems, user)


def scope_rounds(rounds: QuerySet, user: AnyUser | None) -> QuerySet:
    """``surveys.view_surveyround`` as a filter: the rounds the office is invited to, all
    for the secretariat, the task force and translators, and the rounds with published
    responses."""
    if is_secretariat.test(user) or is_task_force_reader.test(user) or is_translator.test(user):
        return rounds
    membership = membership_of(user)
    published = rounds.with_published_responses()
    return published | rounds.inviting(membership.office_id) if membership else published


def scope_editions(editions: QuerySet, user: AnyUser | None) -> QuerySet:
    """``surveys.view_edition_drafts`` as a filter: every edition for those who may read
    drafts, the published ones for everyone else."""
    if may(user, "surveys.view_edition_drafts"):
        return editions
    return editions.filter(state="published")


# --- the secretariat's model permissions (what the Django admin asks) ------------------

# Model → the actions its admin page allows the secretariat. Editions, responses and
# their history are read-only in the admin; comments are added, never changed.
SECRETARIAT_MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "standards.office": ("view", "add", "change"),
    "standards.standard": ("view", "add", "change"),
    "standards.officename": ("view", "add", "change", "delete"),
    "surveys.questionnaireedition": ("view",),
    "surveys.surveyround": ("view", "add", "change"),
    "surveys.invitation": ("view", "add", "change", "delete"),
    "surveys.membership": ("view", "add", "change", "delete"),
    # Invitations change through the site's pages and the admin's actions only.
    "surveys.accountinvitation": ("view",),
    "surveys.preferences": ("view", "change"),
    "surveys.numberingsystem": ("view", "add", "change"),
    "surveys.surveyresponse": ("view",),
    "surveys.responserevision": ("view",),
    "surveys.responseevent": ("view",),
    "surveys.reviewcomment": ("view", "add"),
    "surveys.attachment": ("view",),
    "surveys.outgoingmail": ("view",),
    "surveys.exportbuild": ("view",),
}


def _secretariat_permissions(apps: Any) -> QuerySet:
    """The permission rows of SECRETARIAT_MODEL_PERMISSIONS, for the models ``apps`` has
    (an early migration's registry may not have a model added later)."""
    wanted = []
    for label, actions in SECRETARIAT_MODEL_PERMISSIONS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        name = model._meta.model_name
        wanted += [Q(content_type__app_label=model._meta.app_label, codename=f"{a}_{name}") for a in actions]
    found = apps.get_model("auth", "Permission").objects.filter(reduce(operator.or_, wanted))
    if found.count() != len(wanted):
        raise LookupError(f"{len(wanted)} model permissions expected for the secretariat, {found.count()} exist")
    return found


def secretariat_group_grant(apps: Any = django_apps) -> None:
    """Give the secretariat's group (created if need be) its model permissions; ``apps``
    is a migration's historical registry, or the project's."""
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name=SECRETARIAT_GROUP)
    group.permissions.add(*_secretariat_permissions(apps))


def secretariat_group_revoke(apps: Any = django_apps) -> None:
    """Take those model permissions back from the group (which may still hold people)."""
    group = apps.get_model("auth", "Group").objects.filter(name=SECRETARIAT_GROUP).first()
    if group is not None:
        group.permissions.remove(*_secretariat_permissions(apps))

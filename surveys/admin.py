"""Admin for every survey model, for the International Bureau's secretariat.

- Django's own permission checks decide who sees and changes what: the secretariat's
  group holds the model permissions its pages need (surveys/permissions.py,
  SECRETARIAT_MODEL_PERMISSIONS, granted by a data migration); other staff need the
  usual permissions, and see only their own office's rows (``office_rows``). Importing,
  exporting and the workflow actions ask the named permissions of surveys/permissions.py.
- Editions, responses and their history are read-only here. A response's status changes
  only through the changelist actions, which call the workflow services with the admin
  user as the actor (a refused step is reported, never forced); answers change only
  through the office's form or a spreadsheet import (``surveys.intake.spreadsheets``).
- Offices, numbering systems and responses can be exported and imported as CSV or XLSX;
  imports preview first, run through the branching engine, and write nothing when any
  row is bad.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, ngettext
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats
from import_export.forms import ExportForm

from standards import admin as standards_admin
from standards.models import Office
from surveys.accounts import invitations
from surveys.accounts.services import membership_set
from surveys.errors import WorkflowError
from surveys.intake.resources import NumberingSystemResource, ResponseResource
from surveys.intake.spreadsheets import encode_answer
from surveys.models import (
    AccountInvitation,
    Attachment,
    ExportBuild,
    Invitation,
    Membership,
    NumberingSystem,
    OutgoingMail,
    Preferences,
    QuestionnaireEdition,
    ResponseEvent,
    ResponseRevision,
    ReviewComment,
    SurveyResponse,
    SurveyRound,
)
from surveys.permissions import may, office_rows
from surveys.questionnaire.edition import Edition, tr
from surveys.questionnaire.engine import evaluate
from surveys.responses.display import STATE_LABELS, Display, display_answer
from surveys.responses.services import numbering_system_create
from surveys.review.mail import send_again
from surveys.review.workflow import WORKFLOW_ACTIONS, comment_add
from surveys.table_files import csv_bytes, table_xlsx

SPREADSHEET_FORMATS = standards_admin.SPREADSHEET_FORMATS


# --- exports, written like every other CSV and XLSX file (surveys.table_files) ---------


class CsvExport(base_formats.CSV):
    """UTF-8 with a byte-order mark, so that spreadsheet programs read names such as
    “Côte d'Ivoire” right; imports read files with or without it."""

    def export_data(self, dataset: Any, **kwargs: Any) -> bytes:
        return csv_bytes([dataset.headers, *dataset] if dataset.headers else dataset)


class XlsxExport(base_formats.XLSX):
    """One sheet as import-export has always written it: header in bold and frozen,
    columns as wide as their longest value, multi-line values wrapped."""

    # The sheet's name when the data has no title (import-export gives none).
    UNTITLED = "Tablib Dataset"

    def export_data(self, dataset: Any, **kwargs: Any) -> bytes:
        return table_xlsx(dataset.title or self.UNTITLED, dataset.headers or [], list(dataset))


class SpreadsheetExports:
    """The admin's exports, CSV or XLSX (in the order of the import formats), written by
    surveys.table_files."""

    export_formats = [CsvExport, XlsxExport]

    def get_export_data(self, file_format: Any, request: HttpRequest, queryset: QuerySet, **kwargs: Any) -> bytes:
        # As import-export's own: numbers and dates stay native in a binary file (XLSX),
        # become text in CSV; import-export tells binary formats by their exact class.
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(request, queryset, force_native_type=file_format.is_binary(), **kwargs)
        return file_format.export_data(data)


class ReadOnly:
    """Records nobody edits in the admin: history, immutable editions, workflow results."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- readable answers -----------------------------------------------------------------


def _display_html(display: Display) -> SafeString:
    if not display.is_table:
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in display.lines))
    head = format_html_join("", "<th>{}</th>", ((h,) for h in display.headers)) if any(display.headers) else ""
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in display.rows),
    )
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)


def answers_table(edition: Edition, answers: dict[str, Any], set_aside: dict[str, Any] | None = None) -> SafeString:
    """Every question with its state (answered · not answered · not applicable) and its answer."""
    evaluation = evaluate(edition, answers, with_warnings=False)
    rows = []
    for q in edition.questions:
        state = evaluation.state(q.id)
        if state == "answered":
            issues = evaluation.errors.get(q.id)
            if issues:
                # Drafts keep input that is not valid yet: show it as typed, with the reason.
                answer = format_html(
                    "{} <em>(not valid: {})</em>",
                    encode_answer(q, evaluation.answers[q.id]),
                    " ".join(i.message for i in issues),
                )
            else:
                answer = _display_html(display_answer(edition, q, evaluation.answers[q.id]))
        elif set_aside and q.id in set_aside:
            answer = format_html("<em>set aside:</em> {}", encode_answer(q, set_aside[q.id]))
        else:
            answer = ""
        rows.append((q.id, tr(q.text), STATE_LABELS[state], answer))
    body = format_html_join(
        "", '<tr><td class="nowrap">{}</td><td>{}</td><td class="nowrap">{}</td><td>{}</td></tr>', rows
    )
    return format_html(
        "<table><thead><tr><th>ID</th><th>Question</th><th>State</th><th>Answer</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        body,
    )


# --- editions, rounds, invitations, memberships ---------------------------------------


@admin.register(QuestionnaireEdition)
class QuestionnaireEditionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = (
        "title",
        "slug",
        "version",
        "year",
        "state",
        "short_checksum",
        "question_count",
        "loaded_at",
        "spreadsheet",
    )
    list_filter = ("state",)
    search_fields = ("slug", "title")
    fields = (
        "title",
        "slug",
        "version",
        "year",
        "state",
        "published_at",
        "checksum",
        "loaded_at",
        "question_count",
        "sections",
        "spreadsheet",
    )
    readonly_fields = fields

    @admin.display(description=gettext_lazy("Spreadsheet"))
    def spreadsheet(self, obj: QuestionnaireEdition) -> SafeString:
        # Uploading and publishing are the edition pages' (the same services and permissions).
        return format_html(
            '<a href="{}">{}</a>',
            reverse("surveys:edition_spreadsheet", args=[obj.slug]),
            gettext_lazy("Download (XLSX)"),
        )

    @admin.display(description="Checksum (SHA-256)")
    def short_checksum(self, obj: QuestionnaireEdition) -> str:
        return f"{obj.checksum[:12]}…"

    @admin.display(description="Questions")
    def question_count(self, obj: QuestionnaireEdition) -> int:
        return len(obj.structure.questions)

    @admin.display(description="Sections")
    def sections(self, obj: QuestionnaireEdition) -> SafeString:
        return format_html_join(
            mark_safe("<br>"),
            "{}: {} ({} questions)",
            ((s.id, tr(s.title), len(s.questions)) for s in obj.structure.sections),
        )


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ("office", "invited_at", "reminders_sent", "last_reminded_at")
    readonly_fields = ("invited_at", "reminders_sent", "last_reminded_at")
    autocomplete_fields = ("office",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("office")


@admin.register(SurveyRound)
class SurveyRoundAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "edition_slug", "year", "opens_on", "closes_on", "status", "invited", "responses")
    list_filter = ("status", "year")
    search_fields = ("title", "slug")
    list_select_related = ("edition",)
    fields = (
        "edition",
        "title",
        "title_fr",
        "title_es",
        "slug",
        "year",
        "opens_on",
        "closes_on",
        "status",
        "cws_session",
        "presented_on",
    )
    prepopulated_fields = {"slug": ("title",)}
    inlines = [InvitationInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The edition's definition is large and not needed to list rounds.
        return (
            super()
            .get_queryset(request)
            .defer("edition__definition")
            .annotate(
                invited_count=Count("invitations", distinct=True), response_count=Count("responses", distinct=True)
            )
        )

    @admin.display(description="Edition", ordering="edition__slug")
    def edition_slug(self, obj: SurveyRound) -> str:
        return obj.edition.slug

    @admin.display(description="Invited offices", ordering="invited_count")
    def invited(self, obj: SurveyRound) -> int:
        return obj.invited_count

    @admin.display(description="Responses", ordering="response_count")
    def responses(self, obj: SurveyRound) -> int:
        return obj.response_count


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("office", "round", "invited_at", "reminders_sent", "last_reminded_at")
    list_filter = ("round",)
    search_fields = ("office__code", "office__name")
    list_select_related = ("office", "round")
    autocomplete_fields = ("office",)
    readonly_fields = ("invited_at", "reminders_sent", "last_reminded_at")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "office", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "office__code", "office__name")
    list_select_related = ("user", "office")
    autocomplete_fields = ("office",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return office_rows(super().get_queryset(request), request.user, "office")

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        saved = membership_set(user=obj.user, office=obj.office, role=obj.role)
        obj.pk = saved.pk


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    """Each person's language (of the pages after signing in, and of every e-mail)."""

    list_display = ("user", "language")
    list_filter = ("language",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(AccountInvitation)
class AccountInvitationAdmin(ReadOnly, admin.ModelAdmin):
    """Invitations, as sent: read only (the link's secret is not kept, only its digest);
    sending again and revoking go through the same steps as the site's pages."""

    list_display = ("email", "office", "role", "language", "round", "state_label", "send_count", "expires_at")
    list_filter = ("role", "language", "round")
    search_fields = ("email", "office__code", "office__name")
    list_select_related = ("office", "round")
    fields = (
        "email", "office", "role", "language", "round", "invited_by", "created_at", "expires_at", "send_count",
        "last_sent_at", "accepted_at", "accepted_user", "revoked_at", "token_digest",
    )  # fmt: skip
    readonly_fields = fields
    actions = ["send_again", "revoke"]

    def has_manage_permission(self, request: HttpRequest) -> bool:
        return may(request.user, "surveys.invite_contacts")

    @admin.display(description=gettext_lazy("state"))
    def state_label(self, obj: AccountInvitation) -> str:
        return obj.get_state_display()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return office_rows(super().get_queryset(request), request.user, "office")

    def _each(self, request: HttpRequest, queryset: QuerySet, step: Callable, done: Callable[[int], str]) -> None:
        count = 0
        for invitation in queryset:
            try:
                step(invitation)
            except WorkflowError as exc:
                self.message_user(request, f"{invitation.email}: {exc}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, done(count), messages.SUCCESS)

    @admin.action(description=gettext_lazy("Send again with a new link"), permissions=["manage"])
    def send_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        base_url = invitations.site_url(request)
        self._each(
            request,
            queryset,
            lambda i: invitations.invitation_resend(invitation=i, user=request.user, base_url=base_url),
            lambda n: ngettext("%(n)d invitation sent again.", "%(n)d invitations sent again.", n) % {"n": n},
        )

    @admin.action(description=gettext_lazy("Revoke"), permissions=["manage"])
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request,
            queryset,
            lambda i: invitations.invitation_revoke(invitation=i, user=request.user),
            lambda n: ngettext("%(n)d invitation revoked.", "%(n)d invitations revoked.", n) % {"n": n},
        )


# --- numbering systems and responses --------------------------------------------------


@admin.register(NumberingSystem)
class NumberingSystemAdmin(
    SpreadsheetExports, standards_admin.CappedImportMixin, standards_admin.ProblemListMixin, ImportExportModelAdmin
):
    resource_classes = [NumberingSystemResource]
    import_formats = SPREADSHEET_FORMATS
    list_display = ("label", "office", "response_count", "created_at", "created_by")
    search_fields = ("label", "office__code", "office__name")
    list_select_related = ("office", "created_by")
    autocomplete_fields = ("office",)
    fields = ("office", "label", "created_at", "created_by")
    readonly_fields = ("created_at", "created_by")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request).annotate(responses_n=Count("responses"))
        return office_rows(queryset, request.user, "office")

    @admin.display(description="Responses", ordering="responses_n")
    def response_count(self, obj: NumberingSystem) -> int:
        return obj.responses_n

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def save_model(self, request: HttpRequest, obj: NumberingSystem, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new system is created by the same service as on the web and in the API (the form
        # has already refused empty and duplicate names through the model's constraints).
        saved = numbering_system_create(office=obj.office, label=obj.label, user=request.user, secretariat_may=True)
        obj.pk, obj.created_by, obj.created_at = saved.pk, saved.created_by, saved.created_at


class WorkflowActionForm(ActionForm):
    comment = forms.CharField(
        required=False,
        label="Comment",
        widget=forms.TextInput(attrs={"size": 50, "placeholder": "Comment for the office (needed to return)"}),
    )


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0
    can_delete = False

    related: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return tuple(self.fields or ())

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related(*self.related)


class EventInline(ReadOnlyInline):
    model = ResponseEvent
    fields = ("created_at", "action", "from_status", "to_status", "actor", "comment", "version")
    related = ("actor",)
    verbose_name_plural = "Workflow steps"


class CommentInline(ReadOnlyInline):
    model = ReviewComment
    fields = ("created_at", "question_id", "author", "body", "version")
    related = ("author",)


class RevisionInline(ReadOnlyInline):
    model = ResponseRevision
    fields = ("version", "created_at", "status", "author", "note", "changed")
    related = ("author",)
    show_change_link = True


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("question_id", "original_name", "size", "content_type", "uploaded_by", "uploaded_at")
    related = ("uploaded_by",)


_PUBLIC_KEY = re.compile(r"^([A-Za-z]{2})-(\d{1,3})$")
# Steps whose service takes a comment for the office.
COMMENTED_STEPS = frozenset({"return", "accept", "reopen"})


@admin.register(SurveyResponse)
class SurveyResponseAdmin(
    ReadOnly,
    SpreadsheetExports,
    standards_admin.CappedImportMixin,
    standards_admin.ProblemListMixin,
    ImportExportModelAdmin,
):
    resource_classes = [ResponseResource]
    import_formats = SPREADSHEET_FORMATS
    # Every column, always: the file is meant to be corrected and imported back.
    export_form_class = ExportForm
    action_form = WorkflowActionForm
    actions = ["return_to_office", "accept", "publish", "reopen"]
    list_display = (
        "public_key",
        "office",
        "system_label",
        "round",
        "status",
        "version",
        "updated_at",
        "updated_by",
    )
    list_filter = ("status", "round", ("office", admin.RelatedOnlyFieldListFilter))
    search_fields = ("office__code", "office__name", "numbering_system__label")
    search_help_text = "Office code or name, numbering system, or a response key such as md-002."
    list_select_related = ("round", "office", "numbering_system", "updated_by")
    readonly_fields = (
        "public_key",
        "round",
        "office",
        "numbering_system",
        "sequence",
        "status",
        "version",
        "answers_list",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "submitted_at",
        "accepted_at",
        "published_at",
        "prefilled_from",
        "confirmed_sections",
        "carried_answers",
        "not_carried_answers",
    )
    fieldsets = (
        (None, {"fields": ("public_key", "round", "office", "numbering_system", "sequence", "status", "version")}),
        (
            "Answers",
            {
                "fields": ("answers_list",),
                "description": "Read-only. Answers change through the office's form or a spreadsheet import; "
                "the status changes through the actions of the response list.",
            },
        ),
        (
            "History",
            {
                "fields": (
                    ("created_at", "created_by"),
                    ("updated_at", "updated_by"),
                    ("submitted_at", "accepted_at", "published_at"),
                    "prefilled_from",
                    "confirmed_sections",
                    "carried_answers",
                    "not_carried_answers",
                )
            },
        ),
    )
    inlines = [EventInline, CommentInline, RevisionInline, AttachmentInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return office_rows(super().get_queryset(request), request.user, "office")

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        match = _PUBLIC_KEY.match(search_term.strip())
        if match:
            return queryset.filter(office_id=match[1].upper(), sequence=int(match[2])), False
        return super().get_search_results(request, queryset, search_term)

    def has_import_permission(self, request: HttpRequest) -> bool:
        return may(request.user, "surveys.import_surveyresponse")

    def has_export_permission(self, request: HttpRequest) -> bool:
        return may(request.user, "surveys.export_surveyresponse")

    def has_workflow_permission(self, request: HttpRequest) -> bool:
        return may(request.user, "surveys.review_surveyresponse")

    @admin.display(description="Response", ordering="office_id")
    def public_key(self, obj: SurveyResponse) -> str:
        return obj.public_key

    @admin.display(description="Numbering system", ordering="numbering_system__label")
    def system_label(self, obj: SurveyResponse) -> str:
        return obj.numbering_system.label

    @admin.display(description="Answers")
    def answers_list(self, obj: SurveyResponse) -> SafeString:
        return answers_table(obj.round.edition.structure, obj.answers, obj.set_aside_answers)

    def _step(self, request: HttpRequest, queryset: QuerySet, action: str) -> None:
        service: Callable[..., SurveyResponse] = WORKFLOW_ACTIONS[action]
        comment = (request.POST.get("comment") or "").strip()
        extra = {"comment": comment} if action in COMMENTED_STEPS else {}
        done = []
        for response in queryset:
            try:
                service(response=response, user=request.user, **extra)
            except WorkflowError as exc:
                self.message_user(request, f"{response.public_key} ({response.round}): {exc}", messages.ERROR)
            else:
                done.append(response.public_key)
        if done:
            label = ResponseEvent.Action(action).label
            self.message_user(request, f"{label}: {', '.join(done)}.", messages.SUCCESS)

    @admin.action(description="Return to the office (write the comment first)", permissions=["workflow"])
    def return_to_office(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._step(request, queryset, "return")

    @admin.action(description="Accept", permissions=["workflow"])
    def accept(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._step(request, queryset, "accept")

    @admin.action(description="Publish", permissions=["workflow"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._step(request, queryset, "publish")

    @admin.action(description="Reopen (back to the office)", permissions=["workflow"])
    def reopen(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._step(request, queryset, "reopen")


# --- history and its companions -------------------------------------------------------


@admin.register(ResponseRevision)
class ResponseRevisionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("response", "version", "status", "author", "created_at", "note", "changed_count")
    list_filter = ("status",)
    search_fields = ("response__office__code", "response__numbering_system__label", "note")
    list_select_related = ("response__round", "author")
    fields = ("response", "version", "status", "author", "created_at", "note", "changed", "answers_list")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return office_rows(super().get_queryset(request), request.user, "response__office")

    @admin.display(description="Answers changed")
    def changed_count(self, obj: ResponseRevision) -> int:
        return len(obj.changed or ())

    @admin.display(description="Answers at this version")
    def answers_list(self, obj: ResponseRevision) -> SafeString:
        return answers_table(obj.response.round.edition.structure, obj.answers, obj.set_aside_answers)


@admin.register(ResponseEvent)
class ResponseEventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("response", "action", "from_status", "to_status", "actor", "created_at", "version")
    list_filter = ("action",)
    search_fields = ("response__office__code", "comment")
    list_select_related = ("response__round", "actor")
    fields = ("response", "action", "from_status", "to_status", "actor", "created_at", "version", "comment")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return office_rows(super().get_queryset(request), request.user, "response__office")


class CommentForm(forms.ModelForm):
    class Meta:
        model = ReviewComment
        fields = ("response", "question_id", "body")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        response, question_id = data.get("response"), (data.get("question_id") or "").strip()
        if response is not None and question_id and question_id not in response.round.edition.structure.by_id:
            self.add_error("question_id", f"{question_id} is not a question of this response's edition.")
        data["question_id"] = question_id
        return data


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    """Comments are added through the same service as on the review page, and never edited."""

    form = CommentForm
    list_display = ("response", "question_id", "author", "short_body", "version", "created_at")
    search_fields = ("response__office__code", "question_id", "body")
    list_select_related = ("response__round", "author")
    autocomplete_fields = ("response",)
    readonly_fields = ("author", "version", "created_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return office_rows(super().get_queryset(request), request.user, "response__office")

    def get_fields(self, request: HttpRequest, obj: ReviewComment | None = None) -> tuple[str, ...]:
        return (
            ("response", "question_id", "body")
            if obj is None
            else ("response", "question_id", "body", *self.readonly_fields)
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Asked without a response: comments on any office's response, the secretariat's.
        return super().has_add_permission(request) and may(request.user, "surveys.comment_surveyresponse")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Comment")
    def short_body(self, obj: ReviewComment) -> str:
        return obj.body if len(obj.body) <= 80 else f"{obj.body[:79]}…"

    def save_model(self, request: HttpRequest, obj: ReviewComment, form: Any, change: bool) -> None:
        saved = comment_add(response=obj.response, user=request.user, body=obj.body, question_id=obj.question_id)
        obj.pk, obj.version, obj.author, obj.created_at = saved.pk, saved.version, saved.author, saved.created_at


@admin.register(Attachment)
class AttachmentAdmin(ReadOnly, admin.ModelAdmin):
    """Metadata only: files are served by the response pages, which check who is asking."""

    list_display = ("original_name", "response", "question_id", "size", "content_type", "uploaded_by", "uploaded_at")
    search_fields = ("original_name", "response__office__code")
    list_select_related = ("response__round", "uploaded_by")
    fields = (
        "response",
        "question_id",
        "original_name",
        "size",
        "content_type",
        "stored",
        "uploaded_by",
        "uploaded_at",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return office_rows(super().get_queryset(request), request.user, "response__office")

    @admin.display(description="File stored", boolean=True)
    def stored(self, obj: Attachment) -> bool:
        return bool(obj.file)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnly, admin.ModelAdmin):
    """Every e-mail the site sent or tried to send; what failed can be sent again."""

    list_display = ("created_at", "subject", "to", "status", "attempts", "last_error", "sent_at")
    list_filter = ("status",)
    search_fields = ("subject", "recipients", "last_error")
    fields = ("subject", "to", "body", "status", "attempts", "last_error", "created_at", "last_attempt_at", "sent_at")
    readonly_fields = fields
    actions = ["send_again"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and may(request.user, "surveys.resend_mail")

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return may(request.user, "surveys.resend_mail")

    @admin.display(description=gettext_lazy("recipients"))
    def to(self, obj: OutgoingMail) -> str:
        return ", ".join(obj.recipients)

    @admin.action(description=gettext_lazy("Send again"), permissions=["resend"])
    def send_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        queued = send_again(list(queryset))
        self.message_user(
            request,
            ngettext("%(n)d e-mail queued to be sent again.", "%(n)d e-mails queued to be sent again.", queued)
            % {"n": queued},
            messages.SUCCESS,
        )


# --- the ST.3 offices, exported by the shared writer ------------------------------------
# standards.admin cannot use surveys.table_files (standards never imports surveys), so the
# Office admin is registered again here with the same spreadsheet files as the others.

admin.site.unregister(Office)


@admin.register(Office)
class OfficeAdmin(SpreadsheetExports, standards_admin.OfficeAdmin):
    pass


# --- report files built in the background (surveys/reports/builds.py) -------------------


@admin.register(ExportBuild)
class ExportBuildAdmin(ReadOnly, admin.ModelAdmin):
    """The stored report files and the builds under way or failed, with what went wrong."""

    list_display = ("created_at", "round", "format", "table_id", "language", "scope", "state", "size", "error")
    list_filter = ("state", "format", "scope", "language")
    list_select_related = ("round",)
    search_fields = ("round__slug", "table_id", "error")
    fields = (
        "round", "scope", "format", "table_id", "language", "fingerprint", "state", "done_units", "total_units",
        "file", "filename", "size", "created_at", "started_at", "finished_at", "error", "requested_by",
    )  # fmt: skip
    readonly_fields = fields

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and may(request.user, "surveys.view_unpublished_figures")

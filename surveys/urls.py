from django.urls import path, register_converter

from surveys import views
from surveys.accounts import people_views as people
from surveys.questionnaire import authoring_views as editions
from surveys.responses import document_views
from surveys.responses import views as office
from surveys.review import deadline_views
from surveys.review import views as review


class PublicKeyConverter:
    """“md-002”: ST.3 code in lower case, a hyphen, the response number on three digits."""

    regex = r"[a-z]{2}-\d{3}"

    def to_python(self, value: str) -> tuple[str, int]:
        code, number = value.split("-")
        return code, int(number)

    def to_url(self, value: tuple[str, int] | str) -> str:
        if isinstance(value, str):
            return value
        code, number = value
        return f"{code.lower()}-{number:03d}"


register_converter(PublicKeyConverter, "publickey")

app_name = "surveys"

urlpatterns = [
    path("", office.dashboard, name="dashboard"),
    path("numbering-systems/new/", office.numbering_system_new, name="numbering_system_new"),
    path(
        "rounds/<slug:round_slug>/numbering-systems/<int:system_pk>/start/",
        office.response_start_view,
        name="response_start",
    ),
    path("rounds/", review.round_list, name="round_list"),
    path("rounds/new/", review.round_new, name="round_new"),
    path("rounds/<slug:slug>/", review.round_dashboard, name="round_dashboard"),
    path("rounds/<slug:slug>/remind/", review.round_remind, name="round_remind"),
    path("rounds/<slug:slug>/presentation/", review.round_presentation, name="round_presentation"),
    path("responses/<int:pk>/", office.response_detail, name="response_detail"),
    path("responses/<int:pk>/review/", review.response_review, name="response_review"),
    path("responses/<int:pk>/history/", office.response_history, name="response_history"),
    path("responses/<int:pk>/comments/", review.response_comment, name="response_comment"),
    path("responses/<int:pk>/edit/", office.response_edit, name="response_edit"),
    path("responses/<int:pk>/attachments/<str:token>/", office.attachment_download, name="attachment_download"),
    path(
        "responses/<int:pk>/attachments/<str:token>/remove/",
        office.attachment_remove_view,
        name="attachment_remove",
    ),
    path("responses/<int:pk>/document/<str:fmt>/", document_views.response_document, name="response_document"),
    # Editions authored as spreadsheets: before "<slug:edition_slug>/", which would take "editions".
    path("editions/", editions.edition_list, name="edition_list"),
    path("editions/upload/", editions.edition_upload, name="edition_upload"),
    path("editions/<slug:edition_slug>/", editions.edition_status, name="edition_status"),
    path("editions/<slug:edition_slug>/preview/", editions.edition_preview, name="edition_preview"),
    path("editions/<slug:edition_slug>/publish/", editions.edition_publish, name="edition_publish"),
    path("editions/<slug:edition_slug>/spreadsheet/", editions.edition_spreadsheet, name="edition_spreadsheet"),
    # Invitations and an office's people (surveys/accounts/people_views.py).
    path("rounds/<slug:slug>/invitations/", people.round_invitations, name="round_invitations"),
    path("invitations/<int:pk>/resend/", people.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", people.invitation_revoke, name="invitation_revoke"),
    path("office/people/", people.office_people, name="office_people"),
    path("office/people/<int:pk>/role/", people.office_person_role, name="office_person_role"),
    path("office/people/<int:pk>/remove/", people.office_person_remove, name="office_person_remove"),
    # Issue 14: a round's texts in French and Spanish; the hand-over inside the office.
    path("rounds/<slug:slug>/texts/", review.round_texts, name="round_texts"),
    path("responses/<int:pk>/submit/", office.response_submit_view, name="response_submit"),
    path("responses/<int:pk>/hand-back/", office.response_hand_back_view, name="response_hand_back"),
    path("<slug:edition_slug>/", views.edition_detail, name="edition_detail"),
    path("<slug:edition_slug>/responses/", views.public_response_list, name="public_response_list"),
    path("<slug:edition_slug>/responses/<publickey:key>/", views.public_response_detail, name="public_response_detail"),
    # A round's deadline: closing and reopening it, its automatic reminders.
    path("rounds/<slug:slug>/close/", deadline_views.round_close_view, name="round_close"),
    path("rounds/<slug:slug>/reopen/", deadline_views.round_reopen_view, name="round_reopen"),
    path("rounds/<slug:slug>/reminders/", deadline_views.round_reminder_schedule, name="round_reminder_schedule"),
    path(
        "<slug:edition_slug>/responses/<publickey:key>/attachments/<str:token>/",
        views.public_attachment_download,
        name="public_attachment_download",
    ),
]

from django.urls import path, register_converter

from surveys import views
from surveys.responses import document_views
from surveys.responses import views as office
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
    path("<slug:edition_slug>/", views.edition_detail, name="edition_detail"),
    path("<slug:edition_slug>/responses/", views.public_response_list, name="public_response_list"),
    path("<slug:edition_slug>/responses/<publickey:key>/", views.public_response_detail, name="public_response_detail"),
    path(
        "<slug:edition_slug>/responses/<publickey:key>/attachments/<str:token>/",
        views.public_attachment_download,
        name="public_attachment_download",
    ),
]

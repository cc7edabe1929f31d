from django.urls import path, register_converter

from surveys import views


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
    path("", views.dashboard, name="dashboard"),
    path("numbering-systems/new/", views.numbering_system_new, name="numbering_system_new"),
    path(
        "rounds/<slug:round_slug>/numbering-systems/<int:system_pk>/start/",
        views.response_start_view,
        name="response_start",
    ),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<slug:slug>/", views.round_dashboard, name="round_dashboard"),
    path("rounds/<slug:slug>/remind/", views.round_remind, name="round_remind"),
    path("responses/<int:pk>/", views.response_detail, name="response_detail"),
    path("responses/<int:pk>/review/", views.response_review, name="response_review"),
    path("responses/<int:pk>/history/", views.response_history, name="response_history"),
    path("responses/<int:pk>/comments/", views.response_comment, name="response_comment"),
    path("responses/<int:pk>/edit/", views.response_edit, name="response_edit"),
    path("responses/<int:pk>/attachments/<str:token>/", views.attachment_download, name="attachment_download"),
    path(
        "responses/<int:pk>/attachments/<str:token>/remove/",
        views.attachment_remove_view,
        name="attachment_remove",
    ),
    path("<slug:edition_slug>/", views.edition_detail, name="edition_detail"),
    path("<slug:edition_slug>/responses/", views.public_response_list, name="public_response_list"),
    path("<slug:edition_slug>/responses/<publickey:key>/", views.public_response_detail, name="public_response_detail"),
]

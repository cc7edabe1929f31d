from django.urls import path

from surveys.reports import comparison_views, downloads, opendata_views, views, working_document_views

app_name = "reports"

urlpatterns = [
    path("rounds/<slug:round_slug>/report/", views.round_report, name="round_report"),
]

# Heavy files (PDF, DOCX, XLSX, the CSV zip): built in the background, served when stored.
urlpatterns += [
    path("rounds/<slug:round_slug>/report/file/<str:fmt>/", downloads.report_file, name="report_file"),
    path("rounds/<slug:round_slug>/report/builds/<int:build_id>/", downloads.export_build, name="export_build"),
    path(
        "rounds/<slug:round_slug>/report/builds/<int:build_id>/status/",
        downloads.export_build_status,
        name="export_build_status",
    ),
    path(
        "rounds/<slug:round_slug>/report/builds/<int:build_id>/file/",
        downloads.export_build_file,
        name="export_build_file",
    ),
]

# The CWS working document of a round (the secretariat's).
urlpatterns += [
    path(
        "rounds/<slug:round_slug>/working-document/",
        working_document_views.working_document,
        name="working_document",
    ),
    path(
        "rounds/<slug:round_slug>/working-document/<str:fmt>/<str:language>/",
        working_document_views.working_document_file,
        name="working_document_file",
    ),
]

# The open data of a round (surveys/reports/opendata.py): its versions, each version's ZIP.
urlpatterns += [
    path("rounds/<slug:round_slug>/open-data/", opendata_views.open_data, name="open_data"),
    path("rounds/<slug:round_slug>/open-data/latest.zip", opendata_views.open_data_latest, name="open_data_latest"),
    path("rounds/<slug:round_slug>/open-data/<int:version>.zip", opendata_views.open_data_file, name="open_data_file"),
]

# A round compared with the previous round, question by question (across a revision through its mapping).
urlpatterns += [
    path("rounds/<slug:round_slug>/comparison/", comparison_views.round_comparison, name="round_comparison"),
]

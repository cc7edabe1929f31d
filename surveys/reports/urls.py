from django.urls import path

from surveys.reports import views

app_name = "reports"

urlpatterns = [
    path("rounds/<slug:round_slug>/report/", views.round_report, name="round_report"),
]

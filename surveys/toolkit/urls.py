from django.urls import path

from surveys.toolkit import views

app_name = "toolkit"

urlpatterns = [
    path("", views.checker, name="checker"),
]

from django.urls import path

from surveys.checker import views

# The namespace keeps its first name: templates, links and tests reverse "toolkit:checker".
app_name = "toolkit"

urlpatterns = [
    path("", views.checker, name="checker"),
    path("systems/", views.system_search, name="system_search"),
]

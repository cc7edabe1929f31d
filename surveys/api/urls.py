from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.register("offices", views.OfficeViewSet, basename="office")
router.register("standards", views.StandardViewSet, basename="standard")
router.register("editions", views.EditionViewSet, basename="edition")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("numbering-systems", views.NumberingSystemViewSet, basename="numbering-system")
router.register("responses", views.ResponseViewSet, basename="response")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("st13/parse/", views.St13ParseView.as_view(), name="st13-parse"),
    path("st13/profiles/", views.St13ProfilesView.as_view(), name="st13-profiles"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.ApiDocsView.as_view(), name="docs"),
    *router.urls,
]

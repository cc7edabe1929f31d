from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from surveys import views as survey_views
from surveys.accounts import languages as account_languages
from surveys.accounts import views as account_views
from wipostad.health import healthz

urlpatterns = [
    path("", survey_views.home, name="home"),
    path("accounts/login/", account_views.SignInView.as_view(), name="login"),
    path("accounts/lockouts/", account_views.lockouts, name="lockouts"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset and change, two-factor authentication.
    path("accounts/", include("surveys.accounts.urls")),
    path("surveys/", include("surveys.reports.urls")),
    path("surveys/", include("surveys.urls")),
    path("st13/", include("surveys.checker.urls")),
    path("api/", include("surveys.api.urls")),
    # The admin pages of responses moved with the model's new name (SurveyResponse).
    re_path(
        r"^admin/surveys/response/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/surveys/surveyresponse/%(rest)s", permanent=True, query_string=True),
    ),
    path("admin/", admin.site.urls),
    # The language switcher posts here (django.views.i18n.set_language: POST only, CSRF
    # checked); a signed-in person's choice is stored with their account.
    path("i18n/setlang/", account_languages.set_language, name="set_language"),
    path("accounts/invitations/<str:token>/", account_views.invitation_accept, name="invitation_accept"),
    # For the reverse proxy or load balancer: 200 when the database and the cache answer.
    path("healthz", healthz, name="healthz"),
]

# Single sign-on (OpenID Connect): its pages exist only when it is turned on.
if settings.WIPOSTAD_OIDC_ENABLED:
    urlpatterns.append(path("accounts/oidc/", include("surveys.accounts.sso_urls")))

handler403 = "surveys.views.error_403"
handler404 = "surveys.views.error_404"
handler500 = "surveys.views.error_500"

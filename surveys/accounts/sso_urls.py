"""The single sign-on pages (mozilla-django-oidc's), included under /accounts/oidc/ only
when WIPOSTAD_OIDC_ENABLED is on: the start of the sign-in and the provider's return."""

from django.urls import path
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from surveys.accounts.sso import SignInCallbackView

urlpatterns = [
    path("authenticate/", OIDCAuthenticationRequestView.as_view(), name="oidc_authentication_init"),
    path("callback/", SignInCallbackView.as_view(), name="oidc_authentication_callback"),
]

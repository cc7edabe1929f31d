"""A small OpenID provider for the single sign-on tests (django-oauth-toolkit), and the URL
configuration they run under: the site's pages, its single sign-on pages, and the
provider's under /o/.

The claims the provider gives about the person are set by each test (IDENTITY), so that a
test can say "this address, verified or not" whatever the provider's own account holds.
"""

from __future__ import annotations

from django.urls import include, path
from oauth2_provider.oauth2_validators import OAuth2Validator

from wipostad.urls import handler403, handler404, handler500  # noqa: F401
from wipostad.urls import urlpatterns as site_urlpatterns

IDENTITY: dict = {}


class ClaimsValidator(OAuth2Validator):
    def get_additional_claims(self, request):
        return dict(IDENTITY)


urlpatterns = [
    *site_urlpatterns,
    path("accounts/oidc/", include("surveys.accounts.sso_urls")),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]

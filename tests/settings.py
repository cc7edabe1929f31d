"""Settings for the test suite: the project's own settings, with a fast password hasher.

Django's default hasher is slow on purpose; the suite creates a few thousand users and
signs them in, and would spend most of its time hashing. Nothing else differs, so the
suite exercises the settings that production reads from the environment.
"""

from wipostad.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Background tasks (e-mail) run at once, in the test's own process and transaction.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Publishing a response does not build the public report files unless a test asks for it.
WIPOSTAD_PREPARE_PUBLIC_EXPORTS = False

# Two-factor authentication is required in production (DJANGO_DEBUG=0, as here) but not
# in the tests, unless asked for in the environment; its own tests turn it on.
WIPOSTAD_REQUIRE_TWO_FACTOR = env_bool("WIPOSTAD_REQUIRE_TWO_FACTOR", False)  # noqa: F405

# A small OpenID provider (django-oauth-toolkit) for the single sign-on tests: installed
# in the tests only, its pages only in their URL configuration (tests/sso_provider.py).
INSTALLED_APPS = [*INSTALLED_APPS, "oauth2_provider"]  # noqa: F405

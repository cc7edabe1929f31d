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

"""Settings for the app-server tests only: the test settings with a URLconf that adds a
slow view (tests/ops/slow_urls.py). Never used by the site itself."""

from tests.settings import *  # noqa: F403

ROOT_URLCONF = "tests.ops.slow_urls"

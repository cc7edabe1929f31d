"""Shared fixtures: reference data, personas and small factories.

Personas (DESIGN.md): office A respondent and approver (Republic of Moldova), office B
respondent (European Patent Office), a secretariat reviewer, and anonymous visitors.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

BROWSER_PATH = os.environ.get("WIPOSTAD_CHROMIUM", "/usr/bin/chromium")
BROWSER_REQUIRED = os.environ.get("WIPOSTAD_REQUIRE_BROWSER", "") == "1"
EDITION_FILE = Path(__file__).resolve().parent.parent / "surveys" / "editions" / "application-numbering-2012.json"
EDITION_SLUG = "application-numbering-2012"
REFERENCE_DATA_RELOAD = "tests.reference-data-reload"


def _browser_available() -> bool:
    return Path(BROWSER_PATH).exists() or shutil.which(BROWSER_PATH) is not None


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items or _browser_available():
        return
    if BROWSER_REQUIRED:
        raise pytest.UsageError(f"Browser tests are required but Chromium was not found at {BROWSER_PATH}.")
    skip = pytest.mark.skip(reason=f"Chromium not found at {BROWSER_PATH} (install chromium to run browser tests)")
    for item in browser_items:
        item.add_marker(skip)


def pytest_sessionfinish(session, exitstatus):
    # Where browser tests are required (CI), a skipped one is a failure, not a pass.
    if not BROWSER_REQUIRED:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    browser_skips = [r for r in skipped if "tests/browser/" in r.nodeid]
    if browser_skips:
        for r in browser_skips:
            print(f"\nbrowser test skipped but required: {r.nodeid}")
        session.exitstatus = 1


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": BROWSER_PATH,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def _message_catalogues(request):
    """The French and Spanish catalogues compiled (pure Python) before the first test, so
    that any subset of the suite reads pages, reports and exports in those languages
    without `make translations` first."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    from django.conf import settings
    from django.utils.translation.reloader import translation_file_changed

    from surveys.management.commands.compile_translations import compile_stale

    for mo_path in compile_stale([Path(p) for p in settings.LOCALE_PATHS]):
        translation_file_changed(sender=None, file_path=mo_path)  # forget catalogues read before


@pytest.fixture(autouse=True)
def _default_language():
    # A request through the test client leaves its language active in the thread (the
    # locale middleware activates it and nothing resets it): every test starts in the
    # default language, whatever ran before it in the same process.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _published_pages_of_this_process(request):
    # The published pages a process keeps in its own memory outlive a test's rolled-back
    # database: every test starts without any (surveys/responses/page_cache.py).
    if request.config.pluginmanager.hasplugin("django"):
        from surveys.responses.page_cache import LOCAL

        LOCAL.clear()


@pytest.fixture(autouse=True)
def _media_root(request, tmp_path):
    # Pure-Python tests may run without the Django plugin.
    if request.config.pluginmanager.hasplugin("django"):
        request.getfixturevalue("settings").MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(scope="session")
def edition_structure():
    import json

    from surveys.questionnaire.edition import Edition

    return Edition(json.loads(EDITION_FILE.read_text(encoding="utf-8")))


def _load_reference_data():
    """The ST.3 offices, the standards catalogue and the 2012 edition, as `make run` loads them."""
    from django.db import transaction

    from standards.services import office_names_load, offices_load, standards_load
    from surveys.questionnaire.loading import edition_load

    with transaction.atomic():
        offices_load()
        office_names_load()
        standards_load()
        edition, _ = edition_load(EDITION_FILE)
    return edition


def _reload_reference_data_after_flush(sender, **kwargs):
    # A transactional test (browser tests, live_server) ends with Django's flush, which empties
    # every table and then sends post_migrate once per app: load the data again, once, before
    # the next test, outside any test transaction; and give the secretariat's group its model
    # permissions again, as its data migration did (the permission rows are made anew by then).
    # A migrate command (it sends its plan) is no flush: it leaves the data where it was.
    # The cache table is no model's, so a flush leaves it: empty it too, so that no count
    # of checks per client carries over to the next test.
    if sender.label == "surveys" and "plan" not in kwargs:
        from django.core.cache import cache

        from surveys.permissions import secretariat_group_grant

        _load_reference_data()
        secretariat_group_grant()
        cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The migrated test database with the reference data, loaded once for the whole session."""
    from django.db.models.signals import post_migrate

    with django_db_blocker.unblock():
        _load_reference_data()
    post_migrate.connect(_reload_reference_data_after_flush, dispatch_uid=REFERENCE_DATA_RELOAD)
    yield
    post_migrate.disconnect(dispatch_uid=REFERENCE_DATA_RELOAD)


@pytest.fixture
def reference_data(db):
    """The 2012 edition; the ST.3 offices and the standards catalogue are loaded with it.

    The data is loaded once per session (django_db_setup); a test that emptied the tables
    without Django's flush (and committed) leaves it missing, so check and load again.
    """
    from surveys.models import QuestionnaireEdition

    edition = QuestionnaireEdition.objects.filter(slug=EDITION_SLUG).first()
    return edition if edition is not None else _load_reference_data()


@pytest.fixture(autouse=True)
def _reference_data_only_when_asked(request):
    """A database test that does not ask for reference_data starts from empty tables.

    So a test states what it relies on, and tests of the loaders, or counting offices,
    see only their own rows. Inside the test's transaction the deletion is rolled back
    afterwards; a transactional test ends with the flush, after which the data is loaded again.
    """
    names = request.fixturenames
    if "reference_data" in names:
        return
    # The database is set up first: by the django_db marker (the plugin's autouse fixture
    # runs before this one), or here for a test that asks for it through a fixture.
    if "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    elif request.node.get_closest_marker("django_db") is None:
        return
    from standards.models import Office, Standard
    from surveys.models import QuestionnaireEdition

    QuestionnaireEdition.objects.all().delete()
    Standard.objects.all().delete()
    Office.objects.all().delete()


@pytest.fixture
def edition(reference_data):
    return reference_data


@pytest.fixture
def survey_round(edition):
    from surveys.models import Invitation, SurveyRound

    rnd = SurveyRound.objects.create(
        edition=edition,
        slug="application-numbering-2012",
        title="Questionnaire on application numbering (2012)",
        year=2012,
        opens_on=date(2012, 3, 1),
        closes_on=date(2012, 12, 31),
    )
    for code in ("MD", "EP"):
        Invitation.objects.create(round=rnd, office_id=code)
    return rnd


def _make_user(username, office=None, role="respondent", secretariat=False):
    from django.contrib.auth.models import Group, User

    from surveys.models import SECRETARIAT_GROUP, Membership

    user = User.objects.create_user(username=username, password="persona-password", email=f"{username}@example.org")
    if office:
        Membership.objects.create(user=user, office_id=office, role=role)
    if secretariat:
        user.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
    return user


def _approver_of(office_code):
    """The office's approver persona, created on first use (submitting is the approver's step)."""
    from surveys.models import Membership

    existing = Membership.objects.filter(office_id=office_code, role="approver").select_related("user").first()
    return existing.user if existing else _make_user(f"{office_code.lower()}.approver.auto", office_code, "approver")


def _secretariat_user():
    from django.contrib.auth.models import User

    existing = User.objects.filter(groups__name="secretariat").first()
    return existing or _make_user("ib.reviewer.auto", secretariat=True)


@pytest.fixture
def office_a_respondent(reference_data):
    return _make_user("a.respondent", "MD", "respondent")


@pytest.fixture
def office_a_approver(reference_data):
    return _make_user("a.approver", "MD", "approver")


@pytest.fixture
def office_b_respondent(reference_data):
    return _make_user("b.respondent", "EP", "respondent")


@pytest.fixture
def secretariat_reviewer(reference_data):
    return _make_user("ib.reviewer", secretariat=True)


@pytest.fixture
def make_response(survey_round):
    """make_response(user, answers=None, label=..., submit=False) → a response of the user's office."""
    from surveys.models import NumberingSystem
    from surveys.responses.services import response_save_draft, response_start
    from surveys.review.workflow import response_accept, response_publish, response_submit

    def factory(user, answers=None, *, label="Trademarks", submit=False, publish=False):
        office = user.membership.office
        system = NumberingSystem.objects.create(office=office, label=label, created_by=user)
        response = response_start(survey_round=survey_round, numbering_system=system, user=user)
        if answers:
            response_save_draft(response=response, answers=answers, user=user, expected_version=response.version)
        if submit or publish:
            response_submit(response=response, user=_approver_of(office.code))
        if publish:
            reviewer = _secretariat_user()
            response_accept(response=response, user=reviewer)
            response_publish(response=response, user=reviewer)
        response.refresh_from_db()
        return response

    return factory


@pytest.fixture
def moldova_answers():
    from surveys.demo import MOLDOVA_TRADEMARKS

    return {k: (v.copy() if isinstance(v, list | dict) else v) for k, v in MOLDOVA_TRADEMARKS.items()}


# Issue 14: the task force's reader and the translator (surveys/permissions.py).


@pytest.fixture
def task_force_reader(reference_data):
    from django.contrib.auth.models import Group

    from surveys.models.accounts import TASK_FORCE_GROUP

    user = _make_user("tf.reader")
    user.groups.add(Group.objects.get_or_create(name=TASK_FORCE_GROUP)[0])
    return user


@pytest.fixture
def translator(reference_data):
    from django.contrib.auth.models import Group

    from surveys.models.accounts import TRANSLATOR_GROUP

    user = _make_user("translator")
    user.groups.add(Group.objects.get_or_create(name=TRANSLATOR_GROUP)[0])
    return user

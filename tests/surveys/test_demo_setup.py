"""The demonstration: every invited office that answers has an approver, and ``make run``
compiles the message catalogues before the demo sends its e-mails."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from surveys.models import Membership, SurveyResponse
from surveys.permissions import may

ROOT = Path(__file__).resolve().parents[2]


def test_china_has_an_approver_who_may_submit_its_draft(settings, reference_data, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "cn.approver" in out
    approver = Membership.objects.select_related("user").get(user__username="cn.approver")
    assert (approver.office_id, approver.role) == ("CN", Membership.Role.APPROVER)
    draft = SurveyResponse.objects.get(office_id="CN")
    assert may(approver.user, "surveys.submit_surveyresponse", draft)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_compiles_the_catalogues_before_loading_the_demo():
    planned = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()
    steps = [i for i, line in enumerate(planned) if "manage.py compile_translations" in line]
    demo = [i for i, line in enumerate(planned) if "manage.py load_demo" in line]
    assert steps and demo and steps[0] < demo[0]

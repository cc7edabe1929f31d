"""Every decision of who may do what is taken in surveys/permissions.py: the source of
surveys/, standards/ and templates/ is searched for checks that decide by themselves
(who the user is, which group, which role) instead of asking the permission module.

Templates ask a flag computed by the permission module (or ``perms``), views and
services ``may(user, "surveys.<permission>", obj)``, lists ``readable_by(user)``.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCHED = ("surveys", "standards", "templates")
# Where the decisions live, and the migration that grants the secretariat's group its
# model permissions.
ALLOWED = ("surveys/permissions.py", "surveys/migrations/")

# pattern → what it gives away
DECISIONS: dict[str, str] = {
    r"\bis_secretariat\b": "asks who the user is: ask may(user, <permission>) or a flag named after the permission",
    r"\bvisible_to\(|\breadable_(responses|rounds|numbering_systems)\(": "a scope of its own: use readable_by(user)",
    r"\.groups\.(filter|exclude|exists|all|values|values_list)\(|\bgroups__": "reads group membership",
    r"\bmembership\.(role|office)\b|\.role\s*==|\bmembership__role\b": "reads the office role or membership",
    r"\bis_superuser\b": "reads the superuser flag",
    r"\.is_staff\b(?!\s*=[^=])": "reads the staff flag",
    r"_wipostad_(membership|secretariat)": "reads the permission module's private cache",
    r"\b(can_edit_office|require_office_member|is_office_member|is_office_approver|reads_privately)\(": "an old check",
    r"\b_require_secretariat\w*\(|\b_may\(|\bSecretariatAccess\b": "an old check",
}
# In templates, besides: what the user is, rather than a flag named after a permission.
TEMPLATE_DECISIONS: dict[str, str] = {
    **DECISIONS,
    r"\buser\.(is_staff|is_superuser|groups|membership)\b": "a template deciding on who the user is",
}


def decisions_in(text: str, *, template: bool = False) -> list[tuple[int, str, str]]:
    """(line number, line, what it gives away) for every line that decides by itself."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern, why in (TEMPLATE_DECISIONS if template else DECISIONS).items():
            if re.search(pattern, line):
                found.append((number, line.strip(), why))
    return found


def searched_files() -> list[Path]:
    files = []
    for folder in SEARCHED:
        for path in sorted((ROOT / folder).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix in (".py", ".html", ".txt") and not relative.startswith(ALLOWED):
                files.append(path)
    return files


def test_the_search_finds_decisions():
    assert decisions_in("if is_secretariat(request.user):")
    assert decisions_in("    return user.groups.filter(name=SECRETARIAT_GROUP).exists()")
    assert decisions_in("User.objects.filter(groups__name='secretariat')")
    assert decisions_in("ok = membership.role == Membership.Role.APPROVER")
    assert decisions_in("if request.user.is_superuser or request.user.is_staff:")
    assert decisions_in("{% if user.membership %}<a href='/surveys/'>Your office</a>{% endif %}", template=True)
    assert decisions_in("rows = SurveyResponse.objects.visible_to(user)")
    # Asking the permission module, and setting up accounts, are not decisions.
    assert not decisions_in('if may(request.user, "surveys.review_surveyresponse", response):')
    assert not decisions_in("{% if perms.surveys.view_round_dashboard %}{% if nav_round_dashboard %}", template=True)
    assert not decisions_in('Q(role__in=["respondent", "approver"])')
    assert not decisions_in("        user.is_staff = True")
    assert not decisions_in("        user.groups.add(group)")


def test_the_search_reads_the_code_and_the_templates():
    names = {path.relative_to(ROOT).as_posix() for path in searched_files()}
    assert {"surveys/admin.py", "surveys/review/workflow.py", "templates/base.html"} <= names
    assert "surveys/permissions.py" not in names


def test_no_permission_decision_outside_the_permission_module():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line}  ({why})"
        for path in searched_files()
        for number, line, why in decisions_in(path.read_text(encoding="utf-8"), template=path.suffix != ".py")
    ]
    assert not offenders, "decisions outside surveys/permissions.py:\n" + "\n".join(offenders)

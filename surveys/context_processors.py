from django.conf import settings
from django.utils.translation import get_language

from surveys.permissions import may
from surveys.questionnaire.edition import base_language


def navigation(request):
    """What the site header needs to know about the person (one cached query at most),
    and the languages the switcher offers, each named in its own language."""
    current = base_language(get_language() or settings.LANGUAGE_CODE)
    return {
        "nav_round_dashboard": hasattr(request, "user") and may(request.user, "surveys.view_round_dashboard"),
        "nav_editions": hasattr(request, "user") and may(request.user, "surveys.view_edition_drafts"),
        "nav_lockouts": hasattr(request, "user") and may(request.user, "surveys.unlock_signin"),
        "nav_language": current,
        "nav_languages": [(code, name, code == current) for code, name in settings.LANGUAGES],
    }

from django.conf import settings
from django.utils.translation import get_language

from surveys.permissions import is_secretariat
from surveys.questionnaire.edition import base_language


def navigation(request):
    """What the site header needs to know about the person (one cached query at most),
    and the languages the switcher offers, each named in its own language."""
    current = base_language(get_language() or settings.LANGUAGE_CODE)
    return {
        "nav_is_secretariat": is_secretariat(request.user) if hasattr(request, "user") else False,
        "nav_language": current,
        "nav_languages": [(code, name, code == current) for code, name in settings.LANGUAGES],
    }

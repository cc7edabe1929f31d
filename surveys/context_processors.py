from surveys.models import is_secretariat


def navigation(request):
    """What the site header needs to know about the person (one cached query at most)."""
    return {"nav_is_secretariat": is_secretariat(request.user) if hasattr(request, "user") else False}

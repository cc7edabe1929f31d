"""Sentences of the standards core: English strings that can be rebuilt in another language."""

import pickle

from standards.messages import Text, gettext_noop, join, ngettext_noop

FRENCH = {
    "%(count)s digit": "%(count)s chiffre",
    "%(count)s digits": "%(count)s chiffres",
    "found %(what)s in %(where)s": "%(what)s trouvé(s) dans %(where)s",
    "the year": "l'année",
    "the serial number": "le numéro de série",
    " and ": " et ",
}


def _gettext(message: str) -> str:
    return FRENCH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n <= 1 else plural)  # the French rule: 0 and 1 are singular


def test_text_is_the_english_string() -> None:
    text = gettext_noop("found %(what)s in %(where)s", what="7", where="EP 99403122.7")
    assert isinstance(text, str) and isinstance(text, Text)
    assert text == "found 7 in EP 99403122.7"
    assert text.template == "found %(what)s in %(where)s"


def test_plural_forms_follow_the_count_in_each_language() -> None:
    assert ngettext_noop("%(count)s digit", "%(count)s digits", 1) == "1 digit"
    assert ngettext_noop("%(count)s digit", "%(count)s digits", 0) == "0 digits"
    assert ngettext_noop("%(count)s digit", "%(count)s digits", 0).translate(_gettext, _ngettext) == "0 chiffre"


def test_parameters_are_translated_with_the_sentence() -> None:
    parts = join([gettext_noop("the year"), gettext_noop("the serial number")], final=True)
    text = gettext_noop("found %(what)s in %(where)s", what="7", where=parts)
    assert text == "found 7 in the year and the serial number"
    assert text.translate(_gettext, _ngettext) == "7 trouvé(s) dans l'année et le numéro de série"


def test_texts_survive_pickling() -> None:
    text = gettext_noop("found %(what)s in %(where)s", what="7", where="x")
    copy = pickle.loads(pickle.dumps(text))
    assert copy == text and copy.template == text.template

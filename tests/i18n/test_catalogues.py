"""The catalogues: every string marked in the code is translated in French and Spanish,
with its placeholders and markup, and nothing stale; the extraction that finds the strings;
the terminology of the edition file; the pure-Python compilation of the .mo files."""

from __future__ import annotations

import gettext as gnu_gettext
import re

import polib
import pytest

from surveys.management.commands.compile_translations import compile_catalogue, compile_stale
from tests.i18n.extraction import LANGUAGES, Message, catalogue, marked_messages, python_messages, template_messages


@pytest.fixture(scope="module")
def marked() -> set[Message]:
    found = marked_messages()
    assert len(found) > 300, "the extraction found too few strings: is it still reading the source?"
    return found


# --- the extraction itself -------------------------------------------------------------


def test_extraction_reads_every_kind_of_marking():
    python = python_messages(
        "from django.utils.translation import gettext as _, ngettext, pgettext_lazy\n"
        "from django.utils import translation\n"
        "a = _('One')\n"
        "b = ngettext('%(n)s box', '%(n)s boxes', n)\n"
        "c = pgettext_lazy('survey round', 'Open')\n"
        "d = translation.gettext_noop('Kept')\n"
        "e = _(variable)\n"
        "f = _('Implicit ' 'concatenation')\n"
    )
    assert python == {
        (None, "One", None),
        (None, "%(n)s box", "%(n)s boxes"),
        ("survey round", "Open", None),
        (None, "Kept", None),
        (None, "Implicit concatenation", None),
    }
    template = template_messages(
        '{% load i18n %}<p title="{% translate \'Title\' %}">{% translate "50% done" context "progress" %}</p>'
        "{% blocktranslate count counter=n with name=x|default:_('nobody') %}{{ name }} has {{ counter }} "
        "row{% plural %}{{ name }} has {{ counter }} rows{% endblocktranslate %}"
        "{% blocktranslate trimmed %}\n  Two\n  lines\n{% endblocktranslate %}"
        "{% translate 'Not looked up' noop %}"
    )
    assert template == {
        (None, "Title", None),
        ("progress", "50%% done", None),
        (None, "nobody", None),
        (None, "%(name)s has %(counter)s row", "%(name)s has %(counter)s rows"),
        (None, "Two lines", None),
    }


def test_the_source_marks_strings_of_every_part_of_the_interface(marked):
    expected = {
        (None, "Skip to content", None),  # base.html
        (None, "Draft saved.", None),  # responses/views.py
        (None, "This question needs an answer.", None),  # engine.py
        (None, "Question %(number)s (cont'd)", None),  # responses/presenters.py
        ("survey round", "Open", None),  # a context
        (None, "%(n)s number checked", "%(n)s numbers checked"),  # a Python plural
        (
            None,
            '<strong id="required-left">%(counter)s</strong> required question left',
            '<strong id="required-left">%(counter)s</strong> required questions left',
        ),  # a template plural
        (None, "(removed user)", None),  # _("…") inside a tag
        (None, "Sign in to wipostad to see the comments beside each question.", None),  # e-mail
    }
    assert expected <= marked


# --- the catalogues --------------------------------------------------------------------


def _key(entry: polib.POEntry) -> Message:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or None)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_has_a_translation(language, marked):
    po = catalogue(language)
    entries = {_key(e): e for e in po if not e.obsolete}
    missing = sorted(m for m in marked if m not in entries)
    assert not missing, f"{language}: not in the catalogue (run makemessages, then translate): {missing}"
    empty = []
    for key in marked:
        entry = entries[key]
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not forms or not all(form.strip() for form in forms):
            empty.append(key)
    assert not empty, f"{language}: untranslated: {sorted(empty)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogues_hold_no_stale_fuzzy_or_obsolete_entries(language, marked):
    po = catalogue(language)
    stale = sorted(_key(e) for e in po if not e.obsolete and _key(e) not in marked)
    assert not stale, f"{language}: entries no longer used by the code: {stale}"
    assert not po.fuzzy_entries(), f"{language}: fuzzy entries: {[e.msgid for e in po.fuzzy_entries()]}"
    assert not po.obsolete_entries(), f"{language}: obsolete entries left in the file"
    assert po.metadata["Language"] == language
    expected_forms = {"fr": "nplurals=2;", "es": "nplurals=3;"}[language]
    assert po.metadata["Plural-Forms"].startswith(expected_forms)
    for entry in po:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == list(range(int(expected_forms[9]))), entry.msgid


_PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_and_markup(language):
    """A translation that loses %(name)s or a tag would break the page (or lie about a count)."""
    problems = []
    for entry in catalogue(language):
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        wanted = set().union(*(set(_PLACEHOLDER.findall(s)) for s in sources))
        for target in targets:
            found = set(_PLACEHOLDER.findall(target))
            # A singular form may leave the count out ("1 question…" reads as "une question…").
            if not found <= wanted or not (wanted - {("counter", ""), ("n", ""), ("count", "")}) <= found:
                problems.append((entry.msgid, target))
            if re.findall(r"</?\w+", target) and sorted(re.findall(r"</?\w+", target)) != sorted(
                re.findall(r"</?\w+", entry.msgid)
            ):
                problems.append((entry.msgid, target))
    assert not problems, problems


def test_terminology_follows_the_edition_file():
    """The interface calls things what the French and Spanish questionnaire calls them."""
    fr, es = ({e.msgid: e.msgstr for e in catalogue(lang)} for lang in LANGUAGES)
    assert fr["Type of IPR"] == "Type de DPI" and es["Type of IPR"] == "Tipo de DPI"
    assert fr["Numbering system"] == "Système de numérotation" and es["Numbering system"] == "Sistema de numeración"
    assert (
        fr["International Bureau"] == "Bureau international" and es["International Bureau"] == "Oficina Internacional"
    )
    assert (
        fr["WIPO Standard ST.13"] == "Norme ST.13 de l'OMPI" and es["WIPO Standard ST.13"] == "Norma ST.13 de la OMPI"
    )
    assert fr["Question %(number)s (cont'd)"] == "Question %(number)s (suite)"
    assert es["Question %(number)s (cont'd)"] == "Pregunta %(number)s (continuación)"


def test_compile_translations_writes_mo_files_without_gnu_gettext(tmp_path):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n > 1);"}
    po.append(polib.POEntry(msgid="Draft saved.", msgstr="Brouillon enregistré."))
    po.append(polib.POEntry(msgid="Guess", msgstr="Devinette", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Untranslated", msgstr=""))
    po.append(
        polib.POEntry(
            msgid="%(n)s box", msgid_plural="%(n)s boxes", msgstr_plural={0: "%(n)s boîte", 1: "%(n)s boîtes"}
        )
    )
    path = tmp_path / "fr" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))

    mo_path, compiled, left_out = compile_catalogue(path)

    assert (mo_path, compiled, left_out) == (path.with_suffix(".mo"), 2, 2)
    with mo_path.open("rb") as handle:
        read = gnu_gettext.GNUTranslations(handle)
    assert read.gettext("Draft saved.") == "Brouillon enregistré."
    assert read.gettext("Guess") == "Guess"  # fuzzy: left out, English shown
    assert read.ngettext("%(n)s box", "%(n)s boxes", 1) == "%(n)s boîte"
    assert read.ngettext("%(n)s box", "%(n)s boxes", 2) == "%(n)s boîtes"
    assert compile_stale([tmp_path]) == []  # up to date: nothing written again

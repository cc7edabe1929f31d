"""English, French and Spanish: catalogues complete for every string marked in the code,
the language switcher, and the edition's texts in the reader's language.

The strings marked for translation are read from the source here (templates with
Django's template lexer, Python with the ast module), independently of xgettext, and
compared with locale/{fr,es}/LC_MESSAGES/django.po (polib).
"""

from __future__ import annotations

import ast
import copy
import gettext as gnu_gettext
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.template.base import Lexer, TokenType
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.text import smart_split
from django.utils.translation import trim_whitespace

from surveys.management.commands.compile_translations import compile_catalogue, compile_stale
from tests.conftest import EDITION_FILE
from tests.surveys.test_views import form_data

BASE_DIR = Path(settings.BASE_DIR)
LANGUAGES = ("fr", "es")
SKIP_DIRS = {".venv", "node_modules", "tests", "migrations", "locale", "var", ".git", "__pycache__", ".pytest_cache"}
EDITION = "application-numbering-2012"

# (msgctxt or None, msgid, msgid_plural or None)
Message = tuple[str | None, str, str | None]


# --- reading the marked strings from the source ----------------------------------------

TRANSLATION_FUNCTIONS = {
    # name → (index of the context, index of the singular, index of the plural)
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
    # The standards core's markers (standards.messages): sentences it builds in English
    # and the interface translates.
    "ngettext_noop": (None, 0, 1),
}
MARKING_MODULES = ("django.utils.translation", "standards.messages")


def _source_files(suffix: str) -> list[Path]:
    found = []
    for top in BASE_DIR.iterdir():
        if top.is_dir() and top.name not in SKIP_DIRS:
            found += [p for p in top.rglob(f"*{suffix}") if not SKIP_DIRS & set(p.relative_to(BASE_DIR).parts[:-1])]
    return sorted(found)


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def python_messages(source: str) -> set[Message]:
    """Literal arguments of gettext-family calls, under whatever name they were imported."""
    tree = ast.parse(source)
    aliases = {name: name for name in TRANSLATION_FUNCTIONS}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in MARKING_MODULES:
            for alias in node.names:
                if alias.name in TRANSLATION_FUNCTIONS:
                    aliases[alias.asname or alias.name] = alias.name
    found: set[Message] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name not in aliases:
            continue
        ctx_at, one_at, many_at = TRANSLATION_FUNCTIONS[aliases[name]]
        needed = max(i for i in (ctx_at, one_at, many_at) if i is not None)
        if len(node.args) <= needed:
            continue
        context = _literal(node.args[ctx_at]) if ctx_at is not None else None
        one = _literal(node.args[one_at])
        many = _literal(node.args[many_at]) if many_at is not None else None
        if one is None or (ctx_at is not None and context is None) or (many_at is not None and many is None):
            continue  # not a literal: a variable looked up in the catalogue (e.g. _(sentences[action]))
        found.add((context, one, many))
    return found


_QUOTED = re.compile(r"""^(?:"(?P<d>[^"]*)"|'(?P<s>[^']*)')$""")
_UNDERSCORE = re.compile(r"""_\((?:"([^"]*)"|'([^']*)')\)""")
_ONE_PERCENT = re.compile(r"(?<!%)%(?!%)")


def _unquote(text: str) -> str | None:
    m = _QUOTED.match(text)
    return None if m is None else (m["d"] if m["d"] is not None else m["s"])


def template_messages(source: str) -> set[Message]:
    """{% translate %}, {% blocktranslate %} (with its plural and ``trimmed``) and _("…")
    constants, as Django's template engine looks them up at run time."""
    found: set[Message] = set()
    block: dict | None = None
    for token in Lexer(source).tokenize():
        contents = token.contents
        if block is not None:
            if token.token_type == TokenType.BLOCK and contents.split()[0] in ("endblocktranslate", "endblocktrans"):
                one, many = "".join(block["one"]), "".join(block["many"]) if block["plural"] else None
                if block["trimmed"]:
                    one, many = trim_whitespace(one), trim_whitespace(many) if many is not None else None
                found.add((block["context"], one, many))
                block = None
            elif token.token_type == TokenType.BLOCK and contents.strip() == "plural":
                block["plural"] = True
            elif token.token_type == TokenType.TEXT:
                block["many" if block["plural"] else "one"].append(contents.replace("%", "%%"))
            elif token.token_type == TokenType.VAR:
                block["many" if block["plural"] else "one"].append(f"%({contents.strip()})s")
            continue
        if token.token_type in (TokenType.BLOCK, TokenType.VAR):
            for double, single in _UNDERSCORE.findall(contents):
                found.add((None, _ONE_PERCENT.sub("%%", double or single), None))
        if token.token_type != TokenType.BLOCK:
            continue
        bits = list(smart_split(contents))
        if bits[0] in ("translate", "trans") and len(bits) > 1:
            msgid = _unquote(bits[1])
            if msgid is None or "noop" in bits:
                continue
            context = _unquote(bits[bits.index("context") + 1]) if "context" in bits else None
            found.add((context, _ONE_PERCENT.sub("%%", msgid), None))
        elif bits[0] in ("blocktranslate", "blocktrans"):
            context = _unquote(bits[bits.index("context") + 1]) if "context" in bits else None
            block = {"context": context, "trimmed": "trimmed", "one": [], "many": [], "plural": False}
            block["trimmed"] = "trimmed" in bits
    return found


def marked_messages() -> set[Message]:
    found: set[Message] = set()
    for path in _source_files(".py"):
        text = path.read_text(encoding="utf-8")
        if any(module in text for module in MARKING_MODULES) or path.name == "messages.py":
            found |= python_messages(text)
    for path in _source_files(".html"):
        found |= template_messages(path.read_text(encoding="utf-8"))
    return found


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.fixture(scope="module")
def marked() -> set[Message]:
    found = marked_messages()
    assert len(found) > 300, "the extraction found too few strings: is it still reading the source?"
    return found


@pytest.fixture(autouse=True)
def catalogues_compiled(settings):
    """Compile the .po files if `make` has not (pure Python), then make Django read them."""
    if compile_stale([Path(p) for p in settings.LOCALE_PATHS]):
        settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]  # setting_changed empties Django's catalogue cache
    yield
    # LocaleMiddleware leaves the last request's language active in this thread: later
    # tests that call code directly expect English.
    translation.deactivate()


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


# --- settings and the switcher ----------------------------------------------------------


def test_language_settings():
    assert settings.LANGUAGE_CODE == "en"
    assert settings.LANGUAGES == [("en", "English"), ("es", "Español"), ("fr", "Français")]
    assert settings.LOCALE_PATHS == [BASE_DIR / "locale"]
    middleware = settings.MIDDLEWARE
    locale = middleware.index("django.middleware.locale.LocaleMiddleware")
    assert middleware.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < middleware.index("django.middleware.common.CommonMiddleware")
    assert settings.LANGUAGE_COOKIE_SECURE == settings.SESSION_COOKIE_SECURE
    assert settings.LANGUAGE_COOKIE_SAMESITE == "Lax"
    assert reverse("set_language") == "/i18n/setlang/"


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _switcher(html: str) -> str:
    return html[html.index('<form method="post" action="/i18n/setlang/"') :].split("</form>", 1)[0]


@pytest.mark.django_db
def test_every_page_offers_the_switcher_in_english_by_default(client, edition):
    for url in ("/", reverse("login"), "/no-such-page/", reverse("surveys:edition_detail", args=[EDITION])):
        page = client.get(url)
        html = page.content.decode()
        assert '<html lang="en">' in html, url
        switcher = _switcher(html)
        assert _text(switcher).replace(" | ", "|") == "English|Español|Français", url
        assert "English | Español | Français" in re.sub(r"<[^>]+>", "", switcher)
        assert 'name="csrfmiddlewaretoken"' in switcher
        assert f'<input type="hidden" name="next" value="{url}">' in switcher
        assert '<button name="language" value="en" lang="en" class="link-button" aria-current="true">' in switcher
        assert '<button name="language" value="fr" lang="fr" class="link-button">Français</button>' in switcher
        assert '<button name="language" value="es" lang="es" class="link-button">Español</button>' in switcher
        assert 'aria-label="Language"' in switcher
        assert "<script" not in switcher and "style=" not in switcher


@pytest.mark.django_db
def test_switching_language_sets_the_cookie_and_the_next_page_is_in_that_language(edition):
    client = Client(enforce_csrf_checks=True)
    url = reverse("surveys:edition_detail", args=[EDITION])
    token = client.get(url).cookies["csrftoken"].value

    answer = client.post(reverse("set_language"), {"language": "fr", "next": url, "csrfmiddlewaretoken": token})

    assert answer.status_code == 302 and answer["Location"] == url
    cookie = answer.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "fr"
    assert cookie["samesite"] == "Lax" and cookie["httponly"] is True
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    html = client.get(url).content.decode()
    assert '<html lang="fr">' in html
    assert "<h1>Questionnaire sur la numérotation des demandes</h1>" in html  # from the edition file
    assert "<h2>Introduction</h2>" in html and "<h2>Liste des exemples</h2>" in html
    assert ">Se connecter</a>" in html and ">Réponses publiées</a>" in html
    assert '<button name="language" value="fr" lang="fr" class="link-button" aria-current="true">' in html
    assert 'aria-label="Langue"' in html
    # The choice is remembered: another page, no new request to switch.
    assert ">Aller au contenu</a>" in client.get("/").content.decode()

    client.post(reverse("set_language"), {"language": "es", "next": "/", "csrfmiddlewaretoken": token})
    html = client.get(url).content.decode()
    assert '<html lang="es">' in html and "<h1>Cuestionario sobre la numeración de las solicitudes</h1>" in html


@pytest.mark.django_db
def test_switching_language_needs_a_post_with_the_csrf_token(edition):
    client = Client(enforce_csrf_checks=True)
    refused = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert refused.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in refused.cookies
    by_get = client.get(reverse("set_language"), {"language": "fr", "next": "/"})
    assert by_get.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in by_get.cookies
    # An outside address in `next` is not followed.
    client = Client()
    away = client.post(reverse("set_language"), {"language": "fr", "next": "https://evil.example/"})
    assert away["Location"] == "/"


@pytest.mark.django_db
def test_accept_language_picks_a_language_until_the_switcher_is_used(client, edition):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9").content.decode()
    assert '<html lang="es">' in html and ">Ir al contenido</a>" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9").content.decode()
    assert '<html lang="fr">' in html


# --- pages in French and Spanish --------------------------------------------------------


def _in(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _choice(question: dict, code: str) -> dict:
    return next(c for c in question["choices"] if c["code"] == code)


def _edition_texts() -> dict:
    import json

    definition = json.loads(EDITION_FILE.read_text(encoding="utf-8"))
    questions = {q["id"]: q for s in definition["sections"] for q in s["questions"]}
    return {"questions": questions, "sections": {s["id"]: s for s in definition["sections"]}}


@pytest.mark.django_db
def test_a_response_entered_in_french_reads_in_spanish(edition, office_a_respondent, make_response, moldova_answers):
    from django.utils.html import escape

    from surveys.models import SurveyResponse

    texts = _edition_texts()["questions"]
    response = make_response(office_a_respondent, label="Marques")
    client = _in(Client(), "fr")
    client.force_login(office_a_respondent)
    edit = reverse("surveys:response_edit", args=[response.pk])
    form = client.get(edit).content.decode()
    trademarks = _choice(texts["q1a"], "trademarks")["label"]
    assert escape(texts["q1a"]["text"]["fr"]) in form and escape(trademarks["fr"]) in form

    saved = client.post(edit, form_data(edition, moldova_answers, version=response.version))

    assert saved.status_code == 302
    assert "Brouillon enregistré." in client.get(edit).content.decode()
    response.refresh_from_db()
    # Codes, not words: the same answers whatever the language they were entered in.
    assert response.answers["q1a"] == ["trademarks"] and response.answers["q4a"] == "fixed"
    assert response.answers["q7a"] == "yes"
    from surveys.review import workflow
    from tests.conftest import _approver_of, _secretariat_user

    workflow.response_submit(response=response, user=_approver_of("MD"))
    reviewer = _secretariat_user()
    workflow.response_accept(response=response, user=reviewer)
    workflow.response_publish(response=response, user=reviewer)
    response = SurveyResponse.objects.get(pk=response.pk)

    url = reverse("surveys:public_response_detail", args=[EDITION, response.public_key])
    spanish = _in(Client(), "es").get(url).content.decode()
    assert '<html lang="es">' in spanish
    assert escape(texts["q1a"]["text"]["es"]) in spanish
    assert f"<li>{escape(trademarks['es'])}</li>" in spanish
    assert f'<p class="answer">{escape(_choice(texts["q4a"], "fixed")["label"]["es"])}</p>' in spanish
    assert '<p class="answer">Sí</p>' in spanish  # a yes/no answer, from the catalogue
    assert "Pregunta 4 (continuación)" in spanish and "Pregunta 1</h3>" in spanish
    assert "Respuesta 1 de 1 presentada por Republic of Moldova en 2012" in spanish
    assert "Serial number: 6 characters" not in spanish
    assert escape(texts["q1a"]["text"]["fr"]) not in spanish and "Oui" not in spanish
    assert "lang-fallback" not in spanish

    english = Client().get(url).content.decode()
    assert "Response 1 of 1 submitted by Republic of Moldova in 2012" in english
    assert escape(texts["q1a"]["text"]["en"]) in english and "<li>Trademarks</li>" in english
    assert "Question 4 (cont&#x27;d)" in english and '<p class="answer">Yes</p>' in english


@pytest.mark.django_db
def test_the_form_in_french_labels_states_and_errors(
    edition, office_a_respondent, office_a_approver, make_response, moldova_answers
):
    texts = _edition_texts()
    response = make_response(office_a_respondent, {"q1b": "19x2"})
    client = _in(Client(), "fr")
    client.force_login(office_a_approver)
    edit = reverse("surveys:response_edit", args=[response.pk])
    html = client.post(edit, form_data(edition, {"q1b": "19x2"}, version=response.version, action="submit"))
    content = html.content.decode()
    assert html.status_code == 400
    assert "Indiquez une année (aaaa) ou une date complète (jj/mm/aaaa)." in content  # engine message
    assert "Cette question appelle une réponse." in content
    assert "La réponse a été enregistrée comme brouillon, mais pas soumise" in content
    assert ">Erreurs</span>" in content and ">Brouillon</span>" in content
    first_section = next(iter(texts["sections"].values()))
    assert first_section["title"]["fr"].replace("'", "&#x27;") in content
    assert 'placeholder="aaaa ou jj/mm/aaaa"' in content
    assert 'aria-label="obligatoire"' in content
    assert "Question 4 (suite) En réponse à la question précédente" in content


@pytest.mark.django_db
def test_engine_messages_follow_the_language_and_keep_their_codes(edition):
    from surveys.questionnaire.engine import evaluate

    structure = edition.structure
    with translation.override("es"):
        spanish = evaluate(structure, {"q1b": "19x2", "q4a": "fixed", "q4b": {"serial": 0}})
    english = evaluate(structure, {"q1b": "19x2", "q4a": "fixed", "q4b": {"serial": 0}})

    def issues(evaluation):
        return [issue for found in evaluation.errors.values() for issue in found]

    codes = [(i.question_id, i.code) for i in issues(english)]
    assert [(i.question_id, i.code) for i in issues(spanish)] == codes
    messages = {i.question_id + ":" + i.code: i.message for i in issues(spanish)}
    assert messages["q1b:bad_date"] == "Indique un año (aaaa) o una fecha completa (dd/mm/aaaa)."
    assert messages["q1a:required"] == "Esta pregunta requiere una respuesta."
    assert {i.question_id + ":" + i.code: i.message for i in issues(english)}["q1a:required"] == (
        "This question needs an answer."
    )


@pytest.mark.django_db
def test_status_labels_and_workflow_messages_are_translated(
    edition, office_a_respondent, make_response, secretariat_reviewer, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers, submit=True)
    client = _in(Client(), "es")
    client.force_login(secretariat_reviewer)
    review = client.get(reverse("surveys:response_review", args=[response.pk])).content.decode()
    assert '<span class="status status-submitted">Presentada</span>' in review
    assert "<strong>Presentada</strong> por" in review  # the workflow timeline
    returned = client.post(
        reverse("surveys:response_review", args=[response.pk]),
        {"action": "return", "comment": "", "version": response.version},
        follow=True,
    )
    assert "Indique lo que la oficina debe modificar" in returned.content.decode()
    dashboard = client.get(reverse("surveys:round_dashboard", args=[response.round.slug])).content.decode()
    assert "No iniciada" in dashboard and ">Rondas de la encuesta</a>" in dashboard


def test_statuses_steps_rounds_and_roles_are_labelled_once_on_the_models():
    from surveys.models import Membership, ResponseEvent, ResponseStatus, SurveyRound
    from surveys.responses import display
    from surveys.review.presenters import dashboard_state_label

    with translation.override("fr"):
        assert display.status_label("submitted") == str(ResponseStatus.SUBMITTED.label) == "Soumise"
        assert display.event_label("return") == str(ResponseEvent.Action.RETURN.label) == "Renvoyée à l'office"
        assert display.round_status_label("closed") == str(SurveyRound.Status.CLOSED.label) == "Clos"
        assert str(Membership.Role.APPROVER.label) == "Approbateur"
        assert dashboard_state_label("not_started") == "Non commencée" and dashboard_state_label("draft") == "Brouillon"
        assert display.status_label("no-such-status") == "no-such-status"
    with translation.override("es"):
        assert display.status_words("accepted") == "aceptada" and display.action_words("reopen") == "reabierta"
        assert str(Membership.Role.RESPONDENT.label) == "Encuestado"
    assert display.status_label("published") == "Published" and str(Membership.Role.RESPONDENT.label) == "Respondent"


@pytest.mark.django_db
def test_revision_notes_are_stored_in_english_whatever_the_language(
    edition, office_a_respondent, make_response, secretariat_reviewer, moldova_answers
):
    from surveys.review import workflow

    response = make_response(office_a_respondent, moldova_answers, submit=True)
    with translation.override("fr"):
        workflow.response_return(response=response, user=secretariat_reviewer, comment="Voir q4b.")
    assert response.revisions.order_by("-version").first().note == "returned to the office"
    from surveys.templatetags.wipostad import revision_note

    with translation.override("fr"):
        assert revision_note("returned to the office") == "renvoyée à l'office"
        assert revision_note("draft saved") == "brouillon enregistré"
        assert revision_note("created, pre-filled from md-001 (2012)") == "created, pre-filled from md-001 (2012)"
    with translation.override("es"):
        assert revision_note("submitted") == "presentada" and revision_note("reopened") == "reabierta"


def test_counts_agree_with_their_number_in_every_language(edition_structure, moldova_answers):
    from standards.numbers import Verdict as NumberVerdict
    from surveys.checker.views import Check
    from surveys.questionnaire.engine import evaluate
    from surveys.reports.charts import Bar, Chart, bar_chart_svg

    def message(changes: dict, qid: str, code: str) -> str:
        evaluation = evaluate(edition_structure, {**moldova_answers, **changes})
        found = [*evaluation.errors.get(qid, []), *evaluation.warnings]
        return next(i.message for i in found if i.question_id == qid and i.code == code)

    one_character = {"q14a": [{"example": "7", "priority_presentation": "MD 7"}]}
    two_rows = {"q14c": [{"year": "-"}, {"year": "-"}]}
    assert "“7” has 1 character without separators" in message(one_character, "q14a", "example_length")
    assert message(two_rows, "q14c", "too_many_rows") == "At most 1 row."
    with translation.override("fr"):
        assert "“7” compte 1 caractère sans les séparateurs" in message(one_character, "q14a", "example_length")
        assert message(two_rows, "q14c", "too_many_rows") == "1 ligne au plus."
    with translation.override("es"):
        assert "“7” tiene 1 carácter sin los separadores" in message(one_character, "q14a", "example_length")
        assert message(two_rows, "q14c", "too_many_rows") == "Como máximo 1 fila."

    one = Check(structure="", rows=[], total=1, counts={NumberVerdict.VALID: 1})
    three = Check(structure="", rows=[], total=3, counts={NumberVerdict.VALID: 2, NumberVerdict.ERROR: 1})
    assert (one.summary, three.summary) == ("1 valid, 0 with errors", "2 valid, 1 with errors")
    with translation.override("fr"):
        assert (one.summary, three.summary) == ("1 valide, 0 avec erreurs", "2 valides, 1 avec erreurs")
    with translation.override("es"):
        assert (one.summary, three.summary) == ("1 válido, 0 con errores", "2 válidos, 1 con errores")

    assert "(1 response)</title>" in bar_chart_svg(Chart("q1", "Types", (Bar("Patents", 1),), 1))


@pytest.mark.django_db
def test_error_pages_in_french(client, edition):
    _in(client, "fr")
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert "<h1>Page introuvable</h1>" in page.content.decode()
    with translation.override("en"):
        html = render_to_string("500.html")
    assert "<h1>Something went wrong on our side</h1>" in html
    with translation.override("fr"):
        html = render_to_string("500.html")
    assert '<html lang="fr">' in html and "<h1>Un problème est survenu de notre côté</h1>" in html


@pytest.mark.django_db
def test_sign_in_page_in_spanish(client, edition):
    page = _in(client, "es").get(reverse("login")).content.decode()
    assert "<h1>Iniciar sesión</h1>" in page and '<label for="id_username">Nombre de usuario</label>' in page
    refused = client.post(reverse("login"), {"username": "nobody", "password": "wrong"}).content.decode()
    assert "Su nombre de usuario y su contraseña no coinciden." in refused


@pytest.mark.django_db
def test_emails_carry_english_french_and_spanish(
    edition,
    office_a_respondent,
    make_response,
    secretariat_reviewer,
    moldova_answers,
    django_capture_on_commit_callbacks,
):
    from surveys.review import workflow

    response = make_response(office_a_respondent, moldova_answers, submit=True)
    mail.outbox.clear()
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        workflow.response_accept(response=response, user=secretariat_reviewer, comment="Merci.")
    (message,) = mail.outbox
    body = message.body
    english = body.index("Your response for Trademarks (md-001)")
    french = body.index("— Français —\nVotre réponse pour Trademarks (md-001)")
    spanish = body.index("— Español —\nSu respuesta para Trademarks (md-001)")
    assert english == 0 and english < spanish < french  # English first, then as settings.LANGUAGES lists them
    assert "a été acceptée par le Bureau international" in body and "fue aceptada por la Oficina Internacional" in body
    assert body.count("Merci.") == 3
    assert message.subject == "[wipostad] md-001: accept"


# --- a translation missing from the edition file ----------------------------------------


@pytest.fixture
def edition_missing_french(edition):
    """The 2012 edition with the French of q1a (text and one choice) and of a section title removed."""
    definition = copy.deepcopy(edition.definition)
    first = definition["sections"][0]
    del first["title"]["fr"]
    q1a = first["questions"][0]
    assert q1a["id"] == "q1a"
    del q1a["text"]["fr"]
    trademarks = next(c for c in q1a["choices"] if c["code"] == "trademarks")
    del trademarks["label"]["fr"]
    type(edition).objects.filter(pk=edition.pk).update(definition=definition)
    edition.refresh_from_db()
    edition.__dict__.pop("structure", None)
    return edition, first, q1a, trademarks


def test_tr_marked_falls_back_to_english_and_says_so():
    from surveys.questionnaire.edition import LocalText, tr_marked, tr_text

    text = {"en": "Trademarks", "fr": "Marques"}
    assert tr_marked(text, "fr") == ("Marques", False)
    assert tr_marked(text, "fr-CH") == ("Marques", False)
    assert tr_marked(text, "es") == ("Trademarks", True)
    assert tr_marked(text, "en") == ("Trademarks", False)
    assert tr_marked({"en": "Trademarks", "es": ""}, "es") == ("Trademarks", True)
    assert tr_marked(None, "es") == ("", False)
    shown = tr_text(text, "es")
    assert isinstance(shown, LocalText) and shown == "Trademarks" and shown.fallback


@pytest.mark.django_db
def test_a_missing_translation_is_shown_in_english_with_a_mark(
    edition_missing_french, office_a_respondent, make_response, moldova_answers
):
    from django.utils.html import escape

    edition, section, q1a, trademarks = edition_missing_french
    response = make_response(office_a_respondent, moldova_answers, publish=True)
    url = reverse("surveys:public_response_detail", args=[EDITION, response.public_key])

    french = _in(Client(), "fr").get(url).content.decode()

    mark = '<span class="lang-fallback">(en anglais)</span>'
    assert f'<span lang="en">{escape(q1a["text"]["en"])}</span> {mark}' in french
    assert f'<h2><span lang="en">{escape(section["title"]["en"])}</span> {mark}</h2>' in french
    assert "<li>Trademarks</li>" in french  # the answer, in English …
    assert f'<p class="lang-fallback-note">{mark}</p>' in french  # … and marked
    q1b = next(q for q in section["questions"] if q["id"] == "q1b")
    assert escape(q1b["text"]["fr"]) in french  # translated texts are not marked
    assert french.count(mark) == 3

    spanish = _in(Client(), "es").get(url).content.decode()
    assert "lang-fallback" not in spanish and escape(q1a["text"]["es"]) in spanish
    english = Client().get(url).content.decode()
    assert "lang-fallback" not in english

    client = _in(Client(), "fr")
    client.force_login(office_a_respondent)
    draft = make_response(office_a_respondent, label="Brevets")
    form = client.get(reverse("surveys:response_edit", args=[draft.pk])).content.decode()
    assert f'<span lang="en">{escape(q1a["text"]["en"])}</span> {mark}' in form
    assert f'> <span lang="en">{escape(trademarks["label"]["en"])}</span> {mark}</label>' in form
    page = client.get(reverse("surveys:edition_detail", args=[EDITION])).content.decode()
    assert f'<span lang="en">{escape(q1a["text"]["en"])}</span> {mark}' in page


@pytest.mark.django_db
def test_the_language_does_not_change_the_number_of_queries(
    edition, office_a_respondent, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers, publish=True)
    url = reverse("surveys:public_response_detail", args=[EDITION, response.public_key])
    counts = {}
    for language in ("en", "fr", "es"):
        client = _in(Client(), language)
        client.get(url)  # warm the catalogues
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[language] = len(queries)
    assert counts["fr"] == counts["en"] == counts["es"]

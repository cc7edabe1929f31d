"""The strings marked for translation, read from the source here (templates with Django's
template lexer, Python with the ast module), independently of xgettext, and the catalogues
they are compared with: locale/{fr,es}/LC_MESSAGES/django.po (polib)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils.text import smart_split
from django.utils.translation import trim_whitespace

BASE_DIR = Path(settings.BASE_DIR)
LANGUAGES = ("fr", "es")
SKIP_DIRS = {".venv", "node_modules", "tests", "migrations", "locale", "var", ".git", "__pycache__", ".pytest_cache"}


# (msgctxt or None, msgid, msgid_plural or None)
Message = tuple[str | None, str, str | None]


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

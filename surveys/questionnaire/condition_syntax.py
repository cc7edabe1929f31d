"""Conditions in words: the readable syntax of the authoring spreadsheet, to and from the
engine's condition trees (surveys/editions/README.md, "Conditions").

    ${q5a} = 'yes'                    {"eq": ["q5a", "yes"]}
    ${q3a} != 'other'                 {"not": {"eq": ["q3a", "other"]}}
    ${q6b} in ('2', '4')              {"in": ["q6b", ["2", "4"]]}
    selected(${q1a}, 'other')         {"has": ["q1a", "other"]}
    answered(${q2a})  or  ${q2a} != ''   {"answered": "q2a"}
    A and B and C                     {"all": [A, B, C]}
    A or B                            {"any": [A, B]}
    not(A)                            {"not": A}

``and`` binds tighter than ``or``; parentheses group, and a group stays a node of its own
(so ``(A and B) and C`` is ``all`` inside ``all``, as written). Codes are quoted with ' or
" (a quote inside is doubled); a bare number is a code too (``${q6b} = 4``).

``parse`` raises ConditionSyntaxError with the position (1-based character) of the fault;
``write`` gives the text that ``parse`` reads back as the same tree. Pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CLOSING = gettext_lazy("a closing parenthesis")


class ConditionSyntaxError(ValueError):
    """The condition cannot be read; ``position`` is the 1-based character where it fails."""

    def __init__(self, position: int, reason: str) -> None:
        super().__init__(f"at character {position}: {reason}")
        self.position = position
        self.reason = reason


@dataclass(frozen=True)
class Token:
    kind: str  # ref, string, number, word, op, "(", ")", ",", end
    value: str
    position: int  # 1-based


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{\s*(?P<refname>[^}\s]*)\s*\})
      | (?P<string>'(?:[^']|'')*'|"(?:[^"]|"")*")
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<op>!=|==|=|<>)
      | (?P<punct>[(),])
    )""",
    re.VERBOSE,
)


def tokens(text: str) -> Iterator[Token]:
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            yield Token("end", "", pos + 1)
            return
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise _unreadable(text, pos)
        yield _token(match)
        pos = match.end()


def _unreadable(text: str, pos: int) -> ConditionSyntaxError:
    if text[pos] in "'\"":
        return ConditionSyntaxError(pos + 1, _("the quote %(quote)s is not closed") % {"quote": text[pos]})
    if text[pos] == "$":
        return ConditionSyntaxError(pos + 1, _("a question is written ${id}, e.g. ${q5a}"))
    return ConditionSyntaxError(pos + 1, _("unexpected character %(char)s") % {"char": repr(text[pos])})


def _token(match: re.Match[str]) -> Token:
    kind = match.lastgroup or ""
    start = match.start(kind) + 1
    if kind == "ref":
        name = match.group("refname")
        if not name:
            raise ConditionSyntaxError(start, _("${} names no question"))
        return Token("ref", name, start)
    if kind == "string":
        raw = match.group("string")
        return Token("string", raw[1:-1].replace(raw[0] * 2, raw[0]), start)
    if kind == "punct":
        return Token(match.group("punct"), match.group("punct"), start)
    if kind == "op":
        op = match.group("op")
        return Token("op", {"==": "=", "<>": "!="}.get(op, op), start)
    return Token(kind, match.group(kind), start)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = list(tokens(text))
        self.i = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect(self, kind: str, what: Any) -> Token:
        token = self.token
        if token.kind != kind:
            raise ConditionSyntaxError(
                token.position, _("expected %(what)s, found %(found)s") % {"what": what, "found": _shown(token)}
            )
        return self.take()

    def is_word(self, word: str) -> bool:
        return self.token.kind == "word" and self.token.value.lower() == word

    def parse(self) -> Any:
        if self.token.kind == "end":
            raise ConditionSyntaxError(self.token.position, _("the condition is empty"))
        tree = self.either()
        if self.token.kind != "end":
            raise ConditionSyntaxError(
                self.token.position, _("expected and, or or the end, found %(found)s") % {"found": _shown(self.token)}
            )
        return tree

    def either(self) -> Any:
        terms = [self.both()]
        while self.is_word("or"):
            self.take()
            terms.append(self.both())
        return terms[0] if len(terms) == 1 else {"any": terms}

    def both(self) -> Any:
        terms = [self.unary()]
        while self.is_word("and"):
            self.take()
            terms.append(self.unary())
        return terms[0] if len(terms) == 1 else {"all": terms}

    def unary(self) -> Any:
        if self.is_word("not"):
            self.take()
            return {"not": self.unary()}
        if self.token.kind == "(":
            self.take()
            inner = self.either()
            self.expect(")", CLOSING)
            return inner
        if self.is_word("selected"):
            return self.selected()
        if self.is_word("answered"):
            self.take()
            self.expect("(", gettext_lazy("( after answered"))
            ref = self.expect("ref", gettext_lazy("a question such as ${q2a}")).value
            self.expect(")", CLOSING)
            return {"answered": ref}
        if self.token.kind == "ref":
            return self.comparison()
        raise ConditionSyntaxError(
            self.token.position,
            _("expected a question such as ${q5a}, selected(…), answered(…), not or (, found %(found)s")
            % {"found": _shown(self.token)},
        )

    def selected(self) -> Any:
        self.take()
        self.expect("(", gettext_lazy("( after selected"))
        ref = self.expect("ref", gettext_lazy("a question such as ${q1a}")).value
        self.expect(",", gettext_lazy("a comma after the question"))
        code = self.code()
        self.expect(")", CLOSING)
        return {"has": [ref, code]}

    def code(self) -> str:
        token = self.token
        if token.kind in ("string", "number"):
            self.take()
            return token.value
        raise ConditionSyntaxError(
            token.position, _("expected a code in quotes, e.g. 'yes', found %(found)s") % {"found": _shown(token)}
        )

    def comparison(self) -> Any:
        ref = self.take().value
        if self.is_word("in"):
            self.take()
            self.expect("(", gettext_lazy("( after in"))
            codes = [self.code()]
            while self.token.kind == ",":
                self.take()
                codes.append(self.code())
            self.expect(")", CLOSING)
            return {"in": [ref, codes]}
        op = self.expect("op", gettext_lazy("=, != or in after the question"))
        code = self.code()
        if code == "":
            # XLSForm's way of asking whether a question is answered.
            return {"answered": ref} if op.value == "!=" else {"not": {"answered": ref}}
        return {"eq": [ref, code]} if op.value == "=" else {"not": {"eq": [ref, code]}}


def _shown(token: Token) -> str:
    if token.kind == "end":
        return _("the end of the condition")
    if token.kind == "ref":
        return f"${{{token.value}}}"
    if token.kind == "string":
        return f"'{token.value}'"
    return repr(token.value)


def parse(text: str) -> Any:
    """The condition tree of a condition written in words (None for an empty cell)."""
    if text is None or not str(text).strip():
        return None
    return _Parser(str(text)).parse()


def references(tree: Any) -> Iterator[str]:
    """The question IDs a condition tree names, in the order written."""
    if not isinstance(tree, dict) or len(tree) != 1:
        return
    ((op, arg),) = tree.items()
    if op in ("all", "any"):
        for sub in arg:
            yield from references(sub)
    elif op == "not":
        yield from references(arg)
    elif op == "answered":
        yield arg
    elif isinstance(arg, list) and arg:
        yield arg[0]


def compared_codes(tree: Any) -> Iterator[tuple[str, str, str]]:
    """(operator, question ID, code) for every code a condition compares a question with."""
    if not isinstance(tree, dict) or len(tree) != 1:
        return
    ((op, arg),) = tree.items()
    if op in ("all", "any"):
        for sub in arg:
            yield from compared_codes(sub)
    elif op == "not":
        yield from compared_codes(arg)
    elif op in ("eq", "has"):
        yield op, arg[0], arg[1]
    elif op == "in":
        for code in arg[1]:
            yield op, arg[0], code


def _quoted(code: str) -> str:
    return "'" + str(code).replace("'", "''") + "'"


def write(tree: Any) -> str:
    """The condition tree in words (an empty string for None)."""
    if tree is None:
        return ""
    return _write(tree)


def _write(tree: Any) -> str:
    ((op, arg),) = tree.items()
    if op in ("all", "any"):
        joiner = " and " if op == "all" else " or "
        return joiner.join(_grouped(sub) for sub in arg)
    if op == "not":
        inner = next(iter(arg))
        if inner == "eq":
            ref, code = arg["eq"]
            return f"${{{ref}}} != {_quoted(code)}"
        return f"not({_write(arg)})"
    if op == "answered":
        return f"answered(${{{arg}}})"
    ref, value = arg
    if op == "eq":
        return f"${{{ref}}} = {_quoted(value)}"
    if op == "has":
        return f"selected(${{{ref}}}, {_quoted(value)})"
    return f"${{{ref}}} in ({', '.join(_quoted(v) for v in value)})"


def _grouped(tree: Any) -> str:
    """A term of and/or: in parentheses when it is itself an and/or."""
    text = _write(tree)
    return f"({text})" if next(iter(tree)) in ("all", "any") else text

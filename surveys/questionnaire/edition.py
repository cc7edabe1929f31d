"""Typed view of a questionnaire edition definition (see surveys/editions/README.md).

The definition is data; this module turns it into small immutable objects and checks
that it is well formed, so that nothing downstream has to second-guess the file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.translation import gettext, override

from standards import checkdigits
from surveys.questionnaire import revisions
from surveys.questionnaire.texts import LocalText, Text, base_language, tr_text

# The texts of an edition are read through this module too (``tr``, ``tr_marked``).
from surveys.questionnaire.texts import tr as tr
from surveys.questionnaire.texts import tr_marked as tr_marked
from surveys.questionnaire.types.registry import KNOWN
from surveys.questionnaire.types.registry import get as question_type

# The names of the registered question types (surveys/questionnaire/types/), as they are
# when asked: a type registered later is known from then on.
QUESTION_TYPES = KNOWN
YESNO_CODES = ("yes", "no")
CATALOGUES = {"check_digits": lambda: set(checkdigits.CATALOGUE)}
CONDITION_OPERATORS = frozenset({"eq", "in", "has", "answered", "all", "any", "not"})


class DefinitionError(ValueError):
    """The definition file is not well formed; the message names the place and the reason."""


YESNO_ENGLISH = {"yes": "Yes", "no": "No"}


def _yes_no(code: str, language: str) -> str:
    # Yes/No are the interface's words, not the edition's: they come from the message
    # catalogues, in the language asked for (English unless told otherwise, as tr()).
    language = base_language(language)
    if code not in YESNO_ENGLISH or language == "en":
        return YESNO_ENGLISH.get(code, code)
    with override(language):
        return gettext("Yes") if code == "yes" else gettext("No")


@dataclass(frozen=True)
class Choice:
    code: str
    label: Text


@dataclass(frozen=True)
class Column:
    id: str
    label: Text


@dataclass(frozen=True)
class Question:
    id: str
    section_id: str
    number: int
    letter: str | None
    type: str
    text: Text
    required: bool
    condition: Any
    choices: tuple[Choice, ...] = ()
    help: Text | None = None
    examples: tuple[int, ...] = ()
    continuation: Text | None = None
    answer_format: Text | None = None
    parts_from: str | None = None
    range: bool = False
    rows_from: str | None = None
    columns: tuple[Column, ...] = ()
    min_rows: int = 0
    max_rows: int | None = None
    catalogue: str | None = None
    attachment: bool = False
    min: int | None = None

    @cached_property
    def choice_codes(self) -> tuple[str, ...]:
        # Computed once per question: the engine asks for every answer it validates.
        if self.type == "yesno":
            return YESNO_CODES
        return tuple(c.code for c in self.choices)

    def choice_label(self, code: str, language: str = "en") -> str:
        return str(self.choice_text(code, language))

    def choice_text(self, code: str, language: str = "en") -> LocalText:
        """The label of a choice code in a language, marked when English stands in for it."""
        for choice in self.choices:
            if choice.code == code:
                return tr_text(choice.label, language)
        if self.type == "yesno":
            return LocalText(_yes_no(code, language))
        return LocalText(code)


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    reminder: Text | None
    examples: tuple[int, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class HelpExample:
    number: int
    title: Text
    body: tuple[Text, ...]


@dataclass(frozen=True)
class Instruction:
    id: str
    heading: Text
    body: tuple[Text, ...]
    examples: tuple[int, ...]


@dataclass
class Edition:
    """Immutable, validated view of an edition definition."""

    definition: Mapping[str, Any]
    sections: tuple[Section, ...] = field(init=False)
    questions: tuple[Question, ...] = field(init=False)
    by_id: dict[str, Question] = field(init=False)
    examples: dict[int, HelpExample] = field(init=False)
    instructions: tuple[Instruction, ...] = field(init=False)

    def __post_init__(self) -> None:
        _Checker(self.definition).check()
        d = self.definition
        sections = []
        for s in d["sections"]:
            questions = tuple(_question(s["id"], q) for q in s["questions"])
            sections.append(
                Section(
                    id=s["id"],
                    title=s["title"],
                    reminder=s.get("reminder"),
                    examples=tuple(s.get("examples") or ()),
                    questions=questions,
                )
            )
        self.sections = tuple(sections)
        self.questions = tuple(q for s in self.sections for q in s.questions)
        self.by_id = {q.id: q for q in self.questions}
        self.examples = {
            e["number"]: HelpExample(e["number"], e["title"], tuple(e.get("body") or ())) for e in d["examples"]
        }
        self.instructions = tuple(
            Instruction(i["id"], i["heading"], tuple(i.get("body") or ()), tuple(i.get("examples") or ()))
            for i in d.get("instructions", ())
        )

    def __getstate__(self) -> dict[str, Any]:
        # What the engine compiles from the definition (functions) is made again after
        # unpickling, never pickled.
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_compiled")}

    @property
    def slug(self) -> str:
        return self.definition["slug"]

    @property
    def title(self) -> Text:
        return self.definition["title"]

    @property
    def introduction(self) -> tuple[Text, ...]:
        return tuple(self.definition.get("introduction") or ())

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def section_of(self, question_id: str) -> Section:
        qid = self.by_id[question_id].section_id
        return next(s for s in self.sections if s.id == qid)

    def conditions(self) -> dict[str, Any]:
        """Question ID → condition tree, for the browser's copy of the engine."""
        return {q.id: q.condition for q in self.questions if q.condition is not None}

    def parts_sources(self) -> dict[str, str]:
        """Question ID → the question whose chosen codes are its parts or rows."""
        return {q.id: (q.parts_from or q.rows_from) for q in self.questions if q.parts_from or q.rows_from}


def _question(section_id: str, q: Mapping[str, Any]) -> Question:
    return Question(
        id=q["id"],
        section_id=section_id,
        number=q["number"],
        letter=q.get("letter"),
        type=q["type"],
        text=q["text"],
        required=q["required"],
        condition=q.get("condition"),
        choices=tuple(Choice(c["code"], c["label"]) for c in q.get("choices") or ()),
        help=q.get("help"),
        examples=tuple(q.get("examples") or ()),
        continuation=q.get("continuation"),
        answer_format=q.get("answer_format"),
        parts_from=q.get("parts_from"),
        range=bool(q.get("range", False)),
        rows_from=q.get("rows_from"),
        columns=tuple(Column(c["id"], c["label"]) for c in q.get("columns") or ()),
        min_rows=int(q.get("min_rows", 0)),
        max_rows=q.get("max_rows"),
        catalogue=q.get("catalogue"),
        attachment=bool(q.get("attachment", False)),
        min=q.get("min"),
    )


class _Checker:
    """Walks a definition and raises DefinitionError at the first problem, naming its place."""

    def __init__(self, d: Mapping[str, Any]):
        self.d = d
        self.seen: dict[str, Mapping[str, Any]] = {}

    def fail(self, where: str, why: str) -> None:
        raise DefinitionError(f"{where}: {why}")

    def text(self, where: str, value: Any, optional: bool = False) -> None:
        if value is None and optional:
            return
        if not isinstance(value, Mapping) or not isinstance(value.get("en"), str) or not value["en"].strip():
            self.fail(where, 'a text object with a non-empty "en" entry is required')
        for lang, s in value.items():
            if not isinstance(lang, str) or not isinstance(s, str):
                self.fail(where, "text entries must map language codes to strings")

    def check(self) -> None:
        self.front_matter()
        known_examples = self.help_examples()
        for i, ins in enumerate(self.d.get("instructions") or ()):
            self.text(f"instructions[{i}].heading", ins.get("heading"))
            self.example_refs(f"instructions[{i}]", ins.get("examples"), known_examples)
        self.sections(known_examples)
        # A revision of an earlier edition: the shape of its mapping (surveys/questionnaire/revisions.py).
        revisions.check_definition(self, self.d, self.seen)

    def front_matter(self) -> None:
        """The definition's format, identity, year, title and introduction."""
        d = self.d
        if not isinstance(d, Mapping):
            self.fail("(top)", "the definition must be a JSON object")
        if d.get("format") != 1:
            self.fail("format", "only format 1 is understood")
        for key in ("slug", "version"):
            if not isinstance(d.get(key), str) or not d[key]:
                self.fail(key, "a non-empty string is required")
        if not isinstance(d.get("year"), int):
            self.fail("year", "a whole number is required")
        self.text("title", d.get("title"))
        for i, p in enumerate(d.get("introduction") or ()):
            self.text(f"introduction[{i}]", p)

    def help_examples(self) -> set[int]:
        """The help examples, numbered without gaps; returns their numbers."""
        examples = self.d.get("examples") or []
        numbers = [e.get("number") for e in examples]
        if numbers != list(range(1, len(numbers) + 1)):
            self.fail("examples", "examples must be numbered 1, 2, 3 … without gaps")
        for e in examples:
            self.text(f"examples[{e['number']}].title", e.get("title"))
            for j, b in enumerate(e.get("body") or ()):
                self.text(f"examples[{e['number']}].body[{j}]", b)
        return set(numbers)

    def sections(self, known_examples: set[int]) -> None:
        """The sections, each with a unique id, and their questions in order."""
        sections = self.d.get("sections")
        if not isinstance(sections, list) or not sections:
            self.fail("sections", "a non-empty list is required")
        section_ids = set()
        for s in sections:
            sid = s.get("id")
            if not isinstance(sid, str) or sid in section_ids:
                self.fail(f"sections[{sid}]", "each section needs a unique string id")
            section_ids.add(sid)
            self.text(f"sections[{sid}].title", s.get("title"))
            self.text(f"sections[{sid}].reminder", s.get("reminder"), optional=True)
            self.example_refs(f"sections[{sid}]", s.get("examples"), known_examples)
            for q in s.get("questions") or ():
                self.question(q, known_examples)

    def example_refs(self, where: str, refs: Any, known: set[int]) -> None:
        for n in refs or ():
            if n not in known:
                self.fail(where, f"refers to help example {n}, which does not exist")

    def question(self, q: Mapping[str, Any], known_examples: set[int]) -> None:
        qid = q.get("id")
        where = f"question {qid}"
        if not isinstance(qid, str) or not qid:
            self.fail("question", "every question needs a string id")
        if qid in self.seen:
            self.fail(where, "this id is used twice")
        qtype = q.get("type")
        if qtype not in QUESTION_TYPES:
            self.fail(where, f"unknown type {qtype!r}")
        if not isinstance(q.get("number"), int):
            self.fail(where, "number must be a whole number")
        if not isinstance(q.get("required"), bool):
            self.fail(where, "required must be true or false")
        self.text(f"{where}.text", q.get("text"))
        for key in ("help", "continuation", "answer_format"):
            self.text(f"{where}.{key}", q.get(key), optional=True)
        self.example_refs(where, q.get("examples"), known_examples)
        question_type(qtype).check_definition(self, where, q)
        self.condition(where, q.get("condition"))
        self.seen[qid] = q

    def catalogue(self, where: str, catalogue: Any, codes: list[str]) -> None:
        """Choices drawn from a catalogue of the standards app must exist in it ("other" aside)."""
        if catalogue not in CATALOGUES:
            self.fail(where, f"unknown catalogue {catalogue!r}")
        unknown = [c for c in codes if c != "other" and c not in CATALOGUES[catalogue]()]
        if unknown:
            self.fail(where, f"choices {unknown} are not in the {catalogue} catalogue")

    def source(self, where: str, ref: Any, key: str) -> None:
        src = self.seen.get(ref)
        if src is None or src.get("type") != "multi":
            self.fail(where, f"{key} must name an earlier multi question (got {ref!r})")

    def condition(self, where: str, cond: Any) -> None:
        if cond is None:
            return
        op, arg = self.operator(where, cond)
        if op in ("all", "any"):
            if not isinstance(arg, list) or not arg:
                self.fail(where, f"{op} takes a non-empty list")
            for sub in arg:
                self.condition(where, sub)
        elif op == "not":
            self.condition(where, arg)
        else:
            self.comparison(where, op, arg)

    def operator(self, where: str, cond: Any) -> tuple[str, Any]:
        """The one operator of a condition, and what it applies to."""
        if not isinstance(cond, Mapping) or len(cond) != 1:
            self.fail(where, f"a condition is an object with exactly one operator (got {cond!r})")
        ((op, arg),) = cond.items()
        if op not in CONDITION_OPERATORS:
            self.fail(where, f"unknown condition operator {op!r}")
        return op, arg

    def comparison(self, where: str, op: str, arg: Any) -> None:
        """answered, eq, in, has: they name an earlier question; eq, in and has compare it with codes of its own."""
        ref = arg if op == "answered" else (arg[0] if isinstance(arg, list) and len(arg) == 2 else None)
        if ref not in self.seen:
            self.fail(where, f"condition refers to {ref!r}, which is not an earlier question")
        if op != "answered":
            self.compared_codes(where, op, ref, arg[1])

    def compared_codes(self, where: str, op: str, ref: str, compared: Any) -> None:
        target = self.seen[ref]
        codes = {c["code"] for c in target.get("choices") or ()} if target["type"] != "yesno" else set(YESNO_CODES)
        values = compared if op == "in" else [compared]
        if op == "in" and not isinstance(compared, list):
            self.fail(where, "in takes a question id and a list of codes")
        if op == "has" and target["type"] != "multi":
            self.fail(where, f"has applies to multi questions; {ref} is {target['type']}")
        for v in values:
            if v not in codes:
                self.fail(where, f"condition compares {ref} with {v!r}, which is not one of its codes")

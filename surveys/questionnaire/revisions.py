"""An edition that revises an earlier one: its mapping, checked, and answers carried across it.

The definition of a revising edition has a ``revises`` key (surveys/editions/README.md):
the slug of the edition it revises, one row per question change (``same``, ``renamed``,
``split``, ``merged``, ``removed``, ``added``) and one row per changed choice code (renamed,
merged into one, or dropped). An old question whose ID still exists in the new edition and
that no row names is kept as it is (an implicit ``same``); so is a choice code no row names.

Three things read the mapping:

- ``check_definition``: its shape, inside the edition's own validation (no database);
- ``validate_against(old, new)``: against the revised edition — every old question
  accounted for, every named ID existing, the kinds coherent, the choice mappings total;
  each problem carries the index of its mapping row;
- ``carry_over(old, new, answers)``: an office's answers to the old edition as answers to
  the new one, with how each was carried and what could not be, and why;
  ``in_revised_terms(new, answers)`` goes the other way, so that readers that know the
  revised edition's question IDs (the numbering structure of ``standards.structure``) read
  a response to the revising edition.

How each kind carries an answer (old → new):

- ``same`` and ``renamed``: the answer, its choice codes mapped;
- ``split`` (one old question, several new): a ``multi`` answer is shared out by the new
  questions' choice lists; a ``yesno`` "yes" (the old question asked both halves at once)
  answers every half "yes", while a "no" does not say which half is meant and is not
  carried; any other answer (a text …) goes to the first new question, to be confirmed;
- ``merged`` (several old, one new): ``multi`` answers are joined; ``yesno`` answers are
  read as one question asking all of them ("no" when one is "no", "yes" when all are
  "yes"); texts are joined; any other type keeps the first answer given;
- ``removed``: not carried, listed; ``added``: nothing to carry (the office answers it).

A carried answer the new question's type does not accept is not carried and is listed
with the type's reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from standards.messages import Text, gettext_noop
from surveys.questionnaire.evaluation import is_empty
from surveys.questionnaire.types.registry import get as question_type

KINDS = ("same", "renamed", "split", "merged", "removed", "added")
CHOICE_TYPES = frozenset({"single", "multi"})
CODED_TYPES = CHOICE_TYPES | {"yesno"}
# How many old and new IDs each kind takes: (smallest, largest); None: no upper bound.
ARITY = {
    "same": ((1, 1), (1, 1)),
    "renamed": ((1, 1), (1, 1)),
    "split": ((1, 1), (2, None)),
    "merged": ((2, None), (1, 1)),
    "removed": ((1, None), (0, 0)),
    "added": ((0, 0), (1, None)),
}


def revised_slug(definition: Mapping[str, Any]) -> str | None:
    """The slug of the edition a definition revises, or None."""
    revises = definition.get("revises")
    return revises.get("edition") if isinstance(revises, Mapping) else None


# --- the shape, inside the edition's own validation ---------------------------------------


def check_definition(checker: Any, definition: Mapping[str, Any], questions: Mapping[str, Mapping[str, Any]]) -> None:
    """Fail (``checker.fail``) at the first badly formed part of ``revises``; ``questions``
    are the new edition's question definitions by ID."""
    revises = definition.get("revises")
    if revises is None:
        return
    if not isinstance(revises, Mapping):
        checker.fail("revises", "an object with the revised edition's slug and the mapping is required")
    slug = revises.get("edition")
    if not isinstance(slug, str) or not slug or slug == definition.get("slug"):
        checker.fail("revises.edition", "the slug of another edition is required")
    rows = revises.get("questions")
    if not isinstance(rows, list):
        checker.fail("revises.questions", "a list of mapping rows is required")
    named_old: set[str] = set()
    named_new: set[str] = set()
    for i, row in enumerate(rows):
        _check_question_row(checker, f"revises.questions[{i}]", row, questions, named_old, named_new)
    choices = revises.get("choices", [])
    if not isinstance(choices, list):
        checker.fail("revises.choices", "a list of choice rows is required")
    for i, row in enumerate(choices):
        _check_choice_row(checker, f"revises.choices[{i}]", row, questions)


def _ids(checker: Any, where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        checker.fail(where, "a list of question IDs is required")
    return value


def _check_question_row(checker, where, row, questions, named_old: set[str], named_new: set[str]) -> None:
    if not isinstance(row, Mapping):
        checker.fail(where, "a mapping row is an object with kind, old and new")
    kind = row.get("kind")
    if kind not in KINDS:
        checker.fail(f"{where}.kind", f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    old, new = _ids(checker, f"{where}.old", row.get("old")), _ids(checker, f"{where}.new", row.get("new"))
    for side, ids, (low, high) in (("old", old, ARITY[kind][0]), ("new", new, ARITY[kind][1])):
        if len(ids) < low or (high is not None and len(ids) > high):
            bound = str(low) if low == high else (f"at least {low}" if high is None else f"{low} to {high}")
            checker.fail(f"{where}.{side}", f"a {kind} row names {bound} question(s) here")
    if kind == "same" and old != new:
        checker.fail(where, "a same row keeps the question ID; use renamed for a new ID")
    for qid in new:
        if qid not in questions:
            checker.fail(f"{where}.new", f"{qid} is not a question of this edition")
    for qid, named, side in [*((q, named_old, "old") for q in old), *((q, named_new, "new") for q in new)]:
        if qid in named:
            checker.fail(f"{where}.{side}", f"{qid} is named by an earlier row")
        named.add(qid)
    checker.text(f"{where}.note", row.get("note"), optional=True)


def _check_choice_row(checker, where, row, questions) -> None:
    if not isinstance(row, Mapping):
        checker.fail(where, "a choice row is an object with old_question, new_question, old and new")
    for key in ("old_question", "new_question"):
        if not isinstance(row.get(key), str) or not row[key]:
            checker.fail(f"{where}.{key}", "a question ID is required")
    target = questions.get(row["new_question"])
    if target is None:
        checker.fail(f"{where}.new_question", f"{row['new_question']} is not a question of this edition")
    if target["type"] not in CODED_TYPES:
        checker.fail(f"{where}.new_question", f"{row['new_question']} has no choices ({target['type']})")
    old = row.get("old")
    if not isinstance(old, list) or not old or not all(isinstance(c, str) and c for c in old):
        checker.fail(f"{where}.old", "a non-empty list of choice codes is required")
    new = row.get("new")
    codes = _codes_of(target)
    if new is not None and (not isinstance(new, str) or new not in codes):
        checker.fail(f"{where}.new", f"{new!r} is not a choice code of {row['new_question']} (or null: dropped)")


def _codes_of(question: Mapping[str, Any]) -> set[str]:
    if question.get("type") == "yesno":
        return {"yes", "no"}
    return {c["code"] for c in question.get("choices") or ()}


# --- the mapping as moves -----------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One question change: its kind, the old and the new IDs, the mapping row it comes
    from (None: an implicit ``same``) and its note."""

    kind: str
    old: tuple[str, ...]
    new: tuple[str, ...]
    row: int | None = None
    note: Any = None


def moves(new_definition: Mapping[str, Any], new_ids: Any, old_ids: Any = None) -> list[Move]:
    """The mapping's rows, then an implicit ``same`` for each question ID no row names that
    both editions have (``old_ids`` None: every new ID no row names, as in a valid mapping)."""
    revises = new_definition.get("revises") or {}
    found = [
        Move(r["kind"], tuple(r["old"]), tuple(r["new"]), i, r.get("note"))
        for i, r in enumerate(revises.get("questions") or ())
    ]
    named_old = {q for m in found for q in m.old}
    named_new = {q for m in found for q in m.new}
    for qid in new_ids:
        if qid not in named_old and qid not in named_new and (old_ids is None or qid in old_ids):
            found.append(Move("same", (qid,), (qid,)))
    return found


def code_maps(new_definition: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, str | None]]:
    """(old question, new question) → old code → new code (None: dropped)."""
    maps: dict[tuple[str, str], dict[str, str | None]] = {}
    for row in (new_definition.get("revises") or {}).get("choices") or ():
        pair = maps.setdefault((row["old_question"], row["new_question"]), {})
        for code in row["old"]:
            pair[code] = row.get("new")
    return maps


def note_of(new_definition: Mapping[str, Any], old_qid: str) -> Any:
    """The note of the mapping row naming an old question, if it has one."""
    for row in (new_definition.get("revises") or {}).get("questions") or ():
        if old_qid in row.get("old", ()):
            return row.get("note")
    return None


# --- validation against the revised edition ------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """What is wrong with a mapping: the part (``questions`` or ``choices``), the index of
    its row there (None: no row names it — a question left unaccounted for), and why."""

    part: str
    row: int | None
    message: Text

    def __str__(self) -> str:
        where = f"revises.{self.part}[{self.row}]" if self.row is not None else f"revises.{self.part}"
        return f"{where}: {self.message}"


def validate_against(old: Any, new: Any) -> list[Problem]:
    """Every problem of ``new``'s mapping read against the edition it revises (``old``)."""
    definition = new.definition
    problems: list[Problem] = []
    if revised_slug(definition) != old.slug:
        message = gettext_noop(
            "The mapping revises %(named)s, not %(edition)s.", named=str(revised_slug(definition)), edition=old.slug
        )
        return [Problem("questions", None, message)]
    found = moves(definition, new.by_id, old.by_id)
    for move in found:
        problems.extend(_move_problems(move, old, new))
    problems.extend(_unaccounted(found, old, new))
    problems.extend(_choice_problems(definition, found, old, new))
    return problems


def _move_problems(move: Move, old: Any, new: Any) -> list[Problem]:
    missing = [q for q in move.old if q not in old.by_id]
    if missing:
        message = gettext_noop("%(ids)s: no such question in %(edition)s.", ids=", ".join(missing), edition=old.slug)
        return [Problem("questions", move.row, message)]
    types = {old.by_id[q].type for q in move.old} | {new.by_id[q].type for q in move.new}
    if len(types) > 1 and move.kind not in ("removed", "added"):
        message = gettext_noop(
            "A %(kind)s row links questions of different types (%(types)s).",
            kind=move.kind,
            types=", ".join(sorted(types)),
        )
        return [Problem("questions", move.row, message)]
    return []


def _unaccounted(found: list[Move], old: Any, new: Any) -> list[Problem]:
    named_old = {q for m in found for q in m.old}
    named_new = {q for m in found for q in m.new}
    problems = [
        Problem(
            "questions",
            None,
            gettext_noop(
                "%(id)s of %(edition)s is not accounted for: say what became of it (same, renamed, split, "
                "merged or removed).",
                id=q.id,
                edition=old.slug,
            ),
        )
        for q in old.questions
        if q.id not in named_old
    ]
    problems += [
        Problem(
            "questions",
            None,
            gettext_noop("%(id)s is new in this edition: add it to the mapping as added.", id=q.id),
        )
        for q in new.questions
        if q.id not in named_new
    ]
    return problems


def _choice_problems(definition: Mapping[str, Any], found: list[Move], old: Any, new: Any) -> list[Problem]:
    """Each choice row names linked questions and their codes; every old code of a linked
    choice question is kept or mapped."""
    # Rows naming a question the old edition lacks are reported by _move_problems.
    linked = {
        (o, n): m
        for m in found
        if m.kind not in ("removed", "added")
        for o in m.old
        for n in m.new
        if o in old.by_id and n in new.by_id
    }
    problems = []
    rows = (definition.get("revises") or {}).get("choices") or ()
    for i, row in enumerate(rows):
        pair = (row["old_question"], row["new_question"])
        if pair not in linked:
            message = gettext_noop("%(old)s and %(new)s are not linked by a question row.", old=pair[0], new=pair[1])
            problems.append(Problem("choices", i, message))
            continue
        unknown = [c for c in row["old"] if c not in old.by_id[pair[0]].choice_codes]
        if unknown:
            message = gettext_noop("%(codes)s: not codes of %(id)s.", codes=", ".join(unknown), id=pair[0])
            problems.append(Problem("choices", i, message))
    maps = code_maps(definition)
    for (o, n), move in linked.items():
        problems.extend(_totality(move, old.by_id[o], new, n, maps))
    return problems


def _totality(move: Move, old_q: Any, new: Any, new_qid: str, maps: Mapping) -> list[Problem]:
    if old_q.type not in CODED_TYPES or new.by_id[new_qid].type != old_q.type:
        return []
    if move.kind == "split":
        # Shared out among the new questions: a code is placed when one of them has it or maps it.
        targets = [new.by_id[n] for n in move.new]
        placed = {c for t in targets for c in t.choice_codes} | {
            c for t in targets for c in maps.get((old_q.id, t.id), {})
        }
        if new_qid != move.new[0]:
            return []
    else:
        placed = set(new.by_id[new_qid].choice_codes) | set(maps.get((old_q.id, new_qid), {}))
    left = [c for c in old_q.choice_codes if c not in placed]
    if not left:
        return []
    message = gettext_noop(
        "Choice codes of %(old)s neither in %(new)s nor mapped: %(codes)s.",
        old=old_q.id,
        new=", ".join(move.new),
        codes=", ".join(left),
    )
    return [Problem("questions", move.row, message)]


# --- carrying answers ----------------------------------------------------------------------


@dataclass
class _Carry:
    answers: dict[str, Any] = field(default_factory=dict)
    carried: dict[str, str] = field(default_factory=dict)
    not_carried: list[tuple[str, Text]] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    def put(self, qid: str, value: Any, how: str, source: str) -> None:
        self.answers[qid] = value
        self.carried[qid] = how
        self.sources[qid] = source

    def refuse(self, old_qid: str, reason: Text) -> None:
        self.not_carried.append((old_qid, reason))


@dataclass(frozen=True)
class _Side:
    """What the carrying knows of the questions it writes to: their types and, where known,
    their choice codes (None: unknown — the revised edition seen from the revising one)."""

    types: Callable[[str], str]
    codes: Callable[[str], frozenset[str] | None]
    maps: Mapping[tuple[str, str], Mapping[str, str | None]]


def _mapped(side: _Side, source: str, target: str, code: Any) -> Any:
    """A code carried to the target question: renamed or merged, None when dropped or
    not one of the target's codes."""
    table = side.maps.get((source, target), {})
    new = table.get(code, code) if isinstance(code, str) else code
    allowed = side.codes(target)
    return new if allowed is None or new in allowed else None


def _codes_carried(side, source, target, value, carry: _Carry) -> Any:
    """A choice answer mapped to the target's codes; the dropped codes listed."""
    if isinstance(value, list):
        out, dropped = [], []
        for code in value:
            new = _mapped(side, source, target, code)
            (dropped if new is None else out).append(code if new is None else new)
        if dropped:
            carry.refuse(source, _dropped(dropped, target))
        return list(dict.fromkeys(out)) or None
    new = _mapped(side, source, target, value)
    if new is None:
        carry.refuse(source, _dropped([value], target))
    return new


def _dropped(codes: list[str], target: str) -> Text:
    return gettext_noop("“%(codes)s” is not a choice of %(target)s.", codes=", ".join(map(str, codes)), target=target)


def _one(carry: _Carry, side: _Side, move: Move, values: dict[str, Any]) -> None:
    (source,), (target,) = move.old, move.new
    value = values[source]
    if side.types(target) in CODED_TYPES:
        new = _codes_carried(side, source, target, value, carry)
        if new is None:
            return
        how = move.kind if (new == value or move.kind != "same") else "choices"
        carry.put(target, new, how, source)
    else:
        carry.put(target, value, move.kind, source)


def _split(carry: _Carry, side: _Side, move: Move, values: dict[str, Any]) -> None:
    (source,) = move.old
    value = values[source]
    kind = side.types(move.new[0])
    if kind == "multi" and isinstance(value, list):
        _split_codes(carry, side, move, source, value)
    elif kind == "yesno":
        if value != "yes":
            carry.refuse(source, gettext_noop("“No” does not say which of %(new)s it answers.", new=_ids_text(move)))
            return
        for target in move.new:
            carry.put(target, "yes", "split", source)
    else:
        target = move.new[0]
        new = _codes_carried(side, source, target, value, carry) if kind in CODED_TYPES else value
        if new is not None:
            carry.put(target, new, "split", source)


def _split_codes(carry: _Carry, side: _Side, move: Move, source: str, value: list[str]) -> None:
    placed: set[str] = set()
    for target in move.new:
        chosen = []
        for code in value:
            new = _mapped(side, source, target, code)
            if new is not None and (side.codes(target) is not None or target == move.new[0]):
                chosen.append(new)
                placed.add(code)
        if chosen:
            carry.put(target, list(dict.fromkeys(chosen)), "split", source)
    left = [c for c in value if c not in placed]
    if left:
        carry.refuse(source, _dropped(left, _ids_text(move)))


def _ids_text(move: Move) -> str:
    return ", ".join(move.new)


def _merged(carry: _Carry, side: _Side, move: Move, values: dict[str, Any]) -> None:
    (target,) = move.new
    given = [(q, values[q]) for q in move.old if q in values]
    kind = side.types(target)
    first = given[0][0]
    if kind == "multi":
        joined: list[str] = []
        for source, value in given:
            if isinstance(value, list):
                joined += _codes_carried(side, source, target, value, carry) or []
        if joined:
            carry.put(target, list(dict.fromkeys(joined)), "merged", first)
    elif kind == "yesno":
        _merged_yes_no(carry, move, given)
    elif kind == "text":
        carry.put(target, "\n\n".join(str(v) for _, v in given), "merged", first)
    else:
        value = _codes_carried(side, first, target, given[0][1], carry) if kind in CODED_TYPES else given[0][1]
        if value is not None:
            carry.put(target, value, "merged", first)
        for source, _ in given[1:]:
            carry.refuse(source, gettext_noop("%(target)s keeps the answer of %(first)s.", target=target, first=first))


def _merged_yes_no(carry: _Carry, move: Move, given: list[tuple[str, Any]]) -> None:
    (target,) = move.new
    answers = [v for _, v in given]
    if "no" in answers:
        carry.put(target, "no", "merged", given[answers.index("no")][0])
    elif len(given) == len(move.old) and all(v == "yes" for v in answers):
        carry.put(target, "yes", "merged", given[0][0])
    else:
        unanswered = ", ".join(q for q in move.old if q not in dict(given))
        carry.refuse(
            given[0][0], gettext_noop("%(ids)s unanswered: %(target)s cannot be told.", ids=unanswered, target=target)
        )


def _removed(carry: _Carry, side: _Side, move: Move, values: dict[str, Any]) -> None:
    for source in move.old:
        if source in values:
            carry.refuse(source, gettext_noop("The question was removed from this edition."))


_APPLY = {"same": _one, "renamed": _one, "split": _split, "merged": _merged, "removed": _removed}


def _carried(found: list[Move], side: _Side, answers: Mapping[str, Any]) -> _Carry:
    carry = _Carry()
    for move in found:
        values = {q: answers[q] for q in move.old if q in answers and not is_empty(answers[q])}
        if values and move.kind in _APPLY:
            _APPLY[move.kind](carry, side, move, values)
    return carry


def _drop_invalid(carry: _Carry, edition: Any) -> None:
    """Carried answers the new questions' types refuse are taken back and listed."""
    for qid in list(carry.answers):
        q = edition.by_id[qid]
        problems = question_type(q.type).validate(q, carry.answers[qid], edition, carry.answers)
        if problems:
            del carry.answers[qid]
            del carry.carried[qid]
            message = problems[0][1]
            reason = gettext_noop("It does not fit %(id)s: %(problem)s", id=qid, problem=message)
            carry.refuse(carry.sources.pop(qid), reason)


class Carrier:
    """Answers to ``old`` carried to ``new`` (which revises it), the mapping read once: for
    reading many responses (a comparison of rounds)."""

    def __init__(self, old: Any, new: Any):
        definition = new.definition
        self.new = new
        self.side = _Side(
            types=lambda qid: new.by_id[qid].type,
            codes=lambda qid: frozenset(new.by_id[qid].choice_codes) if new.by_id[qid].type in CODED_TYPES else None,
            maps=code_maps(definition),
        )
        self.moves = moves(definition, new.by_id, old.by_id)

    def carry(self, answers: Mapping[str, Any]) -> _Carry:
        carry = _carried(self.moves, self.side, answers)
        _drop_invalid(carry, self.new)
        return carry

    def __call__(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        return self.carry(answers).answers


def carry_over(
    old: Any, new: Any, answers: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str], list[tuple[str, Text]]]:
    """``answers`` to ``old`` as answers to ``new`` (which revises it): the answers, how
    each new question's answer was carried ({new ID: same / renamed / choices / split /
    merged}; ``choices``: kept with its codes mapped), and the old answers not carried
    with the reason ([(old ID, reason)])."""
    carry = Carrier(old, new).carry(answers)
    return carry.answers, carry.carried, carry.not_carried


# --- back to the revised edition's terms ------------------------------------------------------

_REVERSED = {"same": "same", "renamed": "renamed", "split": "merged", "merged": "split"}


def _reversed_maps(definition: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, str | None]]:
    """new code → the old code it came from, where one can tell: the one old code renamed
    to it, or itself when it was an old code too (merged codes into one of theirs)."""
    back: dict[tuple[str, str], dict[str, str | None]] = {}
    for (old_q, new_q), table in code_maps(definition).items():
        sources: dict[str, list[str]] = {}
        for old_code, new_code in table.items():
            if new_code is not None:
                sources.setdefault(new_code, []).append(old_code)
        pair = back.setdefault((new_q, old_q), {})
        for new_code, olds in sources.items():
            pair[new_code] = olds[0] if len(olds) == 1 else (new_code if new_code in olds else None)
    return back


def in_revised_terms(edition: Any, answers: Mapping[str, Any]) -> Mapping[str, Any]:
    """Answers to an edition as answers to the edition it revises (the same answers when it
    revises none): for the readers that know that edition's question IDs and choice codes
    (the numbering structure, standards.structure). Kept with the edition once prepared."""
    definition = edition.definition
    if "revises" not in definition:
        return answers
    prepared = edition.__dict__.get("_compiled_revised_terms")
    if prepared is None:
        types = {q.id: q.type for q in edition.questions}
        found = [
            Move(_REVERSED[m.kind], m.new, m.old, m.row)
            for m in moves(definition, edition.by_id)
            if m.kind in _REVERSED
        ]
        # The revised edition's questions have the types of theirs here (kinds are coherent).
        source_type = {o: types[m.old[0]] for m in found for o in m.new}
        side = _Side(types=source_type.__getitem__, codes=lambda qid: None, maps=_reversed_maps(definition))
        prepared = edition.__dict__["_compiled_revised_terms"] = (found, side)
    found, side = prepared
    return _carried(found, side, answers).answers

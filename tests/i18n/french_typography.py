"""French typography: a non-breaking space (U+00A0) before ":" ";" "?" "!" and inside « ».

A mark counts as punctuation when it ends a word: followed by a space, the end of the
text, a closing quote or bracket, or a tag. So "https://…", "10:20", "?source=…",
"&amp;" and "<!--" are left alone, and so is a mark right after an opening bracket or
another mark ("(??)": a code not known).
"""

from __future__ import annotations

import re

NBSP = "\u00a0"

# A high mark ending a word (not an entity's ";", not a URL's or a time's ":").
_MARK = re.compile(r"(?P<space>[ \u202f]?)(?P<mark>[:;?!])(?=$|[\s\"'»)\]<.,])")
_ENTITY = re.compile(r"&#?[A-Za-z0-9]+;")


def _entities(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _ENTITY.finditer(text)]


def _skipped(text: str, at: int, entities: list[tuple[int, int]]) -> bool:
    return at == 0 or text[at - 1] in "([?!:;" or any(start <= at < end for start, end in entities)


def faults(text: str) -> list[str]:
    """The places in a French text where the space before a high mark, or inside « »,
    is missing or breakable (a few characters of context each)."""
    found = []
    entities = _entities(text)
    for m in _MARK.finditer(text):
        at = m.start("mark")
        if _skipped(text, at, entities):
            continue
        if text[at - 1] != NBSP:
            found.append(text[max(0, at - 12) : at + 2])
    for m in re.finditer(r"«(?!\u00a0)|(?<!\u00a0)»", text):
        found.append(text[max(0, m.start() - 10) : m.end() + 10])
    return found


def corrected(text: str) -> str:
    """The text with a non-breaking space before each high mark and inside « »."""
    entities = _entities(text)

    def fix(m: re.Match) -> str:
        at = m.start("mark")
        if _skipped(text, at, entities):
            return m.group(0)
        return NBSP + m.group("mark")

    text = _MARK.sub(fix, text)
    text = re.sub(r"«[ \u202f]?", "«" + NBSP, text)
    return re.sub(r"[ \u202f]?»", NBSP + "»", text)

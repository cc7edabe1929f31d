"""Cutting the letters and digits of a number into its parts, in time linear in its length.

A part is cut wherever its length range, its kind of characters and the separators
allow: a separator sits between two parts or, inside a serial number, groups its digits
by threes from the right ("004 488"). Trying every end of every part from every start
costs the square of the length (and more); here the readings are counted instead, part
by part from the right, each start looking up the readings of the next parts over a
whole run of possible ends at once (sums kept from the right). Every start is then a
fixed number of look-ups, so the work grows with the length times the number of parts.

Pure Python, like the rest of ``standards``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["ANY", "Kind", "Steps", "readings"]

_DIGITS = frozenset("0123456789")
_GROUP = 3  # digits per group inside a serial number


@dataclass(frozen=True)
class Kind:
    """The characters a part may hold."""

    digits: bool = False  # only the digits 0-9 (a year, a serial number)
    codes: frozenset[str] | None = None  # one of these (an office's type codes)
    single: bool = False  # exactly one character (a check digit)


ANY = Kind()


@dataclass
class Steps:
    """How many candidate ends were looked at: the measure of the work done."""

    count: int = 0


@dataclass
class _Text:
    chars: str
    cuts: dict[int, str]  # separator after this many characters → the separator
    grouping: frozenset[str]
    next_cut: list[int] = field(init=False)  # the first cut after each position (or the end)
    next_other: list[int] = field(init=False)  # the first non-digit at or after each position
    chain_of: dict[int, tuple[int, int]] = field(init=False)  # cut → (chain, index)
    chains: list[list[int]] = field(init=False)  # the ends of serial numbers grouped by threes

    def __post_init__(self) -> None:
        n = len(self.chars)
        self.next_cut, self.next_other = [n] * (n + 1), [n] * (n + 1)
        cut, other = n, n
        for pos in range(n, -1, -1):
            self.next_cut[pos] = cut
            if pos in self.cuts:
                cut = pos
            if pos < n and self.chars[pos] not in _DIGITS:
                other = pos
            self.next_other[pos] = other
        self._link_groups()

    def _link_groups(self) -> None:
        """Grouping separators three characters apart form chains; a serial number whose
        first group starts before a chain's cut may end three characters after any later
        cut of the chain."""
        n = len(self.chars)
        self.chain_of, self.chains = {}, []
        for c in sorted(k for k, ch in self.cuts.items() if ch in self.grouping):
            if c + _GROUP > n or self.next_cut[c] < c + _GROUP:
                continue  # another cut inside the group, or too near the end
            previous = self.chain_of.get(c - _GROUP)
            if previous is None:
                self.chains.append([])
                chain = len(self.chains) - 1
            else:
                chain = previous[0]
            self.chain_of[c] = (chain, len(self.chains[chain]))
            self.chains[chain].append(c + _GROUP)


def readings(
    chars: str,
    cuts: dict[int, str],
    kinds: Sequence[Kind],
    ranges: Sequence[tuple[int, int | None]],
    grouped: Sequence[bool],
    grouping: frozenset[str],
    steps: Steps | None = None,
) -> tuple[tuple[int, ...] | None, int]:
    """The first reading (the end of each part) and how many there are, counted up to two.

    ``kinds``, ``ranges`` and ``grouped`` (whether the part's digits may be grouped by
    separators) are given per part, left to right."""
    steps = steps if steps is not None else Steps()
    text = _Text(chars, cuts, grouping)
    n, parts = len(chars), len(ranges)
    ways = [[0] * (n + 2) for _ in range(parts + 1)]  # readings of parts k… from a position
    ways[parts][n] = 1
    after = _from_the_right(ways[parts])
    starts = _starts(n, tuple(ranges))
    for k in range(parts - 1, -1, -1):
        sums = [_chain_sums(chain, ways[k + 1]) for chain in text.chains]
        for pos in starts[k]:
            ways[k][pos] = _count(text, pos, kinds[k], ranges[k], grouped[k], ways[k + 1], after, sums, steps)
        after = _from_the_right(ways[k])
    total = ways[0][0]
    if not total:
        return None, 0
    ends, pos = [], 0
    for k in range(parts):
        pos = next(b for b in _ends(text, pos, kinds[k], ranges[k], grouped[k], steps) if ways[k + 1][b])
        ends.append(pos)
    return tuple(ends), min(total, 2)


@lru_cache(maxsize=1024)
def _starts(n: int, ranges: tuple[tuple[int, int | None], ...]) -> list[range]:
    """Where each part can start at all: after the shortest and before the longest parts
    in front of it, leaving room for the shortest and at most the longest parts after it
    (a part of fixed length has a single start)."""
    starts = []
    for k in range(len(ranges)):
        before, after = ranges[:k], ranges[k:]
        earliest = max(sum(lo for lo, _ in before), n - _longest(after))
        latest = min(_longest(before, n), n - sum(lo for lo, _ in after))
        starts.append(range(max(earliest, 0), min(latest, n) + 1))
    return starts


def _longest(ranges: Sequence[tuple[int, int | None]], n: int | None = None) -> int:
    """The longest the parts can be together (n when one has no upper bound and n is given)."""
    if any(hi is None for _, hi in ranges):
        return n if n is not None else 10**9
    return sum(hi for _, hi in ranges)


def _from_the_right(ways: list[int]) -> list[int]:
    """after[x] = the readings from x, x+1, … to the end."""
    after = [0] * (len(ways) + 1)
    for x in range(len(ways) - 1, -1, -1):
        after[x] = after[x + 1] + ways[x]
    return after


def _chain_sums(chain: list[int], ways: list[int]) -> list[int]:
    sums = [0]
    for end in chain:
        sums.append(sums[-1] + ways[end])
    return sums


def _bounds(text: _Text, pos: int, kind: Kind, span: tuple[int, int | None]) -> tuple[int, int]:
    """The shortest and longest end for the part, by its length and its characters."""
    n = len(text.chars)
    lo, hi = span
    first, last = pos + lo, n if hi is None else min(n, pos + hi)
    if kind.digits:
        last = min(last, text.next_other[pos])
    if kind.single:
        first, last = max(first, pos + 1), min(last, pos + 1)
    return first, last


def _group_run(text: _Text, pos: int, first: int, last: int) -> tuple[int, int, int] | None:
    """The ends of a serial number from ``pos`` whose digits are grouped by threes, as a
    run of a chain: (chain, from, to)."""
    cut = text.next_cut[pos]
    if not 1 <= cut - pos <= _GROUP or cut not in text.chain_of:
        return None
    chain, start = text.chain_of[cut]
    ends = text.chains[chain]
    lo, hi = bisect_left(ends, first, lo=start), bisect_right(ends, last, lo=start)
    return (chain, lo, hi) if lo < hi else None


def _count(
    text: _Text,
    pos: int,
    kind: Kind,
    span: tuple[int, int | None],
    grouped: bool,
    ways: list[int],
    after: list[int],
    sums: list[list[int]],
    steps: Steps,
) -> int:
    """The readings of this part and the next ones from ``pos``."""
    first, last = _bounds(text, pos, kind, span)
    steps.count += 1
    if kind.codes is not None:
        found = 0
        for code in kind.codes:
            steps.count += 1
            end = pos + len(code)
            if first <= end <= min(last, text.next_cut[pos]) and text.chars[pos:end] == code:
                found += ways[end]
        return found
    found = 0
    whole = min(last, text.next_cut[pos])  # without a separator inside
    if first <= whole:
        found += after[first] - after[whole + 1]
    run = _group_run(text, pos, first, last) if grouped else None
    if run is not None:
        chain, lo, hi = run
        found += sums[chain][hi] - sums[chain][lo]
    return found


def _ends(text: _Text, pos: int, kind: Kind, span: tuple[int, int | None], grouped: bool, steps: Steps):
    """The possible ends of the part from ``pos``, shortest first."""
    first, last = _bounds(text, pos, kind, span)
    if kind.codes is not None:
        ends = sorted(pos + len(code) for code in kind.codes if text.chars[pos : pos + len(code)] == code)
        candidates = [end for end in ends if first <= end <= min(last, text.next_cut[pos])]
    else:
        candidates = range(first, min(last, text.next_cut[pos]) + 1)
    for end in candidates:
        steps.count += 1
        yield end
    run = _group_run(text, pos, first, last) if grouped and kind.codes is None else None
    if run is not None:
        chain, lo, hi = run
        for end in text.chains[chain][lo:hi]:
            steps.count += 1
            yield end

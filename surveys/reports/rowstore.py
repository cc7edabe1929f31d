"""Rows of a report table kept out of memory: the first ones in a list, the rest on disk.

A round can have tens of thousands of responses and the ST.13 reasons table eight rows
for each, so a report never holds all its rows at once: a `RowStore` keeps its first
`MEMORY_ROWS` rows as objects (the first page of the report page needs nothing more) and
writes the others, one record per row, to an anonymous temporary file (it has no name on
disk and is gone when closed, or when the process ends).

Rows are written with `marshal` as plain tuples (key, then value, note, css and chip per
cell) and rebuilt as `Row`s when read. The store is read as many times as needed, in the
order the rows were added, and several readers may go through it at once (each reads the
file at its own offset). `len()` is the number of rows.
"""

from __future__ import annotations

import marshal
import os
import struct
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any

MEMORY_ROWS = 100  # rows per table kept as objects; the rest go to the file
READ_BLOCK = 256 * 1024  # bytes read from the file at a time
_LENGTH = struct.Struct("<I")  # each record: its length, then the marshalled tuple

Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]


class StoreClosed(RuntimeError):
    """The report these rows belong to was closed: its temporary files are gone."""


class RowStore:
    """An ordered, re-readable sequence of rows in constant memory.

    `encode` turns a row into marshal-able data (tuples, lists, str, int), `decode` turns it
    back into a row; rows kept in memory are never encoded.
    """

    def __init__(self, encode: Encode, decode: Decode, *, memory_rows: int = MEMORY_ROWS) -> None:
        self._encode = encode
        self._decode = decode
        self._memory_rows = memory_rows
        self._head: list[Any] = []
        self._file: IO[bytes] | None = None
        self._count = 0
        self._closed = False

    def append(self, row: Any) -> None:
        if self._closed:
            raise StoreClosed("rows cannot be added to a closed report")
        self._count += 1
        if len(self._head) < self._memory_rows:
            self._head.append(row)
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="report-rows-")  # noqa: SIM115 - closed by close()
        data = marshal.dumps(self._encode(row))
        self._file.write(_LENGTH.pack(len(data)))
        self._file.write(data)

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __iter__(self) -> Iterator[Any]:
        if self._closed:
            raise StoreClosed("the rows of a closed report cannot be read")
        yield from self._head[: self._count]
        if self._closed:
            raise StoreClosed("the report was closed while its rows were read")
        if self._file is not None:
            yield from self._spilled()

    def _spilled(self) -> Iterator[Any]:
        assert self._file is not None
        self._file.flush()
        fd = self._file.fileno()
        end = os.fstat(fd).st_size
        offset = 0
        pending = b""
        decode = self._decode
        while offset < end or pending:
            if self._closed:
                raise StoreClosed("the report was closed while its rows were read")
            block = os.pread(fd, min(READ_BLOCK, end - offset), offset) if offset < end else b""
            offset += len(block)
            data = pending + block
            position = 0
            while position + _LENGTH.size <= len(data):
                (size,) = _LENGTH.unpack_from(data, position)
                start = position + _LENGTH.size
                if start + size > len(data):
                    break
                # Our own file, written by append() above: never anything from outside.
                yield decode(marshal.loads(data[start : start + size]))  # noqa: S302
                position = start + size
            pending = data[position:]
            if not block and pending:
                raise StoreClosed("the rows file ends in the middle of a row")

    @property
    def spilled(self) -> bool:
        """Whether some rows live in the temporary file."""
        return self._file is not None

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Deletes the temporary file (closing it is enough: it has no name) and forgets the rows."""
        self._closed = True
        self._head = []
        if self._file is not None:
            self._file.close()
            self._file = None

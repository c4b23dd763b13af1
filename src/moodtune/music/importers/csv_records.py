"""Split a catalog CSV into records so that one broken line costs one row, never the rest of the file.

Python's ``csv`` reader alone turns a stray quote into one field that swallows every later line,
and a single undecodable byte stops a whole UTF-8 read. Here each physical line is decoded on its
own (a bad one is reported by its number and skipped), and a record that spans several lines but
does not come out with the header's field count (or spans more than ``MAX_RECORD_LINES``) is
reported at its first line, and reading resumes on the line after it.
"""

from __future__ import annotations

import codecs
import csv
from collections import deque
from collections.abc import Iterator
from typing import BinaryIO

__all__ = ["MAX_RECORD_LINES", "csv_records"]

#: A quoted field may hold line breaks, but no catalog row honestly spans more lines than this.
MAX_RECORD_LINES = 20


def _decoded_lines(raw: BinaryIO) -> Iterator[tuple[int, str | None, str]]:
    """(line number, text, "") per physical line, or (line number, None, reason) when it is not UTF-8."""
    for number, data in enumerate(raw, start=1):
        if number == 1 and data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        try:
            yield number, data.decode("utf-8"), ""
        except UnicodeDecodeError as exc:
            yield number, None, f"is not UTF-8 (byte 0x{data[exc.start]:02x} at column {exc.start + 1}); skipped"


def csv_records(raw: BinaryIO) -> Iterator[tuple[int, list[str] | str]]:
    """(first line number, fields) per record of a binary CSV file, or (line number, reason) for a broken one.

    The first record is the header: every later one must have its number of fields. Blank lines
    give nothing.
    """
    lines = _decoded_lines(raw)
    replay: deque[tuple[int, str]] = deque()  # lines to read again after a broken record
    skipped: list[tuple[int, str]] = []  # undecodable lines met while feeding the reader
    taken: list[tuple[int, str]] = []  # the lines of the record being read

    def feed() -> Iterator[str]:
        while len(taken) <= MAX_RECORD_LINES:  # one line more than allowed marks an unclosed quote
            if replay:
                number, text = replay.popleft()
            else:
                item = next(lines, None)
                if item is None:
                    return
                number, decoded, reason = item
                if decoded is None:
                    skipped.append((number, reason))
                    continue
                text = decoded
            taken.append((number, text))
            yield text

    expected: int | None = None  # the header's field count, once it is read
    while True:
        reader = csv.reader(feed())
        while True:
            taken.clear()
            try:
                record: list[str] | None = next(reader)
                problem = ""
            except StopIteration:
                yield from skipped
                return
            except csv.Error as exc:
                record, problem = None, f"cannot be split into columns ({exc})"
            yield from skipped
            skipped.clear()
            if not taken or record == []:
                continue  # a blank line is no row
            start = taken[0][0]
            swallowed = len(taken) > 1 and expected is not None and len(record or ()) != expected
            if record is not None and (swallowed or len(taken) > MAX_RECORD_LINES):
                problem = f"opens a quote that is not closed within {len(taken)} lines"
            if problem:
                yield start, problem
                replay.extendleft(reversed(taken[1:]))  # the lines it swallowed are rows of their own
                break  # a fresh reader: the old one may be inside a quote
            assert record is not None
            if expected is None:
                expected = len(record)
            elif len(record) != expected:
                yield start, f"has {len(record)} fields, the header has {expected}"
                continue
            yield start, record

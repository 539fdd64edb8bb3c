"""Record-per-row sources: JSON Lines (arXiv snapshot records included) and CSV/TSV with a header row."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from paperkg.graph.schema import Paper, Reject

from .arxiv import is_snapshot_record, paper_from_snapshot_record
from .files import (
    DEFAULT_MAX_RECORD_CHARS,
    NumberedLine,
    SourceFormatError,
    numbered_lines,
    preview,
    too_long,
)
from .record_fields import paper_from_fields


def read_jsonl(path: Path, max_chars: int = DEFAULT_MAX_RECORD_CHARS) -> Iterator[Paper | Reject]:
    """Papers and rejects from a JSON Lines file, one object a line; blank lines are skipped.

    Each object is read as an arXiv snapshot record when it looks like one, else by its `id`/`title`/
    `abstract`/`text` fields. A line over `max_chars` characters is a reject.
    """
    source = str(path)
    for line in numbered_lines(path, max_chars):
        if not line.text.strip():
            continue

        def reject(reason: str, line: NumberedLine = line) -> Reject:
            return Reject(source=source, line=line.number, reason=reason, record=preview(line.text))

        if line.problem:
            yield reject(line.problem)
            continue
        try:
            record = json.loads(line.text)
        except json.JSONDecodeError as error:
            yield reject(f"bad JSON: {error}")
            continue
        if not isinstance(record, dict):
            yield reject(f"bad JSON: expected an object, got {type(record).__name__}")
        elif is_snapshot_record(record):
            yield paper_from_snapshot_record(record, source, line.number, line.text)
        else:
            yield paper_from_fields(record, source, line.number, line.text)


def read_delimited(
    path: Path, delimiter: str, max_chars: int = DEFAULT_MAX_RECORD_CHARS
) -> Iterator[Paper | Reject]:
    """Papers and rejects from a CSV (`delimiter=","`) or TSV (`"\\t"`) file whose first row names the columns.

    CSV fields may be quoted and span lines; a reject points at the line where its row starts. TSV has no
    quoting (a `"` is a character like any other), so a stray quote cannot swallow the rows after it. A row with
    fewer or more fields than the header, with undecodable bytes on any of its lines, or over `max_chars`
    characters is a reject, and the file goes on.
    """
    source = str(path)
    problems: dict[int, str] = {}

    def texts() -> Iterator[str]:
        for line in numbered_lines(path, max_chars):
            if line.problem:
                problems[line.number] = line.problem
            # an overlong line's start could open a quote that its dropped rest closes: it is left out
            yield "\n" if line.cut else line.text + "\n"

    def first_problem(start: int, end: int) -> str | None:
        """The first problem on the lines of the row `start`..`end`; problems up to `end` are then done."""
        done = sorted(n for n in problems if n <= end)
        found = next((n for n in done if n >= start), None)
        reason = None if found is None else f"{problems[found]} (line {found})"
        for number in done:
            del problems[number]
        return reason

    csv.field_size_limit(max(csv.field_size_limit(), 4 * max_chars + 2))  # longer rows are rejects below
    quoting = csv.QUOTE_MINIMAL if delimiter == "," else csv.QUOTE_NONE
    rows = csv.reader(texts(), delimiter=delimiter, quoting=quoting)
    header = next(rows, None)
    if not header or not any(cell.strip() for cell in header):
        raise SourceFormatError(path, "no header row")
    columns = [cell.strip().lower() for cell in header]
    if not {"abstract", "text"} & set(columns):
        raise SourceFormatError(path, f"header has no 'abstract' or 'text' column: {header}", 1)
    end = rows.line_num
    while True:
        start = end + 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            end = rows.line_num
            first_problem(start, end)
            yield Reject(source=source, line=start, reason=f"unreadable row: {error}")
            continue
        end = rows.line_num
        problem = first_problem(start, end)
        raw = delimiter.join(row)
        if problem is None and len(raw) > max_chars:
            problem = too_long(max_chars, f"row has {len(raw):,} characters")
        if problem:
            yield Reject(source=source, line=start, reason=problem, record=preview(raw))
        elif not row:
            continue
        elif len(row) != len(columns):
            missing = "missing columns" if len(row) < len(columns) else "extra columns"
            yield Reject(
                source=source,
                line=start,
                reason=f"{missing}: row has {len(row)} fields, header has {len(columns)}",
                record=preview(raw),
            )
        else:
            yield paper_from_fields(dict(zip(columns, row)), source, start, raw)

"""Record-per-row sources: JSON Lines (arXiv snapshot records included) and CSV/TSV with a header row."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from paperkg.graph.schema import Paper, Reject

from .arxiv import is_snapshot_record, paper_from_snapshot_record
from .files import NumberedLine, SourceFormatError, numbered_lines, preview
from .record_fields import paper_from_fields


def read_jsonl(path: Path) -> Iterator[Paper | Reject]:
    """Papers and rejects from a JSON Lines file, one object a line; blank lines are skipped.

    Each object is read as an arXiv snapshot record when it looks like one, else by its `id`/`title`/
    `abstract`/`text` fields.
    """
    source = str(path)
    for line in numbered_lines(path):
        if not line.text.strip():
            continue

        def reject(reason: str, line: NumberedLine = line) -> Reject:
            return Reject(source=source, line=line.number, reason=reason, record=preview(line.text))

        if line.decode_error:
            yield reject(line.decode_error)
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


def read_delimited(path: Path, delimiter: str) -> Iterator[Paper | Reject]:
    """Papers and rejects from a CSV (`delimiter=","`) or TSV (`"\\t"`) file whose first row names the columns.

    Quoted fields may span lines; a reject points at the line where its row starts. A row with fewer or more
    fields than the header, or with undecodable bytes on any of its lines, is a reject.
    """
    source = str(path)
    undecodable: dict[int, str] = {}

    def texts() -> Iterator[str]:
        for line in numbered_lines(path):
            if line.decode_error:
                undecodable[line.number] = line.decode_error
            yield line.text + "\n"

    rows = csv.reader(texts(), delimiter=delimiter)
    header = next(rows, None)
    if not header or not any(cell.strip() for cell in header):
        raise SourceFormatError(f"{path}: no header row")
    columns = [cell.strip().lower() for cell in header]
    if not {"abstract", "text"} & set(columns):
        raise SourceFormatError(f"{path}:1: header has no 'abstract' or 'text' column: {header}")
    end = rows.line_num
    while True:
        start = end + 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            raise SourceFormatError(
                f"{path}:{start}: unreadable {delimiter!r}-separated row: {error}"
            ) from None
        end = rows.line_num
        if not row:
            continue
        raw = delimiter.join(row)
        bad_lines = sorted(n for n in undecodable if start <= n <= end)
        if bad_lines:
            reason = undecodable[bad_lines[0]]
            undecodable.clear()
            yield Reject(
                source=source, line=start, reason=f"{reason} (line {bad_lines[0]})", record=preview(raw)
            )
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

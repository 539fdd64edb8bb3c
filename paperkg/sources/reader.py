"""Any mix of source files → distinct `Paper`s in input order, with repeats merged and rejects counted."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from paperkg.graph.schema import Paper, Reject

from .arxiv import read_arxiv_atom
from .daily_papers import DATE_LINE, KNOWN_HEADER_LINES, read_daily_papers_dump
from .files import (
    DEFAULT_MAX_RECORD_CHARS,
    SourceFormatError,
    expand_paths,
    format_suffix,
    preview,
    read_head,
    too_long,
)
from .tabular import read_delimited, read_jsonl

FORMAT_BY_SUFFIX = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xml": "arxiv_atom",
    ".atom": "arxiv_atom",
}
SNIFF_BYTES = 64 * 1024
TABLE_COLUMNS = frozenset({"id", "title", "abstract", "text"})

READERS: dict[str, Callable[[Path, int], Iterator[Paper | Reject]]] = {
    "daily_papers": read_daily_papers_dump,
    "jsonl": read_jsonl,
    "csv": lambda path, max_chars: read_delimited(path, ",", max_chars),
    "tsv": lambda path, max_chars: read_delimited(path, "\t", max_chars),
    "arxiv_atom": read_arxiv_atom,
}


class RejectedRecordError(ValueError):
    """Raised in strict mode for the first malformed record; the message is `FILE:LINE: reason`."""

    def __init__(self, reject: Reject) -> None:
        super().__init__(reject.message())
        self.reject = reject


@dataclass
class ReadStats:
    """Counts of one `read_papers` run: `read == built + rejected + duplicates` once it is consumed.

    `rejects` holds every rejected record (and every file that could not be read, as one reject); `repeats`
    holds every later record whose id was read before, with where the first one was.
    """

    read: int = 0
    rejected: int = 0
    duplicates: int = 0
    rejects: list[Reject] = field(default_factory=list)
    repeats: list[Reject] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)
    papers_yielded: int = 0

    @property
    def built(self) -> int:
        """Distinct papers yielded."""
        return self.papers_yielded


def format_from_content(head: str) -> str | None:
    """The format a file's first characters look like, None when they fit none."""
    text = head.lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        return "arxiv_atom" if "<feed" in text else None
    if text.startswith("{"):
        return "jsonl"
    first_line = text.split("\n", 1)[0].strip()
    for delimiter, name in (("\t", "tsv"), (",", "csv")):
        columns = {cell.strip().strip('"').lower() for cell in first_line.split(delimiter)}
        if delimiter in first_line and columns & TABLE_COLUMNS and columns & {"abstract", "text"}:
            return name
    lines = [line.strip() for line in text.split("\n")]
    if any(line.casefold() in KNOWN_HEADER_LINES or DATE_LINE.match(line) for line in lines[:40]):
        return "daily_papers"
    if "" in lines and any(lines):
        return "daily_papers"
    return None


def detect_format(path: str | Path) -> str:
    """`"daily_papers"`, `"jsonl"`, `"csv"`, `"tsv"` or `"arxiv_atom"`: by extension (`.gz` looked through),
    else (for `.txt` and unknown extensions) by content; raises `SourceFormatError` when neither tells."""
    path = Path(path)
    suffix = format_suffix(path)
    if suffix in FORMAT_BY_SUFFIX:
        return FORMAT_BY_SUFFIX[suffix]
    head = read_head(path, SNIFF_BYTES).decode("utf-8", "replace")
    found = format_from_content(head)
    if found is None and suffix == ".txt" and not head.strip():
        found = "daily_papers"
    if found is None:
        raise SourceFormatError(path, f"cannot tell the format (expected {', '.join(READERS)})")
    return found


def read_file(path: Path, max_chars: int = DEFAULT_MAX_RECORD_CHARS) -> Iterator[Paper | Reject]:
    """Papers and rejects of one file, in file order, by its detected format; records over `max_chars`
    characters are rejects. Raises `SourceFormatError` when the file itself cannot be read."""
    if not path.is_file():
        raise SourceFormatError(path, "not a regular file (a pipe, socket, device or broken link): not read")
    if b"\x00" in read_head(path, SNIFF_BYTES):
        raise SourceFormatError(path, "binary data (NUL bytes), not UTF-8 text", 1)
    return READERS[detect_format(path)](path, max_chars)


def file_reject(error: SourceFormatError) -> Reject:
    """A file that cannot be read (or read on), as one reject: its name, the line it got to, why."""
    return Reject(source=error.source, line=error.line, reason=f"file not read on: {error.reason}")


def read_papers(
    paths: Iterable[str | Path],
    *,
    strict: bool = False,
    stats: ReadStats | None = None,
    max_record_chars: int = DEFAULT_MAX_RECORD_CHARS,
) -> Iterator[Paper]:
    """Distinct papers from files and directories, in input order, streamed.

    Directories are expanded (sorted, recursive, hidden files skipped; other files listed in
    `stats.skipped_files`). A malformed record, or a file that cannot be read on (unreadable, not really
    gzipped, truncated, not well-formed XML: the records before the damage are kept), goes to `stats.rejects`
    and the run goes on, or with `strict=True` raises `RejectedRecordError`. A paper whose id was seen before
    is a repeat: the first one wins, the later ones go to `stats.repeats`, saying where the first one was.
    """
    stats = stats if stats is not None else ReadStats()
    first_seen: dict[str, str] = {}

    def rejected(item: Reject) -> None:
        if strict:
            raise RejectedRecordError(item)
        stats.read += 1
        stats.rejected += 1
        stats.rejects.append(item)

    for path in expand_paths(paths, stats.skipped_files):
        stats.files.append(str(path))
        try:
            for item in read_file(path, max_record_chars):
                if (
                    isinstance(item, Paper) and len(item.text) > max_record_chars
                ):  # title and abstract together
                    item = Reject(
                        source=item.source,
                        line=item.line,
                        reason=too_long(
                            max_record_chars, f"title and abstract have {len(item.text):,} characters"
                        ),
                        record=preview(item.text),
                    )
                if isinstance(item, Reject):
                    rejected(item)
                elif item.id in first_seen:
                    stats.read += 1
                    stats.duplicates += 1
                    stats.repeats.append(repeat_of(item, first_seen[item.id]))
                else:
                    stats.read += 1
                    first_seen[item.id] = f"{item.source}:{item.line}"
                    stats.papers_yielded += 1
                    yield item
        except SourceFormatError as error:
            rejected(file_reject(error))


def repeat_of(paper: Paper, first: str) -> Reject:
    """The report line of a repeated paper: where it is, and where its id was first read."""
    return Reject(
        source=paper.source,
        line=paper.line,
        reason=f"duplicate id {paper.id}: first read at {first}; this record was not built",
        record=preview(paper.text),
    )


def write_rejects_report(rejects: Iterable[Reject], path: Path, repeats: Iterable[Reject] = ()) -> None:
    """Write rejects, then repeated records, as JSON Lines (UTF-8): each a `Reject` with `"kind"` set to
    `"reject"` or `"duplicate"`. Written to a temporary file renamed over `path`, so an interrupted run leaves
    the old report whole."""
    from paperkg.atomic import write_atomically

    lines = [
        json.dumps({"kind": kind, **item.model_dump()}, ensure_ascii=False) + "\n"
        for kind, items in (("reject", rejects), ("duplicate", repeats))
        for item in items
    ]
    write_atomically(Path(path), "".join(lines))

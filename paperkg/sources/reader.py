"""Any mix of source files → distinct `Paper`s in input order, with repeats merged and rejects counted."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from paperkg.graph.schema import Paper, Reject

from .arxiv import read_arxiv_atom
from .daily_papers import DATE_LINE, KNOWN_HEADER_LINES, read_daily_papers_dump
from .files import SourceFormatError, expand_paths, format_suffix, open_binary
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

READERS: dict[str, Callable[[Path], Iterator[Paper | Reject]]] = {
    "daily_papers": read_daily_papers_dump,
    "jsonl": read_jsonl,
    "csv": lambda path: read_delimited(path, ","),
    "tsv": lambda path: read_delimited(path, "\t"),
    "arxiv_atom": read_arxiv_atom,
}


class RejectedRecordError(ValueError):
    """Raised in strict mode for the first malformed record; the message is `FILE:LINE: reason`."""

    def __init__(self, reject: Reject) -> None:
        super().__init__(reject.message())
        self.reject = reject


@dataclass
class ReadStats:
    """Counts of one `read_papers` run: `read == built + rejected + duplicates` once it is consumed."""

    read: int = 0
    rejected: int = 0
    duplicates: int = 0
    rejects: list[Reject] = field(default_factory=list)
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
    with open_binary(path) as stream:
        head = stream.read(SNIFF_BYTES).decode("utf-8", "replace")
    found = format_from_content(head)
    if found is None and suffix == ".txt" and not head.strip():
        found = "daily_papers"
    if found is None:
        raise SourceFormatError(f"{path}: cannot tell the format (expected {', '.join(READERS)})")
    return found


def read_file(path: Path) -> Iterator[Paper | Reject]:
    """Papers and rejects of one file, in file order, by its detected format."""
    return READERS[detect_format(path)](path)


def read_papers(
    paths: Iterable[str | Path], *, strict: bool = False, stats: ReadStats | None = None
) -> Iterator[Paper]:
    """Distinct papers from files and directories, in input order, streamed.

    Directories are expanded (sorted, recursive, hidden and non-source files skipped). A malformed record goes
    to `stats.rejects` and the run goes on, or with `strict=True` raises `RejectedRecordError`. A paper whose
    id was seen before is a repeat: the first one wins, the later ones are counted in `stats.duplicates`.
    """
    stats = stats if stats is not None else ReadStats()
    seen: set[str] = set()
    for path in expand_paths(paths, stats.skipped_files):
        stats.files.append(str(path))
        for item in read_file(path):
            stats.read += 1
            if isinstance(item, Reject):
                if strict:
                    raise RejectedRecordError(item)
                stats.rejected += 1
                stats.rejects.append(item)
            elif item.id in seen:
                stats.duplicates += 1
            else:
                seen.add(item.id)
                stats.papers_yielded += 1
                yield item


def write_rejects_report(rejects: Iterable[Reject], path: Path) -> None:
    """Write rejects as JSON Lines, one `Reject` a line (UTF-8)."""
    with Path(path).open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(reject.model_dump(), ensure_ascii=False) + "\n" for reject in rejects)

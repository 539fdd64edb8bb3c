"""Opening source files: directories expanded, gzip read transparently, UTF-8 decoded line by line.

Decoding each line on its own means one bad byte costs one record, not the whole file.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

SOURCE_SUFFIXES = (".txt", ".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".tab", ".xml", ".atom")
"""Extensions a directory is searched for (each also with `.gz`); other files in a directory are skipped."""

RECORD_PREVIEW_CHARS = 300


class SourceFormatError(ValueError):
    """A whole file cannot be read: unknown format, not well-formed XML, missing CSV header, …"""


class NumberedLine(NamedTuple):
    """One line of a file, without its line ending; `decode_error` is set when it is not valid UTF-8.

    Undecodable bytes survive in `text` as lone surrogates (`surrogateescape`), so nothing is lost.
    """

    number: int
    text: str
    decode_error: str | None = None


def open_binary(path: Path) -> BinaryIO:
    """The file's bytes, gunzipped when the name ends in `.gz`."""
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def format_suffix(path: Path) -> str:
    """The extension that names the format: `papers.jsonl.gz` → `.jsonl`."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def numbered_lines(path: Path) -> Iterator[NumberedLine]:
    """Lines of a UTF-8 file (1-based numbers), each decoded on its own; a leading BOM is dropped."""
    with open_binary(path) as stream:
        for number, raw in enumerate(stream, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            raw = raw.rstrip(b"\r\n")
            try:
                yield NumberedLine(number, raw.decode("utf-8"))
            except UnicodeDecodeError as error:
                yield NumberedLine(
                    number, raw.decode("utf-8", "surrogateescape"), f"undecodable bytes: {error}"
                )


def preview(record: str) -> str:
    """A raw record cut to a readable length for reject reports; undecodable bytes shown escaped."""
    text = record.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text if len(text) <= RECORD_PREVIEW_CHARS else text[:RECORD_PREVIEW_CHARS] + "…"


def is_hidden(path: Path, root: Path) -> bool:
    """True when any part of `path` below `root` starts with a dot."""
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def is_source_file_name(path: Path) -> bool:
    """True for the extensions a directory is searched for."""
    return format_suffix(path) in SOURCE_SUFFIXES


def expand_paths(paths: Iterable[str | Path], skipped: list[str] | None = None) -> Iterator[Path]:
    """Files named in `paths`, directories replaced by their source files (sorted, recursive, no hidden files).

    Files in a directory whose extension is not a source extension (a README.md, say) are listed in `skipped`;
    files named explicitly are always kept, and their format is told from their content if need be.
    """
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            if not path.exists():
                raise FileNotFoundError(f"{path}: no such file or directory")
            yield path
            continue
        for child in sorted(p for p in path.rglob("*") if p.is_file() and not is_hidden(p, path)):
            if is_source_file_name(child):
                yield child
            elif skipped is not None:
                skipped.append(str(child))

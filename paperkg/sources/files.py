"""Opening source files: directories expanded, gzip/bzip2/xz read transparently, UTF-8 decoded line by line.

Decoding each line on its own means one bad byte costs one record, not the whole file. Lines are read with a
length cap (`max_record_chars`), so a huge record or a decompression bomb costs one reject, not the memory: the
rest of an overlong line is read and dropped in pieces. A file that cannot be read at all (unreadable, not really
compressed, truncated) raises `SourceFormatError` naming the file and the line it got to.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

SOURCE_SUFFIXES = (".txt", ".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".tab", ".xml", ".atom")
"""Extensions a directory is searched for (each also compressed); other files in a directory are reported as
skipped."""
OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open, ".lzma": lzma.open}
"""Compression suffixes read transparently (streamed: a file is never decompressed whole)."""

DEFAULT_MAX_RECORD_CHARS = 100_000
"""Longest record read by default; a longer one is a reject (`--max-record-chars`)."""
RECORD_PREVIEW_CHARS = 300
READ_PIECE_BYTES = 64 * 1024
UNREADABLE = (OSError, EOFError, zlib.error, lzma.LZMAError)
"""What reading a damaged or unreadable file raises: bad or truncated gzip/bzip2/xz data, permissions, …"""


class SourceFormatError(ValueError):
    """A whole file cannot be read (unknown format, not well-formed XML, no CSV header, unreadable, …).

    The message is `FILE:LINE: reason` (or `FILE: reason`); the parts are kept as `source`, `line`, `reason`.
    """

    def __init__(self, path: str | Path, reason: str, line: int | None = None) -> None:
        self.source, self.reason, self.line = str(path), reason, line
        super().__init__(f"{path}:{line}: {reason}" if line is not None else f"{path}: {reason}")


class NumberedLine(NamedTuple):
    """One line of a file, without its line ending; `problem` is set when it is not valid UTF-8 or too long.

    Undecodable bytes survive in `text` as lone surrogates (`surrogateescape`), so nothing is lost; the text of
    an overlong line (`cut`) is only its start, for the reject report.
    """

    number: int
    text: str
    problem: str | None = None
    cut: bool = False


def describe_read_error(error: BaseException) -> str:
    """What went wrong reading a file, in one line: `unreadable (Not a gzipped file (b'no'))`."""
    if isinstance(error, OSError) and error.strerror:
        return f"unreadable ({error.strerror})"
    if isinstance(error, EOFError):
        return f"truncated ({error})"
    return f"unreadable ({' '.join(str(error).split()) or type(error).__name__})"


def open_binary(path: Path) -> BinaryIO:
    """The file's bytes, decompressed when the name ends in `.gz`, `.bz2`, `.xz` or `.lzma`."""
    opener = OPENERS.get(path.suffix.lower())
    try:
        return opener(path, "rb") if opener else path.open("rb")  # type: ignore[return-value]
    except UNREADABLE as error:
        raise SourceFormatError(path, describe_read_error(error)) from None


def read_head(path: Path, size: int) -> bytes:
    """Up to the first `size` bytes (decompressed), for telling a format by its content; a file damaged later
    (a truncated .gz) gives what comes before the damage, which its reader reports at the right line."""
    head = b""
    with open_binary(path) as stream:
        try:
            while len(head) < size and (piece := stream.read1(min(READ_PIECE_BYTES, size - len(head)))):
                head += piece
        except UNREADABLE as error:
            if not head:
                raise SourceFormatError(path, describe_read_error(error), 1) from None
    return head


def format_suffix(path: Path) -> str:
    """The extension that names the format: `papers.jsonl.gz` → `.jsonl`."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in OPENERS:
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def bounded_lines(path: Path, max_bytes: int) -> Iterator[tuple[int, bytes, int]]:
    """`(number, line, length)` for each line of a file, without its ending; a line longer than `max_bytes`
    gives only its first `max_bytes` bytes (the rest is read and dropped) and its full `length`."""
    with open_binary(path) as stream:
        number = 0
        try:
            while raw := stream.readline(max_bytes + 1):
                number += 1
                length = len(raw)
                if len(raw) > max_bytes and not raw.endswith(b"\n"):
                    while piece := stream.readline(READ_PIECE_BYTES):
                        length += len(piece)
                        if piece.endswith(b"\n"):
                            break
                yield number, raw[:max_bytes].rstrip(b"\r\n"), length
        except UNREADABLE as error:
            raise SourceFormatError(path, describe_read_error(error), number + 1) from None


def numbered_lines(path: Path, max_chars: int = DEFAULT_MAX_RECORD_CHARS) -> Iterator[NumberedLine]:
    """Lines of a UTF-8 file (1-based numbers), each decoded on its own; a leading BOM is dropped.

    A line over `max_chars` characters comes with a `problem` and only its start as `text`."""
    max_bytes = 4 * max_chars + 2  # UTF-8 takes at most 4 bytes a character, plus a CR LF ending
    for number, raw, length in bounded_lines(path, max_bytes):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text, problem = raw.decode("utf-8"), None
        except UnicodeDecodeError as error:
            text, problem = raw.decode("utf-8", "surrogateescape"), f"undecodable bytes: {error}"
        if length > max_bytes or len(text) > max_chars:
            problem = too_long(max_chars, f"line has {length:,} bytes")
            yield NumberedLine(number, text[: RECORD_PREVIEW_CHARS * 2], problem, cut=True)
        else:
            yield NumberedLine(number, text, problem)


def too_long(max_chars: int, detail: str) -> str:
    """The reject reason of a record over the cap."""
    return f"record too long: over {max_chars:,} characters ({detail}; see --max-record-chars)"


def preview(record: str) -> str:
    """A raw record cut to a readable length for reject reports; undecodable bytes and lone surrogates shown
    escaped (`\\xff`, `\\ud800`)."""
    text = record[: RECORD_PREVIEW_CHARS + 1]
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte: from a JSON "\\ud800", say
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
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
        for child in sorted(p for p in path.rglob("*") if not p.is_dir() and not is_hidden(p, path)):
            if is_source_file_name(child):
                yield child
            elif skipped is not None:
                skipped.append(str(child))

"""arXiv sources: the metadata snapshot (Kaggle `arxiv-metadata-oai-snapshot.json`) and API Atom feeds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from paperkg.graph.schema import Paper, Reject, normalize_arxiv_id

from .files import (
    DEFAULT_MAX_RECORD_CHARS,
    READ_PIECE_BYTES,
    UNREADABLE,
    SourceFormatError,
    describe_read_error,
    open_binary,
    preview,
    too_long,
)
from .record_fields import (
    build_paper,
    collapse_whitespace,
    optional_text,
    split_authors,
    split_categories,
    wrong_field_type,
)

ATOM = "{http://www.w3.org/2005/Atom}"
SNAPSHOT_ONLY_FIELDS = frozenset({"versions", "update_date", "authors_parsed", "submitter", "journal-ref"})


def is_snapshot_record(record: Mapping[str, Any]) -> bool:
    """True for an arXiv metadata snapshot record: an `id` plus snapshot-only fields like `versions`."""
    return "id" in record and not SNAPSHOT_ONLY_FIELDS.isdisjoint(record)


def snapshot_authors(record: Mapping[str, Any]) -> tuple[str, ...]:
    """Authors from `authors_parsed` ([last, first, suffix] triples) when present, else the `authors` string."""
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed and all(isinstance(a, list) and a for a in parsed):
        names = (" ".join(p for p in (*a[1:2], a[0], *a[2:3]) if p) for a in parsed)
        return tuple(collapse_whitespace(n) for n in names if n.strip())
    return split_authors(record.get("authors"))


def paper_from_snapshot_record(record: Mapping[str, Any], source: str, line: int, raw: str) -> Paper | Reject:
    """A Paper from one snapshot record; wrapped titles and abstracts get their whitespace collapsed."""
    if wrong := wrong_field_type(record):
        return Reject(
            source=source, line=line, reason=f"{wrong} in arXiv snapshot record", record=preview(raw)
        )
    source_id = None if record.get("id") is None else str(record["id"])
    arxiv_id = normalize_arxiv_id(source_id or "")
    title = collapse_whitespace(str(record.get("title") or ""))
    abstract = collapse_whitespace(str(record.get("abstract") or ""))
    problems = {
        "missing arXiv id": not arxiv_id,
        "empty title": not title,
        "missing abstract": "abstract" not in record,
        "empty abstract": not abstract,
    }
    if reason := next((problem for problem, found in problems.items() if found), None):
        return Reject(
            source=source, line=line, reason=f"{reason} in arXiv snapshot record", record=preview(raw)
        )
    return build_paper(
        source,
        line,
        raw,
        id=arxiv_id,
        title=title,
        abstract=abstract,
        source_id=source_id,
        url=f"https://arxiv.org/abs/{arxiv_id}",
        date=optional_text(record, "update_date"),
        authors=snapshot_authors(record),
        categories=split_categories(record.get("categories")),
    )


def entry_text(entry: ET.Element, tag: str) -> str:
    """Whitespace-collapsed text of an Atom child element, "" when absent."""
    child = entry.find(f"{ATOM}{tag}")
    return "" if child is None else collapse_whitespace("".join(child.itertext()))


def paper_from_atom_entry(entry: ET.Element, source: str, line: int) -> Paper | Reject:
    """A Paper from one `<entry>` of an arXiv API feed; no arXiv id, title or summary makes it a reject."""
    raw = ET.tostring(entry, encoding="unicode")
    entry_id = entry_text(entry, "id")
    arxiv_id = normalize_arxiv_id(entry_id)
    title = entry_text(entry, "title")
    summary = entry_text(entry, "summary")
    problems = {
        f"malformed entry: id {entry_id!r} is not an arXiv id": not arxiv_id,
        "malformed entry: no title": not title,
        "malformed entry: no summary (abstract)": not summary,
    }
    if reason := next((problem for problem, found in problems.items() if found), None):
        return Reject(source=source, line=line, reason=reason, record=preview(raw))
    published = entry_text(entry, "published")
    return build_paper(
        source,
        line,
        raw,
        id=arxiv_id,
        title=title,
        abstract=summary,
        source_id=entry_id,
        url=entry_id,
        date=published[:10] or None,
        authors=tuple(n for n in (entry_text(a, "name") for a in entry.findall(f"{ATOM}author")) if n),
        categories=tuple(
            dict.fromkeys(term for c in entry.findall(f"{ATOM}category") if (term := c.get("term")))
        ),
    )


class EntryBuilder(ET.TreeBuilder):
    """A tree builder that records start/end events and keeps at most `max_chars` of text per `<entry>`, so
    one huge entry costs a reject, not the memory (`overflow` says the current entry went over)."""

    def __init__(self, max_chars: int) -> None:
        super().__init__()
        self.max_chars = max_chars
        self.events: list[tuple[str, ET.Element]] = []
        self.entry_chars = 0
        self.overflow = False

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        if tag == f"{ATOM}entry":
            self.entry_chars, self.overflow = 0, False
        self.events.append(("start", element))
        return element

    def end(self, tag):
        element = super().end(tag)
        self.events.append(("end", element))
        return element

    def data(self, data: str) -> None:
        self.entry_chars += len(data)
        if self.entry_chars > self.max_chars:
            self.overflow = True
            return
        super().data(data)

    def take_events(self) -> list[tuple[str, ET.Element]]:
        events, self.events = self.events, []
        return events


def read_arxiv_atom(path: Path, max_chars: int = DEFAULT_MAX_RECORD_CHARS) -> Iterator[Paper | Reject]:
    """Papers and rejects from an arXiv API Atom feed, streamed one `<entry>` at a time.

    The parser is fed pieces of lines so each entry's starting line is known for rejects; finished entries
    are removed from the tree, and an entry with over `max_chars` characters of text is a reject (its text
    beyond the cap is never kept). A file that is not well-formed XML (truncated, empty, say) raises
    `SourceFormatError` naming the file and line, after the entries before the damage.
    """
    builder = EntryBuilder(max_chars)
    parser = ET.XMLParser(target=builder)
    stack: list[ET.Element] = []
    entry_line = 0
    number = 1
    blank = True
    with open_binary(path) as stream:
        while True:
            try:
                piece = stream.readline(READ_PIECE_BYTES)
            except UNREADABLE as error:
                raise SourceFormatError(path, describe_read_error(error), number) from None
            if not piece:
                break
            blank = blank and not piece.strip()
            try:
                parser.feed(piece)
            except ET.ParseError as error:
                raise SourceFormatError(path, f"not well-formed XML: {error}", number) from None
            for event, element in builder.take_events():
                if event == "start":
                    if not stack and element.tag != f"{ATOM}feed":
                        raise SourceFormatError(path, f"not an Atom feed (root is <{element.tag}>)", number)
                    stack.append(element)
                    if element.tag == f"{ATOM}entry":
                        entry_line = number
                    continue
                stack.pop()
                if element.tag == f"{ATOM}entry":
                    if builder.overflow:
                        reason = too_long(max_chars, f"entry has {builder.entry_chars:,} characters of text")
                        yield Reject(source=str(path), line=entry_line, reason=reason, record="")
                    else:
                        yield paper_from_atom_entry(element, str(path), entry_line)
                    if stack:
                        stack[-1].remove(element)
            if piece.endswith(b"\n"):
                number += 1
    try:
        parser.close()
    except ET.ParseError as error:
        reason = "empty file, not an Atom feed" if blank else f"not well-formed XML (truncated?): {error}"
        raise SourceFormatError(path, reason, number) from None

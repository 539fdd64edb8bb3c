"""arXiv sources: the metadata snapshot (Kaggle `arxiv-metadata-oai-snapshot.json`) and API Atom feeds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from paperkg.graph.schema import Paper, Reject, normalize_arxiv_id

from .files import SourceFormatError, open_binary, preview
from .record_fields import build_paper, collapse_whitespace, optional_text, split_authors, split_categories

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


def read_arxiv_atom(path: Path) -> Iterator[Paper | Reject]:
    """Papers and rejects from an arXiv API Atom feed, streamed one `<entry>` at a time.

    `ET.XMLPullParser` (the engine under `ET.iterparse`) is fed line by line so each entry's starting line is
    known for rejects; finished entries are removed from the tree. A file that is not well-formed XML (truncated,
    say) raises `SourceFormatError` naming the file and line, after the entries before the damage.
    """
    parser = ET.XMLPullParser(events=("start", "end"))
    stack: list[ET.Element] = []
    entry_line = 0
    with open_binary(path) as stream:
        number = 0
        for number, chunk in enumerate(stream, start=1):
            try:
                parser.feed(chunk)
                events = list(parser.read_events())
            except ET.ParseError as error:
                raise SourceFormatError(f"{path}:{number}: not well-formed XML: {error}") from None
            for event, element in events:
                if event == "start":
                    if not stack and element.tag != f"{ATOM}feed":
                        raise SourceFormatError(
                            f"{path}:{number}: not an Atom feed (root is <{element.tag}>)"
                        )
                    stack.append(element)
                    if element.tag == f"{ATOM}entry":
                        entry_line = number
                    continue
                stack.pop()
                if element.tag == f"{ATOM}entry":
                    yield paper_from_atom_entry(element, str(path), entry_line)
                    if stack:
                        stack[-1].remove(element)
        try:
            parser.close()
        except ET.ParseError as error:
            raise SourceFormatError(f"{path}:{number}: not well-formed XML (truncated?): {error}") from None
    if number == 0:
        raise SourceFormatError(f"{path}: empty file, not an Atom feed")

"""A record's fields (a JSON object or a CSV row) → a `Paper`, or a `Reject` saying what is missing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from paperkg.graph.schema import Paper, Reject, normalize_arxiv_id, paper_id_for

from .files import preview

_AUTHOR_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s*;\s*|\s+and\s+")
_CATEGORY_SEPARATOR = re.compile(r"[\s,;]+")


def collapse_whitespace(text: str) -> str:
    """Runs of spaces and newlines → one space, ends trimmed (arXiv titles and abstracts are hard-wrapped)."""
    return " ".join(text.split())


def split_authors(authors: Any) -> tuple[str, ...]:
    """`"A, B and C"` or `["A", "B"]` → `("A", "B", "C")`."""
    if not authors:
        return ()
    names = authors if isinstance(authors, list) else _AUTHOR_SEPARATOR.split(str(authors))
    return tuple(name for name in (collapse_whitespace(str(n)) for n in names) if name)


def split_categories(categories: Any) -> tuple[str, ...]:
    """`"cs.CL cs.LG"` or `["cs.CL", "cs.LG"]` → `("cs.CL", "cs.LG")`."""
    if not categories:
        return ()
    items = categories if isinstance(categories, list) else _CATEGORY_SEPARATOR.split(str(categories))
    return tuple(c for c in (str(item).strip() for item in items) if c)


def paper_id_from(record_id: str | None, title: str, text: str) -> str:
    """The normalized arXiv id when `record_id` is one, else `record_id` itself, else a hash of title (or text)."""
    if record_id:
        return normalize_arxiv_id(record_id) or record_id
    return paper_id_for(title or text)


def optional_text(record: Mapping[str, Any], key: str) -> str | None:
    """A field as a stripped string, None when absent or blank."""
    value = record.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def build_paper(source: str, line: int, raw: str, **fields: Any) -> Paper | Reject:
    """`Paper(**fields)`, or a `Reject` carrying pydantic's complaint."""
    try:
        return Paper(source=source, line=line, **fields)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        return Reject(source=source, line=line, reason=f"invalid paper: {problems}", record=preview(raw))


def paper_from_fields(record: Mapping[str, Any], source: str, line: int, raw: str) -> Paper | Reject:
    """A Paper from `id`/`title`/`abstract` or `id`/`text` fields (plus optional url, date, authors, categories).

    A record with `text` and no `abstract` keeps `text` exactly as the abstract, so `Paper.text == text` when it
    has no title. Rejected: no abstract or text, a blank abstract, a blank title with no text.
    """

    def reject(reason: str) -> Reject:
        return Reject(source=source, line=line, reason=reason, record=preview(raw))

    title = collapse_whitespace(str(record.get("title") or ""))
    if "abstract" in record:
        abstract = str(record["abstract"] or "").strip()
        if not abstract:
            return reject("empty abstract")
    elif "text" in record:
        abstract = "" if record["text"] is None else str(record["text"])
        if not abstract.strip():
            return reject("empty text" if title else "empty title and text")
    elif "title" in record and not title:
        return reject("empty title and no abstract or text")
    else:
        return reject("missing abstract (no 'abstract' or 'text' field)")
    if "title" in record and not title and "abstract" in record:
        return reject("empty title")
    record_id = optional_text(record, "id")
    return build_paper(
        source,
        line,
        raw,
        id=paper_id_from(record_id, title, abstract),
        title=title,
        abstract=abstract,
        source_id=None if record.get("id") is None else str(record["id"]),
        url=optional_text(record, "url"),
        date=optional_text(record, "date"),
        authors=split_authors(record.get("authors")),
        categories=split_categories(record.get("categories")),
    )

"""A record's fields (a JSON object or a CSV row) → a `Paper`, or a `Reject` saying what is missing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from paperkg.graph.schema import Paper, Reject, normalize_arxiv_id, normalize_title, paper_id_for

from .files import preview

_AUTHOR_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s*;\s*|\s+and\s+")
_CATEGORY_SEPARATOR = re.compile(r"[\s,;]+")
TEXT_FIELDS = ("title", "abstract", "text", "url", "date", "update_date")
"""Fields that must be strings (or null) when present: a number or a list there is a reject, never its repr."""
LIST_FIELDS = ("authors", "categories")
"""Fields that may be a string or a list of strings."""


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
    """The normalized arXiv id when `record_id` is one, else `record_id` itself, else a hash of the title; a
    title with no letters or digits (only emoji, say) would hash like every other such title, so then the hash
    is of the title and the text together."""
    if record_id:
        return normalize_arxiv_id(record_id) or record_id
    if normalize_title(title):
        return paper_id_for(title)
    return paper_id_for(f"{title}\n\n{text}")


def type_name(value: Any) -> str:
    """`number 123`, `list`, `object`: what a JSON value is, for a reject reason."""
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"number {value!r}"
    return {"list": "list", "dict": "object"}.get(type(value).__name__, type(value).__name__)


def wrong_field_type(record: Mapping[str, Any]) -> str | None:
    """Why a record's fields have the wrong JSON types, None when they are fine: text fields are strings or null,
    `id` a string or an integer, `authors` and `categories` a string or a list of strings."""
    for key in TEXT_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return f"field {key!r} must be a string, got {type_name(value)}"
    record_id = record.get("id")
    if record_id is not None and (isinstance(record_id, bool) or not isinstance(record_id, str | int)):
        return f"field 'id' must be a string or an integer, got {type_name(record_id)}"
    for key in LIST_FIELDS:
        value = record.get(key)
        if isinstance(value, list):
            if not all(isinstance(item, str) for item in value):
                return f"field {key!r} must be a string or a list of strings"
        elif value is not None and not isinstance(value, str):
            return f"field {key!r} must be a string or a list of strings, got {type_name(value)}"
    return None


def lone_surrogate_field(fields: Mapping[str, Any]) -> str | None:
    """The first field holding a lone surrogate (a JSON `"\\ud800"`: no character, cannot be written as
    UTF-8), None when there is none."""
    for key, value in fields.items():
        texts = value if isinstance(value, tuple | list) else (value,)
        for text in texts:
            if isinstance(text, str):
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    return key
    return None


def optional_text(record: Mapping[str, Any], key: str) -> str | None:
    """A field as a stripped string, None when absent or blank."""
    value = record.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def build_paper(source: str, line: int, raw: str, **fields: Any) -> Paper | Reject:
    """`Paper(**fields)`, or a `Reject` carrying pydantic's complaint or naming a field with a lone surrogate."""
    if bad := lone_surrogate_field(fields):
        return Reject(
            source=source, line=line, reason=f"invalid text: lone surrogate in {bad}", record=preview(raw)
        )
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

    if wrong := wrong_field_type(record):
        return reject(wrong)
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

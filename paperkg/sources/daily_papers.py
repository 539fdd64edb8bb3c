"""Hugging Face Daily Papers page dumps: a page header, then blank-line-separated title / abstract paragraphs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from paperkg.graph.schema import Paper, Reject

from .files import DEFAULT_MAX_RECORD_CHARS, numbered_lines, preview, too_long
from .record_fields import build_paper, collapse_whitespace, paper_id_from

DATE_LINE = re.compile(
    r"^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?$",
    re.IGNORECASE,
)
KNOWN_HEADER_LINES = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "daily papers",
        "byak and the research community",
        "trending papers",
    }
)
HEADER_SEARCH_PARAGRAPHS = 12
"""How many leading paragraphs may hold the header; the date line that ends it must be among them."""
MAX_TITLE_CHARS = 300


class Paragraph(NamedTuple):
    """Consecutive non-blank lines; `line` is the first one's number, `problem` the first bad line's
    (undecodable, or the paragraph over the record cap, when its lines beyond the cap are dropped)."""

    line: int
    lines: tuple[str, ...]
    problem: str | None

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


def paragraphs(path: Path, max_chars: int = DEFAULT_MAX_RECORD_CHARS) -> Iterator[Paragraph]:
    """The file's blank-line-separated paragraphs, with line numbers and problems; a paragraph keeps at most
    `max_chars` characters (past that it is marked too long and the rest of its lines is dropped)."""
    start, lines, error, size = 0, [], None, 0
    for line in numbered_lines(path, max_chars):
        if line.text.strip():
            if not lines:
                start = line.number
            size += len(line.text) + 1
            if size > max_chars and error is None:
                error = too_long(max_chars, f"paragraph from line {start} runs past line {line.number}")
            if size <= max_chars or not lines:
                lines.append(line.text.strip())
            if line.problem and error is None:
                error = f"{line.problem} (line {line.number})"
        elif lines:
            yield Paragraph(start, tuple(lines), error)
            start, lines, error, size = 0, [], None, 0
    if lines:
        yield Paragraph(start, tuple(lines), error)


def is_date_line(paragraph: Paragraph) -> bool:
    """True for the page's date line ("Mar 14"), which ends the header."""
    return len(paragraph.lines) == 1 and DATE_LINE.match(paragraph.lines[0]) is not None


def is_header_line(paragraph: Paragraph) -> bool:
    """True for a known line of the page chrome ("Subscribe", "byAK and the research community", …)."""
    return len(paragraph.lines) == 1 and paragraph.lines[0].casefold() in KNOWN_HEADER_LINES


def looks_like_title(paragraph: Paragraph) -> bool:
    """One short line not ending in a full stop: shaped like a title rather than an abstract."""
    text = paragraph.text
    return len(paragraph.lines) == 1 and len(text) <= MAX_TITLE_CHARS and not text.endswith(".")


def body_paragraphs(path: Path, max_chars: int) -> Iterator[Paragraph]:
    """Paragraphs after the header: after the date line if one is among the first few, else after known lines."""
    stream = paragraphs(path, max_chars)
    head: list[Paragraph] = []
    for paragraph in stream:
        head.append(paragraph)
        if is_date_line(paragraph) or len(head) >= HEADER_SEARCH_PARAGRAPHS:
            break
    if head and is_date_line(head[-1]):
        head = []
    else:
        while head and is_header_line(head[0]):
            head.pop(0)
    yield from head
    yield from stream


def read_daily_papers_dump(path: Path, max_chars: int = DEFAULT_MAX_RECORD_CHARS) -> Iterator[Paper | Reject]:
    """Papers and rejects from a Daily Papers page dump; each record's line is its title's line.

    A title with no abstract is a reject: at the end of the file, or when the paragraph after it is itself
    title-shaped and followed by an abstract-shaped one (so the title must have lost its abstract). Lines of one
    paragraph that are all title-shaped but the last are titles that lost their abstracts, too.
    """
    source = str(path)
    pending: list[Paragraph] = []
    body = body_paragraphs(path, max_chars)

    def reject(paragraph: Paragraph, reason: str) -> Reject:
        return Reject(source=source, line=paragraph.line, reason=reason, record=preview(paragraph.text))

    def take(count: int) -> None:
        while len(pending) < count and (paragraph := next(body, None)) is not None:
            pending.append(paragraph)

    while True:
        take(1)
        if not pending:
            return
        title = pending.pop(0)
        if len(title.lines) > 1 and all(
            looks_like_title(Paragraph(0, (line,), None)) for line in title.lines
        ):
            for offset, line in enumerate(title.lines[:-1]):
                yield reject(Paragraph(title.line + offset, (line,), None), "title without an abstract")
            title = Paragraph(title.line + len(title.lines) - 1, title.lines[-1:], title.problem)
        take(2)
        if not pending:
            yield reject(title, "title without an abstract (end of file)")
            continue
        abstract = pending[0]
        if looks_like_title(abstract) and (len(pending) == 1 or not looks_like_title(pending[1])):
            yield reject(title, "title without an abstract (next paragraph is another title)")
            continue
        pending.pop(0)
        record = f"{title.text}\n\n{abstract.text}"
        if title.problem or abstract.problem:
            yield reject(title, title.problem or abstract.problem or "")
            continue
        title_text = collapse_whitespace(title.text)
        yield build_paper(
            source,
            title.line,
            record,
            id=paper_id_from(None, title_text, abstract.text),
            title=title_text,
            abstract=abstract.text,
        )

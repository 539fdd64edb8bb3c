"""In-memory index of papers for reading a paper argument: an id (arXiv id in any form, or `t-…`) or a title.

Built once from the `paper_catalogue` rows of any backend. As with entities, a near title is a suggestion,
not an answer, unless it is the same title up to a small typo and no number differs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel
from rapidfuzz import fuzz, process

from paperkg.graph.schema import normalize_arxiv_id, normalize_title
from paperkg.queries.entity_index import FUZZY_MATCH_SCORE_UNCASED, SUGGESTION_SCORE
from paperkg.queries.lazy_rows import LazyRows
from paperkg.queries.results import PaperRef

_NUMBER = re.compile(r"\d+")


def _numbers(title: str) -> list[str]:
    """The numbers of a title, in order ("Llama 2" and "Llama 3" differ in them)."""
    return _NUMBER.findall(normalize_title(title))


PaperMatchKind = Literal["id", "title", "short title", "fuzzy"]


def short_title(title: str) -> str:
    """The name a paper goes by: its title before a colon ("Llama 2" for "Llama 2: Open Foundation and …")."""
    head, colon, _ = title.partition(":")
    return head.strip() if colon and head.strip() else ""


class PaperMatch(BaseModel):
    """A paper found for a query, how (`match`), and how closely (0–100)."""

    paper: PaperRef
    match: PaperMatchKind
    score: float = 100.0


class PaperLookup(BaseModel):
    """What a paper lookup found: `matches` best first, or `suggestions` (near titles) when nothing matched."""

    query: str
    matches: list[PaperMatch] = []
    suggestions: list[PaperMatch] = []

    @property
    def best(self) -> PaperRef | None:
        """The paper meant, when only one is: by id, whole title, short title or a title with a small typo."""
        if len(self.matches) == 1 or (self.matches and self.matches[0].match == "id"):
            return self.matches[0].paper
        return None


class PaperIndex:
    """Papers by id, by normalized title and short title, and fuzzy by normalized title."""

    def __init__(self, papers: Iterable[PaperRef]) -> None:
        self.by_id: LazyRows[PaperRef] = LazyRows(PaperRef)
        self._titles: dict[str, list[str]] = defaultdict(list)
        self._short_titles: dict[str, list[str]] = defaultdict(list)
        for paper in papers:
            self.by_id.add(paper)
            if key := normalize_title(paper.title):
                self._titles[key].append(paper.id)
            if short := normalize_title(short_title(paper.title)):
                self._short_titles[short].append(paper.id)
        self._title_keys = list(self._titles)

    def __len__(self) -> int:
        return len(self.by_id)

    def lookup(self, text: str, *, limit: int = 5) -> PaperLookup:
        """An id (`2307.09288`, `arXiv:2307.09288v2`, `t-…`), else the whole title (any case or punctuation),
        else the short title before a colon ("Llama 2"), else a title one small typo away with the same
        numbers; otherwise titles that start with the text or come close are `suggestions`."""
        text = text.strip()
        paper_id = text if text in self.by_id else normalize_arxiv_id(text)
        if paper_id in self.by_id:
            return PaperLookup(query=text, matches=[PaperMatch(paper=self.by_id[paper_id], match="id")])
        key = normalize_title(text)
        if not key:
            return PaperLookup(query=text)
        for table, kind in ((self._titles, "title"), (self._short_titles, "short title")):
            if key in table:
                return PaperLookup(query=text, matches=self._matches(table[key], kind))
        hits = process.extract(
            key, self._title_keys, scorer=fuzz.ratio, limit=limit, score_cutoff=SUGGESTION_SCORE
        )
        near = [
            PaperMatch(paper=self.by_id[paper_id], match="fuzzy", score=score)
            for title, score, _ in hits
            for paper_id in self._titles[title]
        ]
        answers = [
            m
            for m in near
            if m.score >= FUZZY_MATCH_SCORE_UNCASED and _numbers(key) == _numbers(m.paper.title)
        ]
        if answers:
            return PaperLookup(query=text, matches=answers[:1])
        starts = [k for k in self._title_keys if k.startswith(key)][:limit]
        suggestions = self._matches((i for k in starts for i in self._titles[k]), "fuzzy") + near
        unique = {m.paper.id: m for m in reversed(suggestions)}
        return PaperLookup(
            query=text, suggestions=[unique[m.paper.id] for m in suggestions if m.paper.id in unique][:limit]
        )

    def _matches(self, ids: Iterable[str], kind: PaperMatchKind) -> list[PaperMatch]:
        papers = sorted((self.by_id[i] for i in ids), key=lambda p: (p.date or "", p.id), reverse=True)
        return [PaperMatch(paper=paper, match=kind) for paper in papers]

"""In-memory index of entity spellings: exact, alias and spelling-insensitive lookups in O(1), fuzzy ones
with rapidfuzz over the same keys.

Built once from the `entity_catalogue` rows of any backend, so lookups behave the same everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel
from rapidfuzz import fuzz, process

from paperkg.graph.schema import EntityType, entity_key
from paperkg.queries.results import EntityRow

MatchKind = Literal["id", "name", "alias", "fuzzy"]
FUZZY_MATCH_SCORE = 85.0
SUGGESTION_SCORE = 60.0
_RANK: dict[str, int] = {"id": 0, "name": 1, "alias": 2, "fuzzy": 3}


class EntityMatch(BaseModel):
    """An entity found for a query, how (`match`), through which spelling, and how closely (0–100)."""

    entity: EntityRow
    match: MatchKind
    spelling: str
    score: float = 100.0


class LookupResult(BaseModel):
    """What a lookup found; `suggestions` (close spellings) are filled only when nothing matched."""

    query: str
    matches: list[EntityMatch] = []
    suggestions: list[EntityMatch] = []

    @property
    def found(self) -> bool:
        return bool(self.matches)

    @property
    def best(self) -> EntityRow | None:
        return self.matches[0].entity if self.matches else None


class _FuzzyChoices:
    """Keys for rapidfuzz, each with the (entity id, spelling) pairs that produce it."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.owners: list[list[tuple[str, str]]] = []
        self._position: dict[str, int] = {}

    def add(self, key: str, entity_id: str, spelling: str) -> None:
        if key not in self._position:
            self._position[key] = len(self.keys)
            self.keys.append(key)
            self.owners.append([])
        self.owners[self._position[key]].append((entity_id, spelling))


class EntityIndex:
    """Entities by id, by `entity_key` of their name and of each alias, and fuzzy by key."""

    def __init__(self, entities: Iterable[EntityRow]) -> None:
        self.by_id: dict[str, EntityRow] = {}
        self._names: dict[str, list[str]] = defaultdict(list)
        self._aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._fuzzy: dict[EntityType | None, _FuzzyChoices] = defaultdict(_FuzzyChoices)
        for entity in entities:
            self._add(entity)

    def _add(self, entity: EntityRow) -> None:
        self.by_id[entity.id] = entity
        key = entity_key(entity.name)
        self._names[key].append(entity.id)
        spellings = [(key, entity.name)]
        for alias in entity.aliases:
            alias_key = entity_key(alias)
            if alias_key != key:
                self._aliases[alias_key].append((entity.id, alias))
                spellings.append((alias_key, alias))
        for spelling_key, spelling in spellings:
            for bucket in (None, entity.type):
                self._fuzzy[bucket].add(spelling_key, entity.id, spelling)

    def __len__(self) -> int:
        return len(self.by_id)

    def lookup(self, name: str, type: EntityType | str | None = None, *, limit: int = 5) -> LookupResult:
        """Id, then canonical name or alias by `entity_key` (gpt4 → GPT-4), then fuzzy; best first.

        When nothing matches, up to `limit` close spellings come back as `suggestions`.
        """
        wanted = EntityType.from_label(type) if isinstance(type, str) else type
        exact = self._exact(name, wanted)
        if exact:
            return LookupResult(query=name, matches=exact)
        scored = self._fuzzy_scores(name, wanted, limit)
        return LookupResult(
            query=name,
            matches=[m for m in scored if m.score >= FUZZY_MATCH_SCORE],
            suggestions=[m for m in scored if m.score < FUZZY_MATCH_SCORE] if scored else [],
        )

    def _exact(self, name: str, wanted: EntityType | None) -> list[EntityMatch]:
        key = entity_key(name)
        found: dict[str, EntityMatch] = {}
        candidates = (
            ([(name, "id", name)] if name in self.by_id else [])
            + [(entity_id, "name", None) for entity_id in self._names.get(key, ())]
            + [(entity_id, "alias", spelling) for entity_id, spelling in self._aliases.get(key, ())]
        )
        for entity_id, kind, spelling in candidates:
            entity = self.by_id[entity_id]
            if entity_id not in found and (wanted is None or entity.type is wanted):
                found[entity_id] = EntityMatch(entity=entity, match=kind, spelling=spelling or entity.name)
        return sorted(found.values(), key=lambda m: (_RANK[m.match], -m.entity.paper_count, m.entity.id))

    def _fuzzy_scores(self, name: str, wanted: EntityType | None, limit: int) -> list[EntityMatch]:
        choices = self._fuzzy.get(wanted)
        if choices is None or not choices.keys:
            return []
        hits = process.extract(
            entity_key(name),
            choices.keys,
            scorer=fuzz.ratio,
            processor=None,
            limit=limit * 3,
            score_cutoff=SUGGESTION_SCORE,
        )
        best: dict[str, EntityMatch] = {}
        for _, score, position in hits:
            for entity_id, spelling in choices.owners[position]:
                if entity_id not in best or score > best[entity_id].score:
                    entity = self.by_id[entity_id]
                    best[entity_id] = EntityMatch(
                        entity=entity, match="fuzzy", spelling=spelling, score=score
                    )
        ordered = sorted(best.values(), key=lambda m: (-m.score, -m.entity.paper_count, m.entity.id))
        return ordered[:limit]

"""In-memory index of entity spellings: exact, alias and spelling-insensitive lookups in O(1), fuzzy ones
with rapidfuzz over the same keys.

Built once from the `entity_catalogue` rows of any backend, so lookups behave the same everywhere.

A fuzzy match is an answer only when it clears a measured threshold and `other_name` sees no different
version, size, affix or capitalised part (PaLM is not PLM, Orca-3 is not Orca, ConvNeXt is not ConvNet);
otherwise it is a suggestion ("did you mean …").
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel
from rapidfuzz import fuzz, process

from paperkg.graph.schema import EntityType, entity_key
from paperkg.queries.lazy_rows import LazyRows
from paperkg.queries.results import EntityRow

MatchKind = Literal["id", "name", "alias", "fuzzy"]
# Thresholds on fuzz.ratio of entity keys, measured by benchmarks/lookup_threshold.py on
# tests/data/lookup_pairs.jsonl (typos and near-miss names) and tests/data/alias_pairs.jsonl, as written and
# lower-cased: each is the lowest score at which no labelled pair of different things passes `other_name`.
# Where the capitals of query and name can be compared (ResNeXt vs ResNet, MNLI vs QNLI) fewer near misses
# survive, so a lower score is safe; lower-case or Title Case queries ("resnext") need a higher one.
FUZZY_MATCH_SCORE = 86.0
FUZZY_MATCH_SCORE_UNCASED = 94.0
SUGGESTION_SCORE = 60.0
_RANK: dict[str, int] = {"id": 0, "name": 1, "alias": 2, "fuzzy": 3}
_NUMBER = re.compile(r"\d+(?:\.\d+)*[a-z]?")  # on entity keys: 3, 2.5, 7b, 4o; 8x7b gives 8x and 7b
_WORD_SEPARATOR = re.compile(r"[\s\-_/]+")


def _tail_words(name: str) -> set[str]:
    """Size and checkpoint words of a name (base, large, XL, instruct, chat, …), casefolded."""
    from paperkg.extract.resolve import lexicon

    words = lexicon()
    tails = words["size_word"] | words["tuning_word"]
    return {part.casefold() for part in _WORD_SEPARATOR.split(name) if part.casefold() in tails}


def _case_style(name: str) -> str:
    """ "upper" (MNLI, CIFAR-10), "camel" (ResNeXt: a capital after a letter, and lower case), else "plain"."""
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return "upper"
    inner_capital = any(a.isalpha() and b.isupper() for a, b in itertools.pairwise(name))
    return "camel" if inner_capital and any(c.islower() for c in letters) else "plain"


def capitals_compared(query: str, candidate: str) -> bool:
    """Whether both names are written in one capitalised style, so their capitals say which parts they have."""
    style = _case_style(query)
    return style != "plain" and style == _case_style(candidate)


def same_numbers(a: str, b: str) -> bool:
    """Whether two names carry the same numbers: versions, sizes, years (Llama 2 vs Llama 3: False)."""
    return _NUMBER.findall(entity_key(a)) == _NUMBER.findall(entity_key(b))


def other_name(query: str, candidate: str) -> bool:
    """Whether a close spelling names something else: a different version or size (numbers), a prefix or suffix
    added (QLoRA, BLOOMZ, Orca), other size/checkpoint words (XXL vs XL), or other capitals where both names are
    written in one capitalised style (ResNeXt vs ResNet, MNLI vs QNLI).

    >>> pairs = [("Orca-3", "Orca"), ("Mistral-7b-Instruct", "Mistral-Instruct-v2"), ("QLoRA", "LoRA"),
    ...          ("T5-XXL", "T5-XL"), ("ConvNeXt", "ConvNet"), ("MNLI", "QNLI"), ("HumanEvl", "HumanEval")]
    >>> [other_name(query, candidate) for query, candidate in pairs]
    [True, True, True, True, True, True, False]
    """
    if not same_numbers(query, candidate):
        return True
    short, long = sorted((entity_key(query), entity_key(candidate)), key=len)
    if long.startswith(short) or long.endswith(short):
        return True
    query_tails, candidate_tails = _tail_words(query), _tail_words(candidate)
    if query_tails and candidate_tails and query_tails != candidate_tails:
        return True
    compared = capitals_compared(query, candidate)
    return compared and sorted(filter(str.isupper, query)) != sorted(filter(str.isupper, candidate))


def fuzzy_answer(query: str, candidate: str, score: float) -> bool:
    """Whether a fuzzy spelling (`score` = fuzz.ratio of the keys) is an answer, not just a suggestion."""
    threshold = FUZZY_MATCH_SCORE if capitals_compared(query, candidate) else FUZZY_MATCH_SCORE_UNCASED
    return score >= threshold and not other_name(query, candidate)


class EntityMatch(BaseModel):
    """An entity found for a query, how (`match`), through which spelling, and how closely (0–100)."""

    entity: EntityRow
    match: MatchKind
    spelling: str
    score: float = 100.0


class LookupResult(BaseModel):
    """What a lookup found, best first; `suggestions` (close spellings that are not answers: below the fuzzy
    threshold, or another version, size or name) are filled only when nothing matched."""

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
        self.by_id: LazyRows[EntityRow] = LazyRows(EntityRow)
        self._names: dict[str, list[str]] = defaultdict(list)
        self._aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._fuzzy: dict[EntityType | None, _FuzzyChoices] = defaultdict(_FuzzyChoices)
        for entity in entities:
            self._add(entity)

    def _add(self, entity: EntityRow) -> None:
        self.by_id.add(entity)
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
        """Id, then canonical name or alias by `entity_key` (gpt4 → GPT-4), then by `resolution_key` (a plural
        or generic head folded: "Transformers", "GSM8K benchmark"), then fuzzy; best first.

        A fuzzy spelling is a match only when `fuzzy_answer` says so.
        When nothing matches, up to `limit` close spellings come back as `suggestions`.
        """
        wanted = EntityType.from_label(type) if isinstance(type, str) else type
        exact = self._exact(name, wanted) or self._folded(name, wanted)
        if exact:
            return LookupResult(query=name, matches=exact)
        scored = self._fuzzy_scores(name, wanted, limit)
        accepted = [m for m in scored if fuzzy_answer(name, m.spelling, m.score)]
        return LookupResult(
            query=name,
            matches=accepted,
            suggestions=[] if accepted else scored,
        )

    def _folded(self, name: str, wanted: EntityType | None) -> list[EntityMatch]:
        """Exact matches of the name with a plural or a generic head folded away, as the build merges them."""
        from paperkg.extract.resolve import clean_name, singular, strip_generic_head

        folded = entity_key(singular(strip_generic_head(clean_name(name))))
        return self._exact(name, wanted, key=folded) if folded and folded != entity_key(name) else []

    def _exact(self, name: str, wanted: EntityType | None, *, key: str | None = None) -> list[EntityMatch]:
        key = key or entity_key(name)
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

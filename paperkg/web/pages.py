"""Each explorer page's data, from the named queries (`kg.query`) and the backend reads (`paperkg.web.reads`).

The graph is read-only while it is served, so the indexes are built once at start and the overview is kept.
"""

from __future__ import annotations

import bisect
from collections import Counter
from functools import cached_property, lru_cache
from typing import Any

from paperkg.graph.schema import TITLE_ABSTRACT_SEPARATOR, EntityType, entity_key, normalize_arxiv_id
from paperkg.queries.results import EntityRef, EntityRow
from paperkg.web.models import (
    CypherTable,
    EntityPage,
    EntityPaper,
    GraphEdge,
    GraphNode,
    LinkedEntity,
    MonthCount,
    Neighbourhood,
    Overview,
    PaperPage,
    RelationGroup,
    ResultOut,
    SearchHit,
    SearchResult,
    TextPart,
    TopOfType,
    TypeCount,
)
from paperkg.web.reads import reads_for

RELATION_ORDER = ("PROPOSES", "EVALUATES_ON", "COMPARES_WITH", "USES", "MENTIONS")
DATA_TYPES = (EntityType.BENCHMARK.value, EntityType.DATASET.value)
ENTITY_PAPERS_SHOWN = 50
GROUP_SIZE = 15
TOP_PER_TYPE = 10
NEW_SHOWN = 50
NEW_COUNTED = 1000
MAX_CYPHER_ROWS = 500


class NotFound(LookupError):
    """No entity or paper with that id."""


def month_counts(dates: list[str | None]) -> tuple[list[MonthCount], int]:
    """Papers per month (`YYYY-MM`, every month from the first to the last, empty ones included) and the number
    of undated papers."""
    months = Counter(d[:7] for d in dates if d and len(d) >= 7)
    undated = sum(1 for d in dates if not d or len(d) < 7)
    if not months:
        return [], undated
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:7])
    filled = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        filled.append(MonthCount(month=key, papers=months.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return filled, undated


def arxiv_url(paper_id: str, url: str | None) -> str | None:
    """The paper's arXiv page: its own URL when that is on arxiv.org, else from its id when that is an arXiv id
    (None for other ids: a hash of the title, a source's own id)."""
    if url and "arxiv.org/" in url:
        return url
    arxiv_id = normalize_arxiv_id(paper_id)
    return f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None


def abstract_parts(abstract: str, base: int, edges: list[dict], types: dict[str, str]) -> list[TextPart]:
    """The abstract cut into plain stretches and entity mentions (from the edges' evidence offsets, which index
    the title + separator + abstract text; `base` is where the abstract starts), longest first at a start."""
    spans: dict[tuple[int, int], str] = {}
    for edge in edges:
        for item in edge["evidence"]:
            start, end = item["start"] - base, item["end"] - base
            if 0 <= start < end <= len(abstract):
                spans.setdefault((start, end), edge["entity"])
    parts: list[TextPart] = []
    at = 0
    for (start, end), entity in sorted(spans.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        if start < at:
            continue
        if start > at:
            parts.append(TextPart(text=abstract[at:start]))
        parts.append(TextPart(text=abstract[start:end], entity_id=entity, type=types.get(entity)))
        at = end
    if at < len(abstract):
        parts.append(TextPart(text=abstract[at:]))
    return parts


class PrefixIndex:
    """Entities by the start of the `entity_key` of their name or an alias, for type-ahead."""

    def __init__(self, entities: list[EntityRow]) -> None:
        pairs = set()
        for entity in entities:
            for spelling in (entity.name, *entity.aliases):
                key = entity_key(spelling)
                if key:
                    pairs.add((key, entity.id, spelling))
        self.items = sorted(pairs)
        self.keys = [key for key, _, _ in self.items]

    def starting(self, text: str, limit: int = 2000) -> list[tuple[str, str]]:
        """`(entity id, spelling)` for spellings whose key starts with the key of `text`."""
        key = entity_key(text)
        if not key:
            return []
        found = []
        at = bisect.bisect_left(self.keys, key)
        while at < len(self.keys) and self.keys[at].startswith(key) and len(found) < limit:
            found.append(self.items[at][1:])
            at += 1
        return found


class Explorer:
    """The pages of one open graph (`paperkg.open(...)`)."""

    def __init__(self, kg: Any) -> None:
        self.kg = kg
        self.reads = reads_for(kg)

    def warm(self) -> None:
        """Build the indexes and the overview now rather than on the first request."""
        self.prefixes  # noqa: B018 (builds kg.index too)
        self.kg.paper_index  # noqa: B018
        self.overview()

    @property
    def cypher_enabled(self) -> bool:
        """The console is offered on Cypher servers (a graph file would need a throwaway FalkorDB loaded)."""
        return self.kg.store is None

    @cached_property
    def prefixes(self) -> PrefixIndex:
        return PrefixIndex(list(self.kg.index.by_id.values()))

    def entity_row(self, entity_id: str) -> EntityRow:
        entity = self.kg.index.by_id.get(entity_id)
        if entity is None:
            raise NotFound(f"no entity with id {entity_id!r}")
        return entity

    # --- search -----------------------------------------------------------------------------------
    def search(self, query: str, type: str | None = None, limit: int = 10) -> SearchResult:
        """Lookup matches (id, name, alias, fuzzy), then spellings starting with the query by paper count;
        suggestions when nothing matched; with no query, the top entities of the type."""
        wanted = EntityType.from_label(type).value if type else None
        query = query.strip()
        if not query:
            top = self.kg.query("top_entities", type=wanted, limit=limit)
            hits = [SearchHit(entity=e, match="top", spelling=e.name) for e in top]
            return SearchResult(query=query, type=wanted, hits=hits)
        found = self.kg.lookup(query, wanted)
        hits = [SearchHit(entity=m.entity, match=m.match, spelling=m.spelling) for m in found.matches]
        seen = {hit.entity.id for hit in hits}
        starting: dict[str, str] = {}
        for entity_id, spelling in self.prefixes.starting(query):
            entity = self.kg.index.by_id[entity_id]
            if entity_id not in seen and (wanted is None or entity.type.value == wanted):
                starting.setdefault(entity_id, spelling)
        ranked = sorted(starting, key=lambda i: (-self.kg.index.by_id[i].paper_count, i))
        hits += [
            SearchHit(entity=self.kg.index.by_id[i], match="prefix", spelling=starting[i]) for i in ranked
        ]
        if not hits:
            hits = [
                SearchHit(entity=m.entity, match="suggestion", spelling=m.spelling) for m in found.suggestions
            ]
        return SearchResult(query=query, type=wanted, hits=hits[:limit])

    # --- entity -----------------------------------------------------------------------------------
    def entity(self, entity_id: str) -> EntityPage:
        entity = self.entity_row(entity_id)
        papers = self.kg.query("papers_mentioning", entity=entity.id)
        evidence = self.reads.entity_evidence(entity.id)
        months, undated = month_counts([p.date for p in papers])
        listed = [self._entity_paper(p, evidence.get(p.id, {})) for p in papers]
        family = [self._ref(i) for i in self.reads.family(entity.id) if i in self.kg.index.by_id]
        return EntityPage(
            entity=entity,
            family=family,
            variants=self.kg.query("variants", family=entity.id),
            months=months,
            undated=undated,
            paper_total=len(papers),
            papers=listed[:ENTITY_PAPERS_SHOWN],
            groups=self._groups(entity, listed),
        )

    def _ref(self, entity_id: str) -> EntityRef:
        row = self.kg.index.by_id[entity_id]
        return EntityRef(id=row.id, type=row.type, name=row.name)

    @staticmethod
    def _entity_paper(paper: Any, sentences: dict[str, str]) -> EntityPaper:
        relations = sorted(
            paper.relations, key=lambda r: RELATION_ORDER.index(r) if r in RELATION_ORDER else 99
        )
        sentence = next((sentences[r] for r in relations if r in sentences), None)
        return EntityPaper(
            id=paper.id, title=paper.title, date=paper.date, relations=relations, sentence=sentence
        )

    def _linked(self, rows: dict[str, set[str]]) -> list[LinkedEntity]:
        by_id = self.kg.index.by_id
        linked = [
            LinkedEntity(id=i, type=by_id[i].type.value, name=by_id[i].name, papers=len(papers))
            for i, papers in rows.items()
            if i in by_id
        ]
        return sorted(linked, key=lambda e: (-e.papers, e.id))[:GROUP_SIZE]

    def _groups(self, entity: EntityRow, papers: list[EntityPaper]) -> list[RelationGroup]:
        proposed = [p for p in papers if "PROPOSES" in p.relations]
        groups = [RelationGroup(key="proposed_by", title="Proposed by", papers=proposed[:GROUP_SIZE])]
        if entity.type.value in DATA_TYPES:
            evaluated = self.kg.query("models_on_benchmark", benchmark=entity.id)
            key, title = "models_evaluated_on_it", "Models evaluated on it"
        else:
            evaluated = self.kg.query("evaluated_on", model=entity.id)
            key, title = "evaluated_on", "Evaluated on"
        groups.append(
            RelationGroup(
                key=key,
                title=title,
                entities=[
                    LinkedEntity(
                        id=r.id, type=r.type.value, name=r.name, papers=r.papers, sentence=r.sentence
                    )
                    for r in evaluated[:GROUP_SIZE]
                ],
            )
        )
        compared: dict[str, set[str]] = {}
        used: dict[str, set[str]] = {}
        for row in self.reads.pair_relations(entity.id):
            pair = {row["own"], row["theirs"]}
            if pair == {"PROPOSES", "COMPARES_WITH"}:
                compared.setdefault(row["other"], set()).update(row["papers"])
            elif "USES" in pair and pair <= {"USES", "PROPOSES"}:
                used.setdefault(row["other"], set()).update(row["papers"])
        groups.append(
            RelationGroup(key="compared_with", title="Compared with", entities=self._linked(compared))
        )
        groups.append(RelationGroup(key="used_with", title="Used with", entities=self._linked(used)))
        cooccurring = self.kg.query("cooccurring", entity=entity.id, limit=GROUP_SIZE)
        groups.append(
            RelationGroup(
                key="cooccurring",
                title="Co-occurring",
                entities=[
                    LinkedEntity(id=r.id, type=r.type.value, name=r.name, papers=r.papers)
                    for r in cooccurring
                ],
            )
        )
        return groups

    # --- paper ------------------------------------------------------------------------------------
    def paper(self, paper_id: str) -> PaperPage:
        paper = self.reads.paper(paper_id)
        if paper is None:
            raise NotFound(f"no paper with id {paper_id!r}")
        title = paper["title"] or ""
        abstract = paper["abstract"] or ""
        base = len(title) + len(TITLE_ABSTRACT_SEPARATOR) if title else 0
        entities = self.kg.query("paper_entities", paper=paper_id)
        types = {e.id: e.type.value for e in entities}
        return PaperPage(
            id=paper_id,
            title=title,
            date=paper["date"],
            url=paper["url"],
            arxiv_url=arxiv_url(paper_id, paper["url"]),
            abstract=abstract_parts(abstract, base, self.reads.paper_edges(paper_id), types),
            entities=entities,
            results=[ResultOut(**r) for r in self.reads.paper_results(paper_id) if r.get("value")],
        )

    # --- overview ---------------------------------------------------------------------------------
    def newest_month(self) -> str | None:
        dates = [p.date for p in self.kg.paper_index.by_id.values() if p.date]
        return max(dates)[:7] if dates else None

    @lru_cache(maxsize=64)  # noqa: B019 (one Explorer per served graph, kept for the process)
    def overview(self, after: str | None = None) -> Overview:
        by_type = Counter(e.type.value for e in self.kg.index.by_id.values())
        papers = self.kg.paper_index.by_id.values()
        after = after or self.newest_month()
        new, note = [], None
        if after:
            new = self.kg.query("new_entities", after=after, limit=NEW_COUNTED)
            note = None if new else self.kg.why_empty("new_entities", after=after)
        else:
            note = self.kg.why_empty("new_entities", after="0000")
        return Overview(
            source=self.kg.source,
            papers=len(papers),
            dated_papers=sum(1 for p in papers if p.date),
            types=[TypeCount(type=t.value, entities=by_type.get(t.value, 0)) for t in EntityType],
            top=[
                TopOfType(
                    type=t.value, entities=self.kg.query("top_entities", type=t.value, limit=TOP_PER_TYPE)
                )
                for t in EntityType
            ],
            new_after=after,
            new=new[:NEW_SHOWN],
            new_total=len(new),
            new_note=note,
        )

    # --- neighbourhood ----------------------------------------------------------------------------
    def neighbourhood(self, entity_id: str, limit: int = 25, papers: int = 0) -> Neighbourhood:
        """The entity, the `limit` entities sharing most papers with it, and one edge per pair of them weighted
        by the papers they share; with `papers`, also the entity's newest `papers` papers and their edges to the
        entities shown."""
        centre = self.entity_row(entity_id)
        by_id = self.kg.index.by_id
        around = self.kg.query("cooccurring", entity=centre.id, limit=limit)
        nodes = [GraphNode(id=centre.id, name=centre.name, type=centre.type.value, papers=centre.paper_count)]
        nodes += [
            GraphNode(id=r.id, name=r.name, type=r.type.value, papers=by_id[r.id].paper_count)
            for r in around
            if r.id in by_id
        ]
        edges = [GraphEdge(source=centre.id, target=r.id, weight=r.papers) for r in around if r.id in by_id]
        edges += [
            GraphEdge(source=a, target=b, weight=n)
            for a, b, n in self.reads.shared_papers([r.id for r in around])
        ]
        if papers:
            shown = {node.id for node in nodes}
            for paper in self.kg.query("papers_mentioning", entity=centre.id)[:papers]:
                nodes.append(
                    GraphNode(id=paper.id, name=paper.title or paper.id, type="Paper", papers=1, kind="paper")
                )
                for linked in self.kg.query("paper_entities", paper=paper.id):
                    if linked.id in shown:
                        edges.append(
                            GraphEdge(source=paper.id, target=linked.id, weight=1, relations=linked.relations)
                        )
        return Neighbourhood(centre=centre.id, nodes=nodes, edges=edges)

    # --- cypher -----------------------------------------------------------------------------------
    def cypher(self, text: str) -> CypherTable:
        text = text.strip()
        if not text:
            return CypherTable(query=text)
        if not self.cypher_enabled:
            return CypherTable(
                query=text,
                error="the Cypher console needs a Cypher server: serve falkordb://… or bolt://… "
                "(`paperkg load` copies a graph file into one)",
            )
        try:
            result = self.kg.cypher(text)
        except (ValueError, OSError) as err:  # CypherError, ReadOnlyQueryError, unreachable server
            return CypherTable(query=text, error=" ".join(str(err).split()) or type(err).__name__)
        rows = result.rows[:MAX_CYPHER_ROWS]
        return CypherTable(
            query=text, columns=result.columns, rows=rows, truncated=len(result.rows) > MAX_CYPHER_ROWS
        )

"""Each explorer page's data, from the named queries (`kg.query`) and the backend reads (`paperkg.web.reads`).

The graph is read-only while it is served, so the indexes are built once at start and the overview is kept.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import threading
from collections import Counter
from functools import cached_property, lru_cache
from typing import Any
from urllib.parse import urlsplit

from paperkg.graph.schema import TITLE_ABSTRACT_SEPARATOR, EntityType, entity_key, normalize_arxiv_id
from paperkg.queries.results import EntityRef, EntityRow, NewEntity, Variant
from paperkg.viz.views import web_url
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
CACHE_SIZE = 1024  # entity pages and neighbourhoods kept
HUBS_MADE_AHEAD = 50
NEIGHBOURS = 25
NEIGHBOURS_ON_EXPAND = 12


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
    """The paper's arXiv page: its own URL when that is an http(s) address on arxiv.org, else from its id when
    that is an arXiv id (None for other ids: a hash of the title, a source's own id)."""
    link = web_url(url)
    host = (urlsplit(link).hostname or "") if link else ""
    if host == "arxiv.org" or host.endswith(".arxiv.org"):
        return link
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

    def __init__(self, kg: Any, cache_size: int = CACHE_SIZE) -> None:
        self.kg = kg
        self.reads = reads_for(kg)
        # the graph does not change while it is served: pages once made are kept (least recently used go)
        self.entity = lru_cache(maxsize=cache_size)(self._entity)
        self.neighbourhood = lru_cache(maxsize=cache_size)(self._neighbourhood)
        self._stop = threading.Event()
        self._warming: threading.Thread | None = None
        self.hubs_ready = threading.Event()  # set once warm_hubs has made its pages

    def warm(self) -> None:
        """Build the indexes and the overview now rather than on the first request."""
        self.prefixes  # noqa: B018 (builds kg.index too)
        self.kg.paper_index  # noqa: B018
        self.overview()

    def hubs(self, count: int) -> list[str]:
        """Ids of the `count` entities with the most papers: the slowest pages to make."""
        ranked = heapq.nsmallest(count, ((-e.paper_count, e.id) for e in self.kg.index.by_id.values()))
        return [entity_id for _, entity_id in ranked]

    def warm_hubs(self, count: int = HUBS_MADE_AHEAD) -> threading.Thread:
        """Make the entity pages and neighbourhoods of the `count` biggest entities in a background thread, so
        that the pages that take longest are ready before anyone asks (`stop()` ends it early)."""

        def make() -> None:
            try:
                for entity_id in self.hubs(count):
                    if self._stop.is_set():
                        return
                    self.entity(entity_id)
                    for limit in (NEIGHBOURS, NEIGHBOURS_ON_EXPAND):  # as the page asks: neighbourhood.js
                        self.neighbourhood(entity_id, limit, 0)
            except (ValueError, OSError):  # a server gone away: the page asked for shows the error itself
                return
            finally:
                self.hubs_ready.set()

        self._warming = threading.Thread(target=make, name="paperkg-warm-hubs", daemon=True)
        self._warming.start()
        return self._warming

    def stop(self, timeout: float = 30.0) -> None:
        """End the background work (before the graph is closed)."""
        self._stop.set()
        if self._warming is not None:
            self._warming.join(timeout)

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
    def _entity(self, entity_id: str) -> EntityPage:
        entity = self.entity_row(entity_id)
        papers = [self._entity_paper(row) for row in self.reads.entity_papers(entity.id)]
        months, undated = month_counts([p.date for p in papers])
        family = [self._ref(i) for i in self.reads.family(entity.id) if i in self.kg.index.by_id]
        return EntityPage(
            entity=entity,
            family=family,
            variants=[
                Variant(**self._ref(i).model_dump(), depth=depth)
                for i, depth in self.reads.variants(entity.id)
            ],
            months=months,
            undated=undated,
            paper_total=len(papers),
            papers=papers[:ENTITY_PAPERS_SHOWN],
            groups=self._groups(entity, papers),
        )

    def _ref(self, entity_id: str) -> EntityRef:
        row = self.kg.index.by_id[entity_id]
        return EntityRef(id=row.id, type=row.type, name=row.name)

    @staticmethod
    def _entity_paper(row: dict) -> EntityPaper:
        """A paper row of `Reads.entity_papers`, relations most specific first, with that one's sentence."""
        relations = sorted(
            row["relations"], key=lambda r: RELATION_ORDER.index(r) if r in RELATION_ORDER else 99
        )
        sentence = next((row["evidence"][r] for r in relations if r in row["evidence"]), None)
        return EntityPaper(
            id=row["id"], title=row["title"], date=row["date"], relations=relations, sentence=sentence
        )

    def _linked(self, rows: dict[str, set[str]]) -> list[LinkedEntity]:
        return self._counted({i: len(papers) for i, papers in rows.items()})

    def _counted(self, counts: dict[str, int]) -> list[LinkedEntity]:
        """The GROUP_SIZE entities with the highest counts (then by id), as links."""
        by_id = self.kg.index.by_id
        linked = [
            LinkedEntity(id=i, type=by_id[i].type.value, name=by_id[i].name, papers=n)
            for i, n in counts.items()
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
        cooccurring = {other: n for other, n in self.reads.cooccurring(entity.id, GROUP_SIZE)}
        groups.append(
            RelationGroup(key="cooccurring", title="Co-occurring", entities=self._counted(cooccurring))
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
            url=web_url(paper["url"]),  # a stored javascript: or data: url never becomes a link
            arxiv_url=arxiv_url(paper_id, paper["url"]),
            abstract=abstract_parts(abstract, base, self.reads.paper_edges(paper_id), types),
            entities=entities,
            results=[ResultOut(**r) for r in self.reads.paper_results(paper_id) if r.get("value")],
        )

    # --- overview ---------------------------------------------------------------------------------
    @cached_property
    def first_seen(self) -> list[NewEntity]:
        """Every entity with a dated paper and its first-seen date, newest first (`new_entities` after the
        empty date): any date's new entities are a prefix of it."""
        return self.kg.query("new_entities", after="", limit=len(self.kg.index) + 1)

    @cached_property
    def newest_month(self) -> str | None:
        """The month (YYYY-MM) of the newest dated paper."""
        dates = [p.date for p in self.kg.paper_index.by_id.values() if p.date]
        return max(dates)[:7] if dates else None

    @cached_property
    def _totals(self) -> Overview:
        """What the overview shows whatever the date: counts and the top entities of each type."""
        by_type = Counter(e.type.value for e in self.kg.index.by_id.values())
        papers = self.kg.paper_index.by_id.values()
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
        )

    def overview(self, after: str | None = None) -> Overview:
        """Counts, top entities per type, and the entities first seen after `after` (default: the month of the
        newest paper, "new this month")."""
        after = after or self.newest_month
        new, note = [], None
        if after:
            new = list(
                itertools.islice(
                    itertools.takewhile(lambda r: r.first_seen > after, self.first_seen), NEW_COUNTED
                )
            )
            note = None if new else self.kg.why_empty("new_entities", after=after)
        else:
            note = self.kg.why_empty("new_entities", after="0000")
        return self._totals.model_copy(
            update={"new_after": after, "new": new[:NEW_SHOWN], "new_total": len(new), "new_note": note}
        )

    # --- neighbourhood ----------------------------------------------------------------------------
    def _neighbourhood(self, entity_id: str, limit: int = NEIGHBOURS, papers: int = 0) -> Neighbourhood:
        """The entity, the `limit` entities sharing most papers with it, and one edge per pair of them weighted
        by the papers they share; with `papers` (at most ENTITY_PAPERS_SHOWN), also the entity's newest
        `papers` papers and their edges to the entities shown."""
        if papers:
            collapsed = self.neighbourhood(entity_id, limit, 0)
            nodes, edges = list(collapsed.nodes), list(collapsed.edges)
            shown = {node.id for node in nodes}
            for paper in self.entity(entity_id).papers[:papers]:
                nodes.append(
                    GraphNode(id=paper.id, name=paper.title or paper.id, type="Paper", papers=1, kind="paper")
                )
                edges += [edge for edge in self._paper_links(paper.id) if edge.target in shown]
            return Neighbourhood(centre=collapsed.centre, nodes=nodes, edges=edges)
        centre = self.entity_row(entity_id)
        by_id = self.kg.index.by_id
        around = [(other, n) for other, n in self.reads.cooccurring(centre.id, limit) if other in by_id]
        nodes = [GraphNode(id=centre.id, name=centre.name, type=centre.type.value, papers=centre.paper_count)]
        for other, _ in around:
            row = by_id[other]
            nodes.append(GraphNode(id=row.id, name=row.name, type=row.type.value, papers=row.paper_count))
        edges = [GraphEdge(source=centre.id, target=other, weight=n) for other, n in around]
        edges += [
            GraphEdge(source=a, target=b, weight=n)
            for a, b, n in self.reads.shared_papers([other for other, _ in around])
        ]
        return Neighbourhood(centre=centre.id, nodes=nodes, edges=edges)

    def _paper_links(self, paper_id: str) -> list[GraphEdge]:
        """One edge from the paper to each of its entities, with the relation types (sorted)."""
        relations: dict[str, set[str]] = {}
        for edge in self.reads.paper_edges(paper_id):
            relations.setdefault(edge["entity"], set()).add(edge["relation"])
        return [
            GraphEdge(source=paper_id, target=entity, weight=1, relations=sorted(types))
            for entity, types in sorted(relations.items())
        ]

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

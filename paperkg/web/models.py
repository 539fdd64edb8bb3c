"""The data of each explorer page, as served under `/api` and rendered by the templates."""

from __future__ import annotations

from pydantic import BaseModel

from paperkg.queries.results import EntityRef, EntityRow, NewEntity, PaperEntity, Variant


class SearchHit(BaseModel):
    """An entity found for a search: how (`id`, `name`, `alias`, `fuzzy`, `prefix`, `suggestion`, `top`)
    and through which spelling."""

    entity: EntityRow
    match: str
    spelling: str


class SearchResult(BaseModel):
    query: str
    type: str | None = None
    hits: list[SearchHit] = []


class MonthCount(BaseModel):
    month: str  # YYYY-MM
    papers: int


class EntityPaper(BaseModel):
    """A paper of an entity: its relations to it and the evidence sentence of the most specific one."""

    id: str
    title: str
    date: str | None = None
    relations: list[str] = []
    sentence: str | None = None


class LinkedEntity(BaseModel):
    """An entity related to another, through how many papers, with an example sentence where known."""

    id: str
    type: str
    name: str
    papers: int
    sentence: str | None = None


class RelationGroup(BaseModel):
    """Related entities (or papers) under one question: proposed by, evaluated on, compared with, …"""

    key: str
    title: str
    entities: list[LinkedEntity] = []
    papers: list[EntityPaper] = []


class EntityPage(BaseModel):
    entity: EntityRow
    family: list[EntityRef] = []
    variants: list[Variant] = []
    months: list[MonthCount] = []
    undated: int = 0
    paper_total: int = 0
    papers: list[EntityPaper] = []
    groups: list[RelationGroup] = []


class TextPart(BaseModel):
    """A stretch of the abstract; `entity_id` and `type` are set where it names an entity."""

    text: str
    entity_id: str | None = None
    type: str | None = None


class ResultOut(BaseModel):
    """A result the paper reports, roles as written with the entity ids they link to (or None)."""

    value: str
    number: float | None = None
    unit: str | None = None
    kind: str | None = None
    sentence: str | None = None
    system: str | None = None
    system_id: str | None = None
    benchmark: str | None = None
    benchmark_id: str | None = None
    metric: str | None = None
    metric_id: str | None = None
    baseline: str | None = None
    baseline_id: str | None = None


class PaperPage(BaseModel):
    id: str
    title: str
    date: str | None = None
    url: str | None = None
    arxiv_url: str | None = None
    abstract: list[TextPart] = []
    entities: list[PaperEntity] = []
    results: list[ResultOut] = []


class TypeCount(BaseModel):
    type: str
    entities: int


class TopOfType(BaseModel):
    type: str
    entities: list[EntityRow]


class Overview(BaseModel):
    source: str
    papers: int
    dated_papers: int
    types: list[TypeCount]
    top: list[TopOfType]
    new_after: str | None = None
    new: list[NewEntity] = []
    new_total: int = 0
    new_note: str | None = None


class GraphNode(BaseModel):
    id: str
    name: str
    type: str
    papers: int
    kind: str = "entity"  # or "paper"


class GraphEdge(BaseModel):
    """Entity–entity: `weight` papers share both; paper–entity: weight 1 and the relations."""

    source: str
    target: str
    weight: int
    relations: list[str] = []


class Neighbourhood(BaseModel):
    centre: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class CypherTable(BaseModel):
    query: str
    columns: list[str] = []
    rows: list[list] = []
    truncated: bool = False
    error: str | None = None

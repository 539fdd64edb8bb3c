"""The table of named queries: one entry per question, with its parameters, row model, NetworkX function
and Cypher file (`queries/<name>.cypher`).

Backends differ only in how they run an entry; callers go through `NAMED_QUERIES[name]`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel

from paperkg.graph.schema import EntityType
from paperkg.queries import networkx_queries as nxq
from paperkg.queries import result_queries, results

Ref = Literal["entity", "paper", "type"] | None
_REQUIRED = object()


@dataclass(frozen=True)
class Param:
    """A query parameter: its Python type, default (none means required), and what it refers to.

    `ref="entity"` values are entity ids (the API resolves names to ids first), `ref="paper"` paper ids,
    `ref="type"` entity labels ("model", "MODEL" and "Model" all become "Model").
    """

    name: str
    kind: type = str
    default: Any = _REQUIRED
    ref: Ref = None
    minimum: int | None = None
    maximum: int | None = None

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def convert(self, value: Any) -> Any:
        """A raw value (CLI text or Python object) as this parameter's type; ValueError when invalid."""
        if value is None:
            if self.required:
                raise ValueError(f"parameter {self.name!r} is required")
            return None
        if self.ref == "type":
            return EntityType.from_label(str(value)).value
        converted = self.kind(value)
        if self.minimum is not None and converted < self.minimum:
            raise ValueError(f"parameter {self.name!r} must be at least {self.minimum}")
        if self.maximum is not None and converted > self.maximum:
            raise ValueError(f"parameter {self.name!r} must be at most {self.maximum}")
        return converted


@dataclass(frozen=True)
class NamedQuery:
    """One question the graph answers, in NetworkX (`networkx`) and in Cypher (`cypher`)."""

    name: str
    description: str
    params: tuple[Param, ...]
    row: type[BaseModel]
    networkx: Callable[..., list[BaseModel]] = field(repr=False)

    @property
    def cypher(self) -> str:
        """The text of `queries/<name>.cypher`."""
        return _cypher_text(self.name)

    def bind(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter converted, defaults filled in; ValueError on unknown or missing ones."""
        known = {p.name for p in self.params}
        if unknown := set(params) - known:
            raise ValueError(f"{self.name}: unknown parameter(s) {sorted(unknown)}; expected {sorted(known)}")
        return {p.name: p.convert(params.get(p.name, None if p.required else p.default)) for p in self.params}


@cache
def _cypher_text(name: str) -> str:
    return resources.files("paperkg.queries").joinpath(f"{name}.cypher").read_text(encoding="utf-8")


def _entity(name: str = "entity") -> Param:
    return Param(name, ref="entity")


_TYPE = Param("type", default=None, ref="type")


def _limit(default: int) -> Param:
    return Param("limit", int, default, minimum=0)


_QUERIES = (
    NamedQuery(
        "entity_by_name",
        "entities whose id, name or alias equals a name (any case)",
        (Param("name"), _TYPE),
        results.EntityRow,
        nxq.entity_by_name,
    ),
    NamedQuery(
        "entity_catalogue",
        "every entity with spellings and paper count",
        (),
        results.EntityRow,
        nxq.entity_catalogue,
    ),
    NamedQuery(
        "papers_mentioning",
        "papers linked to an entity",
        (_entity(),),
        results.PaperRow,
        nxq.papers_mentioning,
    ),
    NamedQuery(
        "top_entities",
        "entities of a type with the most papers",
        (_TYPE, _limit(20)),
        results.EntityRow,
        nxq.top_entities,
    ),
    NamedQuery(
        "evaluated_on",
        "benchmarks and datasets a model is evaluated on",
        (_entity("model"),),
        result_queries.EvaluationLink,
        result_queries.evaluated_on,
    ),
    NamedQuery(
        "models_on_benchmark",
        "models evaluated on a benchmark or dataset",
        (_entity("benchmark"),),
        result_queries.EvaluationLink,
        result_queries.models_on_benchmark,
    ),
    NamedQuery(
        "paper_proposes",
        "what a paper proposes",
        (Param("paper", ref="paper"),),
        results.EntityRef,
        nxq.paper_proposes,
    ),
    NamedQuery(
        "paper_entities",
        "every entity of a paper, with relations and mention counts",
        (Param("paper", ref="paper"),),
        results.PaperEntity,
        nxq.paper_entities,
    ),
    NamedQuery(
        "top_baselines",
        "the most compared-against entities",
        (_TYPE, _limit(20)),
        results.LinkedEntity,
        nxq.top_baselines,
    ),
    NamedQuery(
        "cooccurring",
        "entities sharing papers with an entity, with counts",
        (_entity(), _TYPE, _limit(20)),
        results.LinkedEntity,
        nxq.cooccurring,
    ),
    NamedQuery(
        "neighborhood",
        "papers and entities within k hops of an entity",
        (_entity(), Param("hops", int, 1, minimum=1, maximum=nxq.MAX_NEIGHBORHOOD_HOPS)),
        results.NeighborNode,
        nxq.neighborhood,
    ),
    NamedQuery(
        "new_entities",
        "entities first seen after a date",
        (Param("after"), _TYPE, _limit(50)),
        results.NewEntity,
        nxq.new_entities,
    ),
    NamedQuery("variants", "variants of a model family", (_entity("family"),), results.Variant, nxq.variants),
    NamedQuery(
        "shortest_connection",
        "the shortest path between two entities",
        (
            _entity("source"),
            _entity("target"),
            Param("max_hops", int, 6, minimum=1, maximum=nxq.MAX_PATH_HOPS),
        ),
        results.PathStep,
        nxq.shortest_connection,
    ),
    NamedQuery(
        "leaderboard",
        "scores reported on a benchmark, best first within each metric and unit",
        (_entity("benchmark"), Param("metric", default=None)),
        result_queries.ResultRow,
        result_queries.leaderboard,
    ),
    NamedQuery(
        "results_of",
        "results a model or method reports",
        (_entity(),),
        result_queries.ResultRow,
        result_queries.results_of,
    ),
    NamedQuery(
        "compared_with",
        "who beats whom: improvements of or over an entity",
        (_entity(),),
        result_queries.ResultRow,
        result_queries.compared_with,
    ),
)

NAMED_QUERIES: dict[str, NamedQuery] = {query.name: query for query in _QUERIES}


def named_query(name: str) -> NamedQuery:
    """The entry for `name`; ValueError listing the known names otherwise."""
    try:
        return NAMED_QUERIES[name]
    except KeyError:
        raise ValueError(f"unknown query {name!r}; known: {', '.join(NAMED_QUERIES)}") from None

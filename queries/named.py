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
from paperkg.queries import path_search, result_queries, results

Ref = Literal["entity", "paper", "type"] | None
_REQUIRED = object()


TYPE_NAMES = ", ".join(t.name.lower() for t in EntityType)
_REF_MEANING = {
    "entity": "an entity's name, alias or id",
    "paper": "a paper's id or title",
    "type": f"one of {TYPE_NAMES}",
}


@dataclass(frozen=True)
class Param:
    """A query parameter: its Python type, default (none means required), and what it refers to.

    `ref="entity"` values are entity ids (the API resolves names to ids first), `ref="paper"` paper ids (the
    API resolves titles first), `ref="type"` entity labels ("model", "MODEL" and "Model" all become "Model").
    `meaning` and `example` are for help texts and error messages.
    """

    name: str
    kind: type = str
    default: Any = _REQUIRED
    ref: Ref = None
    minimum: int | None = None
    maximum: int | None = None
    meaning: str = ""
    example: str = ""

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def describe(self) -> str:
        """What the value is, for help: "an entity's name, alias or id", "a whole number from 1 to 3"."""
        if self.meaning:
            return self.meaning
        return _REF_MEANING[self.ref] if self.ref else self._value_kind()

    def _value_kind(self) -> str:
        if self.kind is not int:
            return "text"
        if self.minimum == 0 and self.maximum is None:
            return "a whole number, 0 or more"
        low = "" if self.minimum is None else f" from {self.minimum}"
        return f"a whole number{low}" + ("" if self.maximum is None else f" to {self.maximum}")

    def default_text(self) -> str:
        """ "required", or the default as a user reads it ("all types" for an unset type)."""
        if self.required:
            return "required"
        return (
            "default: all types"
            if self.ref == "type" and self.default is None
            else f"default: {self.default}"
        )

    def usage(self) -> str:
        """`name=EXAMPLE` as a user would type it."""
        return f"{self.name}={self.example}" if self.example else self.name

    def convert(self, value: Any) -> Any:
        """A raw value (CLI text or Python object) as this parameter's type; ValueError naming the parameter
        and a valid example when invalid."""
        if value is None:
            if self.required:
                raise ValueError(
                    f"parameter {self.name!r} is required: {self.describe()} (e.g. {self.usage()})"
                )
            return None
        if self.ref == "type":
            try:
                return EntityType.from_label(str(value)).value
            except ValueError:
                raise ValueError(f"parameter 'type' must be one of {TYPE_NAMES}; got {value!r}") from None
        try:
            converted = self.kind(value)
        except (TypeError, ValueError):
            raise ValueError(
                f"parameter {self.name!r} must be {self._value_kind()}; got {value!r} (e.g. {self.usage()})"
            ) from None
        if self.minimum is not None and converted < self.minimum:
            raise ValueError(f"parameter {self.name!r} must be at least {self.minimum}; got {converted}")
        if self.maximum is not None and converted > self.maximum:
            raise ValueError(f"parameter {self.name!r} must be at most {self.maximum}; got {converted}")
        return converted


@dataclass(frozen=True)
class NamedQuery:
    """One question the graph answers, in NetworkX (`networkx`) and in Cypher (`cypher`)."""

    name: str
    description: str
    params: tuple[Param, ...]
    row: type[BaseModel]
    networkx: Callable[..., list[BaseModel]] = field(repr=False)
    cypher_steps: Callable[..., list[BaseModel]] | None = field(default=None, repr=False)
    """For a query answered in several bounded Cypher steps: `f(run, cypher, **params)` gives the rows,
    `run(text, params)` being one read on the server (see `paperkg.queries.path_search`)."""

    @property
    def cypher(self) -> str:
        """The text of `queries/<name>.cypher`."""
        return _cypher_text(self.name)

    def bind(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter converted, defaults filled in; ValueError on unknown or missing ones."""
        known = [p.name for p in self.params]
        if unknown := sorted(set(params) - set(known)):
            takes = f"it takes {', '.join(known)}" if known else "it takes none"
            raise ValueError(f"query {self.name!r} has no parameter {', '.join(map(repr, unknown))}; {takes}")
        return {p.name: p.convert(params.get(p.name, None if p.required else p.default)) for p in self.params}

    def usage(self) -> str:
        """The parameters as typed after the query name: `entity=GPT-4 [type=…] [limit=20]`."""
        return " ".join(
            p.usage() if p.required else f"[{p.name}={p.example or p.default}]" for p in self.params
        )


@cache
def _cypher_text(name: str) -> str:
    return resources.files("paperkg.queries").joinpath(f"{name}.cypher").read_text(encoding="utf-8")


def _entity(name: str = "entity", example: str = "GPT-4") -> Param:
    return Param(name, ref="entity", example=example)


_TYPE = Param("type", default=None, ref="type", example="model")
_PAPER = Param("paper", ref="paper", example="2307.09288")


def _limit(default: int) -> Param:
    return Param("limit", int, default, minimum=0, meaning="at most this many rows", example="10")


_QUERIES = (
    NamedQuery(
        "entity_by_name",
        "entities whose id, name or alias equals a name (any case)",
        (Param("name", meaning="a name, alias or id (any case)", example="gpt4"), _TYPE),
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
        "paper_catalogue",
        "every paper's id, title and date",
        (),
        results.PaperRef,
        nxq.paper_catalogue,
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
        (_entity("benchmark", "MMLU"),),
        result_queries.EvaluationLink,
        result_queries.models_on_benchmark,
    ),
    NamedQuery(
        "paper_proposes",
        "what a paper proposes",
        (_PAPER,),
        results.EntityRef,
        nxq.paper_proposes,
    ),
    NamedQuery(
        "paper_entities",
        "every entity of a paper, with relations and mention counts",
        (_PAPER,),
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
        (_entity(), Param("hops", int, 1, minimum=1, maximum=nxq.MAX_NEIGHBORHOOD_HOPS, example="2")),
        results.NeighborNode,
        nxq.neighborhood,
    ),
    NamedQuery(
        "new_entities",
        "entities first seen after a date",
        (
            Param(
                "after", meaning="an ISO date, compared as text: 2023, 2023-06, 2023-06-30", example="2023-06"
            ),
            _TYPE,
            _limit(50),
        ),
        results.NewEntity,
        nxq.new_entities,
    ),
    NamedQuery(
        "variants",
        "variants of a model family",
        (_entity("family", "LLaMA-2"),),
        results.Variant,
        nxq.variants,
    ),
    NamedQuery(
        "shortest_connection",
        "the shortest path between two entities",
        (
            _entity("source", "LoRA"),
            _entity("target", "GSM8K"),
            Param("max_hops", int, 6, minimum=1, maximum=nxq.MAX_PATH_HOPS, example="4"),
        ),
        results.PathStep,
        nxq.shortest_connection,
        path_search.shortest_connection,
    ),
    NamedQuery(
        "leaderboard",
        "scores reported on a benchmark, best first within each metric and unit",
        (
            _entity("benchmark", "GSM8K"),
            Param("metric", default=None, meaning="a metric's name or id (any case)", example="accuracy"),
        ),
        result_queries.ResultRow,
        result_queries.leaderboard,
    ),
    NamedQuery(
        "results_of",
        "results a model or method reports",
        (_entity("entity", "Orca-3"),),
        result_queries.ResultRow,
        result_queries.results_of,
    ),
    NamedQuery(
        "compared_with",
        "who beats whom: improvements of or over an entity",
        (_entity("entity", "GPT-4"),),
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

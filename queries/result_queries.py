"""Questions about results: leaderboards, what a system scores, who beats whom, what is evaluated on what.

Row models and the NetworkX twins of `leaderboard.cypher`, `results_of.cypher`, `compared_with.cypher`,
`evaluated_on.cypher` and `models_on_benchmark.cypher` (same rows, same order), plus `comparable_rows`, the rule
a leaderboard applies before it is shown: only rows of one metric and one unit are ranked together, the others
are named as left out.

"Evaluated on" is a statement, not a co-occurrence in a paper: a model and a benchmark are linked by a result
whose system and benchmark they are, or by a sentence of a paper that names both (a sentence on the evidence of
the paper's edges to each).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence

from pydantic import BaseModel, ConfigDict

from paperkg.graph.networkx_store import PAPER_LABEL, NetworkXStore
from paperkg.graph.schema import EntityType

# Metrics where lower is better: a leaderboard on them sorts ascending (also in leaderboard.cypher).
LOWER_IS_BETTER = ("error", "loss", "perplexity", "wer", "cer", "latency", "ppl", "fid")


class ResultRow(BaseModel):
    """One reported result with the paper that reports it; entity ids are None where the text names no entity,
    names are the entities' names, else the strings as written."""

    model_config = ConfigDict(frozen=True)

    paper_id: str
    paper_title: str
    value: str
    number: float
    unit: str
    kind: str
    system_id: str | None = None
    system: str | None = None
    benchmark_id: str | None = None
    benchmark: str | None = None
    metric_id: str | None = None
    metric: str | None = None
    baseline_id: str | None = None
    baseline: str | None = None
    sentence: str
    start: int


def lower_is_better(metric: str | None) -> bool:
    """Whether a smaller number ranks higher on `metric` (error rates, losses, perplexity, latency)."""
    name = (metric or "").lower()
    return any(word in name for word in LOWER_IS_BETTER)


def _rows(store: NetworkXStore) -> Iterator[ResultRow]:
    """Every stored result as a row, with entity names where its roles link to entities."""
    nodes = store.graph.nodes
    for paper_id, results in store.graph.graph.get("results", {}).items():
        title = nodes[paper_id].get("title", "") if paper_id in nodes else ""
        for r in results:
            fields = {}
            for role in ("system", "benchmark", "metric", "baseline"):
                entity_id = r.get(f"{role}_id")
                linked = entity_id if entity_id in nodes else None
                fields[f"{role}_id"] = linked
                fields[role] = nodes[linked]["name"] if linked else r.get(role)
            yield ResultRow(
                paper_id=paper_id,
                paper_title=title,
                value=r["value"],
                number=r["number"],
                unit=r["unit"],
                kind=r["kind"],
                sentence=r["sentence"],
                start=r["start"],
                **fields,
            )


def _matches_metric(row: ResultRow, metric: str | None) -> bool:
    return metric is None or row.metric_id == metric or (row.metric or "").lower() == metric.lower()


def leaderboard(store: NetworkXStore, benchmark: str, metric: str | None = None) -> list[ResultRow]:
    """Scores reported on a benchmark (entity id), optionally on one metric (id or name, any case): grouped by
    metric (any case) and unit, best first within a group (ascending for lower-is-better metrics), then by paper and
    position."""
    rows = [
        row
        for row in _rows(store)
        if row.kind == "score" and row.benchmark_id == benchmark and _matches_metric(row, metric)
    ]
    return sorted(rows, key=_rank)


def leaderboards(store: NetworkXStore, benchmarks: Iterable[str]) -> dict[str, Leaderboard]:
    """`comparable_rows(leaderboard(store, b))` for each benchmark id of `benchmarks` that has scores, reading
    the results once."""
    wanted = set(benchmarks)
    rows: dict[str, list[ResultRow]] = defaultdict(list)
    for row in _rows(store):
        if row.kind == "score" and row.benchmark_id in wanted:
            rows[row.benchmark_id].append(row)
    return {b: comparable_rows(sorted(found, key=_rank)) for b, found in rows.items()}


def _rank(row: ResultRow) -> tuple:
    """Leaderboard order: by metric and unit, best first (ascending for lower-is-better metrics), then by
    paper and position."""
    better = row.number if lower_is_better(row.metric) else -row.number
    return ((row.metric or "").lower(), row.unit, better, row.paper_id, row.start)


def results_of(store: NetworkXStore, entity: str) -> list[ResultRow]:
    """Every result whose system is the entity (id), by paper and position."""
    rows = [row for row in _rows(store) if row.system_id == entity]
    return sorted(rows, key=lambda row: (row.paper_id, row.start))


def compared_with(store: NetworkXStore, entity: str) -> list[ResultRow]:
    """Improvements that put the entity (id) against another: it as the system (it beats the baseline) or as
    the baseline (beaten); both ends linked to entities; by paper and position."""
    rows = [
        row
        for row in _rows(store)
        if row.kind == "improvement"
        and row.system_id
        and row.baseline_id
        and entity in (row.system_id, row.baseline_id)
    ]
    return sorted(rows, key=lambda row: (row.paper_id, row.start))


class Leaderboard(BaseModel):
    """A ranked board: the rows of one metric and unit, best first, and the rows it left out."""

    metric: str | None
    unit: str | None
    rows: list[ResultRow]
    left_out: list[ResultRow]


def comparable_rows(rows: Sequence[ResultRow]) -> Leaderboard:
    """Keep the largest group of rows sharing a metric (case-insensitive) and a unit, in their order; ties go
    to the group whose first row comes first. Rows of other groups are `left_out`."""
    if not rows:
        return Leaderboard(metric=None, unit=None, rows=[], left_out=[])

    def group(row: ResultRow) -> tuple[str, str]:
        return ((row.metric or "").lower(), row.unit)

    sizes = Counter(group(row) for row in rows)
    first_seen = {key: i for i, key in reversed(list(enumerate(group(row) for row in rows)))}
    chosen = max(sizes, key=lambda key: (sizes[key], -first_seen[key]))
    kept = [row for row in rows if group(row) == chosen]
    return Leaderboard(
        metric=kept[0].metric,
        unit=kept[0].unit,
        rows=kept,
        left_out=[row for row in rows if group(row) != chosen],
    )


DATA_LABELS = (EntityType.BENCHMARK.value, EntityType.DATASET.value)


class EvaluationLink(BaseModel):
    """An entity linked to another by statements: how many papers state the link, and one such sentence (the
    smallest in text order, so every backend picks the same)."""

    model_config = ConfigDict(frozen=True)

    id: str
    type: EntityType
    name: str
    papers: int
    sentence: str


def _sentences(graph, paper: str, entity: str) -> set[str]:
    """Every evidence sentence on the paper's edges to the entity."""
    edges = graph.get_edge_data(paper, entity) or {}
    return {e["sentence"] for data in edges.values() for e in data.get("evidence", ())}


def _statement_links(store: NetworkXStore, entity: str, wanted) -> dict[str, tuple[set[str], set[str]]]:
    """`{other entity: (papers, sentences)}` for the entities `wanted(label)` accepts that a result or a shared
    sentence links to `entity`, `entity` as the result's system or benchmark."""
    graph = store.graph
    found: dict[str, tuple[set[str], set[str]]] = {}

    def add(other: str, paper: str, sentence: str) -> None:
        if other != entity and other in graph and wanted(graph.nodes[other].get("label")):
            papers, sentences = found.setdefault(other, (set(), set()))
            papers.add(paper)
            sentences.add(sentence)

    for paper, results in graph.graph.get("results", {}).items():
        for r in results:
            if r.get("system_id") == entity and r.get("benchmark_id"):
                add(r["benchmark_id"], paper, r["sentence"])
            elif r.get("benchmark_id") == entity and r.get("system_id"):
                add(r["system_id"], paper, r["sentence"])
    for paper in graph.predecessors(entity):
        if graph.nodes[paper].get("label") != PAPER_LABEL:
            continue
        own = _sentences(graph, paper, entity)
        for other in graph.successors(paper):
            for sentence in own & _sentences(graph, paper, other):
                add(other, paper, sentence)
    return found


def _links(store: NetworkXStore, found: dict[str, tuple[set[str], set[str]]]) -> list[EvaluationLink]:
    nodes = store.graph.nodes
    rows = [
        EvaluationLink(
            id=i, type=EntityType(nodes[i]["label"]), name=nodes[i]["name"], papers=len(p), sentence=min(s)
        )
        for i, (p, s) in found.items()
    ]
    return sorted(rows, key=lambda row: (-row.papers, row.id))


def evaluated_on(store: NetworkXStore, model: str) -> list[EvaluationLink]:
    """Benchmarks and datasets a model (entity id) is stated to be evaluated on: a result of it there, or a
    sentence naming both; most papers first, then by id."""
    if model not in store.graph:
        return []
    return _links(store, _statement_links(store, model, lambda label: label in DATA_LABELS))


def models_on_benchmark(store: NetworkXStore, benchmark: str) -> list[EvaluationLink]:
    """Models stated to be evaluated on a benchmark or dataset (entity id): a result of theirs there, or a
    sentence naming both; most papers first, then by id."""
    if benchmark not in store.graph:
        return []
    return _links(store, _statement_links(store, benchmark, lambda label: label == EntityType.MODEL.value))

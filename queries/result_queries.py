"""Questions about results: leaderboards, what a system scores, who beats whom.

Row models and the NetworkX twins of `leaderboard.cypher`, `results_of.cypher` and `compared_with.cypher`
(same rows, same order), plus `comparable_rows`, the rule a leaderboard applies before it is shown: only rows
of one metric and one unit are ranked together, the others are named as left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from pydantic import BaseModel, ConfigDict

from paperkg.graph.networkx_store import NetworkXStore

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

    def order(row: ResultRow) -> tuple:
        better = row.number if lower_is_better(row.metric) else -row.number
        return ((row.metric or "").lower(), row.unit, better, row.paper_id, row.start)

    return sorted(rows, key=order)


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

"""One paper's abstract with its entities highlighted, by spaCy's displaCy from the stored mention offsets,
and the results it reports (values marked RESULT in the text, then a table).

Offsets come from the evidence on the paper's edges (MENTIONS keeps the first few mentions of each entity)
and from the stored results, so highlighting needs no model and no re-extraction.
"""

from __future__ import annotations

import html
from pathlib import Path

from paperkg.graph.networkx_store import NetworkXStore, node_to_paper
from paperkg.graph.schema import TITLE_ABSTRACT_SEPARATOR, EntityType, Paper
from paperkg.viz.views import TYPE_COLORS

DISPLACY_COLORS = {t.name: TYPE_COLORS[t.value] for t in EntityType} | {"RESULT": "#ffd54f"}
RESULT_COLUMNS = ("value", "kind", "system", "benchmark", "metric", "baseline")


def paper_results(store: NetworkXStore, paper_id: str) -> list[dict]:
    """The results the paper reports, as stored (fields of `Result`), in text order."""
    return sorted(store.graph.graph.get("results", {}).get(paper_id, ()), key=lambda r: r["start"])


def with_result_spans(spans: list[dict], results: list[dict], base: int, length: int) -> list[dict]:
    """`spans` plus a RESULT span for each result value inside the abstract that overlaps no entity span."""
    merged = list(spans)
    for result in results:
        start, end = result["start"] - base, result["end"] - base
        if 0 <= start < end <= length and all(end <= s["start"] or start >= s["end"] for s in merged):
            merged.append({"start": start, "end": end, "label": "RESULT"})
    return sorted(merged, key=lambda s: s["start"])


def results_table(results: list[dict]) -> str:
    """An HTML table of results (value, kind, system, benchmark, metric, baseline), escaped."""
    head = "".join(f"<th>{name}</th>" for name in RESULT_COLUMNS)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(str(r.get(name) or ''))}</td>" for name in RESULT_COLUMNS)
        + "</tr>"
        for r in results
    )
    style = "font-family: sans-serif; border-collapse: collapse; margin: 1em 2em"
    return f'<h3 style="margin: 1em 2em">Results</h3><table style="{style}"><tr>{head}</tr>{body}</table>'


def abstract_spans(store: NetworkXStore, paper_id: str) -> tuple[Paper, list[dict]]:
    """The paper and its entity spans in the abstract: `{"start", "end", "label"}`, sorted, non-overlapping."""
    graph = store.graph
    if paper_id not in graph or graph.nodes[paper_id].get("label") != "Paper":
        raise ValueError(f"no paper {paper_id!r} in the graph")
    paper = node_to_paper(paper_id, graph.nodes[paper_id])
    base = len(paper.title) + len(TITLE_ABSTRACT_SEPARATOR) if paper.title else 0
    spans = {}
    for _, target, data in graph.out_edges(paper_id, data=True):
        label = EntityType(graph.nodes[target]["label"]).name
        for item in data.get("evidence", ()):
            start, end = item["start"] - base, item["end"] - base
            if 0 <= start < end <= len(paper.abstract):
                spans[(start, end)] = label
    chosen: list[dict] = []
    for (start, end), label in sorted(spans.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        if not chosen or start >= chosen[-1]["end"]:
            chosen.append({"start": start, "end": end, "label": label})
    return paper, chosen


def render_paper(store: NetworkXStore, paper_id: str) -> str:
    """A standalone HTML page: the title, then the abstract with entities marked by type and result values
    marked RESULT, then the table of results when the paper reports any. Every stored value is escaped."""
    from spacy import displacy

    paper, spans = abstract_spans(store, paper_id)
    results = paper_results(store, paper_id)
    base = len(paper.title) + len(TITLE_ABSTRACT_SEPARATOR) if paper.title else 0
    spans = with_result_spans(spans, results, base, len(paper.abstract))
    heading = " · ".join(part for part in (paper.title or paper.id, paper.id, paper.date) if part)
    page = displacy.render(  # displaCy escapes the text, not the title
        {"text": paper.abstract, "ents": spans, "title": html.escape(heading)},
        style="ent",
        manual=True,
        page=True,
        options={"colors": DISPLACY_COLORS, "ents": list(DISPLACY_COLORS)},
    )
    if not results:
        return page
    return page.replace("</body>", results_table(results) + "</body>", 1)


def write_paper_page(store: NetworkXStore, paper_id: str, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(render_paper(store, paper_id), encoding="utf-8")
    return path

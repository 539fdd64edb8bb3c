"""Views, static pictures, exports and the paper page; the HTML page in a real headless Chromium."""

from __future__ import annotations

import io
import os
from collections import Counter

import networkx as nx
import pytest

from paperkg.cli import main
from paperkg.queries.api import open as open_graph
from paperkg.queries.result_queries import comparable_rows, leaderboard
from paperkg.viz.html import render_html, write_html
from paperkg.viz.paper_page import abstract_spans, write_paper_page
from paperkg.viz.views import LEADERBOARD_ROWS, LINKS_PER_ENTITY, ego_view, shared_paper_edges, top_view
from tests.cdp_browser import Browser, find_chromium
from tests.synthetic_graph import synthetic_store

CHROMIUM = find_chromium()
if CHROMIUM is None and os.environ.get("PAPERKG_REQUIRE_BROWSER"):
    raise RuntimeError("PAPERKG_REQUIRE_BROWSER is set but no chromium is on PATH (apt-get install chromium)")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium on PATH (Debian: apt-get install chromium) to test pages in a browser",
)


@pytest.fixture(scope="module")
def store():
    return synthetic_store()


@pytest.fixture(scope="module")
def graph_file(store, tmp_path_factory):
    return str(store.save(tmp_path_factory.mktemp("viz") / "graph.json"))


def test_ego_view_shows_the_neighbourhood_and_hides_the_frontier(store):
    view = ego_view(store, "model:gpt4", hops=1)
    visible = {n["id"] for n in view.visible_nodes}
    assert visible == {"model:gpt4", "2303.08774", "2307.09288", "2309.00001", "2401.01234"}
    hidden = {n["id"] for n in view.nodes} - visible
    assert {"benchmark:mmlu", "model:gpt3.5", "method:lora"} <= hidden
    edge = next(e for e in view.edges if e["id"] == "2303.08774->model:gpt4")
    assert (edge["type"], edge["relations"], edge["mentions"]) == ("PROPOSES", ["PROPOSES", "MENTIONS"], 3)
    assert edge["evidence"] == [
        "GPT-4 Technical Report",
        "We report GPT-4, evaluated on MMLU, HumanEval and GSM8K.",
    ]


def test_top_view_collapses_papers_into_weighted_entity_edges(store):
    view = top_view(store, top=3)
    top3 = [n["id"] for n in view.visible_nodes]
    assert top3 == ["model:gpt3.5", "model:gpt4", "benchmark:gsm8k"]
    assert all(n["type"] != "Paper" for n in view.nodes)
    kg = open_graph(store)
    expected = {}
    for i, a in enumerate(top3):
        shared = {row.id: row.papers for row in kg.query("cooccurring", entity=a, limit=100)}
        expected |= {f"{a}--{b}": shared[b] for b in top3[i + 1 :] if b in shared}
    assert {e["id"]: e["weight"] for e in view.edges} == expected
    assert {e["type"] for e in view.edges} == {"SHARED_PAPERS"}


def test_top_view_keeps_each_entitys_strongest_links(store):
    view = top_view(store, top=20)
    ids = [n["id"] for n in view.nodes]
    every = shared_paper_edges(store, ids, per_entity=len(ids))
    assert len(view.edges) < len(every)  # some weak links are left out
    degree = Counter(end for e in view.edges for end in (e["source"], e["target"]))
    partners = Counter(end for e in every for end in (e["source"], e["target"]))
    assert all(degree[n] >= min(LINKS_PER_ENTITY, partners[n]) for n in ids)
    assert [e["weight"] for e in view.edges] == sorted((e["weight"] for e in view.edges), reverse=True)


def test_benchmark_nodes_carry_their_leaderboard(store):
    """What hovering a benchmark shows: `paperkg leaderboard`'s comparable rows, best first."""
    board = comparable_rows(leaderboard(store, "benchmark:gsm8k"))
    for view in (ego_view(store, "benchmark:gsm8k", hops=1), top_view(store)):
        [node] = [n for n in view.nodes if n["id"] == "benchmark:gsm8k"]
        shown = node["leaderboard"]
        assert [(r["system"], r["value"]) for r in shown["rows"]] == [
            (r.system, r.value) for r in board.rows[:LEADERBOARD_ROWS]
        ]
        assert (shown["metric"], shown["unit"], shown["left_out"]) == (board.metric, board.unit, 2)
        assert all("leaderboard" not in n for n in view.nodes if n["type"] not in ("Benchmark", "Dataset"))


def test_html_is_standalone(store):
    page = render_html(ego_view(store, "model:gpt4", hops=2))
    assert "cytoscape" in page and "{{DATA}}" not in page and "/*VIZ_JS*/" not in page
    assert "<script src" not in page and "<link" not in page


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_static_pictures(graph_file, tmp_path, suffix, capsys):
    out = tmp_path / f"graph.{suffix}"
    assert main(["viz", "--graph", graph_file, "--entity", "llama 2", "--hops", "2", "--out", str(out)]) == 0
    data = out.read_bytes()
    if suffix == "svg":
        assert b"<svg" in data and b"LLaMA-2" in data
    else:
        import matplotlib.image

        pixels = matplotlib.image.imread(io.BytesIO(data))
        drawn = (abs(pixels[..., :3] - 1.0).sum(axis=-1) > 0.1).mean()  # not white background
        assert pixels.shape[:2] == (1400, 2000) and drawn > 0.01


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_exports_for_gephi_and_cytoscape(graph_file, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    assert main(["viz", "--graph", graph_file, "--out", str(out)]) == 0
    graph = nx.read_gexf(out) if fmt == "gexf" else nx.read_graphml(out)
    assert graph.number_of_nodes() == 25
    assert graph.nodes["model:gpt4"]["name"] == "GPT-4"


def test_paper_page_highlights_stored_mentions(store, tmp_path):
    paper, spans = abstract_spans(store, "2303.08774")
    assert [(paper.abstract[s["start"] : s["end"]], s["label"]) for s in spans][:3] == [
        ("GPT-4", "MODEL"),
        ("MMLU", "BENCHMARK"),
        ("HumanEval", "BENCHMARK"),
    ]
    page = write_paper_page(store, "2303.08774", tmp_path / "paper.html").read_text()
    assert page.count("<mark") == len(spans) == 7
    with pytest.raises(ValueError, match="no paper"):
        abstract_spans(store, "model:gpt4")


def _non_background_fraction(png: bytes) -> float:
    import matplotlib.image

    pixels = matplotlib.image.imread(io.BytesIO(png))[..., :3]
    canvas = pixels[:, : pixels.shape[1] * 3 // 4]  # the graph pane, left of the side panel
    return float((abs(canvas - canvas[2, 2]).sum(axis=-1) > 0.1).mean())


@needs_chromium
def test_graph_page_in_chromium(store, tmp_path):
    view = ego_view(store, "model:gpt4", hops=1)
    page = write_html(view, tmp_path / "graph.html")
    with Browser(CHROMIUM) as browser:
        browser.open(page, "window.paperkgReady === true")
        assert browser.evaluate("paperkg.cy.nodes(':visible').length") == len(view.visible_nodes) == 5

        browser.type_text("#search", "gpt4")
        # the search centres the match with a 200 ms viewport animation: positions are read once it has ended
        browser.wait_for("paperkg.cy.$(':selected').length === 1 && !paperkg.cy.animated()")
        browser.settle()
        assert browser.evaluate("paperkg.cy.$(':selected').map(n => n.id())") == ["model:gpt4"]
        assert "GPT-4" in browser.evaluate("document.getElementById('search-status').textContent")

        x, y = browser.evaluate(
            "(() => { const p = paperkg.cy.$id('model:gpt4').renderedPosition(); return [p.x, p.y]; })()"
        )
        browser.hover(x, y)
        assert "also: GPT4, gpt 4" in browser.evaluate("document.getElementById('tip').innerText")

        x, y = browser.evaluate(
            "(() => { const p = paperkg.cy.$id('2303.08774').renderedPosition(); return [p.x, p.y]; })()"
        )
        browser.click(x, y)
        browser.wait_for("paperkg.cy.nodes(':visible').length === 10")
        assert "open paper" in browser.evaluate("document.getElementById('info').innerText")

        assert _non_background_fraction(browser.screenshot()) > 0.01
        assert browser.errors() == []
        assert browser.remote_requests() == []
        warnings = [e for e in browser.events if e["params"].get("type") == "warning"]
        assert warnings == []


@needs_chromium
def test_hovering_a_benchmark_shows_its_leaderboard_in_chromium(store, tmp_path):
    page = write_html(ego_view(store, "benchmark:gsm8k", hops=1), tmp_path / "gsm8k.html")
    with Browser(CHROMIUM) as browser:
        browser.open(page, "window.paperkgReady === true")
        browser.wait_for("!paperkg.cy.animated()")
        browser.settle()
        x, y = browser.evaluate(
            "(() => { const p = paperkg.cy.$id('benchmark:gsm8k').renderedPosition(); return [p.x, p.y]; })()"
        )
        browser.hover(x, y)
        browser.wait_for("document.getElementById('tip').style.display === 'block'")
        tip = browser.evaluate("document.getElementById('tip').innerText")
        assert "Leaderboard · accuracy, %" in tip
        assert tip.index("GPT-4 92.0%") < tip.index("LLaMA-2 56.8%")
        assert "2 not comparable" in tip
        assert browser.errors() == []


@needs_chromium
def test_paper_page_in_chromium(store, tmp_path):
    page = write_paper_page(store, "2401.01234", tmp_path / "paper.html")
    with Browser(CHROMIUM) as browser:
        browser.open(page)
        marks = browser.evaluate(
            "[...document.querySelectorAll('mark')].map(m => m.firstChild.textContent.trim())"
        )
        assert marks == ["chain-of-thought prompting", "code generation", "HumanEval", "pass@1", "GPT-4"]
        assert browser.errors() == [] and browser.remote_requests() == []

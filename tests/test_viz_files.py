"""`paperkg viz` writes what it says: the format follows the suffix or --format (a conflict is an error), the
file is written under the name given, and the counts printed are those of the file. Static pictures are drawn
at the size asked, the focus at the centre, with labels that do not collide and papers named by short title."""

from __future__ import annotations

import json
import re
import struct

import networkx as nx
import pytest

from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.synthetic import synthetic_paper_graphs
from paperkg.viz.static import DRAWING_AREA, draw_view, label_text, layout, short_title, view_graph
from paperkg.viz.views import ego_view, top_view
from tests.cli_process import paperkg as run
from tests.synthetic_graph import synthetic_store

SUMMARY = re.compile(r"^wrote (?P<path>\S+) \((?P<fmt>\w+): (?P<rest>.*)\)$")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("viz_files")
    synthetic_store().save(folder / "graph.json")
    return folder


def viz(folder, *args: str) -> dict:
    ran = run("viz", *args, "--graph", "graph.json", cwd=folder)
    assert ran.code == 0 and ran.err == "", ran.err
    match = SUMMARY.match(ran.out.strip())
    assert match, ran.out
    return match.groupdict()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize(
    ("args", "written", "magic"),
    [
        (["--out", "top.pdf"], "top.pdf", b"%PDF"),
        (["--out", "top.svg"], "top.svg", b"<?xml"),
        (["--out", "TOP.PNG"], "TOP.PNG", b"\x89PNG"),
        (["--format", "png", "--out", "picture"], "picture", b"\x89PNG"),
        (["--format", "html", "--out", "page"], "page", b"<!DOCTYPE html>"),
        (["--out", "page.htm"], "page.htm", b"<!DOCTYPE html>"),
    ],
)
def test_the_file_named_is_written_in_the_format_asked(folder, args, written, magic):
    summary = viz(folder, *args)
    assert summary["path"] == written
    assert (folder / written).read_bytes().lstrip()[: len(magic)] == magic
    assert not list(folder.glob(f"{written}.*"))  # no suffix added behind the user's back


def test_conflicts_write_nothing(folder):
    for args in (["--format", "svg", "--out", "clash.png"], ["--out", "clash.jpg"], ["--out", "clash"]):
        ran = run("viz", *args, "--graph", "graph.json", cwd=folder)
        assert ran.code == 2 and "Traceback" not in ran.err
    assert not list(folder.glob("clash*"))


def test_printed_counts_are_those_of_the_exported_file(folder):
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        for focus in ([], ["--entity", "GPT-4"]):
            summary = viz(folder, *focus, "--out", f"g.{fmt}")
            graph = read(folder / f"g.{fmt}")
            assert summary["rest"] == f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"


def test_printed_counts_are_those_of_the_page(folder):
    summary = viz(folder, "--entity", "LoRA", "--hops", "1", "--out", "lora.html")
    page = (folder / "lora.html").read_text(encoding="utf-8")
    data = json.loads(
        re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', page).group(1)
    )
    shown = sum(not node["hidden"] for node in data["nodes"])
    hidden = len(data["nodes"]) - shown
    assert (
        summary["rest"] == f"{shown} nodes shown and {hidden} more a click away, {len(data['edges'])} edges"
    )


def test_pictures_have_the_size_asked(folder):
    summary = viz(folder, "--entity", "LLaMA-2", "--out", "llama.png")
    assert png_size((folder / "llama.png").read_bytes()) == (2000, 1400)
    assert summary["rest"].startswith("2000x1400 px, 12 nodes, 16 edges, 12 labels")
    viz(folder, "--entity", "LLaMA-2", "--out", "small.png", "--size", "1200x800")
    assert png_size((folder / "small.png").read_bytes()) == (1200, 800)


def test_the_focus_is_at_the_centre_and_every_node_labelled_when_there_is_room():
    store = synthetic_store()
    view = ego_view(store, "model:llama2", hops=2)
    graph = view_graph(view)
    assert tuple(layout(graph, "model:llama2")["model:llama2"]) == (0.0, 0.0)
    figure, drawn = draw_view(view)
    axes = figure.axes[0]
    x, y = axes.transData.transform((0.0, 0.0))
    width, height = figure.canvas.get_width_height()
    left, bottom, area_width, area_height = DRAWING_AREA
    assert x == pytest.approx(width * (left + area_width / 2), abs=1)
    assert y == pytest.approx(height * (bottom + area_height / 2), abs=1)
    labels = {text.get_text() for text in axes.texts}
    assert labels == {label_text(data) for _, data in drawn.nodes(data=True)}  # all 12, papers included
    assert {"Llama 2", "LLaMA-2-7B-Chat and LLaMA-2-70B…", "LLaMA-2"} <= labels


def test_labels_never_overlap_each_other_or_the_nodes():
    store = NetworkXStore()
    store.write(synthetic_paper_graphs(150, entities=200))
    figure, graph = draw_view(top_view(store, top=120))
    axes = figure.axes[0]
    renderer = figure.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in axes.texts]
    assert 40 < len(boxes) < graph.number_of_nodes()  # the crowded ones are left out, not drawn over others
    for i, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[i + 1 :])
        assert axes.get_window_extent(renderer).contains(box.x0, box.y0)
    figure, graph = draw_view(ego_view(store, "model:model0", hops=1, max_nodes=120))
    papers = [
        d for _, d in graph.nodes(data=True) if d["type"] == "Paper"
    ]  # the overview has none: collapsed
    assert {short_title(p["name"]) for p in papers} & {text.get_text() for text in figure.axes[0].texts}


def test_short_titles():
    assert short_title("Llama 2: Open Foundation and Fine-Tuned Chat Models") == "Llama 2"
    assert short_title("Chain-of-thought for code generation") == "Chain-of-thought for code…"
    assert len(short_title("x" * 80)) == 32

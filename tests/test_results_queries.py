"""Leaderboards, results_of and compared_with on the synthetic graph: order, the comparable-rows rule, who beats
whom. (That FalkorDB gives the same rows is checked with every named query in test_named_queries.py.)"""

from __future__ import annotations

import csv
import io
import json

import pytest

from paperkg.queries.api import KnowledgeGraph
from paperkg.queries.api import open as open_graph
from paperkg.queries.result_queries import comparable_rows, lower_is_better
from tests.synthetic_graph import synthetic_store


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return open_graph(synthetic_store())


def board(kg, benchmark, **params):
    return [
        (r.system, r.value, r.metric, r.unit) for r in kg.query("leaderboard", benchmark=benchmark, **params)
    ]


def test_leaderboard_groups_by_metric_and_unit_best_first(kg):
    assert board(kg, "GSM8K") == [  # names resolve like every entity parameter
        ("our model", "35.1%", None, "%"),
        ("GPT-4", "92.0%", "accuracy", "%"),
        ("LLaMA-2", "56.8%", "Accuracy", "%"),  # metric compared in any case
        ("LLaMA-2", "2.5 points", "accuracy", "points"),
    ]


def test_comparable_rows_keep_one_metric_and_unit_and_name_the_rest(kg):
    shown = comparable_rows(kg.query("leaderboard", benchmark="benchmark:gsm8k"))
    assert (shown.metric, shown.unit) == ("accuracy", "%")
    assert [(r.system, r.number) for r in shown.rows] == [("GPT-4", 92.0), ("LLaMA-2", 56.8)]
    assert [(r.system, r.value) for r in shown.left_out] == [
        ("our model", "35.1%"),
        ("LLaMA-2", "2.5 points"),
    ]
    assert comparable_rows([]).rows == []


def test_leaderboard_metric_filter_by_name_or_id_and_ties_by_paper(kg):
    assert board(kg, "benchmark:gsm8k", metric="ACCURACY") == [
        ("GPT-4", "92.0%", "accuracy", "%"),
        ("LLaMA-2", "56.8%", "Accuracy", "%"),
        ("LLaMA-2", "2.5 points", "accuracy", "points"),
    ]
    rows = kg.query("leaderboard", benchmark="benchmark:mmlu", metric="metric:accuracy")
    assert [(r.system, r.number, r.paper_id) for r in rows] == [("GPT-4", 86.4, "2303.08774")]
    rows = kg.query("leaderboard", benchmark="benchmark:mmlu", metric="accuracy")
    assert [(r.system, r.paper_id) for r in rows] == [
        ("GPT-4", "2303.08774"),
        ("LLaMA-2", "2307.09288"),  # 68.9 twice: the smaller paper id first
        ("LLaMA-2-7B-Chat", "2402.00003"),
    ]


def test_lower_is_better_metrics_rank_ascending(kg):
    assert (
        lower_is_better("Perplexity") and lower_is_better("word error rate") and not lower_is_better("BLEU")
    )
    assert board(kg, "dataset:c4") == [
        ("GPT-3.5", "8.1", "perplexity", "absolute"),
        ("BERT", "12.5", "perplexity", "absolute"),
    ]


def test_results_of_a_model_and_who_beats_whom(kg):
    assert [(r.value, r.benchmark, r.kind) for r in kg.query("results_of", entity="GPT-4")] == [
        ("92.0%", "GSM8K", "score"),
        ("86.4%", "MMLU", "score"),
        ("67.0", "HumanEval", "score"),
        ("15%", "GSM8K", "improvement"),
    ]
    beats = [(r.system, r.baseline, r.value) for r in kg.query("compared_with", entity="GPT-3.5")]
    assert beats == [("GPT-4", "GPT-3.5", "15%"), ("LLaMA-2-7B", "GPT-3.5", "+3.1")]
    beaten = [(r.system, r.baseline) for r in kg.query("compared_with", entity="LLaMA-2-70B")]
    assert beaten == [("LLaMA-2-7B-Chat", "LLaMA-2-70B")]
    assert kg.query("compared_with", entity="BERT") == []  # "3x" is no improvement


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    return synthetic_store().save(tmp_path_factory.mktemp("graph") / "graph.json")


def test_leaderboard_command_prints_the_ranked_board_and_what_it_left_out(graph_file, capsys):
    from paperkg.cli import main

    assert main(["leaderboard", "gsm8k", "--graph", str(graph_file)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split() == ["rank", "system", "value", "metric", "paper", "title"]
    assert [line.split()[:3] for line in lines[1:]] == [["1", "GPT-4", "92.0%"], ["2", "LLaMA-2", "56.8%"]]
    assert err.strip() == "left out 2 rows of other metrics or units: 1 no metric (%), 1 accuracy (points)"

    assert (
        main(["leaderboard", "MMLU", "--metric", "accuracy", "--format", "json", "--graph", str(graph_file)])
        == 0
    )
    board = json.loads(capsys.readouterr().out)
    assert [(r["rank"], r["system"], r["number"]) for r in board["rows"]] == [
        (1, "GPT-4", 86.4),
        (2, "LLaMA-2", 68.9),
        (2, "LLaMA-2-7B-Chat", 68.9),  # equal numbers share a rank
    ]
    assert (board["metric"], board["unit"], board["left_out"]) == ("accuracy", "%", [])

    assert main(["leaderboard", "C4", "--format", "csv", "--graph", str(graph_file)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["system"], r["value"]) for r in rows] == [("GPT-3.5", "8.1"), ("BERT", "12.5")]


def test_leaderboard_command_names_an_unknown_benchmark(graph_file, capsys):
    from paperkg.cli import main

    assert main(["leaderboard", "NoSuchBench", "--graph", str(graph_file)]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "NoSuchBench" in err and "Traceback" not in err


def test_show_page_marks_result_values_and_lists_the_results():
    from paperkg.graph.networkx_store import NetworkXStore
    from paperkg.graph.schema import Paper, PaperGraph, Result, ResultKind
    from paperkg.viz.paper_page import render_paper

    paper = Paper(id="p1", title="T", abstract="Zephyr reaches 7.3 <b> on MT-Bench.", source="test")
    start = paper.text.index("7.3")
    result = Result(
        value="7.3", number=7.3, unit="absolute", kind=ResultKind.SCORE, sentence=paper.abstract, start=start,
        end=start + 3, system="Zephyr", benchmark="MT-Bench", metric="score <x>",
    )  # fmt: skip
    store = NetworkXStore()
    store.write([PaperGraph(paper=paper, results=(result,))])
    page = render_paper(store, "p1")
    assert page.count("RESULT") >= 1 and "7.3" in page
    table = page[page.index("<h3") :]
    assert (
        "<td>7.3</td><td>score</td><td>Zephyr</td><td>MT-Bench</td><td>score &lt;x&gt;</td><td></td>" in table
    )
    assert "<b>" not in page  # the abstract and the table are escaped


def test_a_score_with_no_system_reads_as_not_named_in_the_table(tmp_path, capsys):
    """ "From 44.1% to 51.3% on GSM8K" with no baseline named: the first number has no system."""
    from paperkg.cli import main
    from paperkg.graph.schema import EntityType, Paper, PaperGraph, Result, ResultKind
    from tests.synthetic_graph import eid

    store = synthetic_store()
    sentence = "Self-refinement raises GSM8K accuracy from 44.1% to 51.3%."
    paper = Paper(id="2401.99999", title="Refine", abstract=sentence, source="synthetic")
    start = paper.text.index("44.1%")
    before = Result(
        paper_id=paper.id, value="44.1%", number=44.1, unit="%", kind=ResultKind.SCORE, sentence=sentence,
        start=start, end=start + 5, benchmark="GSM8K", benchmark_id=eid(EntityType.BENCHMARK, "GSM8K"),
    )  # fmt: skip
    store.write([PaperGraph(paper=paper, results=(before,))])
    graph_file = store.save(tmp_path / "graph.json")
    assert main(["leaderboard", "gsm8k", "--graph", str(graph_file)]) == 0
    table = capsys.readouterr().out
    assert "(not named)  44.1%" in table
    assert main(["leaderboard", "gsm8k", "--format", "json", "--graph", str(graph_file)]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["system"] for r in rows if r["value"] == "44.1%"] == [None]  # data stays null

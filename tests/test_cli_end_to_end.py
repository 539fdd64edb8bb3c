"""The CLI end to end on the real seeds and dev files: build, rebuild, extend, extract, lookup."""

import json

import pytest

from paperkg.cli import main
from paperkg.extract.resolve import recorded_long_forms, things_named
from paperkg.graph.networkx_store import NetworkXStore
from tests.conftest_paths import DEV, SEEDS

DEV_RECORDS = 60  # per dev file, for the extraction test


@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "graph.json"
    assert main(["build", str(SEEDS), "--out", str(out), "--quiet"]) == 0
    return out


def test_build_on_seeds_gives_312_papers_and_typed_entities(seed_graph, capsys):
    store = NetworkXStore.open(seed_graph, create=False)
    counts = store.counts()
    assert counts.nodes["Paper"] == 312
    for label in ("Model", "Method", "Dataset", "Benchmark", "Task", "Metric"):
        assert counts.nodes.get(label, 0) > 0, label
    assert counts.relationships["MENTIONS"] > 1000
    assert {"PROPOSES", "EVALUATES_ON", "COMPARES_WITH", "USES"} <= set(counts.relationships)


def test_rebuilding_the_same_input_into_its_graph_changes_nothing(seed_graph, tmp_path):
    """The seeds built again into their own graph (a copy): every paper re-ingested, the same graph byte for
    byte, so the build is deterministic and re-ingesting duplicates nothing."""
    again = tmp_path / "again.json"
    again.write_bytes(seed_graph.read_bytes())
    assert main(["build", str(SEEDS), "--out", str(again), "--quiet"]) == 0
    assert json.loads(again.read_text()) == json.loads(seed_graph.read_text())


def test_no_seed_entity_carries_long_forms_of_different_things(seed_graph):
    """An acronym joins a long form only through a paper that defines that pair, and one that papers define
    differently stays apart ("CL": continual learning in one seed paper, curriculum learning in another)."""
    store = NetworkXStore.open(seed_graph, create=False)
    entities = list(store.entities())
    mixed = {e.id: recorded_long_forms(e) for e in entities if things_named(recorded_long_forms(e)) > 1}
    assert not mixed
    holding = {
        long: {e.id for e in entities if long in {e.name.casefold(), *(a.casefold() for a in e.aliases)}}
        for long in ("continual learning", "curriculum learning", "dense retrieval", "domain randomization")
    }
    assert all(holding.values()), holding
    assert not holding["continual learning"] & holding["curriculum learning"]
    assert not holding["dense retrieval"] & holding["domain randomization"]


def test_building_more_input_adds_without_duplicates(tmp_path):
    out = tmp_path / "graph.json"
    first, second = sorted(SEEDS.glob("*.txt"))[:2]
    assert main(["build", str(first), "--out", str(out), "--quiet"]) == 0
    one = NetworkXStore.open(out).counts().nodes["Paper"]
    assert main(["build", str(second), "--out", str(out), "--quiet"]) == 0
    assert main(["build", str(first), str(second), "--out", str(tmp_path / "together.json"), "--quiet"]) == 0
    added, together = NetworkXStore.open(out), NetworkXStore.open(tmp_path / "together.json")
    assert one < added.counts().nodes["Paper"] == together.counts().nodes["Paper"]
    assert {p.id for p in added.papers()} == {p.id for p in together.papers()}
    # every mention of the papers is there exactly once, whichever way the build went
    mentions = [sum(r.count for r in s.relations() if r.type.value == "MENTIONS") for s in (added, together)]
    assert mentions[0] == mentions[1]
    # resolution is greedy, so the order papers arrive in may decide a rare merge; the graphs stay close
    assert (
        abs(added.counts().total_nodes - together.counts().total_nodes)
        <= 0.01 * together.counts().total_nodes
    )


def test_extract_on_dev_files_keeps_ids_and_exact_offsets(tmp_path):
    """The first records of each dev file (its full length is benchmarks/score_dev.py's job)."""
    for dev_path in sorted(DEV.glob("*.jsonl")):
        gold_path = tmp_path / dev_path.name
        gold_path.write_text("".join(dev_path.open().readlines()[:DEV_RECORDS]))
        out = tmp_path / f"{gold_path.stem}.pred.jsonl"
        assert main(["extract", str(gold_path), "--out", str(out), "--quiet"]) == 0
        gold = {d["id"]: d["text"] for d in map(json.loads, gold_path.open())}
        preds = [json.loads(line) for line in out.open()]
        assert [p["id"] for p in preds] == list(gold)
        assert sum(len(p["entities"]) for p in preds) > 0
        for pred in preds:
            text = gold[pred["id"]]
            for entity in pred["entities"]:
                assert text[entity["start"] : entity["end"]] == entity["text"]
                assert entity["label"] in {"MODEL", "METHOD", "DATASET", "BENCHMARK", "TASK", "METRIC"}
                assert entity["canonical"]


def test_lookup_finds_an_entity_by_another_spelling(seed_graph, capsys):
    store = NetworkXStore.open(seed_graph, create=False)
    entity = max(store.entities(), key=lambda e: store.paper_count(e.id))
    query = entity.name.upper().replace("-", " ")
    assert main(["lookup", query, "--graph", str(seed_graph)]) == 0
    out = capsys.readouterr().out
    assert entity.id in out and f"{store.paper_count(entity.id)} papers" in out


def test_lookup_of_an_unknown_name_fails_clearly(seed_graph, capsys):
    assert main(["lookup", "NoSuchModel-9000", "--graph", str(seed_graph)]) == 1
    assert "NoSuchModel-9000" in capsys.readouterr().err


def test_strict_build_fails_fast_naming_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "title": "Ok", "abstract": "Fine."}\n{"id": "b", "title": "T"\n')
    assert main(["build", str(bad), "--out", str(tmp_path / "g.json"), "--strict", "--quiet"]) == 2
    assert f"{bad}:2" in capsys.readouterr().err


def test_lenient_build_reports_rejects_and_keeps_going(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "title": "Ok", "abstract": "Fine."}\n{"id": "b", "title": "T"\n')
    rejects = tmp_path / "rejects.jsonl"
    code = main(["build", str(bad), "--out", str(tmp_path / "g.json"), "--rejects", str(rejects), "--quiet"])
    assert code == 0
    out = capsys.readouterr().out
    assert "read 2 records: 1 paper built, 1 rejected" in out
    (reject,) = [json.loads(line) for line in rejects.open()]
    assert reject["source"].endswith("bad.jsonl") and reject["line"] == 2

"""Builds and extraction with worker processes: the same output as one process, and strict errors intact."""

import json

import pytest

import paperkg
from paperkg.build import build_graph
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.sources import RejectedRecordError
from tests.conftest_paths import SEEDS


@pytest.fixture(scope="module")
def nlp():
    return paperkg.load()


def graph_json(store: NetworkXStore, path) -> dict:
    store.save(path)
    return json.loads(path.read_text())


def test_two_processes_build_the_same_graph_as_one(nlp, tmp_path):
    seed_file = min(SEEDS.iterdir())
    graphs = {}
    for processes in (1, 2):
        store = NetworkXStore()
        # batches of 8: many batches, more than the in-flight window of two per worker
        summary = build_graph([seed_file], store, nlp=nlp, n_process=processes, batch_size=8, progress=False)
        assert summary.built > 40 and summary.mentions > 500
        graphs[processes] = graph_json(store, tmp_path / f"graph{processes}.json")
    assert graphs[2] == graphs[1]


def test_strict_error_of_a_bad_record_surfaces_from_a_parallel_build(nlp, tmp_path):
    good = [
        {"id": f"p{i}", "title": f"Paper {i}", "abstract": "We fine-tune BERT on SQuAD."} for i in range(30)
    ]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(json.dumps(r) + "\n" for r in good) + '{"id": "b", "title": "T"\n')
    with pytest.raises(RejectedRecordError, match=f"{bad}:31"):
        build_graph([bad], NetworkXStore(), nlp=nlp, strict=True, n_process=2, batch_size=4, progress=False)


def test_extract_with_two_processes_writes_the_same_predictions(nlp, tmp_path):
    from paperkg.predict import write_predictions

    dev_file = SEEDS.parent / "data" / "dev" / "scierc.jsonl"
    outputs = {}
    for processes in (1, 2):
        out = tmp_path / f"preds{processes}.jsonl"
        stats = write_predictions([dev_file], out, nlp=nlp, n_process=processes, progress=False)
        assert stats.built == 50
        outputs[processes] = out.read_text()
    assert sum(len(json.loads(line)["entities"]) for line in outputs[1].splitlines()) > 200
    assert outputs[2] == outputs[1]

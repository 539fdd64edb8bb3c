"""Honest lookups: `.best` is an exact, alias or spelling-insensitive match, or a fuzzy one that clears the
measured threshold and is not another version, size or name; anything else is only a suggestion. Papers are
read by id or title the same way."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

import paperkg
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.queries.entity_index import FUZZY_MATCH_SCORE, FUZZY_MATCH_SCORE_UNCASED, other_name
from tests.cli_process import paperkg as run
from tests.graph_factories import paper_graph
from tests.synthetic_graph import synthetic_store

NEAR_MISSES = [
    ("p1", "Pretrained PLMs such as PLM encoders help.", [("PLMs", "METHOD"), ("PLM", "METHOD", "PLMs")]),
    ("p2", "We distil Orca into Mistral-Instruct-v2.", [("Orca", "MODEL"), ("Mistral-Instruct-v2", "MODEL")]),
    (
        "p3",
        "ResNet and ConvNet on HumanEval with T5-XL.",
        [("ResNet", "MODEL"), ("ConvNet", "MODEL"), ("HumanEval", "BENCHMARK"), ("T5-XL", "MODEL")],
    ),
    ("p4", "A Transformer on GSM8K.", [("Transformer", "METHOD"), ("GSM8K", "BENCHMARK")]),
]


@pytest.fixture(scope="module")
def kg():
    store = NetworkXStore()
    store.write([paper_graph(*paper) for paper in NEAR_MISSES])
    return paperkg.open(store)


@pytest.mark.parametrize(
    ("query", "suggested"),
    [
        ("PaLM", "PLMs"),  # fuzzy 86 on the alias PLM: another model, not a typo
        ("Orca-3", "Orca"),  # another version
        ("Mistral-7b-Instruct", "Mistral-Instruct-v2"),  # another size and version
        ("ResNeXt", "ResNet"),  # capitals say another name
        ("resnext", "ResNet"),  # lower case: the stricter threshold
        ("convnext", "ConvNet"),
        ("T5-XXL", "T5-XL"),  # another size word
        ("HumanEval+", "HumanEval"),  # a suffix makes another benchmark
    ],
)
def test_a_near_name_is_a_suggestion_not_an_answer(kg, query, suggested):
    found = kg.lookup(query)
    assert found.best is None and found.matches == []
    assert suggested in [m.entity.name for m in found.suggestions]
    with pytest.raises(
        ValueError, match=f"no entity named {re.escape(repr(query))}.*did you mean: .*{suggested}"
    ):
        kg.resolve(query)


@pytest.mark.parametrize(
    ("query", "name", "how"),
    [
        ("humaneval", "HumanEval", "name"),
        ("PLM", "PLMs", "alias"),
        ("HumanEvl", "HumanEval", "fuzzy"),  # a typo, capitals agree: 94 >= 86
        ("humanevl", "HumanEval", "fuzzy"),  # lower case: 94 >= 94
        ("Transformers", "Transformer", "name"),  # plural folded as the build folds it
        ("GSM8K benchmark", "GSM8K", "name"),  # generic head folded
    ],
)
def test_exact_folded_and_typo_spellings_are_answers(kg, query, name, how):
    found = kg.lookup(query)
    assert found.best is not None and found.best.name == name
    assert found.matches[0].match == how


def test_cli_says_not_found_did_you_mean(kg, tmp_path):
    kg.store.save(tmp_path / "graph.json")
    ran = run("lookup", "PaLM", "--graph", "graph.json", cwd=tmp_path)
    assert ran.code == 1 and ran.out == "" and "Traceback" not in ran.err
    assert ran.err.splitlines()[0] == "paperkg lookup: no entity named 'PaLM' in graph.json"
    assert ran.err.splitlines()[1].startswith("did you mean: PLMs [Method]")
    ran = run("lookup", "HumanEvl", "--graph", "graph.json", cwd=tmp_path)
    assert ran.code == 0
    assert ran.out.startswith(
        "HumanEval [Benchmark] benchmark:humaneval — 1 paper, fuzzy match on 'HumanEval' (94)"
    )


def test_thresholds_are_the_measured_ones():
    """benchmarks/lookup_threshold.py on the labelled pairs: each threshold in use is the lowest score at which
    no pair of different things is accepted, and the near misses the issue names stay apart."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "lookup_threshold.py"
    spec = importlib.util.spec_from_file_location("lookup_threshold", path)
    measure = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(measure)
    groups = measure.measured_pairs()
    assert measure.sweep(groups[True])[1] == FUZZY_MATCH_SCORE
    assert measure.sweep(groups[False])[1] == FUZZY_MATCH_SCORE_UNCASED
    assert all(
        other_name(q, c) for q, c in [("Orca-3", "Orca"), ("Mistral-7b-Instruct", "Mistral-Instruct-v2")]
    )


@pytest.fixture(scope="module")
def synthetic():
    return paperkg.open(synthetic_store())


@pytest.mark.parametrize(
    ("text", "how"),
    [
        ("2307.09288", "id"),
        ("arXiv:2307.09288v2", "id"),
        ("https://arxiv.org/abs/2307.09288", "id"),
        ("Llama 2: Open Foundation and Fine-Tuned Chat Models", "title"),
        ("llama 2 open foundation and fine tuned chat models", "title"),
        ("Llama 2", "short title"),
        ("Llama 2: Open Foundaton and Fine-Tuned Chat Models", "fuzzy"),
    ],
)
def test_a_paper_is_read_by_id_or_title(synthetic, text, how):
    found = synthetic.lookup_paper(text)
    assert found.best is not None and found.best.id == "2307.09288"
    assert found.matches[0].match == how
    assert synthetic.query("paper_proposes", paper=text) == synthetic.query(
        "paper_proposes", paper="2307.09288"
    )


def test_a_paper_not_named_exactly_is_suggested_not_guessed(synthetic):
    assert (
        synthetic.lookup_paper("Llama 3: Open Foundation and Fine-Tuned Chat Models").best is None
    )  # a number
    with pytest.raises(
        ValueError, match="no paper with id or title 'Llama'.*did you mean: .*2307.09288 'Llama 2: Open"
    ):
        synthetic.query("paper_entities", paper="Llama")


def test_paper_queries_and_show_take_a_title_on_the_command_line(tmp_path):
    synthetic_store().save(tmp_path / "graph.json")
    ran = run(
        "query",
        "paper_proposes",
        "-p",
        "paper=Llama 2",
        "--format",
        "csv",
        "--graph",
        "graph.json",
        cwd=tmp_path,
    )
    assert ran.code == 0 and ran.out.splitlines() == ["id,type,name", "model:llama2,Model,LLaMA-2"]
    ran = run("show", "GPT-4 Technical Report", "--out", "paper.html", "--graph", "graph.json", cwd=tmp_path)
    assert ran.code == 0 and ran.out == "wrote paper.html (2303.08774: GPT-4 Technical Report)\n"
    assert "<mark" in (tmp_path / "paper.html").read_text(encoding="utf-8")


def test_new_entities_explains_an_empty_answer(synthetic):
    assert synthetic.query("new_entities", after="2030") == []
    assert synthetic.why_empty("new_entities", after="2030") == (
        "the newest dated paper is from 2024-02-01: nothing is first seen after 2030"
    )
    undated = NetworkXStore()
    undated.write([paper_graph("t-a", "We train BERT.", [("BERT", "MODEL")])])
    kg = paperkg.open(undated)
    assert kg.query("new_entities", after="2000") == []
    assert kg.why_empty("new_entities", after="2000").startswith("no paper in <memory> has a date")
    assert synthetic.why_empty("top_entities") is None

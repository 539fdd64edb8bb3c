"""Names typed as their paper presents them: benchmark or dataset (extract/presented_types.py)."""

from __future__ import annotations

from spacy.tokens import Doc

import paperkg
from paperkg.extract.presented_types import PresentedTypes, presented_types
from paperkg.extract.training.corpus import make_tokenizer_nlp

NLP = make_tokenizer_nlp()


def doc_with(text: str, *labelled: tuple[str, str]) -> Doc:
    """`text` as a one-sentence doc whose entities are every occurrence of each (name, label)."""
    doc = NLP.make_doc(text)
    doc[0].is_sent_start = True
    for token in doc[1:]:
        token.is_sent_start = False
    ents = []
    for name, label in labelled:
        starts = [i for i in range(len(doc.text)) if doc.text.startswith(name + " ", i)]
        ents += [doc.char_span(start, start + len(name), label=label) for start in starts]
    doc.ents = sorted(ents)
    return doc


def test_a_list_with_a_score_beside_each_name_is_still_a_list():
    doc = doc_with(
        "It improves on evaluation datasets ( StrategyQA 58.9 rightarrow 61.7 acc . , ARC-DA 31.6 rightarrow "
        "52.1 F1 , IIRC 25.5 -> 27.3 F1 ) .",
        ("StrategyQA", "DATASET"),
        ("ARC-DA", "MODEL"),
        ("F1", "METRIC"),
        ("IIRC", "BENCHMARK"),
    )
    assert presented_types(doc) == {"strategyqa": "DATASET", "arc-da": "DATASET", "iirc": "DATASET"}


def test_a_list_opened_by_benchmarks_makes_each_name_a_benchmark():
    doc = doc_with(
        "Experiments on three multi-task benchmarks ( PASCALContext , NYUDv2 , and CIFAR100-MTL ) help .",
        ("PASCALContext", "DATASET"),
        ("NYUDv2", "MODEL"),
        ("CIFAR100-MTL", "METHOD"),
    )
    assert presented_types(doc) == {
        "pascalcontext": "BENCHMARK",
        "nyudv2": "BENCHMARK",
        "cifar100-mtl": "BENCHMARK",
    }
    assert [e.label_ for e in PresentedTypes()(doc).ents] == ["BENCHMARK"] * 3


def test_a_word_after_the_name_types_a_dataset_or_benchmark_but_not_a_method():
    doc = doc_with(
        "We top the GLUE leaderboard with SFT datasets , the CaseHOLD dataset and the NYUD-v2 dataset .",
        ("GLUE", "DATASET"),
        ("SFT", "METHOD"),
        ("CaseHOLD", "BENCHMARK"),
        ("NYUD-v2", "MODEL"),
    )
    assert [(e.text, e.label_) for e in PresentedTypes()(doc).ents] == [
        ("GLUE", "BENCHMARK"),
        ("SFT", "METHOD"),  # "SFT datasets" are data for a method
        ("CaseHOLD", "DATASET"),
        ("NYUD-v2", "DATASET"),  # a name typed model by its shape
    ]


def test_a_name_presented_both_ways_or_after_a_closed_list_keeps_its_type():
    doc = doc_with(
        "On benchmarks ( MMLU ) and the MMLU dataset , BERT beats GPT-2 .",
        ("MMLU", "BENCHMARK"),
        ("BERT", "MODEL"),
        ("GPT-2", "MODEL"),
    )
    assert presented_types(doc) == {}
    assert [e.label_ for e in PresentedTypes()(doc).ents] == ["BENCHMARK", "BENCHMARK", "MODEL", "MODEL"]


def test_the_pipeline_types_a_listed_dataset_as_the_benchmark_it_is_presented_as():
    nlp = paperkg.load()
    doc = nlp("We evaluate on two math benchmarks (GSM8K and MATH) and pretrain on the C4 corpus.")
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("GSM8K") == "BENCHMARK" and labels.get("MATH") == "BENCHMARK"
    assert labels.get("C4") == "DATASET"


def test_an_apposition_says_whether_a_name_is_a_model_or_a_method():
    doc = doc_with(
        "We introduce Bonito , an open-source model , and a new model - SaT - trained with CycleQD , a novel "
        "framework ; Bonito beats BERT .",
        ("Bonito", "METHOD"),
        ("SaT", "METHOD"),
        ("CycleQD", "MODEL"),
        ("BERT", "METHOD"),
    )
    assert [(e.text, e.label_) for e in PresentedTypes()(doc).ents] == [
        ("Bonito", "MODEL"),
        ("SaT", "MODEL"),
        ("CycleQD", "METHOD"),
        ("Bonito", "MODEL"),  # every mention of the name
        ("BERT", "METHOD"),  # nothing said of it
    ]

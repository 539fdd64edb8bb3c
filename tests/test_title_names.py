"""The name a title opens with is an entity (extract/title_names.py), on real titles of the kind the seeds hold."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from paperkg.extract.title_names import TitleNames, title_name
from paperkg.extract.training.corpus import make_tokenizer_nlp

NLP = make_tokenizer_nlp()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4M-21: An Any-to-Any Vision Model for Tens of Tasks\n\nWe train it.", ("4M-21", "MODEL")),
        ("TaskBench: Benchmarking LLMs for Task Automation\n\nWe build it.", ("TaskBench", "METHOD")),
        ("ProcBench: A Benchmark for Multi-Step Reasoning\n\nWe build it.", ("ProcBench", "BENCHMARK")),
        (
            "Alloprof: a new French question-answer education dataset\n\nWe collect it.",
            ("Alloprof", "DATASET"),
        ),
        ("ERNIE 3.0: Large-scale Knowledge Enhanced Pre-training\n\nWe train it.", ("ERNIE 3.0", "MODEL")),
        ("Learning with Less: Knowledge Distillation from LLMs\n\nWe distill.", None),  # a phrase, no name
        ("Table 3: Accuracy of prediction for English\n\nx", None),  # a caption
        ("ProcBench: A Benchmark for Multi-Step Reasoning", None),  # a sentence with no title above a text
    ],
)
def test_the_name_before_a_titles_colon(text, expected):
    span = title_name(NLP.make_doc(text))
    assert ((span.text, span.label_) if span is not None else None) == expected


def test_a_found_name_keeps_its_type_and_a_part_of_the_name_gives_way():
    doc = NLP.make_doc("ERNIE 3.0: Large-scale Knowledge Enhanced Pre-training\n\nERNIE 3.0 wins.")
    doc.ents = [Span(doc, 0, 1, label="MODEL")]  # the recognizer found "ERNIE" only
    assert [(e.text, e.label_) for e in TitleNames()(doc).ents] == [("ERNIE 3.0", "MODEL")]
    doc = NLP.make_doc("TaskBench: Benchmarking LLMs for Task Automation\n\nx")
    doc.ents = [Span(doc, 0, 1, label="BENCHMARK")]
    assert [(e.text, e.label_) for e in TitleNames()(doc).ents] == [("TaskBench", "BENCHMARK")]

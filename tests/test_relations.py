"""Relation cues on hand-written sentences: one test per relation type, and negatives."""

import pytest
import spacy

from paperkg.extract import sentences  # noqa: F401  (registers paperkg_sentencizer)
from paperkg.extract.relations import relations_of, typed_relations
from paperkg.graph.schema import Paper, RelationType


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("paperkg_sentencizer")  # the pipeline's own: a blank line ends the title
    return nlp


def annotate(nlp, text, ents):
    doc = nlp(text)
    spans = []
    for name, label in ents:
        start = text.index(name)
        spans.append(doc.char_span(start, start + len(name), label=label))
    doc.ents = spans
    return doc


def relations(nlp, text, ents, title_end=0):
    doc = annotate(nlp, text, ents)
    return {span.text: relation for span, relation, _ in typed_relations(doc, title_end=title_end)}


def test_we_propose_marks_the_papers_own_method(nlp):
    found = relations(
        nlp, "In this paper, we propose RAFT for abusive language detection.", [("RAFT", "METHOD")]
    )
    assert found == {"RAFT": RelationType.PROPOSES}


def test_title_head_is_proposed(nlp):
    title = "LeTI: Learning to Generate from Textual Interactions"
    found = relations(nlp, title + "\n\nWe study code.", [("LeTI", "METHOD")], title_end=len(title))
    assert found == {"LeTI": RelationType.PROPOSES}


def test_appositive_novel_marks_proposal(nlp):
    found = relations(
        nlp,
        "Experiments show that ImprovNet, a novel transformer architecture, works.",
        [("ImprovNet", "MODEL")],
    )
    assert found == {"ImprovNet": RelationType.PROPOSES}


def test_evaluates_on_dataset_and_benchmark(nlp):
    found = relations(
        nlp,
        "We evaluate our approach on SQuAD and on the MMLU benchmark.",
        [("SQuAD", "DATASET"), ("MMLU", "BENCHMARK")],
    )
    assert found == {"SQuAD": RelationType.EVALUATES_ON, "MMLU": RelationType.EVALUATES_ON}


def test_compares_with_outperformed_baseline(nlp):
    found = relations(
        nlp,
        "Our system outperforms GPT-3 and compares favourably with PaLM.",
        [("GPT-3", "MODEL"), ("PaLM", "MODEL")],
    )
    assert found == {"GPT-3": RelationType.COMPARES_WITH, "PaLM": RelationType.COMPARES_WITH}
    gain_over = relations(nlp, "We report a 4.1% gain over T5 on the new benchmark.", [("T5", "MODEL")])
    assert gain_over == {"T5": RelationType.COMPARES_WITH}


def test_uses_model_it_builds_on(nlp):
    found = relations(nlp, "We fine-tune LLaMA-2 using LoRA.", [("LLaMA-2", "MODEL"), ("LoRA", "METHOD")])
    assert found == {"LLaMA-2": RelationType.USES, "LoRA": RelationType.USES}


def test_nearest_cue_wins_within_a_sentence(nlp):
    found = relations(
        nlp,
        "We propose RAFT and evaluate it on GLUE, outperforming BERT.",
        [("RAFT", "METHOD"), ("GLUE", "BENCHMARK"), ("BERT", "MODEL")],
    )
    assert found == {
        "RAFT": RelationType.PROPOSES,
        "GLUE": RelationType.EVALUATES_ON,
        "BERT": RelationType.COMPARES_WITH,
    }


def test_negative_background_mentions_stay_plain(nlp):
    found = relations(
        nlp,
        "BERT was trained on Wikipedia. Transformers are popular.",
        [("BERT", "MODEL"), ("Wikipedia", "DATASET"), ("Transformers", "METHOD")],
    )
    assert found == {}


def test_negative_tasks_and_metrics_get_no_typed_relation(nlp):
    found = relations(
        nlp,
        "We propose to study code generation and report accuracy on HumanEval.",
        [("code generation", "TASK"), ("accuracy", "METRIC"), ("HumanEval", "BENCHMARK")],
    )
    assert found == {"HumanEval": RelationType.EVALUATES_ON}


def test_negative_dataset_is_never_compared_with(nlp):
    found = relations(nlp, "This is better than ImageNet pretraining alone.", [("ImageNet", "DATASET")])
    assert "ImageNet" not in found or found["ImageNet"] is not RelationType.COMPARES_WITH


def test_relations_of_carries_sentence_and_offsets(nlp):
    paper = Paper(
        id="p1", title="A title", abstract="We evaluate on SQuAD. SQuAD results follow.", source="x"
    )
    doc = annotate(nlp, paper.text, [("SQuAD", "DATASET")])
    (relation,) = relations_of(paper, doc)
    assert relation.type is RelationType.EVALUATES_ON
    assert relation.source_id == "p1" and relation.target_id == "dataset:squad"
    (evidence,) = relation.evidence
    assert evidence.sentence == "We evaluate on SQuAD."
    assert paper.text[evidence.start : evidence.end] == "SQuAD"

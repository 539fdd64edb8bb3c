import pytest
import spacy

from paperkg.extract.lexicon import is_case_sensitive, merge_lexicons, pattern_variants, pretokenized_form
from paperkg.extract.rules import minimal_span, name_after_cue, split_coordination
from paperkg.extract.sentences import sentence_starts
from paperkg.extract.span_overlaps import select_spans
from paperkg.extract.tokenizer import create_ml_tokenizer


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.tokenizer = create_ml_tokenizer(nlp)
    return nlp


def test_minimal_span_drops_determiner_and_generic_head(nlp):
    assert [s.text for s in minimal_span(nlp("the CaseHOLD dataset")[:])] == ["CaseHOLD"]
    assert [s.text for s in minimal_span(nlp("GSM8K benchmark")[:])] == ["GSM8K"]
    assert minimal_span(nlp("the dataset")[:]) == []


def test_split_coordination(nlp):
    spans = split_coordination(nlp("the Kinetics and MultiThumos datasets")[:])
    assert [s.text for s in spans] == ["Kinetics", "MultiThumos"]


def test_a_generic_head_with_no_name_of_its_own_names_nothing(nlp):
    assert split_coordination(nlp("A Brief Survey and A Benchmark")[:]) == []
    spans = split_coordination(nlp("SQuAD, the NQ and TriviaQA benchmarks")[:])
    assert [s.text for s in spans] == ["SQuAD", "NQ", "TriviaQA"]


def test_name_after_cue(nlp):
    spans = name_after_cue(nlp("we propose a novel Recurrent Convolutional Network")[:])
    assert [s.text for s in spans] == ["Recurrent Convolutional Network"]


def test_pattern_variants_cover_pretokenized_text():
    assert pretokenized_form("ResNet-50") == "ResNet - 5 0"
    assert pattern_variants("GPT-4") == ["GPT-4", "GPT - 4"]
    assert pattern_variants("machine translation") == ["machine translation"]


def test_case_sensitivity():
    assert is_case_sensitive("BERT") and is_case_sensitive("Kinetics")
    assert not is_case_sensitive("question answering")


def test_merge_lexicons_curated_wins():
    curated = [{"label": "MODEL", "pattern": "GPT-4", "id": "GPT-4"}]
    derived = [
        {"label": "METHOD", "pattern": "GPT 4", "id": "GPT 4"},
        {"label": "MODEL", "pattern": "GPT-4", "id": "x"},
    ]
    merged = merge_lexicons(curated, derived)
    assert merged == [curated[0], {"label": "MODEL", "pattern": "GPT 4", "id": "GPT-4"}]


def test_select_spans_prefers_longest_then_priority():
    assert select_spans([(0, 2, 1), (1, 3, 0), (3, 4, 0), (0, 2, 0)], 4) == [3, 2]
    assert select_spans([(0, 1, 0), (0, 3, 1)], 3) == [1]


def test_sentence_starts_abbreviations():
    words = ["Hare", "et", "al", ".", "show", "e.g.", "CNNs", "work", ".", "We", "see", "Fig", ".", "2", "."]
    starts = sentence_starts(words, [""] * len(words), frozenset({"al", "e.g", "Fig"}))
    assert [w for w, s in zip(words, starts) if s] == ["Hare", "We"]


def test_a_dot_followed_by_a_comma_ends_no_sentence():
    words = ["58.9", "to", "61.7", "acc.", ",", "IIRC", "25.5", ".", "Then", "we", "stop", "."]
    starts = sentence_starts(words, [""] * len(words), frozenset())
    assert [w for w, s in zip(words, starts) if s] == ["58.9", "Then"]

import doctest

import pytest
import spacy

from paperkg.extract import tokenizer
from paperkg.extract.tokenizer import create_ml_tokenizer

WHOLE = [
    "GPT-4",
    "GPT-3.5-turbo",
    "LLaMA-2-70B",
    "Qwen2.5-7B-Instruct",
    "ResNet-50",
    "pass@1",
    "T5-XXL",
    "BERT-base",
    "GSM8K",
    "CIFAR-10",
    "ImageNet-1k",
]


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.tokenizer = create_ml_tokenizer(nlp)
    return nlp


@pytest.mark.parametrize("name", WHOLE)
def test_names_stay_whole(nlp, name):
    doc = nlp(f"We compare {name}, and more.")
    assert name in [t.text for t in doc]


def test_modifier_compounds_split(nlp):
    assert [t.text for t in nlp("BERT-based")] == ["BERT", "-", "based"]


def test_tokenizer_doctests():
    assert doctest.testmod(tokenizer).failed == 0


def test_final_period_split_after_name(nlp):
    assert [t.text for t in nlp("on GSM8K.")] == ["on", "GSM8K", "."]


def test_a_name_ending_in_a_capital_leaves_the_full_stop(nlp):
    """Not an initial: "PaLI-X." and "Qwen-SFT-MoI." end a sentence; "J. Smith" and "U.S." keep theirs."""
    assert [t.text for t in nlp("beats PaLI-X. It")] == ["beats", "PaLI-X", ".", "It"]
    assert [t.text for t in nlp("train Qwen-SFT-MoI. It")][-2:] == [".", "It"]
    assert [t.text for t in nlp("by J. Smith in the U.S. today")] == [
        "by",
        "J.",
        "Smith",
        "in",
        "the",
        "U.S.",
        "today",
    ]

import pytest
import spacy
from spacy.tokens import Span

from paperkg.extract.abbreviation import (
    filter_matches,
    find_abbreviation,
    long_form_head,
    pair_label,
    reverse_definitions,
    short_form_filter,
    title_definition,
)
from paperkg.extract.tokenizer import create_ml_tokenizer


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.tokenizer = create_ml_tokenizer(nlp)
    return nlp


def _span(doc, text):
    start = doc.text.index(text)
    return doc.char_span(start, start + len(text), alignment_mode="strict")


@pytest.mark.parametrize(
    ("text", "short", "expected"),
    [
        ("We use Low-Rank Adaptation (LoRA)", "LoRA", "Low-Rank Adaptation"),
        (
            "a Rationale Adaptor for Few-shoT classification (RAFT)",
            "RAFT",
            "Rationale Adaptor for Few-shoT classification",
        ),
        ("three dimensional convolutional neural networks (CNNs)", "CNNs", "convolutional neural networks"),
        ("pre-tokenized Recurrent Convolutional Network ( RCN )", "RCN", "Recurrent Convolutional Network"),
        # the shortest match would start inside the name: "superviSed learning", "AmErican English"
        ("While self-supervised learning (SSL)", "SSL", "self-supervised learning"),
        ("with semi-supervised learning (SSL)", "SSL", "semi-supervised learning"),
        ("on tweets in African-American English (AAE)", "AAE", "African-American English"),
        ("Learning from Label Proportions (LLP)", "LLP", "Learning from Label Proportions"),
    ],
)
def test_find_abbreviation_long_form(nlp, text, short, expected):
    doc = nlp(text)
    short_span = _span(doc, short)
    candidate = doc[: short_span.start - 1]
    _, long_form = find_abbreviation(candidate, short_span)
    assert long_form is not None and long_form.text == expected


def test_find_abbreviation_rejects_unrelated(nlp):
    doc = nlp("results on the test split (GSM)")
    short_span = _span(doc, "GSM")
    assert find_abbreviation(doc[: short_span.start - 1], short_span)[1] is None


def test_first_letter_must_start_a_word(nlp):
    # "R" occurs inside "adaptor" but no word of the candidate starts with r
    doc = nlp("an adaptor model (RM)")
    short_span = _span(doc, "RM")
    assert find_abbreviation(doc[: short_span.start - 1], short_span)[1] is None


@pytest.mark.parametrize(
    ("text", "ok"),
    [("LoRA", True), ("RAFT", True), ("e.g.", False), ("2019", False), ("x", False), ("see", False)],
)
def test_short_form_filter(nlp, text, ok):
    assert short_form_filter(nlp(text)[:]) is ok


def test_filter_matches_builds_candidates_before_parenthesis(nlp):
    doc = nlp("We propose Low-Rank Adaptation (LoRA) here.")
    inside = doc.text.index("LoRA")
    start = doc.char_span(inside, inside + 4).start
    [(candidate, short)] = filter_matches([(start, start + 1)], doc)
    assert short.text == "LoRA"
    assert candidate.text.endswith("Low-Rank Adaptation")


def _inside_parentheses(doc):
    opening = next(t.i for t in doc if t.text == "(")
    closing = next(t.i for t in doc if t.text == ")")
    return [(opening + 1, closing)]


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        (
            "we first present CaseHOLD (Case Holdings On Legal Decisions), a new dataset",
            ("CaseHOLD", "Case Holdings On Legal Decisions"),
        ),
        (
            "the FiGRet (Fine-grained Guidance for Retrievers) framework",
            ("FiGRet", "Fine-grained Guidance for Retrievers"),
        ),
        ("we fine-tune BERT (Devlin et al., 2019) on it", ("BERT", None)),
        ("we use GPT-4 (in the chat setting) as judge", ("GPT-4", None)),
        ("accuracy (Table 3) is high", None),
    ],
)
def test_a_short_form_before_its_spelled_out_long_form_defines_it(nlp, text, pair):
    doc = nlp(text)
    found = [
        (short.text, None if long_form is None else long_form.text)
        for short, long_form in reverse_definitions(_inside_parentheses(doc), doc)
    ]
    assert found == ([pair] if pair else [])


def test_long_form_head_stops_at_preposition(nlp):
    doc = nlp("Rationale Adaptor for Few-shoT classification")
    assert doc[long_form_head(doc[:])].text == "Adaptor"


@pytest.mark.parametrize(
    ("title", "pair"),
    [
        (
            "CLIMB: Curriculum Learning for Infant-inspired Model Building",
            ("CLIMB", "Curriculum Learning for Infant-inspired Model Building"),
        ),
        ("HFT: Half Fine-Tuning for Large Language Models", ("HFT", "Half Fine-Tuning")),
        (
            "SPDF: Sparse Pre-training and Dense Fine-tuning for LLMs",
            ("SPDF", "Sparse Pre-training and Dense Fine-tuning"),
        ),
        (
            "MUSCLE: A Model Update Strategy for Compatible LLM Evolution",
            ("MUSCLE", "Model Update Strategy for Compatible LLM Evolution"),
        ),
        ("VIOLET: End-to-End Video-Language Transformers", None),  # the subtitle does not spell the name
        ("RAFT: Rationale adaptor for few-shot abusive language detection", None),  # no word gives the T
        ("Orca: Progressive Learning from Complex Explanation Traces of GPT-4", None),
        ("Pre-train, Prompt, and Predict: A Systematic Survey", None),  # no name before the colon
    ],
)
def test_a_title_that_spells_out_its_name_defines_it(nlp, title, pair):
    doc = nlp(title + "\n\nWe show that CLIMB helps.")
    found = title_definition(doc)
    assert (found[1].text, found[0].text) == pair if pair else found is None


def test_a_guessing_cue_rule_types_a_pair_only_where_nothing_else_does(nlp):
    doc = nlp("we present TODU (Task-Oriented Dialog Understanding) and SRX (Scientific Resource eXtended)")
    long_form, short = _span(doc, "Task-Oriented Dialog Understanding"), _span(doc, "TODU")
    guess = Span(doc, short.start, short.end, label="METHOD", kb_id="we_propose")
    heads = {"understanding": "TASK"}
    assert pair_label(long_form, short, [guess], heads, "METHOD") == "TASK"  # the head word says task
    known = Span(doc, short.start, short.end, label="DATASET", kb_id="named_dataset")
    assert pair_label(long_form, short, [known], heads, "METHOD") == "DATASET"  # a rule that knows wins
    other_long, other_short = _span(doc, "Scientific Resource eXtended"), _span(doc, "SRX")
    other_guess = Span(doc, other_short.start, other_short.end, label="MODEL", kb_id="we_propose")
    assert (
        pair_label(other_long, other_short, [other_guess], heads, "METHOD") == "MODEL"
    )  # before the default


def test_a_later_use_may_differ_in_case_but_not_be_a_plain_word_or_a_plural():
    from paperkg.extract.abbreviation import later_uses

    nlp = spacy.blank("en")
    nlp.tokenizer = create_ml_tokenizer(nlp)
    doc = nlp(
        "Decomposed Prompt Tuning (DePT) and instruction tuning (IT) . DEPT scales ; it helps ; two DePTs ."
    )
    definitions = {"DePT": doc[4:5], "IT": doc[10:11]}
    assert [(use.text, definition.text) for use, definition in later_uses(doc, definitions)] == [
        ("DEPT", "DePT")
    ]

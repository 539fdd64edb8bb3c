"""The learned list of generic terms and the filter that drops them (extract/generic_terms.py)."""

from __future__ import annotations

from spacy.tokens import Span

from paperkg.extract.abbreviation import USER_DATA_KEY
from paperkg.extract.generic_terms import (
    GenericFilter,
    derive_generic_terms,
    name_bounds,
    normalized,
    read_generic_terms,
)
from paperkg.extract.training.corpus import make_tokenizer_nlp

NLP = make_tokenizer_nlp()


def filtered(doc, *ents: tuple[int, int, str]) -> list[Span]:
    """The entities a `GenericFilter` without generic terms keeps of `doc`'s (start, end, label) spans."""
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    return list(GenericFilter(frozenset())(doc).ents)


def record(text: str, *names: str) -> dict:
    spans = []
    for name in names:
        start = text.index(name)
        spans.append({"start": start, "end": start + len(name), "label": "MODEL", "text": name})
    return {"text": text, "spans": spans}


def test_frequent_unannotated_phrases_are_generic_and_annotated_names_are_not():
    records = [record(f"LLMs such as GPT-4 beat LLMs {i}.", "GPT-4") for i in range(3)]
    rows = {r["text"]: r for r in derive_generic_terms(records, NLP, min_occurrences=3)}
    assert rows["llms"] == {"text": "llms", "occurrences": 6, "annotated": 0}
    assert "gpt-4" not in rows  # annotated every time
    assert "such as" in rows
    assert not any(not any(c.isalpha() for c in key) for key in rows)  # no pure punctuation or numbers


def test_rarely_annotated_counts_by_ratio():
    records = [record("BERT and BERT and BERT and BERT.", "BERT")] * 3  # 1 of 4 occurrences annotated
    rows = {r["text"] for r in derive_generic_terms(records, NLP, max_annotated_ratio=0.1)}
    assert "bert" not in rows
    rows = {r["text"] for r in derive_generic_terms(records, NLP, max_annotated_ratio=0.3)}
    assert "bert" in rows


def test_a_phrase_is_counted_in_words_not_hyphen_tokens():
    """ "state-of-the-art" is seven tokens; it was never counted under a five-token limit, so never generic."""
    records = [record("It beats state-of-the-art methods and state-of-the-art baselines.")] * 2
    rows = {r["text"]: r for r in derive_generic_terms(records, NLP, min_occurrences=3, max_tokens=4)}
    assert rows["state-of-the-art"]["occurrences"] == 4
    assert "state-of-the-art methods" not in rows  # five words, and only two occurrences


def test_phrases_do_not_cross_paragraphs():
    records = [record("Title words\n\nabstract words")] * 3
    rows = {r["text"] for r in derive_generic_terms(records, NLP)}
    assert "title words" in rows and "abstract words" in rows
    assert not any("\n" in key or ("words" in key and "abstract" in key and "title" in key) for key in rows)


def test_name_bounds_drop_determiners_and_possessives():
    doc = NLP.make_doc("We use the GPT-4 's answers and our LoRA .")
    assert [t.text for t in doc[2:5]] == ["the", "GPT-4", "'s"]
    assert name_bounds(doc[2:5]) == (3, 4)
    assert name_bounds(doc[7:9]) == (8, 9)
    assert name_bounds(doc[2:3]) == (3, 3)  # nothing left
    doc = NLP.make_doc("an SBERT-based ranker")
    assert [t.text for t in doc] == ["an", "SBERT", "-", "based", "ranker"]
    assert name_bounds(doc[0:4]) == (1, 2)  # "SBERT-based" names SBERT
    assert name_bounds(doc[1:5]) == (1, 5)  # a head after it keeps the phrase
    doc = NLP.make_doc("we propose A-MTRL")
    assert [t.text for t in doc][2:] == ["A", "-", "MTRL"]
    assert name_bounds(doc[2:5]) == (2, 5)  # "A" glued to the name is part of it


def test_name_bounds_drop_a_dangling_function_word():
    doc = NLP.make_doc(
        "Reducing Task Discrepancy of text encoders and Detecting Stance in tweets with Subtask A"
    )
    assert name_bounds(doc[0:4]) == (0, 3)  # "Reducing Task Discrepancy of" names "Reducing Task Discrepancy"
    assert name_bounds(doc[7:10]) == (7, 9)  # "Detecting Stance in"
    assert name_bounds(doc[12:14]) == (12, 14)  # "Subtask A" is a name


def test_name_bounds_drop_a_bracket_the_name_does_not_close():
    doc = NLP.make_doc("Many to one ( N → 1 and Common Crawl ) and P(True) and ( ELMo ) and end")
    assert [t.text for t in doc][8:18] == [
        "Common",
        "Crawl",
        ")",
        "and",
        "P(True",
        ")",
        "and",
        "(",
        "ELMo",
        ")",
    ]
    assert name_bounds(doc[0:7]) == (0, 3)  # "Many to one (N → 1" names "Many to one"
    assert name_bounds(doc[8:11]) == (8, 10)  # "Common Crawl)"
    assert name_bounds(doc[12:14]) == (12, 14)  # "P(True)" is balanced across its tokens
    assert name_bounds(doc[15:18]) == (15, 18)  # "(ELMo)" too
    assert name_bounds(doc[15:17]) == (16, 17)  # "(ELMo" names ELMo


def test_filter_trims_renames_and_drops(tmp_path):
    terms = tmp_path / "generic.jsonl"
    terms.write_text('{"text": "llms", "occurrences": 9, "annotated": 0}\n', encoding="utf-8")
    generic = read_generic_terms(terms)
    assert generic == frozenset({"llms"})
    doc = NLP.make_doc("The LLMs beat the GPT-4 's answers .")
    doc.ents = [
        Span(doc, 0, 2, label="METHOD", span_id="The LLMs"),
        Span(doc, 3, 6, label="MODEL", span_id="the GPT-4 's"),
    ]
    doc = GenericFilter(generic)(doc)
    assert [(e.text, e.label_, e.id_) for e in doc.ents] == [("GPT-4", "MODEL", "GPT-4")]
    assert normalized("  Large\n Language   Models ") == "large language models"


def test_shipped_list_holds_the_generic_words_of_entity_types_md():
    shipped = read_generic_terms("lexicons/generic.jsonl")
    words = {
        "llms",
        "fine-tuning",
        "finetuning",
        "pre-training",
        "pretraining",
        "language models",
        "our method",
    }
    assert {normalized(w) for w in words} <= shipped
    assert not {normalized(w) for w in ("gpt-4", "lora", "mmlu", "bert")} & shipped


def test_spellings_of_one_term_share_one_verdict_and_keep_the_common_spelling():
    """ "finetuning" was annotated in 5 of its 39 uses in the seed train split (over the 10% bar), "fine-tuning"
    in none of 191: one term, one verdict."""
    records = [
        record("We apply fine-tuning and fine-tuning again."),
        record("Finetuning helps."),
    ]
    rows = {r["text"]: r for r in derive_generic_terms(records, NLP, min_occurrences=3)}
    assert rows["fine-tuning"]["occurrences"] == 3 and "finetuning" not in rows
    assert normalized("Fine-Tuning") == normalized("finetuning") != normalized("fine tuning")


def test_a_quantity_is_no_dataset_but_may_name_a_model():
    doc = NLP.make_doc("We train the 4M model on 4TB and 1.5M pairs of C4 and 100B tokens .")
    names = {"4M": (3, 4), "4TB": (6, 7), "1.5M": (8, 10), "C4": (12, 13), "100B": (14, 15)}
    assert {name: doc[i:j].text for name, (i, j) in names.items()} == {name: name for name in names}
    kept = filtered(
        doc,
        (3, 4, "MODEL"),
        (6, 7, "DATASET"),
        (8, 10, "BENCHMARK"),
        (12, 13, "DATASET"),
        (14, 15, "DATASET"),
    )
    assert [(e.text, e.label_) for e in kept] == [("4M", "MODEL"), ("C4", "DATASET")]


def test_a_class_of_things_is_no_entity_unless_the_paper_defines_it_as_a_name():
    text = "Knowledge-intensive language tasks ( KILT ) need retrieval methods , pretraining techniques and "
    doc = NLP.make_doc(text + "AlgoPerf : Training Algorithms .")
    doc.user_data[USER_DATA_KEY] = [[6, 7, 0, 5]]  # KILT, defined by the five tokens before it
    kept = filtered(
        doc, (0, 5, "TASK"), (6, 7, "TASK"), (9, 11, "METHOD"), (12, 14, "METHOD"), (15, 19, "BENCHMARK")
    )
    assert [e.text for e in kept] == [
        "Knowledge-intensive language tasks",
        "KILT",
        "AlgoPerf : Training Algorithms",
    ]


def test_name_bounds_drop_a_lower_case_modifier_not_a_capitalised_one():
    doc = NLP.make_doc(
        "Pretrained transformers beat traditional supervised learning and Standard Model fits ."
    )
    assert name_bounds(doc[0:2]) == (1, 2)  # capitalised only because it starts the sentence
    assert name_bounds(doc[3:6]) == (4, 6)  # "supervised learning"
    assert name_bounds(doc[7:9]) == (7, 9)  # a capitalised modifier mid-sentence may be part of a name
    assert name_bounds(doc[3:4]) == (3, 4)  # a modifier alone stays what it is


def test_a_kind_of_model_and_its_acronym_are_no_model_but_a_named_family_is():
    doc = NLP.make_doc("We adapt large foundation models ( LFMs ) : LFMs beat Tabular Foundation Models .")
    doc.user_data[USER_DATA_KEY] = [[6, 7, 2, 5]]
    kept = filtered(doc, (2, 5, "MODEL"), (6, 7, "MODEL"), (9, 10, "MODEL"), (11, 14, "MODEL"))
    assert [e.text for e in kept] == ["Tabular Foundation Models"]


def test_name_bounds_end_before_a_score_that_runs_into_an_arrow():
    doc = NLP.make_doc("ARC-DA 31.6 rightarrow 52.1 F1 and Qwen 2.5 beat Llama 3.1 → GPT-4 .")
    assert name_bounds(doc[0:3]) == (0, 1)  # "ARC-DA 31.6 rightarrow" names ARC-DA
    assert name_bounds(doc[6:8]) == (6, 8)  # a version number is part of the name
    assert name_bounds(doc[9:11]) == (9, 11)  # no arrow in it: "Llama 3.1" stays whole
    kept = filtered(doc, (0, 3, "BENCHMARK"), (6, 8, "MODEL"))
    assert [(e.text, e.label_) for e in kept] == [("ARC-DA", "BENCHMARK"), ("Qwen 2.5", "MODEL")]


def test_a_capitalised_kind_of_model_with_a_plural_acronym_is_no_model_unless_the_paper_proposes_it():
    doc = NLP.make_doc(
        "Vision-Language Models ( VLMs ) help . VLMs fail . We propose Tabular Foundation Models ( TabFMs ) ."
    )
    doc.user_data[USER_DATA_KEY] = [[5, 6, 0, 4], [18, 19, 14, 17]]
    ents = [(0, 4, "MODEL"), (5, 6, "MODEL"), (9, 10, "MODEL"), (14, 17, "MODEL"), (18, 19, "MODEL")]
    assert [e.text for e in filtered(doc, *ents)] == ["Tabular Foundation Models", "TabFMs"]


def test_an_acronym_of_a_generic_long_form_is_as_generic():
    doc = NLP.make_doc("The reward model ( RM ) matters . RM training is hard . MoE helps .")
    doc.user_data[USER_DATA_KEY] = [[4, 5, 1, 3]]
    ents = [(1, 3, "METHOD"), (4, 5, "METHOD"), (8, 9, "METHOD"), (13, 14, "METHOD")]
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    kept = GenericFilter(frozenset({"reward model"}))(doc).ents
    assert [e.text for e in kept] == ["MoE"]


def test_lower_case_representations_are_a_class_but_a_capitalised_name_is_not():
    doc = NLP.make_doc("We learn sentence representations and prompt vectors with Word-Class Embeddings .")
    ents = [(2, 4, "METHOD"), (5, 7, "METHOD"), (8, 12, "METHOD")]
    assert [e.text for e in filtered(doc, *ents)] == ["Word-Class Embeddings"]


def test_a_version_written_after_a_name_is_part_of_it_but_a_score_or_a_setting_is_not():
    text = "Natural Instructions V2 , P-tuning v2 and ERNIE 3.0 ; GPT-4 85.2 , BERT 5.3 points and weight decay 0.0 ."
    doc = NLP.make_doc(text)
    named = {
        "Natural Instructions": "BENCHMARK",
        "P-tuning": "METHOD",
        "ERNIE": "MODEL",
        "GPT-4": "MODEL",
        "BERT": "MODEL",
        "weight decay": "METHOD",
    }
    spans = []
    for name, label in named.items():
        span = doc.char_span(text.index(name), text.index(name) + len(name))
        spans.append((span.start, span.end, label))
    kept = filtered(doc, *spans)
    assert [e.text for e in kept] == [
        "Natural Instructions V2",
        "P-tuning v2",
        "ERNIE 3.0",
        "GPT-4",  # a score, not a version
        "BERT",  # a gain in points
        "weight decay",  # a setting
    ]
    assert [e.id_ for e in kept[:3]] == ["Natural Instructions V2", "P-tuning v2", "ERNIE 3.0"]

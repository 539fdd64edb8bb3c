import json

import pytest
import spacy
from spacy import displacy

import paperkg
from paperkg.extract.mentions import entities_of, mentions_of
from paperkg.graph.schema import EntityType, Paper, entity_id_for
from tests.conftest_paths import SHARED

DEV = SHARED / "data" / "dev"


@pytest.fixture(scope="module")
def nlp():
    return paperkg.load()


def ents(nlp, text):
    return [(e.text, e.label_, e._.canonical) for e in nlp(text).ents]


def test_load_returns_language(nlp):
    assert isinstance(nlp, spacy.Language)
    names = nlp.pipe_names
    assert names.index("ner") < names.index("entities") < names.index("generic_filter")


GENERIC_SENTENCES = [
    # ENTITY_TYPES.md's "not" column and the generic words the seed graph used to be full of
    "Large language models (LLMs) are strong, and fine-tuning LLMs after pre-training improves them.",
    "Our method outperforms deep learning and machine learning baselines with neural networks.",
    "We study language models and their training on downstream tasks with a large corpus.",
]


@pytest.mark.parametrize("text", GENERIC_SENTENCES)
def test_generic_terms_are_not_entities(nlp, text):
    generic = {
        "llms",
        "large language models",
        "fine-tuning",
        "pre-training",
        "our method",
        "deep learning",
        "machine learning",
        "neural networks",
        "language models",
        "training",
        "downstream tasks",
        "a large corpus",
        "large corpus",
    }
    found = {e.text.lower() for e in nlp(text).ents}
    assert not found & generic, found & generic


def test_names_stay_entities_next_to_generic_words(nlp):
    doc = nlp("We fine-tune LLaMA-2 with LoRA and evaluate it on MMLU and GSM8K against GPT-4's answers.")
    found = {(e.text, e.label_) for e in doc.ents}
    assert {
        ("LLaMA-2", "MODEL"),
        ("LoRA", "METHOD"),
        ("MMLU", "BENCHMARK"),
        ("GSM8K", "BENCHMARK"),
        ("GPT-4", "MODEL"),
    } <= found
    # the possessive is not part of the name; offsets stay exact
    gpt4 = next(e for e in doc.ents if e.text == "GPT-4")
    assert doc.text[gpt4.start_char : gpt4.end_char] == "GPT-4"


def test_abbreviation_pair_linked(nlp):
    doc = nlp("We propose Low-Rank Adaptation (LoRA) for adapting models. LoRA is cheap.")
    found = ents(nlp, doc.text)
    # one id for the pair, from its definition: another paper's "LoRA" may stand for something else
    assert ("Low-Rank Adaptation", "METHOD", "Low-Rank Adaptation") in found
    assert found.count(("LoRA", "METHOD", "Low-Rank Adaptation")) == 2
    # the definition and its later use, each pointing at the long form (as scispaCy does)
    assert [a.text for a in doc._.abbreviations] == ["LoRA", "LoRA"]
    assert [a._.long_form.text for a in doc._.abbreviations] == ["Low-Rank Adaptation"] * 2
    assert doc[0:1]._.long_form is None


def test_a_name_used_before_its_definition_joins_the_pair(nlp):
    """A title names CaseHOLD; the abstract defines it, name first: one entity, not two."""
    text = (
        "Assessing Self-Supervised Learning for Law and the CaseHOLD Dataset\n\n"
        "We present CaseHOLD (Case Holdings On Legal Decisions), a new dataset of legal questions."
    )
    found = ents(nlp, text)
    assert found.count(("CaseHOLD", "DATASET", "Case Holdings On Legal Decisions")) == 2
    assert ("Case Holdings On Legal Decisions", "DATASET", "Case Holdings On Legal Decisions") in found


def test_raft_pair_is_method(nlp):
    found = ents(nlp, "We present Rationale Adaptor for Few-shoT classification (RAFT), and RAFT wins.")
    long_form = "Rationale Adaptor for Few-shoT classification"
    assert (long_form, "METHOD", long_form) in found
    assert found.count(("RAFT", "METHOD", long_form)) == 2


def test_no_pair_for_non_abbreviation(nlp):
    doc = nlp("Results improve on the test split (see Table 2).")
    assert doc._.abbreviations == []


def test_cue_phrase_gives_name_only(nlp):
    found = ents(nlp, "We evaluate on the CaseHOLD dataset and the Foo2Bar benchmark.")
    assert ("CaseHOLD", "DATASET", "CaseHOLD") in found
    assert next(f for f in found if f[0] == "Foo2Bar")[1] == "BENCHMARK"
    assert not any("dataset" in f[0] or f[0].startswith("the") for f in found)


def test_lexicon_spellings_share_canonical(nlp):
    found = ents(nlp, "GPT4 and GPT-4 and GPT - 4 beat BERT.")
    canon = {text: (label, c) for text, label, c in found}
    assert canon["GPT4"] == canon["GPT-4"] == canon["GPT - 4"] == ("MODEL", "GPT-4")
    assert entity_id_for(EntityType.MODEL, canon["GPT4"][1]) == "model:gpt4"


def test_metrics_and_model_shapes(nlp):
    found = ents(nlp, "LLaMA-2-70B reaches 40 pass@1 and a macro F1 of 80 with ROUGE - L.")
    labels = {text: label for text, label, _ in found}
    assert labels["LLaMA-2-70B"] == "MODEL"
    assert labels["pass@1"] == "METRIC"
    assert labels["macro F1"] == "METRIC"
    found = ents(nlp, "StrategyQA 58.9 rightarrow 61.7 acc., CommonsenseQA 63.6 rightarrow 72.7 Acc.")
    assert [(text, canonical) for text, label, canonical in found if label == "METRIC"] == [
        ("acc", "accuracy"),
        ("Acc", "accuracy"),
    ]


def test_a_size_written_after_a_known_name_belongs_to_the_model(nlp):
    """ENTITY_TYPES.md: a MODEL takes the size attached after its name ("OPT-IML 175B"), even where the lexicon
    knows the bare name and the recognizer found it alone."""
    found = ents(nlp, "Our models outperform much larger models (BLOOM 175B and StableVicuna 13B) and BLOOM.")
    assert [(text, label) for text, label, _ in found] == [
        ("BLOOM 175B", "MODEL"),
        ("StableVicuna 13B", "MODEL"),
        ("BLOOM", "MODEL"),
    ]


def test_a_disease_is_not_a_model_by_its_shape(nlp):
    found = ents(nlp, "We forecast COVID-19 cases and H1N1 spread with LLaMA-2 and GPT-4.")
    assert {text for text, _, _ in found} == {"LLaMA-2", "GPT-4"}


def test_ents_do_not_overlap(nlp):
    doc = nlp("We fine-tune Flan-T5 with instruction tuning on Natural Questions for question answering.")
    seen = set()
    for e in doc.ents:
        assert not seen & set(range(e.start, e.end))
        seen |= set(range(e.start, e.end))


def test_pipe_and_displacy(nlp):
    docs = list(nlp.pipe(["GPT-4 on GSM8K.", "BERT for named entity recognition."], batch_size=2))
    assert [e.text for e in docs[0].ents] == ["GPT-4", "GSM8K"]
    assert "GSM8K" in displacy.render(docs[0], style="ent")


def test_mentions_of_fields_and_ids(nlp):
    paper = Paper(
        id="p1",
        title="LoRA for GPT-4",
        abstract="We study Low-Rank Adaptation (LoRA) on GSM8K.",
        source="test",
    )
    mentions = mentions_of(paper, nlp(paper.text))
    by_text = {m.text: m for m in mentions}
    assert by_text["GPT-4"].field == "title"
    assert by_text["GSM8K"].field == "abstract"
    assert by_text["Low-Rank Adaptation"].entity_id == "method:lowrankadaptation" == by_text["LoRA"].entity_id
    assert all(paper.text[m.start : m.end] == m.text for m in mentions)
    assert by_text["GSM8K"].sentence == "We study Low-Rank Adaptation (LoRA) on GSM8K."


@pytest.mark.parametrize("name", ["scier", "gsap_ner", "scierc"])
def test_entities_of_offsets_exact_on_dev(nlp, name):
    path = DEV / f"{name}.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not available")
    records = [json.loads(line) for line in path.read_text().splitlines()]
    n = 0
    for rec, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        for ent in entities_of(doc):
            assert rec["text"][ent["start"] : ent["end"]] == ent["text"]
            assert ent["label"] in {t.name for t in EntityType}
            n += 1
    assert n > 0


def test_pipe_two_processes(nlp):
    texts = [
        "GPT-4 on GSM8K.",
        "BERT for named entity recognition.",
        "ResNet-50 on CIFAR-10.",
        "T5 and BLEU.",
    ]
    docs = list(nlp.pipe(texts, n_process=2, batch_size=1))
    assert [e.text for e in docs[2].ents] == ["ResNet-50", "CIFAR-10"]
    assert docs[0].ents[0]._.canonical == "GPT-4"


def test_sentence_bounds_match_span_sent(nlp):
    """The once-per-doc sentence lookup gives each entity the same sentence as spaCy's `Span.sent`."""
    from paperkg.extract.sentences import sentence_bounds, sentence_spans

    doc = nlp(
        "LoRA: Low-Rank Adaptation of Large Language Models\n\nWe propose LoRA. GPT-3 is fine-tuned on "
        "GLUE, e.g. SST-2, by Hu et al. in 2021. BERT and RoBERTa follow. We report accuracy."
    )
    sentences = sentence_spans(doc)
    assert len(sentences) == len(list(doc.sents)) >= 4
    for ent in doc.ents:
        assert sentence_bounds(ent, sentences) == (ent.sent.start_char, ent.sent.end_char), ent.text


def test_recognizer_multiplies_through_numpy_blas_with_blis_results():
    """The shipped `ner` runs on numpy's BLAS (faster here) and finds the same entities as with thinc's blis."""
    from thinc.api import NumpyOps

    from paperkg.extract.blas import set_ops
    from paperkg.extract.training import load_trained_pipeline

    texts = [json.loads(line)["text"] for line in (DEV / "scierc.jsonl").read_text().splitlines()][:20]
    fast = load_trained_pipeline()
    assert all(not layer.ops.use_blis for layer in fast.get_pipe("ner").model.walk())
    reference = load_trained_pipeline()
    set_ops(reference.get_pipe("ner").model, NumpyOps())
    assert all(layer.ops.use_blis for layer in reference.get_pipe("ner").model.walk())
    found = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in fast.pipe(texts)]
    expected = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in reference.pipe(texts)]
    assert sum(map(len, found)) > 50
    assert found == expected

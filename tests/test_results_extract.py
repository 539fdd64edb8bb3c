"""Results read from hand-written sentences with the entities set by hand: one test per pattern, exact offsets."""

import pytest
import spacy

from paperkg.extract import sentences  # noqa: F401  (registers paperkg_sentencizer)
from paperkg.extract.results import (
    EntitySpan,
    doc_results,
    find_quantities,
    make_results,
    results_in_sentence,
    results_of,
)
from paperkg.graph.schema import ResultKind


def spans(text: str, names: list[tuple[str, str]], ids: bool = True) -> list[EntitySpan]:
    """Entity spans at the first occurrence of each name, with ids like the graph's."""
    found = []
    for name, label in names:
        start = text.index(name)
        entity_id = f"{label.lower()}:{name.lower()}" if ids else None
        found.append(EntitySpan(start, start + len(name), label, name, entity_id))
    return found


def results(text: str, names: list[tuple[str, str]], proposed: EntitySpan | None = None):
    return results_in_sentence(text, (0, len(text)), spans(text, names), proposed)


def test_score_with_system_benchmark_metric_and_exact_offsets():
    text = "Our model, Orca-2, achieves 85.2% accuracy on GSM8K."
    [result] = results(text, [("Orca-2", "MODEL"), ("accuracy", "METRIC"), ("GSM8K", "BENCHMARK")])
    assert (result.value, result.number, result.unit, result.kind) == ("85.2%", 85.2, "%", ResultKind.SCORE)
    assert text[result.start : result.end] == "85.2%"
    assert (result.start, result.end) == (28, 33)
    assert (result.system, result.benchmark, result.metric, result.baseline) == (
        "Orca-2",
        "GSM8K",
        "accuracy",
        None,
    )
    assert (result.system_id, result.benchmark_id) == ("model:orca-2", "benchmark:gsm8k")


def test_improvement_over_a_named_baseline():
    text = "On MT-Bench, Zephyr outperforms GPT-3.5 by 3.1 points."
    [result] = results(text, [("MT-Bench", "BENCHMARK"), ("Zephyr", "MODEL"), ("GPT-3.5", "MODEL")])
    assert (result.value, result.unit, result.kind) == ("3.1 points", "points", ResultKind.IMPROVEMENT)
    assert text[result.start : result.end] == "3.1 points"
    assert (result.system, result.baseline, result.benchmark) == ("Zephyr", "GPT-3.5", "MT-Bench")


def test_relative_gain_is_an_improvement():
    text = "LoRA-X yields a 12.9% relative gain over full fine-tuning on SuperGLUE."
    [result] = results(
        text, [("LoRA-X", "METHOD"), ("full fine-tuning", "METHOD"), ("SuperGLUE", "BENCHMARK")]
    )
    assert (result.value, result.kind) == ("12.9%", ResultKind.IMPROVEMENT)
    assert (result.system, result.baseline, result.benchmark) == ("LoRA-X", "full fine-tuning", "SuperGLUE")


def test_speed_up_is_other():
    text = "FlashDecoding gives a 2.3x speed-up over vLLM."
    [result] = results(text, [("FlashDecoding", "METHOD"), ("vLLM", "METHOD")])
    assert (result.value, result.number, result.unit, result.kind) == ("2.3x", 2.3, "x", ResultKind.OTHER)
    assert (result.system, result.baseline) == ("FlashDecoding", "vLLM")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Pruning reduces the model size by around 50% at no loss.", ResultKind.OTHER),
        ("It lets us accelerate the search procedure by 50%.", ResultKind.OTHER),
        ("Skill-It reduces the validation loss by 13.6% versus random data.", ResultKind.IMPROVEMENT),
        ("The objective reduces the average performance by 0.8 points.", ResultKind.IMPROVEMENT),
        ("Our method improves accuracy by 33.3% over direct generation.", ResultKind.IMPROVEMENT),
        ("Zephyr outperforms GPT-3.5 by 3.1 points.", ResultKind.IMPROVEMENT),
    ],
)
def test_by_takes_its_kind_from_the_verb_before_it(text, kind):
    [result] = results(text, [])
    assert result.kind == kind


def test_a_number_no_cue_speaks_for_goes_on_with_the_kind_before_it():
    text = (
        "We see an absolute improvement of about 15% for classification tasks and 18% for generation tasks."
    )
    assert [(r.value, r.kind) for r in results(text, [])] == [
        ("15%", ResultKind.IMPROVEMENT),
        ("18%", ResultKind.IMPROVEMENT),
    ]
    alone = "The model reaches 18% for generation tasks."
    assert [(r.value, r.kind) for r in results(alone, [])] == [("18%", ResultKind.SCORE)]


@pytest.mark.parametrize(
    "text",
    [
        "We fine-tune a 7B parameters model on 10k examples from 3 tasks.",
        "We train LLaMA-2-70B and GPT-4 on data collected in 2023.",
        "The model uses 175 billion parameters and 96 layers.",
        "Results are in Table 3 and Figure 2.",
        "It matches GPT3 with 1/16 parameters, using 18/100 of the budget.",
    ],
)
def test_setup_numbers_are_not_results(text):
    assert find_quantities(text) == []
    assert results(text, []) == []


def test_the_share_of_tasks_a_system_wins_is_a_result_of_kind_other():
    text = "Our model sets new state-of-the-art on 4/9 tasks and surpasses T0 on 52/55 popular datasets."
    found = results(text, [("T0", "MODEL")])
    assert [(r.value, r.number, r.unit, r.kind) for r in found] == [
        ("4/9", 4.0, "absolute", ResultKind.OTHER),
        ("52/55", 52.0, "absolute", ResultKind.OTHER),
    ]
    assert [text[r.start : r.end] for r in found] == ["4/9", "52/55"]


def test_two_results_in_one_sentence_each_with_its_benchmark():
    text = "Orca-3 brings a 40% improvement on AGIEval and a 19% improvement on MMLU."
    found = results(text, [("Orca-3", "MODEL"), ("AGIEval", "BENCHMARK"), ("MMLU", "BENCHMARK")])
    assert [(r.value, r.benchmark, r.kind, r.system) for r in found] == [
        ("40%", "AGIEval", ResultKind.IMPROVEMENT, "Orca-3"),
        ("19%", "MMLU", ResultKind.IMPROVEMENT, "Orca-3"),
    ]
    assert [text[r.start : r.end] for r in found] == ["40%", "19%"]


def test_a_list_of_scores_meets_a_list_of_benchmarks_in_order():
    text = (
        "UniPT achieves Rank-1 accuracy of 68.50%, 60.09% and 51.85% on CUHK-PEDES, ICFG-PEDES and RSTPReid."
    )
    names = [
        ("UniPT", "MODEL"),
        ("Rank-1 accuracy", "METRIC"),
        ("CUHK-PEDES", "DATASET"),
        ("ICFG-PEDES", "DATASET"),
        ("RSTPReid", "DATASET"),
    ]
    found = results(text, names)
    assert [(r.number, r.benchmark, r.metric, r.kind) for r in found] == [
        (68.5, "CUHK-PEDES", "Rank-1 accuracy", ResultKind.SCORE),
        (60.09, "ICFG-PEDES", "Rank-1 accuracy", ResultKind.SCORE),
        (51.85, "RSTPReid", "Rank-1 accuracy", ResultKind.SCORE),
    ]


@pytest.mark.parametrize("written", ["{name} ({value})", "{name}: {value}"])
def test_a_score_written_after_its_benchmark_belongs_to_it(written):
    pairs = [("Zh-En", "33.5"), ("En-Zh", "49.7"), ("De-En", "33.7")]
    listed = (
        ", ".join(written.format(name=n, value=v) for n, v in pairs[:2])
        + " and "
        + written.format(name=pairs[2][0], value=pairs[2][1])
    )
    text = f"In terms of sacreBLEU we got the 1st place on {listed}."
    found = results(text, [(name, "BENCHMARK") for name, _ in pairs])
    assert [(str(r.number), r.benchmark) for r in found] == [(v, n) for n, v in pairs]


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("Lite-LLM4Rec brings a 46.8% performance improvement on ML-1m.", "performance"),
        ("HFT gives an approximately 30% reduction in training time.", "training time"),
        ("LiST needs a 96% reduction in number of trainable parameters.", "number of trainable parameters"),
        ("Pseudo-simulation correlates better with closed-loop simulations (R^2=0.8).", "R^2"),
        ("Our method gives a 5% relative improvement on ML-1m.", None),
        ("It closes the performance gap by 96.4% in single-task scenarios.", "performance gap"),
        ("Training time decreased by 14% with EPT.", "Training time"),
        ("EPT outperforms 11 methods by 12.9%, and training time decreased by 14%.", "training time"),
        ("It predicts a valid clarification question 80% of the time.", None),
        ("DePT saves over 20% memory.", "memory"),
        ("Pruning reduces the model size by around 50%.", "model size"),
        (
            "It improves the average medical task performance of the OpenLlama-3B model from 36.2% to 40.7%.",
            "average medical task performance",
        ),
    ],
)
def test_a_metric_written_as_a_phrase_next_to_the_number(text, metric):
    assert results(text, [])[-1].metric == metric


def test_our_method_is_the_papers_proposed_entity():
    text = "Our method improves accuracy by 4.5% over BM25."
    proposed = EntitySpan(0, 4, "METHOD", "RAFT", "method:raft")
    [result] = results(text, [("accuracy", "METRIC"), ("BM25", "METHOD")], proposed=proposed)
    assert (result.system, result.system_id, result.baseline) == ("RAFT", "method:raft", "BM25")
    assert result.kind is ResultKind.IMPROVEMENT


def test_scores_written_with_a_slash_are_two_results_but_a_fraction_is_none():
    text = "vote-k achieves a 12.9%/11.4% relative gain under an annotation budget of 18/100 on MRPC."
    found = results(text, [("vote-k", "METHOD"), ("MRPC", "DATASET")])
    assert [(r.value, r.number) for r in found] == [("12.9%", 12.9), ("11.4%", 11.4)]
    assert {r.kind for r in found} == {ResultKind.IMPROVEMENT}  # the cue after the list speaks for both


def test_the_latex_ours_macro_is_the_papers_proposed_entity():
    text = r"After multi-task training, \ours outperforms the previous generalist models by 12.3 mAP on COCO."
    proposed = EntitySpan(0, 3, "MODEL", "UFO", "model:ufo")
    names = [("multi-task training", "METHOD"), ("mAP", "METRIC"), ("COCO", "DATASET")]
    [result] = results(text, names, proposed)
    assert (result.system, result.system_id, result.benchmark) == ("UFO", "model:ufo", "COCO")


def test_a_sentence_offset_into_the_document_keeps_offsets_exact():
    text = "A title\n\nWe study retrieval. Our retriever reaches 71.3 nDCG@10 on BEIR."
    start = text.index("Our")
    names = spans(text, [("nDCG@10", "METRIC"), ("BEIR", "BENCHMARK")])
    [result] = results_in_sentence(text, (start, len(text)), names)
    assert text[result.start : result.end] == "71.3"
    assert (result.unit, result.metric, result.benchmark) == ("absolute", "nDCG@10", "BEIR")
    assert result.sentence == "Our retriever reaches 71.3 nDCG@10 on BEIR."


def test_annotation_has_exactly_the_gold_format():
    [result] = results("X-Net scores 91.0% on ImageNet.", [("X-Net", "MODEL"), ("ImageNet", "DATASET")])
    assert result.annotation() == {
        "sentence": "X-Net scores 91.0% on ImageNet.",
        "value": "91.0%",
        "kind": "score",
        "system": "X-Net",
        "benchmark": "ImageNet",
        "metric": None,
        "baseline": None,
    }


def test_component_stores_results_on_the_doc():
    nlp = spacy.blank("en")
    nlp.add_pipe("paperkg_sentencizer")
    text = "RAFT: a rationale adaptor\n\nWe propose RAFT. It outperforms BERT by 7% on HateXplain."
    doc = nlp(text)
    doc.ents = [
        doc.char_span(
            text.index(name, 20 if name == "RAFT" else 0),
            text.index(name, 20 if name == "RAFT" else 0) + len(name),
            label=label,
        )
        for name, label in [("RAFT", "METHOD"), ("BERT", "MODEL"), ("HateXplain", "DATASET")]
    ]
    doc = make_results(nlp, "results")(doc)
    assert doc_results(doc) == results_of(doc)
    [result] = doc_results(doc)
    assert (result.value, result.kind, result.system, result.baseline, result.benchmark) == (
        "7%",
        ResultKind.IMPROVEMENT,
        "RAFT",
        "BERT",
        "HateXplain",
    )
    assert text[result.start : result.end] == "7%"


def test_a_result_sentence_naming_no_benchmark_keeps_the_last_results():
    nlp = spacy.blank("en")
    nlp.add_pipe("paperkg_sentencizer")
    text = "Orca-3 reaches 80.1% on GSM8K overall. With self-consistency it reaches 85.3% accuracy."
    doc = nlp(text)
    doc.ents = [doc.char_span(text.index("GSM8K"), text.index("GSM8K") + 5, label="BENCHMARK")]
    found = results_of(doc)
    assert [(r.value, r.benchmark, r.benchmark_id) for r in found] == [
        ("80.1%", "GSM8K", "benchmark:gsm8k"),
        ("85.3%", "GSM8K", "benchmark:gsm8k"),
    ]
    assert [text[r.start : r.end] for r in found] == ["80.1%", "85.3%"]


def sentenced_doc(text: str, names: list[tuple[str, str]]):
    """`text` split into sentences by paperkg's sentencizer, with entities at the first occurrence of each name."""
    nlp = spacy.blank("en")
    nlp.add_pipe("paperkg_sentencizer")
    doc = nlp(text)
    doc.ents = [
        doc.char_span(text.index(name), text.index(name) + len(name), label=label) for name, label in names
    ]
    return doc


def test_a_result_sentence_naming_no_benchmark_takes_the_one_the_sentence_before_evaluated_on():
    text = (
        "Earlier, X-Net scored 70.2% on GSM8K overall. We report results on two TREC Deep Learning Track query sets. "
        "Evaluated on NDCG@10, we outperform BM25 by 44%. Against GPT-4 and ColBERT the gain is 5%."
    )
    found = results_of(
        sentenced_doc(text, [("GSM8K", "BENCHMARK"), ("TREC Deep Learning Track", "BENCHMARK")])
    )
    assert [(r.value, r.benchmark) for r in found] == [
        ("70.2%", "GSM8K"),
        ("44%", "TREC Deep Learning Track"),  # not the last result's GSM8K
        ("5%", "TREC Deep Learning Track"),  # the sentence before evaluated on nothing: the last result's
    ]
    doc = sentenced_doc(text, [("GSM8K", "BENCHMARK"), ("TREC Deep Learning Track", "DATASET")])
    assert [r.benchmark for r in results_of(doc)] == ["GSM8K"] * 3  # a dataset named is not evaluated on


def test_data_a_system_was_trained_on_is_not_what_its_result_was_measured_on():
    text = (
        "X-Net scores 70.2% on GSM8K overall. Models trained on OpenWebMath improve average accuracy by 7.6%. "
        "We also fine-tuned on the MathPile corpus and gained 2% on MATH500 there."
    )
    names = [
        ("GSM8K", "BENCHMARK"),
        ("OpenWebMath", "DATASET"),
        ("MathPile", "DATASET"),
        ("MATH500", "BENCHMARK"),
    ]
    found = results_of(sentenced_doc(text, names))
    assert [(r.value, r.benchmark) for r in found] == [
        ("70.2%", "GSM8K"),
        ("7.6%", None),  # neither OpenWebMath nor, carried over, the last result's GSM8K
        ("2%", "MATH500"),
    ]


def test_a_doc_with_results_serializes_for_multiprocessing():
    """`nlp.pipe(n_process=2)` sends Docs as bytes: the stored results must survive the trip."""
    from spacy.tokens import Doc

    nlp = spacy.blank("en")
    nlp.add_pipe("paperkg_sentencizer")
    text = "Zephyr outperforms Vicuna by 3.1 points on MT-Bench overall."
    doc = nlp(text)
    doc.ents = [
        doc.char_span(text.index(n), text.index(n) + len(n), label=label)
        for n, label in [("Zephyr", "MODEL"), ("Vicuna", "MODEL"), ("MT-Bench", "BENCHMARK")]
    ]
    doc = make_results(nlp, "results")(doc)
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert doc_results(back) == doc_results(doc) and [r.value for r in doc_results(back)] == ["3.1 points"]


def test_our_method_is_named_as_the_paper_calls_it():
    """A defined pair's entity is named by its long form; a result gives the acronym the paper uses."""
    import paperkg

    doc = paperkg.load()(
        "Prompts made cheap\n\nWe propose Efficient Prompt Tuning (EPT), a new method. "
        "Our method improves accuracy by 12.9% on GLUE."
    )
    [result] = doc_results(doc)
    assert (result.system, result.system_id, result.value) == ("EPT", "method:efficientprompttuning", "12.9%")


def test_the_number_before_an_arrow_is_where_the_baseline_started():
    text = "On NarrativeQA, FILM-7B improves over Mistral-7B (23.5->26.9 F1)."
    found = results(text, [("NarrativeQA", "BENCHMARK"), ("FILM-7B", "MODEL"), ("Mistral-7B", "MODEL")])
    assert [(r.value, r.system, r.baseline) for r in found] == [
        ("23.5", "Mistral-7B", None),
        ("26.9", "FILM-7B", "Mistral-7B"),
    ]
    text = "FILM-7B keeps its MMLU accuracy (59.3 rightarrow 59.2)."
    found = results(text, [("FILM-7B", "MODEL"), ("MMLU", "BENCHMARK"), ("accuracy", "METRIC")])
    assert [(r.value, r.system) for r in found] == [("59.3", None), ("59.2", "FILM-7B")]  # no baseline named


def test_a_range_is_not_a_before_and_after():
    text = "PassTSL outperforms five methods by a margin ranging from 4.11% to 64.69%."
    found = results(text, [("PassTSL", "METHOD")])
    assert [(r.value, r.system) for r in found] == [("4.11%", "PassTSL"), ("64.69%", "PassTSL")]


def test_a_change_in_a_metric_takes_the_metric_named_after_it():
    text = "Our curriculum yields a 4% improvement in MRR and a 9% improvement in P@1 on MS MARCO."
    found = results(text, [("MRR", "METRIC"), ("P@1", "METRIC"), ("MS MARCO", "DATASET")])
    assert [(r.value, r.metric) for r in found] == [("4%", "MRR"), ("9%", "P@1")]


def test_a_before_and_after_pair_shares_its_benchmark_and_metric():
    text = "Our model improves on baselines (StrategyQA 58.9 rightarrow 61.7 acc., IIRC 25.5 rightarrow 27.3 F1)."
    found = results(
        text, [("StrategyQA", "DATASET"), ("acc", "METRIC"), ("IIRC", "DATASET"), ("F1", "METRIC")]
    )
    assert [(r.value, r.benchmark, r.metric) for r in found] == [
        ("58.9", "StrategyQA", "acc"),
        ("61.7", "StrategyQA", "acc"),
        ("25.5", "IIRC", "F1"),
        ("27.3", "IIRC", "F1"),
    ]
    text = "The fine-tuned model increases answer similarity from 47% to 72%."
    assert [(r.value, r.metric) for r in results(text, [])] == [
        ("47%", "answer similarity"),
        ("72%", "answer similarity"),
    ]


def test_a_number_after_a_name_is_a_version_unless_it_changes():
    assert [q.text for q in find_quantities("Llama 3.1 scores 71.2 on MMLU.")] == ["71.2"]
    assert find_quantities("We test the LLaMa 3, 3.1 and Qwen 2, 2.5 families.") == []
    assert [q.text for q in find_quantities("StrategyQA 58.9 rightarrow 61.7")] == ["58.9", "61.7"]


def test_a_baseline_written_as_a_phrase_is_where_a_before_value_started():
    text = "Our model improves upon strong comparable prior baselines (StrategyQA 58.9 rightarrow 61.7 acc.)."
    found = results(text, [("StrategyQA", "DATASET")])
    assert [(r.value, r.system, r.baseline) for r in found] == [
        ("58.9", "strong comparable prior baselines", None),
        ("61.7", "Our model", "strong comparable prior baselines"),
    ]
    [named] = results("X-Net outperforms BERT by 2.1% on SST-2.", [("X-Net", "MODEL"), ("BERT", "MODEL")])
    assert named.baseline == "BERT"  # a named baseline comes first


def test_a_kind_of_task_written_after_for_is_what_the_number_was_measured_on():
    text = "We report an absolute improvement of 15% for classification tasks and 18% for generation tasks."
    assert [(r.value, r.benchmark) for r in results(text, [])] == [
        ("15%", "classification tasks"),
        ("18%", "generation tasks"),
    ]


def test_a_change_in_what_something_costs_is_other():
    text = "EPT outperforms 11 methods by 12.9%, and training time decreased by 14%."
    assert [(r.value, r.kind) for r in results(text, [])] == [
        ("12.9%", ResultKind.IMPROVEMENT),
        ("14%", ResultKind.OTHER),
    ]


def test_percentage_points_written_p_p_and_a_system_that_does_it_in_a_which_clause():
    text = (
        "Fine-tuning adds 6 p.p. and it is cumulative with RAG, which increases accuracy by 5 p.p. further."
    )
    found = results(text, [("RAG", "METHOD"), ("accuracy", "METRIC")])
    assert [(r.value, r.unit, r.system) for r in found][-1] == ("5 p.p.", "points", "RAG")
    assert found[0].value == "6 p.p."


def test_the_number_after_vs_is_the_baselines():
    text = "ERNIE 3.0 surpasses BERT by +0.8% (90.6% vs. 89.8%)."
    found = results(text, [("ERNIE 3.0", "MODEL"), ("BERT", "MODEL")])
    assert [(r.value, r.system, r.baseline) for r in found] == [
        ("+0.8%", "ERNIE 3.0", "BERT"),
        ("90.6%", "ERNIE 3.0", "BERT"),
        ("89.8%", "BERT", None),
    ]


def test_a_name_inside_the_subjects_aside_is_not_the_system():
    text = (
        "Our ScaLearn, in addition to facilitating the benefits of two-stage MTL, consistently outperforms "
        "AdapterFusion by 2.1 points on GLUE."
    )
    found = results(
        text, [("ScaLearn", "METHOD"), ("MTL", "METHOD"), ("AdapterFusion", "METHOD"), ("GLUE", "BENCHMARK")]
    )
    assert [(r.value, r.system, r.baseline, r.benchmark) for r in found] == [
        ("2.1 points", "ScaLearn", "AdapterFusion", "GLUE")
    ]

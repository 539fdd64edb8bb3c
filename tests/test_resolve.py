"""Entity resolution: the labelled alias pairs (precision/recall), the rules, the plans and the store merge."""

import doctest
import json
import random
from pathlib import Path

import pytest

from paperkg.extract import resolve
from paperkg.extract.resolve import (
    abbreviation_of,
    canonical_name,
    family_of,
    plan_merges,
    plan_variants,
    resolution_key,
    same_entity,
    variant_ancestors,
)
from paperkg.graph.assemble import assemble_paper_graph
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.resolution import apply_resolution, paper_counts
from paperkg.graph.schema import (
    Entity,
    EntityType,
    Evidence,
    Mention,
    Paper,
    PaperGraph,
    Relation,
    RelationType,
    entity_id_for,
)
from tests.graph_factories import paper_graph as written_paper

PAIRS = Path(__file__).parent / "data" / "alias_pairs.jsonl"
MIN_PRECISION, MIN_RECALL = 0.95, 0.85

MODEL, METHOD = EntityType.MODEL, EntityType.METHOD
DATASET, BENCHMARK = EntityType.DATASET, EntityType.BENCHMARK


def load_pairs() -> list[dict]:
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]


def merge_scores(pairs: list[dict]) -> tuple[float, float]:
    predicted = [(same_entity(p["a"], p["b"]), p["same"]) for p in pairs]
    tp = sum(guess and gold for guess, gold in predicted)
    fp = sum(guess and not gold for guess, gold in predicted)
    fn = sum(gold and not guess for guess, gold in predicted)
    return tp / (tp + fp), tp / (tp + fn)


# --- the labelled set ----------------------------------------------------------------------------


def test_labelled_set_is_large_and_balanced():
    pairs = load_pairs()
    assert len(pairs) >= 150
    assert all(set(p) == {"a", "b", "same", "why"} and p["why"] for p in pairs)
    positives = sum(p["same"] for p in pairs)
    assert 0.3 < positives / len(pairs) < 0.7
    assert len({(p["a"], p["b"]) for p in pairs}) == len(pairs), "duplicate pair"


def test_merge_precision_and_recall_on_labelled_pairs():
    precision, recall = merge_scores(load_pairs())
    assert precision >= MIN_PRECISION, f"merge precision {precision:.3f}"
    assert recall >= MIN_RECALL, f"merge recall {recall:.3f}"


def test_same_entity_is_symmetric_on_labelled_pairs():
    for pair in load_pairs():
        assert same_entity(pair["a"], pair["b"]) == same_entity(pair["b"], pair["a"]), pair


def test_docstring_examples():
    assert doctest.testmod(resolve).failed == 0


# --- pairwise rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("GPT-4", "gpt 4"),
        ("LLaMA 2", "Llama-2"),
        ("LLaMA–2", "LLaMA-2"),
        ("LoRA", "Low-Rank Adaptation"),
        ("RLHF", "Reinforcement Learning from Human Feedback"),
        ("GSM8K benchmark", "GSM8K"),
        ("LLMs", "Large Language Models"),
        ("T5", "Text-to-Text Transfer Transformer"),
    ],
)
def test_same_entity_merges(a, b):
    assert same_entity(a, b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("BERT", "RoBERTa"),
        ("T5", "T0"),
        ("T5", "mT5"),
        ("GPT-3", "GPT-4"),
        ("GPT-3", "GPT-3.5"),
        ("LLaMA", "LLaMA-2"),
        ("ResNet-50", "ResNet-101"),
        ("CIFAR-10", "CIFAR-100"),
        ("ImageNet", "ImageNet-1k"),
        ("BERT", "BERT-base"),
        ("Llama-3-8B", "Llama 3.1 8B"),
    ],
)
def test_same_entity_keeps_apart(a, b):
    assert not same_entity(a, b)


def test_abbreviation_needs_an_acronym_and_a_long_form():
    assert abbreviation_of("ViT", "Vision Transformer")
    assert not abbreviation_of("Vision Transformer", "ViT")
    assert not abbreviation_of("BERT", "BERT model")
    assert not abbreviation_of("RoBERTa", "Robustly Optimized BERT Pretraining Approach")
    assert abbreviation_of("RoBERTa", "Robustly Optimized BERT Pretraining Approach", strict=False)


def test_resolution_key_keeps_digit_boundaries_and_folds_heads():
    assert resolution_key("LLaMA-2-70B") == resolution_key("Llama 2 70B") != resolution_key("Llama 270B")
    assert resolution_key("the CaseHOLD dataset") == resolution_key("CaseHOLD")
    assert resolution_key("Segment Anything Model") != resolution_key("Segment Anything")


# --- variants ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, family",
    [
        ("LLaMA-2-70B", "LLaMA-2"),
        ("Qwen2.5-7B-Instruct", "Qwen2.5"),
        ("GPT-3.5-turbo", "GPT-3.5"),
        ("OPT-30B", "OPT"),
        ("Flan-T5-XXL", "Flan-T5"),
        ("T5-XXL", "T5"),
        ("BERT-base", "BERT"),
        ("OPT-IML 175B", "OPT-IML"),
        ("BERT-base-uncased", "BERT"),
        ("Mistral-7B-Instruct-v0.2", "Mistral"),
        ("gpt-4-0613", "gpt-4"),
        ("ViT-B/16", "ViT"),
        ("Mixtral-8x7B", "Mixtral"),
        ("ResNet-50", "ResNet"),
        ("ImageNet-1k", "ImageNet"),
        ("DeBERTa-v3-large", "DeBERTa-v3"),
        ("GPT-4", None),
        ("RoBERTa", None),
        ("CIFAR-10", None),
        ("GPT-4o", None),
        ("PaLM-E", None),
        ("SQuAD 2.0", None),
    ],
)
def test_family_of(name, family):
    assert family_of(name) == family


def test_variant_ancestors_nearest_first():
    assert variant_ancestors("LLaMA-2-70B-chat") == ["LLaMA-2-70B", "LLaMA-2"]


def model(name: str, *aliases: str, entity_type: EntityType = MODEL) -> Entity:
    return Entity.named(entity_type, name, aliases)


def test_plan_variants_links_to_nearest_family_in_graph():
    entities = [model("LLaMA-2"), model("LLaMA-2-70B"), model("LLaMA-2-70B-chat"), model("Qwen2.5-7B")]
    relations = plan_variants(entities)
    assert {(r.source_id, r.target_id) for r in relations} == {
        ("model:llama2-70bchat", "model:llama2-70b"),
        ("model:llama2-70b", "model:llama2"),
    }
    assert all(r.type is RelationType.VARIANT_OF for r in relations)


def test_plan_variants_stays_within_a_type():
    assert plan_variants([model("LAION-5B", entity_type=DATASET), model("LAION")]) == []


# --- plan_merges ---------------------------------------------------------------------------------


def test_plan_merges_by_key_and_recorded_abbreviation():
    entities = [
        model("GPT-4"),
        Entity(id="model:gpt4x", type=MODEL, name="gpt 4"),  # same key, different id (e.g. older build)
        model("LoRA", "Low-Rank Adaptation", entity_type=METHOD),
        model("low-rank adaptations", entity_type=METHOD),
        model("BERT"),
        model("RoBERTa"),
    ]
    counts = {"model:gpt4": 5, "model:gpt4x": 1, "method:lora": 2, "method:lowrankadaptations": 3}
    plan = plan_merges(entities, counts)
    assert plan == {"model:gpt4x": "model:gpt4", "method:lowrankadaptations": "method:lora"}


def test_plan_merges_survivor_within_a_type_is_the_shortest_id_whatever_the_counts():
    """Counts after a merge are the survivor's, so a count-based pick would depend on the build order."""
    entities = [
        model("LoRA", "Low-Rank Adaptation", entity_type=METHOD),
        model("low-rank adaptations", entity_type=METHOD),
    ]
    for counts in ({"method:lora": 1, "method:lowrankadaptations": 9}, {"method:lora": 9}):
        assert plan_merges(entities, counts) == {"method:lowrankadaptations": "method:lora"}


def test_plan_merges_across_types_goes_to_type_with_most_papers():
    entities = [model("GSM8K", entity_type=DATASET), model("GSM8K", entity_type=BENCHMARK)]
    assert plan_merges(entities, {"dataset:gsm8k": 1, "benchmark:gsm8k": 4}) == {
        "dataset:gsm8k": "benchmark:gsm8k"
    }
    assert plan_merges(entities, {"dataset:gsm8k": 2, "benchmark:gsm8k": 2}) == {
        "benchmark:gsm8k": "dataset:gsm8k"  # tie: Dataset comes before Benchmark in TYPE_ORDER
    }


def test_plan_merges_unrecorded_acronym_only_within_type_and_unambiguous():
    entities = [
        model("RLHF", entity_type=METHOD),
        model("reinforcement learning from human feedback", entity_type=METHOD),
        model("GAN", entity_type=METHOD),
        model("generative adversarial network", entity_type=METHOD),
        model("graph attention network", entity_type=METHOD),  # also spells G-A-N: ambiguous, no merge
        model("ViT"),
        model("Vision Transformer", entity_type=METHOD),  # other type: no merge
    ]
    plan = plan_merges(entities, {"method:rlhf": 2, "method:reinforcementlearningfromhumanfeedback": 1})
    assert plan == {"method:reinforcementlearningfromhumanfeedback": "method:rlhf"}


def test_an_acronym_defined_differently_by_papers_joins_no_long_form():
    """Seed graph: "continual learning" absorbed curriculum learning through "CL" (two papers, two definitions)."""
    entities = [
        model("CL", "continual learning", "curriculum learning", entity_type=METHOD),
        model("continual learning", entity_type=METHOD),
        model("curriculum learning", entity_type=METHOD),
        model("DR", "domain randomization", entity_type=METHOD),  # one definition: still joins its long form
        model("domain randomization", entity_type=METHOD),
    ]
    plan = plan_merges(entities, {"method:cl": 3, "method:dr": 2})
    assert plan == {"method:domainrandomization": "method:dr"}
    only_one_long_form_in_graph = entities[:2]
    assert plan_merges(only_one_long_form_in_graph, {}) == {}


def test_a_defined_acronym_joins_a_bare_name_only_written_the_same_way():
    """Seed graph: the COCO dataset absorbed "Cross-modality and Cross-action Modeling (CoCo)" (issue 9)."""
    entities = [
        model("Cross-action Modeling", "CoCo", entity_type=METHOD),
        model("COCO", entity_type=DATASET),
        model("Low-Rank Adaptation", "LoRA", entity_type=METHOD),
        model("LoRA", entity_type=METHOD),  # written bare in another paper, as defined
        model("Tabular Foundation Models", "TabFMs"),
        model("TabFM"),  # the singular of the defined plural
    ]
    assert plan_merges(entities, {}) == {
        "method:lowrankadaptation": "method:lora",
        "model:tabularfoundationmodels": "model:tabfm",
    }


def test_an_acronym_defined_by_a_full_name_and_by_its_start_is_one_thing():
    """Seed graph: "LoFiT: Localized Fine-Tuning on LLM Representations" in a title, "localized fine-tuning
    (LoFiT)" in the abstract, made two nodes."""
    entities = [
        model("Localized Fine-Tuning on LLM Representations", "LoFiT", entity_type=METHOD),
        model("localized fine-tuning", "LoFiT", entity_type=METHOD),
        model("CL", "continual learning", "curriculum learning", entity_type=METHOD),
    ]
    assert plan_merges(entities, {}) == {
        "method:localizedfinetuningonllmrepresentations": "method:localizedfinetuning"
    }


def test_plan_merges_ignores_untrusted_aliases():
    entities = [model("GPT-4", "GPT-4V"), model("GPT-4V")]
    assert plan_merges(entities, {}) == {}


def test_plan_merges_is_deterministic_under_shuffling():
    names = ["GPT-4", "gpt4", "GPT 4", "LoRA", "Low-Rank Adaptation", "LLaMA 2", "Llama-2", "BERT", "RoBERTa"]
    aliases = {"LoRA": ("Low-Rank Adaptation",)}
    entities = [
        Entity(id=f"{t.value.lower()}:{i}", type=t, name=n, aliases=aliases.get(n, ()))
        for i, n in enumerate(names)
        for t in (MODEL, METHOD)
    ]
    counts = {e.id: len(e.name) % 3 for e in entities}
    expected = plan_merges(entities, counts)
    assert len(set(expected.values())) == 5  # gpt4, lora, llama2, bert, roberta: one node across both types
    for seed in range(5):
        random.Random(seed).shuffle(entities)
        assert plan_merges(entities, counts) == expected


# --- the store merge -----------------------------------------------------------------------------


def evidence(sentence: str) -> Evidence:
    return Evidence(sentence=sentence, start=0, end=3)


def paper_graph(paper_id: str, *mentions: tuple[Entity, int, RelationType]) -> PaperGraph:
    paper = Paper(id=paper_id, title=f"Paper {paper_id}", abstract="An abstract.", source="test")
    relations = tuple(
        Relation(
            source_id=paper_id,
            target_id=entity.id,
            type=relation_type,
            count=count,
            evidence=(evidence(f"{paper_id} {entity.name}"),),
        )
        for entity, count, relation_type in mentions
    )
    return PaperGraph(paper=paper, entities=tuple(e for e, _, _ in mentions), relations=relations)


@pytest.fixture
def store() -> NetworkXStore:
    lora = model("LoRA", "Low-Rank Adaptation", entity_type=METHOD)
    long_form = model("Low-Rank Adaptation", entity_type=METHOD)
    llama = model("LLaMA-2")
    llama_70b = model("LLaMA-2-70B")
    llama_70b_spelled = Entity(id="model:llama-2-70b", type=MODEL, name="Llama 2 70B")
    store = NetworkXStore()
    mentions, proposes = RelationType.MENTIONS, RelationType.PROPOSES
    store.write(
        [
            paper_graph("p1", (lora, 2, mentions), (long_form, 1, mentions), (lora, 1, proposes)),
            paper_graph("p2", (long_form, 3, mentions), (llama_70b, 1, mentions)),
            paper_graph("p3", (lora, 1, mentions), (llama, 2, mentions), (llama_70b_spelled, 1, mentions)),
        ]
    )
    return store


def test_merge_entities_moves_edges_and_adds_counts(store):
    total_before = sum(r.count for r in store.relations())
    assert store.merge_entities({"method:lowrankadaptation": "method:lora"}) == 1
    graph = store.graph
    assert "method:lowrankadaptation" not in graph
    assert graph.edges["p1", "method:lora", "MENTIONS"]["count"] == 3
    assert len(graph.edges["p1", "method:lora", "MENTIONS"]["evidence"]) == 2
    assert graph.edges["p2", "method:lora", "MENTIONS"]["count"] == 3
    assert graph.edges["p1", "method:lora", "PROPOSES"]["count"] == 1
    assert sum(r.count for r in store.relations()) == total_before
    assert all(r.target_id != "method:lowrankadaptation" for r in store.relations())
    assert graph.nodes["method:lora"]["aliases"] == ["Low-Rank Adaptation"]
    assert store.merge_entities({"method:lowrankadaptation": "method:lora"}) == 0


def test_merge_entities_follows_chains_and_moves_entity_edges(store):
    store.write_entity_relations(
        [Relation(source_id="model:llama-2-70b", target_id="model:llama2", type=RelationType.VARIANT_OF)]
    )
    plan = {"model:llama-2-70b": "model:llama2-70b", "model:llama2-70b": "model:llama2"}
    assert store.merge_entities(plan) == 2
    assert set(store.graph.predecessors("model:llama2")) == {"p2", "p3"}
    assert not store.graph.has_edge("model:llama2", "model:llama2"), "self-loop from a merged variant edge"
    assert store.graph.nodes["model:llama2"]["aliases"] == ["LLaMA-2-70B", "Llama 2 70B"]


def test_apply_resolution_merges_links_and_is_idempotent(store):
    summary = apply_resolution(store)
    assert (summary.merged, summary.variants) == (2, 1)
    ids = {e.id for e in store.entities()}
    assert ids == {"method:lora", "model:llama2", "model:llama2-70b"}  # the shortest id of each group
    variant = [r for r in store.relations() if r.type is RelationType.VARIANT_OF]
    assert [(r.source_id, r.target_id) for r in variant] == [("model:llama2-70b", "model:llama2")]
    assert store.graph.edges["p2", "model:llama2-70b", "MENTIONS"]["count"] == 1
    assert paper_counts(store.relations()) == {"method:lora": 3, "model:llama2-70b": 2, "model:llama2": 1}

    before = (sorted(store.graph.nodes(data=True)), sorted(store.graph.edges(keys=True, data=True)))
    again = apply_resolution(store)
    assert again.merged == 0
    after = (sorted(store.graph.nodes(data=True)), sorted(store.graph.edges(keys=True, data=True)))
    assert after == before


def test_entity_id_for_matches_plan_ids():
    assert entity_id_for(MODEL, "LLaMA-2-70B") == "model:llama2-70b"


def test_entity_ids_keep_version_and_size_apart():
    assert Entity.named(MODEL, "LLaMA-2-70B").id != Entity.named(MODEL, "LLaMA-270B").id
    assert (
        Entity.named(MODEL, "GPT-4").id == Entity.named(MODEL, "gpt 4").id == Entity.named(MODEL, "GPT4").id
    )
    assert Entity.named(MODEL, "Llama 2").id == Entity.named(MODEL, "LLaMA-2").id


def _named_after_resolution(graphs: list[PaperGraph]) -> list[Entity]:
    store = NetworkXStore()
    store.write(graphs)
    apply_resolution(store)
    return sorted(store.entities(), key=lambda e: e.id)


def test_an_entity_is_named_by_the_spelling_most_papers_write_in_any_order():
    written = [
        ("p1", "We tune Llama-2 on math.", "Llama-2"),
        ("p2", "Our baseline is Llama-2 with 7B parameters.", "Llama-2"),
        ("p3", "We start from LLaMA-2 weights.", "LLaMA-2"),
    ]
    graphs = [written_paper(pid, abstract, [(surface, "MODEL")]) for pid, abstract, surface in written]
    for order in (graphs, graphs[::-1]):
        [entity] = _named_after_resolution(order)
        assert (entity.id, entity.name, entity.aliases) == ("model:llama2", "Llama-2", ("LLaMA-2",))


def test_case_and_hyphen_variants_count_together_for_the_name():
    written = {"name entity recognition": 1, "named entity recognition": 1, "Named-Entity Recognition": 1}
    name = canonical_name("task:nameentityrecognition", [*written, "NER"], written)
    assert name.casefold().replace("-", " ") == "named entity recognition"


def test_an_acronym_gives_way_to_its_long_form_only_where_more_papers_write_that():
    """Issue 9: a person calls the task "question answering", the method "LoRA": the spelling most papers write."""
    qa = {"QA": 4, "question answering": 8, "Question Answering": 1}
    assert canonical_name("task:qa", qa, qa) == "question answering"
    lora = {"LoRA": 6, "Low-Rank Adaptation": 2}
    assert canonical_name("method:lora", lora, lora) == "LoRA"
    tied = {"RAFT": 1, "Rationale Adaptor": 1}
    assert canonical_name("method:raft", tied, tied) == "RAFT"
    unrelated = {"OCR": 1, "scene text recognition": 5}  # an alias it does not abbreviate never names it
    assert canonical_name("task:ocr", unrelated, unrelated) == "OCR"


def test_the_name_writes_out_the_breaks_that_a_glued_spelling_drops():
    """Issue 9: "fine-tuning", not "finetuning"; LLaMA-2, not Llama2, even where more papers glue it."""
    written = [
        ("p1", "We tune Llama2 on math.", "Llama2"),
        ("p2", "Our baseline is Llama2 with 7B parameters.", "Llama2"),
        ("p3", "We start from LLaMA-2 weights.", "LLaMA-2"),
        ("p4", "We compare finetuning and prompting.", "finetuning"),
        ("p5", "Finetuning helps.", "Finetuning"),
        ("p6", "We show that fine-tuning helps.", "fine-tuning"),
    ]
    graphs = [written_paper(pid, abstract, [(surface, "MODEL")]) for pid, abstract, surface in written]
    for order in (graphs, graphs[::-1]):
        names = {entity.id: entity.name for entity in _named_after_resolution(order)}
        assert names == {"model:llama2": "LLaMA-2", "model:finetuning": "fine-tuning"}


def test_title_case_in_a_title_and_capitals_at_a_sentence_start_do_not_name_an_entity():
    titled = Paper(
        id="p1",
        title="Contrastive Learning for Retrieval",
        abstract="Contrastive Learning helps. We study contrastive learning on text.",
        source="tests",
    )
    mentions = [
        Mention(
            paper_id="p1",
            entity_id="method:contrastivelearning",
            type=EntityType.METHOD,
            canonical=titled.text[start : start + 20],
            text=titled.text[start : start + 20],
            start=start,
            end=start + 20,
            field=titled.field_of(start),
            sentence=sentence,
        )
        for start, sentence in [
            (0, titled.title),
            (titled.text.index("Contrastive Learning helps"), "Contrastive Learning helps."),
            (titled.text.index("contrastive learning on"), "We study contrastive learning on text."),
        ]
    ]
    [entity] = _named_after_resolution([assemble_paper_graph(titled, mentions)])
    assert entity.name == "contrastive learning"
    assert entity.aliases == ("Contrastive Learning",)

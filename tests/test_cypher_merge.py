"""`CypherStore.merge_entities` and resolution on a Cypher engine: the same merges as the NetworkX store."""

from __future__ import annotations

import doctest

import pytest

from paperkg.graph import merging
from paperkg.graph.resolution import apply_resolution
from paperkg.graph.schema import Entity, EntityType, Evidence, Paper, PaperGraph, Relation, RelationType
from paperkg.graph.synthetic import synthetic_entity, synthetic_paper_graphs, synthetic_variant_relations
from tests.test_cypher_store import cypher_store, open_cypher_store, reference, snapshot  # noqa: F401
from tests.test_resolve import model, paper_graph

ENTITIES = 240


def _id(index: int) -> str:
    return synthetic_entity(index).id


def tangled_plan() -> dict[str, str]:
    """Chains (0 → 6 → … → 48, along VARIANT_OF edges), a type change, cycles and absent ids."""
    plan = {_id(i): _id(i + 6) for i in range(0, 48, 6)}
    plan[_id(1)] = _id(2)  # Method → Dataset
    plan |= {_id(100): _id(106), _id(106): _id(100)}  # two-cycle
    plan |= {_id(200): _id(206), _id(206): _id(212), _id(212): _id(200)}  # three-cycle
    plan |= {"model:absent": _id(3), _id(5): "model:absent-too", _id(7): _id(7)}
    return plan


def _loaded(store):
    graphs = list(synthetic_paper_graphs(150, entities=ENTITIES))
    variants = synthetic_variant_relations(ENTITIES, every=6)
    store.write(graphs)
    store.write_entity_relations(variants)
    return store


@pytest.fixture
def both(cypher_store):  # noqa: F811
    return _loaded(cypher_store), _loaded(reference())


def test_merge_steps_docstring_examples():
    assert doctest.testmod(merging).failed == 0


def test_merges_equal_the_networkx_merges(both):
    cypher, expected = both
    plan = tangled_plan()
    merged = cypher.merge_entities(plan)
    assert merged == expected.merge_entities(plan) >= 10
    assert cypher.counts() == expected.counts()
    assert snapshot(cypher) == snapshot(expected)  # ids, names, aliases, edges, counts, evidence, paper_count
    assert not any(r.source_id == r.target_id for r in cypher.relations())
    assert _id(48) in {e.id for e in cypher.entities()} and _id(0) not in {e.id for e in cypher.entities()}


def test_merging_again_changes_nothing(both):
    cypher, _ = both
    plan = tangled_plan()
    cypher.merge_entities(plan)
    before = snapshot(cypher)
    assert cypher.merge_entities(plan) == 0
    assert snapshot(cypher) == before


def test_chunked_merges_equal_one_chunk(open_cypher_store):  # noqa: F811
    store = _loaded(open_cypher_store(batch_size=2))  # every chain and cycle spans several chunks
    expected = _loaded(reference())
    plan = tangled_plan()
    assert store.merge_entities(plan) == expected.merge_entities(plan)
    assert snapshot(store) == snapshot(expected)


def test_folded_edges_add_counts_and_join_evidence_without_repeats(cypher_store):  # noqa: F811
    shared = Evidence(sentence="We fine-tune LoRA (Low-Rank Adaptation).", start=13, end=17)
    own = Evidence(sentence="Low-rank adaptation helps.", start=0, end=19)
    lora, long_form = model("LoRA"), model("Low-Rank Adaptation", "LRA")
    paper = Paper(id="p1", title="T", abstract="A.", source="t")

    def edge(entity: Entity, count: int, *evidence: Evidence) -> Relation:
        return Relation(
            source_id="p1", target_id=entity.id, type=RelationType.MENTIONS, count=count, evidence=evidence
        )

    graph = PaperGraph(
        paper=paper,
        entities=(lora, long_form),
        relations=(edge(lora, 2, shared), edge(long_form, 3, shared, own)),
    )
    cypher_store.write([graph])
    assert cypher_store.merge_entities({long_form.id: lora.id}) == 1
    (relation,) = cypher_store.relations()
    assert (relation.target_id, relation.count, relation.evidence) == (lora.id, 5, (shared, own))
    (entity,) = cypher_store.entities()
    assert entity.aliases == ("LRA", "Low-Rank Adaptation")
    assert cypher_store.paper_count(lora.id) == 1
    assert snapshot(cypher_store) == snapshot(_merged([graph]))


def _merged(graphs):
    store = reference(graphs)
    store.merge_entities({model("Low-Rank Adaptation").id: model("LoRA").id})
    return store


def test_apply_resolution_equals_networkx_and_is_idempotent(cypher_store):  # noqa: F811
    mentions, proposes = RelationType.MENTIONS, RelationType.PROPOSES
    lora = model("LoRA", "Low-Rank Adaptation", entity_type=EntityType.METHOD)
    long_form = model("Low-Rank Adaptation", entity_type=EntityType.METHOD)
    llama, llama_70b = model("LLaMA-2"), model("LLaMA-2-70B")
    spelled = Entity(id="model:llama-2-70b", type=EntityType.MODEL, name="Llama 2 70B")
    graphs = [
        paper_graph("p1", (lora, 2, mentions), (long_form, 1, mentions), (lora, 1, proposes)),
        paper_graph("p2", (long_form, 3, mentions), (llama_70b, 1, mentions)),
        paper_graph("p3", (lora, 1, mentions), (llama, 2, mentions), (spelled, 1, mentions)),
    ]
    cypher_store.write(graphs)
    expected = reference(graphs)
    assert apply_resolution(cypher_store) == apply_resolution(expected)
    assert snapshot(cypher_store) == snapshot(expected)
    before = snapshot(cypher_store)
    assert apply_resolution(cypher_store).merged == 0
    assert snapshot(cypher_store) == before

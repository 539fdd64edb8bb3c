"""Pure parts of the Cypher backends: query templates, parameter rows, records → models, settings."""

from __future__ import annotations

import pytest

from paperkg.graph.cypher.queries import (
    MERGE_ENTITIES,
    MERGE_PAPER_RELATIONS,
    for_entity_type,
    for_label,
    for_relation_type,
)
from paperkg.graph.cypher.rows import (
    entity_rows,
    last_version_per_paper,
    paper_row,
    paper_write_statements,
    record_to_entity,
    record_to_paper,
    record_to_relation,
    relation_row,
)
from paperkg.graph.cypher.session import redact_uri
from paperkg.graph.schema import Entity, EntityType, Evidence, Paper, PaperGraph, Relation, RelationType
from paperkg.stores import connection_settings


def _paper(pid: str = "2401.00001", **fields) -> Paper:
    return Paper(id=pid, title=fields.pop("title", "T"), abstract="A.", source="s.jsonl", **fields)


def test_labels_and_types_come_only_from_the_closed_sets():
    assert "e:Entity:Model" in for_entity_type(MERGE_ENTITIES, EntityType.MODEL)
    assert "[r:USES]" in for_relation_type(MERGE_PAPER_RELATIONS, RelationType.USES)
    for bad in ("Model`) DETACH DELETE (n", "Entity", "model"):
        with pytest.raises(ValueError):
            for_entity_type(MERGE_ENTITIES, bad)
    with pytest.raises(ValueError):
        for_relation_type(MERGE_PAPER_RELATIONS, "USES]->() DELETE r //")
    with pytest.raises(ValueError):
        for_label("MATCH (n:__LABEL__)", "Paper) DETACH DELETE (n")


def test_no_data_in_query_text():
    name = "GPT-4 'quoted' `tick` {brace} MATCH"
    graph = PaperGraph(
        paper=_paper(title=name),
        entities=(Entity.named(EntityType.MODEL, name),),
        relations=(
            Relation(
                source_id="2401.00001", target_id=Entity.named(EntityType.MODEL, name).id, type="MENTIONS"
            ),
        ),
    )
    for query, _params in paper_write_statements([graph]):
        assert name not in query and "2401.00001" not in query


def test_paper_row_drops_nones_and_empty_lists_and_round_trips():
    paper = _paper(url=None, authors=("A", "B"), categories=(), line=3)
    row = paper_row(paper)
    assert row["props"] == {
        "id": "2401.00001",
        "title": "T",
        "abstract": "A.",
        "source": "s.jsonl",
        "line": 3,
        "authors": ["A", "B"],
    }
    assert record_to_paper(row["props"]) == paper
    assert record_to_paper({**row["props"], "title": None}).title == ""


def test_entity_rows_merge_repeats_like_the_networkx_store():
    rows = entity_rows(
        [
            Entity.named(EntityType.MODEL, "GPT-4", ("gpt4",)),
            Entity.named(EntityType.MODEL, "GPT4", ("GPT 4",)),
            Entity.named(EntityType.DATASET, "GSM8K"),
        ]
    )
    assert rows[EntityType.MODEL] == [
        {"id": "model:gpt4", "name": "GPT-4", "aliases": ["GPT 4", "GPT4", "gpt4"]}
    ]
    assert rows[EntityType.DATASET] == [{"id": "dataset:gsm8k", "name": "GSM8K", "aliases": []}]


def test_relation_evidence_as_parallel_lists_round_trips():
    relation = Relation(
        source_id="p",
        target_id="model:x",
        type=RelationType.PROPOSES,
        count=2,
        evidence=(Evidence(sentence="s1", start=0, end=2), Evidence(sentence="s2", start=5, end=9)),
    )
    row = relation_row(relation)
    assert row["sentences"] == ["s1", "s2"] and row["starts"] == [0, 5] and row["ends"] == [2, 9]
    record = {k: v for k, v in row.items() if k not in ("source", "target")}
    assert record_to_relation({**record, "source": "p", "target": "model:x", "type": "PROPOSES"}) == relation


def test_record_to_entity_reads_the_type_label_and_sorts_aliases():
    entity = record_to_entity(
        {"id": "task:qa", "labels": ["Task", "Entity"], "name": "QA", "aliases": ["qa", "Q.A."]}
    )
    assert entity == Entity(id="task:qa", type=EntityType.TASK, name="QA", aliases=("Q.A.", "qa"))
    with pytest.raises(ValueError):
        record_to_entity({"id": "x", "labels": ["Entity"], "name": "x", "aliases": None})


def test_last_version_of_a_paper_in_a_batch_wins():
    first, second = PaperGraph(paper=_paper(title="old")), PaperGraph(paper=_paper(title="new"))
    kept = last_version_per_paper([first, PaperGraph(paper=_paper("x")), second])
    assert [(g.paper.id, g.paper.title) for g in kept] == [("2401.00001", "new"), ("x", "T")]


def test_redact_uri_hides_only_the_password():
    assert redact_uri("neo4j://neo4j:s3cret@db:7687") == "neo4j://neo4j:***@db:7687"
    assert redact_uri("falkordb://localhost:6379") == "falkordb://localhost:6379"


def test_connection_settings_flag_over_environment_over_default():
    env = {"NEO4J_URI": "neo4j://env:7687", "NEO4J_PASSWORD": "pw", "NEO4J_DATABASE": "papers"}
    settings = connection_settings("neo4j", uri="bolt://flag:7687", env=env)
    assert settings == {"uri": "bolt://flag:7687", "user": "neo4j", "password": "pw", "database": "papers"}
    assert connection_settings("falkordb", env={})["database"] == "paperkg"
    assert connection_settings("falkordb", env={"FALKORDB_URI": "falkordb://h:1"})["uri"] == "falkordb://h:1"

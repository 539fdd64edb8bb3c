"""Small hand-built papers and paper graphs for store tests."""

from paperkg.graph.assemble import assemble_paper_graph
from paperkg.graph.schema import EntityType, Mention, Paper, PaperGraph, entity_id_for


def paper(paper_id: str, title: str = "A title", abstract: str = "An abstract.") -> Paper:
    return Paper(id=paper_id, title=title, abstract=abstract, source="tests")


def mention(paper_obj: Paper, surface: str, label: str, canonical: str | None = None) -> Mention:
    start = paper_obj.text.index(surface)
    entity_type = EntityType.from_label(label)
    return Mention(
        paper_id=paper_obj.id,
        entity_id=entity_id_for(entity_type, canonical or surface),
        type=entity_type,
        canonical=canonical or surface,
        text=surface,
        start=start,
        end=start + len(surface),
        field=paper_obj.field_of(start),
        sentence=paper_obj.abstract,
    )


def paper_graph(
    paper_id: str, abstract: str, mentions: list[tuple[str, str] | tuple[str, str, str]]
) -> PaperGraph:
    """A paper whose abstract mentions each (surface, label[, canonical])."""
    item = paper(paper_id, abstract=abstract)
    return assemble_paper_graph(item, [mention(item, *m) for m in mentions])

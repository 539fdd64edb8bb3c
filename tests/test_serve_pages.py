"""The explorer's pure parts: papers per month, the abstract cut at its mentions, type-ahead by prefix."""

from __future__ import annotations

from paperkg.graph.schema import EntityType
from paperkg.queries.results import EntityRow
from paperkg.web.charts import month_bars
from paperkg.web.pages import PrefixIndex, abstract_parts, arxiv_url, month_counts


def test_month_counts_fill_empty_months_and_count_undated_papers():
    months, undated = month_counts(["2023-11-02", "2024-01-15", "2024-01", None, "2023", "2023-11-30"])
    assert [(m.month, m.papers) for m in months] == [("2023-11", 2), ("2023-12", 0), ("2024-01", 2)]
    assert undated == 2  # no date, and a year alone
    assert month_counts([None]) == ([], 1)


def test_month_bars_scale_to_the_busiest_month():
    months, _ = month_counts(["2023-12-01", "2024-01-01", "2024-01-02"])
    chart = month_bars(months)
    assert [b["papers"] for b in chart["bars"]] == [1, 2] and chart["top"] == 2
    assert chart["bars"][1]["h"] == 2 * chart["bars"][0]["h"]
    assert [t["label"] for t in chart["ticks"]] == ["2023-12", "2024"]


def test_abstract_parts_keep_the_text_and_the_longest_mention_at_a_start():
    title, abstract = "T", "We tune LLaMA-2-7B with LoRA."
    base = len(title) + 2
    edges = [
        {"entity": "model:llama2", "evidence": [{"start": base + 8, "end": base + 15}]},
        {"entity": "model:llama2-7b", "evidence": [{"start": base + 8, "end": base + 18}]},
        {
            "entity": "method:lora",
            "evidence": [{"start": base + 24, "end": base + 28}, {"start": 0, "end": 1}],
        },
    ]
    types = {"model:llama2-7b": "Model", "method:lora": "Method"}
    parts = abstract_parts(abstract, base, edges, types)
    assert "".join(p.text for p in parts) == abstract
    assert [(p.text, p.entity_id, p.type) for p in parts if p.entity_id] == [
        ("LLaMA-2-7B", "model:llama2-7b", "Model"),
        ("LoRA", "method:lora", "Method"),
    ]


def test_prefix_index_finds_names_and_aliases_by_their_start():
    rows = [
        EntityRow(id="model:gpt4", type=EntityType.MODEL, name="GPT-4", aliases=["GPT4"], paper_count=3),
        EntityRow(id="model:gpt3", type=EntityType.MODEL, name="GPT-3", paper_count=1),
        EntityRow(id="method:lora", type=EntityType.METHOD, name="LoRA", aliases=["Low-Rank Adaptation"]),
    ]
    index = PrefixIndex(rows)
    assert sorted(index.starting("gp")) == [
        ("model:gpt3", "GPT-3"),
        ("model:gpt4", "GPT-4"),
        ("model:gpt4", "GPT4"),
    ]
    assert index.starting("low rank") == [("method:lora", "Low-Rank Adaptation")]
    assert index.starting("  ") == [] and index.starting("x") == []


def test_arxiv_links_come_from_arxiv_urls_or_ids_only():
    assert arxiv_url("2303.08774", None) == "https://arxiv.org/abs/2303.08774"
    assert arxiv_url("cs/0112017", None) == "https://arxiv.org/abs/cs/0112017"
    assert arxiv_url("t-1a2b3c", None) is None and arxiv_url("xss-1", "https://example.org/x") is None
    assert arxiv_url("t-1a2b3c", "https://arxiv.org/abs/2401.00001v2") == "https://arxiv.org/abs/2401.00001v2"
    assert arxiv_url("t-1a2b3c", "javascript:alert(1)//arxiv.org/") is None
    assert arxiv_url("t-1a2b3c", "https://arxiv.org.evil.example/abs/1") is None
    assert arxiv_url("t-1a2b3c", "https://evilarxiv.org/abs/1") is None
    assert arxiv_url("t-1a2b3c", "https://export.arxiv.org/abs/1") == "https://export.arxiv.org/abs/1"

"""`paperkg query NAME --param k=v` and `paperkg cypher "…"`: ask the graph from the shell."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from paperkg.commands import add_command, add_graph_option

FORMATS = ("table", "json", "csv")


def parse_params(pairs: Sequence[str]) -> dict[str, str]:
    """`["entity=GPT-4", "hops=2"]` → `{"entity": "GPT-4", "hops": "2"}` (values converted by the query)."""
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--param/-p expects KEY=VALUE, e.g. -p limit=10; got {pair!r}")
        params[key.strip()] = value
    return params


def typed_value(text: str) -> Any:
    """A raw Cypher parameter: JSON where it parses (`2`, `true`, `["a"]`), else the text itself."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    return str(value.value if hasattr(value, "value") else value)


def format_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """Rows as an aligned text table, JSON (a list of objects) or CSV."""
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2, default=str)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
        return out.getvalue().rstrip("\n")
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


def _models_to_rows(models: Sequence[BaseModel], row_type: type[BaseModel]) -> tuple[list[dict], list[str]]:
    return [m.model_dump(mode="json") for m in models], list(row_type.model_fields)


def query_table() -> str:
    """Every named query: its name and what it answers, then its parameters with an example each."""
    from paperkg.queries.named import NAMED_QUERIES

    lines = []
    for query in NAMED_QUERIES.values():
        lines.append(f"  {query.name:20} {query.description}")
        for param in query.params:
            lines.append(f"      -p {param.usage():22} {param.describe()} ({param.default_text()})")
    return "\n".join(lines)


def cmd_query(args: argparse.Namespace) -> int:
    from paperkg.queries.api import open as open_graph
    from paperkg.queries.named import named_query

    if args.list or not args.name:
        print(query_table())
        return 0
    query = named_query(args.name)
    params = parse_params(args.param)
    with open_graph(args.graph) as kg:
        models = kg.query(query.name, **params)
        why = None if models else kg.why_empty(query.name, **params)
    rows, columns = _models_to_rows(models, query.row)
    print(format_rows(rows, columns, args.format))
    if not rows:
        print(f"(no rows: {why})" if why else "(no rows)", file=sys.stderr)
    return 0


def cmd_cypher(args: argparse.Namespace) -> int:
    from paperkg.queries.api import open as open_graph

    with open_graph(args.graph) as kg:
        params = {key: typed_value(value) for key, value in parse_params(args.param).items()}
        result = kg.cypher(args.text, read_only=not args.write, **params)
    print(format_rows(result.records(), result.columns, args.format))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    query = add_command(
        sub,
        "query",
        "run a named query: a common question, on any backend",
        details="Entity parameters take a name, alias or id (resolved like `paperkg lookup`); paper "
        "parameters an id or a title. An empty answer says why when the graph can tell (e.g. no paper dates).",
        epilog="queries and their parameters (also: paperkg query --list):\n" + query_table(),
        examples=[
            "paperkg query top_entities -p type=benchmark -p limit=10",
            "paperkg query evaluated_on -p model=LLaMA-2 --format json",
            'paperkg query paper_proposes -p paper="Llama 2"',
            "paperkg query new_entities -p after=2024-01 --graph falkordb://localhost:6379/paperkg",
        ],
    )
    query.add_argument("name", nargs="?", help="the query, e.g. papers_mentioning (listed below)")
    query.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a parameter of the query, e.g. -p limit=10; repeat for more",
    )
    query.add_argument(
        "--format", choices=FORMATS, default="table", help="output: aligned table, JSON or CSV"
    )
    query.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    add_graph_option(query)
    query.set_defaults(run=cmd_query)

    cypher = add_command(
        sub,
        "cypher",
        "run Cypher on Neo4j or FalkorDB (read-only unless --write)",
        details="The graph model (labels, properties, relationships) is in docs/neo4j.md. A graph file is "
        "loaded into a throwaway FalkorDB for the command and queried read-only: sensible up to a few "
        "hundred thousand relationships (~10,000 records/s to load); past that, `paperkg load` it into a "
        "server once and pass its URI.",
        examples=[
            (
                'paperkg cypher "MATCH (m:Model)<-[:PROPOSES]-(p:Paper) RETURN m.name, p.title LIMIT 5" '
                "--graph falkordb://localhost:6379/paperkg"
            ),
            'paperkg cypher "MATCH (e:Entity {id: $id}) RETURN e.name" -p id=model:gpt4 --graph bolt://localhost:7687',
            'paperkg cypher "MATCH (d:Dataset) RETURN d.name ORDER BY d.paper_count DESC LIMIT 5"',
        ],
    )
    cypher.add_argument("text", help="the Cypher text; write $name for a parameter given with -p name=value")
    cypher.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help='a $KEY parameter; VALUE is read as JSON where it parses (2, true, ["a"]), else as text',
    )
    cypher.add_argument(
        "--format", choices=FORMATS, default="table", help="output: aligned table, JSON or CSV"
    )
    cypher.add_argument(
        "--write", action="store_true", help="run in a write transaction (default: read-only, writes refused)"
    )
    add_graph_option(cypher)
    cypher.set_defaults(run=cmd_cypher)

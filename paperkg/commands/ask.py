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

from paperkg.stores import DEFAULT_GRAPH

FORMATS = ("table", "json", "csv")


def add_graph_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--graph",
        default=str(DEFAULT_GRAPH),
        help="graph file, or bolt://…, neo4j://…, falkordb://host:port/graph (default graph.json)",
    )


def parse_params(pairs: Sequence[str]) -> dict[str, str]:
    """`["entity=GPT-4", "hops=2"]` → `{"entity": "GPT-4", "hops": "2"}` (values converted by the query)."""
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--param expects key=value, got {pair!r}")
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


def cmd_query(args: argparse.Namespace) -> int:
    from paperkg.queries.api import open as open_graph
    from paperkg.queries.named import NAMED_QUERIES, named_query

    if args.list or not args.name:
        for query in NAMED_QUERIES.values():
            params = " ".join(p.name if p.required else f"[{p.name}={p.default}]" for p in query.params)
            print(f"{query.name:22} {params:45} {query.description}")
        return 0
    query = named_query(args.name)
    with open_graph(args.graph) as kg:
        models = kg.query(query.name, **parse_params(args.param))
    rows, columns = _models_to_rows(models, query.row)
    print(format_rows(rows, columns, args.format))
    if not rows and args.format == "table":
        print("(no rows)", file=sys.stderr)
    return 0


def cmd_cypher(args: argparse.Namespace) -> int:
    from paperkg.queries.api import open as open_graph

    with open_graph(args.graph) as kg:
        params = {key: typed_value(value) for key, value in parse_params(args.param).items()}
        result = kg.cypher(args.text, read_only=not args.write, **params)
    print(format_rows(result.records(), result.columns, args.format))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    query = sub.add_parser("query", help="run a named query (paperkg query --list shows them)")
    query.add_argument("name", nargs="?", help="query name, e.g. papers_mentioning")
    query.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE")
    query.add_argument("--format", choices=FORMATS, default="table")
    query.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    add_graph_option(query)
    query.set_defaults(run=cmd_query)

    cypher = sub.add_parser(
        "cypher", help="run Cypher on a Neo4j or FalkorDB graph (read-only unless --write)"
    )
    cypher.add_argument("text", help="Cypher text; use $name parameters with --param name=value")
    cypher.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE")
    cypher.add_argument("--format", choices=FORMATS, default="table")
    cypher.add_argument("--write", action="store_true", help="allow writes (default: read-only transaction)")
    add_graph_option(cypher)
    cypher.set_defaults(run=cmd_cypher)

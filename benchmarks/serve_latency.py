"""Server time of every `paperkg serve` page, from the Server-Timing header of a real uvicorn server.

    python benchmarks/serve_latency.py --graph graph.json     # a built graph (e.g. the seed graph)
    python benchmarks/serve_latency.py --papers 50000          # benchmarks/large_graph.py's synthetic graph

For each page: the first request (cold: nothing cached but the indexes built at start and, unless
--hubs-ahead 0, the pages of the entities with most papers, made in the background at start as `paperkg serve`
does) and the median and worst of `--repeat` more (pages are kept once made). Pages are those of the entity with the most papers (the slowest entity page), an entity
of median paper count, and one of its papers.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def start(app) -> tuple[str, object]:
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{sock.getsockname()[1]}", server


def server_ms(url: str) -> float:
    with urllib.request.urlopen(url, timeout=120) as response:
        response.read()
        assert response.status == 200, url
        timing = response.headers["Server-Timing"]  # app;dur=12.3
    return float(timing.split("dur=")[1])


def pages(kg, ahead: int) -> list[tuple[str, str]]:
    entities = sorted(kg.index.by_id.values(), key=lambda e: (-e.paper_count, e.id))
    hub, middle = entities[0], entities[len(entities) // 2]
    biggest_cold = entities[min(ahead, len(entities) - 1)]  # the biggest entity not made ahead
    paper = kg.papers(hub.id)[0].id
    hub_path, middle_path = (urllib.parse.quote(e.id, safe=":") for e in (hub, middle))
    prefix = urllib.parse.quote(hub.name[:3])
    return [
        ("overview", "/"),
        ("overview, other date", "/?after=2019"),
        (f"search '{hub.name[:3]}'", f"/search?q={prefix}"),
        (f"type-ahead '{hub.name[:3]}'", f"/api/search?q={prefix}&limit=8"),
        ("search typo", f"/search?q={urllib.parse.quote(hub.name[:-1] + 'x')}"),
        (f"entity {hub.name} ({hub.paper_count} papers)", f"/entity/{hub_path}"),
        (f"entity {middle.name} ({middle.paper_count} papers)", f"/entity/{middle_path}"),
        (
            f"entity {biggest_cold.name} ({biggest_cold.paper_count} papers)",
            f"/entity/{urllib.parse.quote(biggest_cold.id, safe=':')}",
        ),
        (f"paper {paper}", f"/paper/{urllib.parse.quote(paper, safe='/')}"),
        ("neighbourhood page", f"/neighbourhood/{hub_path}"),
        (f"neighbourhood data {hub.name}", f"/api/neighbourhood/{hub_path}"),
        ("  with 15 papers", f"/api/neighbourhood/{hub_path}?papers=15"),
        ("expand (12 neighbours)", f"/api/neighbourhood/{middle_path}?limit=12"),
        ("entity JSON", f"/api/entity/{hub_path}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", help="a graph file or URI (default: a synthetic graph of --papers)")
    parser.add_argument("--papers", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--hubs-ahead",
        type=int,
        default=50,
        help="entities with most papers whose pages are made in the background at start, as `paperkg serve` "
        "does (0: none, every first request is cold); the figures are taken once they are made",
    )
    args = parser.parse_args()

    import paperkg
    from paperkg.web.app import create_app

    started = time.perf_counter()
    if args.graph:
        kg = paperkg.open(args.graph)
        label = args.graph
    else:
        from large_graph import large_store

        kg = paperkg.open(large_store(entities=args.papers * 2, papers=args.papers))
        label = f"synthetic graph of {args.papers} papers"
    loaded = time.perf_counter()
    app = create_app(kg, hubs_ahead=args.hubs_ahead)
    built = time.perf_counter()
    print(
        f"{label}: opened in {loaded - started:.1f} s, indexes and overview built in {built - loaded:.1f} s"
    )
    base, server = start(app)
    if args.hubs_ahead:
        app.state.explorer.hubs_ready.wait()
        print(
            f"pages of the {args.hubs_ahead} entities with most papers made in {time.perf_counter() - built:.1f} s"
        )
    print(f"{'page':48} {'cold':>8} {'p50':>8} {'max':>8}  (server ms)")
    for name, path in pages(kg, args.hubs_ahead):
        cold = server_ms(base + path)
        warm = [server_ms(base + path) for _ in range(args.repeat)]
        print(f"{name[:48]:48} {cold:8.1f} {statistics.median(warm):8.1f} {max(warm):8.1f}")
    server.should_exit = True


if __name__ == "__main__":
    main()

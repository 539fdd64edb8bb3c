"""HTML size and load time (headless Chromium, navigation to laid out) of 2,000-node views.

.venv/bin/python benchmarks/viz_size.py [--nodes 2000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from large_graph import large_store

from paperkg.viz.html import write_html
from paperkg.viz.views import GraphView, ego_view, top_view

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the CDP browser test helper


def load_seconds(page: Path, runs: int = 3) -> tuple[float, int, list[str]]:
    """Best of `runs`: seconds from navigation until the layout is done, visible nodes, page errors."""
    from cdp_browser import Browser, find_chromium

    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("no chromium on PATH")
    best = float("inf")
    with Browser(chromium, timeout=120) as browser:
        for _ in range(runs):
            start = time.perf_counter()
            browser.open(page, "window.paperkgReady === true")
            best = min(best, time.perf_counter() - start)
        shown = browser.evaluate("paperkg.cy.nodes(':visible').length")
        return best, shown, browser.errors() + browser.remote_requests()


def report(label: str, view: GraphView, folder: Path) -> None:
    page = write_html(view, folder / f"{label}.html")
    size = page.stat().st_size
    seconds, shown, problems = load_seconds(page)
    print(
        f"{label:28} visible={len(view.visible_nodes):5} hidden={len(view.nodes) - len(view.visible_nodes):5} "
        f"edges={len(view.edges):6} layout={view.layout:10} html={size / 1e6:6.2f} MB "
        f"load={seconds:5.2f} s rendered={shown} problems={problems or 'none'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=2000)
    args = parser.parse_args()
    store = large_store()
    hub = max(store.graph.nodes, key=lambda n: store.graph.in_degree(n))
    with tempfile.TemporaryDirectory() as folder:
        report("top view", top_view(store, top=args.nodes // 2, max_nodes=args.nodes), Path(folder))
        report("ego view (hub, 2 hops)", ego_view(store, hub, hops=2, max_nodes=args.nodes), Path(folder))
        small = ego_view(store, hub, hops=1, max_nodes=300)
        report("ego view (300, cose)", small, Path(folder))


if __name__ == "__main__":
    main()

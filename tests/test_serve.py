"""`paperkg serve`: the explorer's pages and JSON API on a real uvicorn server, on a graph built by the real
pipeline from a seed page dump, an arXiv snapshot, an Atom feed and a paper whose title is a script tag; the
same answers from FalkorDB; and the pages in Debian's Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

import paperkg
from paperkg.cli import main
from tests.cdp_browser import find_chromium
from tests.conftest_paths import SHARED
from tests.web_server import get, get_json, serving

CHROMIUM = find_chromium()
if CHROMIUM is None and os.environ.get("PAPERKG_REQUIRE_BROWSER"):
    raise RuntimeError("PAPERKG_REQUIRE_BROWSER is set but no chromium is on PATH (apt-get install chromium)")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium on PATH (Debian: apt-get install chromium) to test pages in a browser",
)
FIXTURES = Path(__file__).parent / "fixtures" / "sources"
XSS_TITLE = "<script>alert(1)</script>"
XSS_PAPER = {
    "id": "xss-1",
    "title": XSS_TITLE,
    "abstract": "We fine-tune LLaMA-2 with LoRA and evaluate it on GSM8K <img src=x onerror=alert(2)>, where it "
    "outperforms GPT-4 by 3.1 points.",
    "date": "2024-02-01",
    "url": "javascript:alert(3)",
}


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("serve")
    (folder / "xss.jsonl").write_text(json.dumps(XSS_PAPER) + "\n")
    seeds = min((SHARED / "seeds").glob("*.txt"))
    out = folder / "graph.json"
    sources = [seeds, FIXTURES / "arxiv_snapshot.jsonl", FIXTURES / "feed.atom.xml", folder / "xss.jsonl"]
    argv = ["build", *map(str, sources), "--out", str(out), "--rejects", str(folder / "rejects.jsonl")]
    assert main(argv) == 0
    return out


@pytest.fixture(scope="module")
def kg(graph_file):
    with paperkg.open(graph_file) as kg:
        yield kg


@pytest.fixture(scope="module")
def base(kg):
    with serving(kg) as url:
        yield url


def entity_path(entity_id: str) -> str:
    return urllib.parse.quote(entity_id, safe=":")


def test_search_is_the_lookup_then_names_starting_with_the_text(kg, base):
    status, found = get_json(f"{base}/api/search?q=gpt4")
    assert status == 200
    assert found["hits"][0]["entity"]["id"] == kg.lookup("gpt4").best.id == "model:gpt4"
    _, typed = get_json(f"{base}/api/search?q=gp&type=model")
    names = [hit["entity"]["name"] for hit in typed["hits"]]
    assert {"GPT-4", "GPT"} <= set(names) and all(h["entity"]["type"] == "Model" for h in typed["hits"])
    _, typo = get_json(f"{base}/api/search?q=LLaMa-2")
    assert typo["hits"][0]["entity"]["name"] == "LLaMA-2"
    status, bad = get_json(f"{base}/api/search?q=x&type=paper")
    assert status == 400 and "unknown entity type 'paper'" in bad["detail"]


def test_entity_page_data(kg, base):
    status, page = get_json(f"{base}/api/entity/model:gpt4")
    assert status == 200 and page["entity"]["name"] == "GPT-4"
    papers = kg.papers("model:gpt4")
    assert page["paper_total"] == len(papers) and [p["id"] for p in page["papers"]] == [p.id for p in papers]
    months = {m["month"]: m["papers"] for m in page["months"]}
    assert months["2023-03"] == 1 and months["2024-02"] == 1 and sum(months.values()) == 2
    assert page["undated"] == len(papers) - 2
    own = next(p for p in page["papers"] if p["id"] == "2303.08774")
    assert own["sentence"] and "GPT-4" in own["sentence"]
    groups = {g["key"]: g for g in page["groups"]}
    assert list(groups) == ["proposed_by", "evaluated_on", "compared_with", "used_with", "cooccurring"]
    cooccurring = [(e["id"], e["papers"]) for e in groups["cooccurring"]["entities"]]
    assert cooccurring == [(r.id, r.papers) for r in kg.query("cooccurring", entity="model:gpt4", limit=15)]


def test_paper_page_marks_entities_and_lists_results(kg, base):
    status, page = get_json(f"{base}/api/paper/xss-1")
    assert status == 200 and page["title"] == XSS_TITLE and page["arxiv_url"] is None
    assert "".join(part["text"] for part in page["abstract"]) == XSS_PAPER["abstract"]
    marked = {part["text"]: part["entity_id"] for part in page["abstract"] if part["entity_id"]}
    assert marked["LoRA"] == kg.resolve("LoRA").id and marked["GSM8K"] == kg.resolve("GSM8K").id
    assert {e["id"] for e in page["entities"]} == {e.id for e in kg.query("paper_entities", paper="xss-1")}
    _, arxiv = get_json(f"{base}/api/paper/cs/0112017")  # an old arXiv id, with a slash
    assert arxiv["arxiv_url"] == "https://arxiv.org/abs/cs/0112017"
    results = [paper for paper in kg.paper_index.by_id if kg.store.graph.graph["results"].get(paper)]
    _, reported = get_json(f"{base}/api/paper/{urllib.parse.quote(results[0], safe='/')}")
    assert [r["value"] for r in reported["results"]] == [
        r["value"] for r in sorted(kg.store.graph.graph["results"][results[0]], key=lambda r: r["start"])
    ]


def test_html_escapes_what_the_papers_say(base):
    status, headers, page = get(f"{base}/paper/xss-1")
    assert status == 200
    assert XSS_TITLE not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "javascript:" not in page  # a stored url that is not http(s) is no link
    assert "script-src 'self'" in headers["content-security-policy"]


def test_overview_and_neighbourhood(kg, base):
    _, overview = get_json(f"{base}/api/overview")
    top_models = next(t for t in overview["top"] if t["type"] == "Model")["entities"]
    assert [e["id"] for e in top_models] == [e.id for e in kg.query("top_entities", type="model", limit=10)]
    assert overview["new_after"] == "2024-02"  # the newest paper's month
    assert [e["id"] for e in overview["new"]] == [e.id for e in kg.query("new_entities", after="2024-02")]
    _, older = get_json(f"{base}/api/overview?after=2023")
    assert older["new_total"] > overview["new_total"]

    _, hood = get_json(f"{base}/api/neighbourhood/model:gpt4?limit=5")
    assert hood["centre"] == "model:gpt4" and hood["nodes"][0]["id"] == "model:gpt4"
    around = kg.query("cooccurring", entity="model:gpt4", limit=5)
    assert [n["id"] for n in hood["nodes"][1:]] == [r.id for r in around]
    weights = {(e["source"], e["target"]): e["weight"] for e in hood["edges"]}
    assert all(weights[("model:gpt4", r.id)] == r.papers for r in around)
    assert all(n["kind"] == "entity" for n in hood["nodes"])  # papers collapsed into weighted edges
    _, with_papers = get_json(f"{base}/api/neighbourhood/model:gpt4?limit=5&papers=3")
    assert sum(n["kind"] == "paper" for n in with_papers["nodes"]) == 3


def test_api_errors_and_schema(base):
    status, missing = get_json(f"{base}/api/entity/model:nothing-like-this")
    assert status == 404 and missing["detail"] == "no entity with id 'model:nothing-like-this'"
    status, _, page = get(f"{base}/entity/model:nothing-like-this")
    assert status == 404 and "no entity with id" in page
    _, schema = get_json(f"{base}/openapi.json")
    assert {"/api/search", "/api/overview", "/api/cypher"} <= set(schema["paths"])
    assert any(path.startswith("/api/entity/") for path in schema["paths"])
    _, console = get_json(f"{base}/api/cypher?q=MATCH%20(n)%20RETURN%20n")
    assert "needs a Cypher server" in console["error"]


def test_the_command_serves_on_loopback(graph_file):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "paperkg.cli", "serve", "--graph", str(graph_file), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().startswith(f"serving {graph_file} at http://127.0.0.1:{port}/")
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _, page = get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.1)
        assert status == 200 and "Overview" in page
        taken = subprocess.run(command, check=False, capture_output=True, text=True, timeout=60)
        assert taken.returncode == 2 and taken.stderr.splitlines() == [
            f"paperkg serve: error: cannot listen on 127.0.0.1:{port} (Address already in use); try another --port"
        ]
    finally:
        process.terminate()
        process.wait(timeout=10)


SAME_PAGES = (
    "/api/entity/model:gpt4",
    "/api/entity/method:lora",
    "/api/paper/xss-1",
    "/api/paper/2303.08774",
    "/api/paper/cs/0112017",
    "/api/neighbourhood/model:gpt4?limit=8&papers=2",
    "/api/search?q=gpt",
)


def assert_same_pages(kg, base: str, server_base: str) -> None:
    """Every page's JSON from the server graph equals the graph file's (the overview but for its source)."""
    for path in SAME_PAGES:
        assert get_json(server_base + path) == get_json(base + path), path
    _, on_server = get_json(server_base + "/api/overview?after=2023")
    _, on_file = get_json(base + "/api/overview?after=2023")
    assert on_server.pop("source") != on_file.pop("source") == str(kg.source)
    assert on_server == on_file


def test_falkordb_serves_the_same_pages(kg, base, falkordb_server, falkordb_graph):
    from tests.falkordb_helper import load_store

    load_store(falkordb_server.host, falkordb_server.port, falkordb_graph, kg.store)
    uri = f"falkordb://{falkordb_server.host}:{falkordb_server.port}/{falkordb_graph}"
    with paperkg.open(uri) as server_kg, serving(server_kg) as server_base:
        assert_same_pages(kg, base, server_base)
        query = "MATCH (e:Model) WHERE e.id = 'model:gpt4' RETURN e.name AS name"
        _, table = get_json(server_base + "/api/cypher?q=" + urllib.parse.quote(query))
        assert table["columns"] == ["name"] and table["rows"] == [["GPT-4"]] and table["error"] is None
        _, write = get_json(server_base + "/api/cypher?q=" + urllib.parse.quote("CREATE (:Entity {id: 'x'})"))
        assert write["rows"] == [] and "read-only" in write["error"]
        status, _, page = get(server_base + "/cypher?q=" + urllib.parse.quote("MATCH (n RETURN n"))
        assert status == 200 and 'id="cypher-error"' in page and "rejected" in page


@pytest.mark.neo4j
def test_neo4j_serves_the_same_pages(kg, base, neo4j_db):
    from paperkg.graph.transfer import copy_store
    from paperkg.stores import open_store

    target = open_store("neo4j", uri=neo4j_db.uri, password=neo4j_db.password)
    copy_store(kg.store, target)
    target.close()
    uri = f"bolt://{neo4j_db.user}:{neo4j_db.password}@{neo4j_db.host}:{neo4j_db.port}"
    with paperkg.open(uri) as server_kg, serving(server_kg) as server_base:
        assert_same_pages(kg, base, server_base)
        _, table = get_json(
            server_base + "/api/cypher?q=" + urllib.parse.quote("MATCH (p:Paper) RETURN count(p) AS n")
        )
        assert table["rows"] == [[len(kg.paper_index)]]


# --- in the browser ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    # Chromium's singleton socket directory (/tmp/org.chromium.Chromium.*) goes under pytest's tmp, not /tmp
    chromium_tmp = tmp_path_factory.mktemp("chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"], env={**os.environ, "TMPDIR": str(chromium_tmp)}
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page recording console errors, page errors, dialogs and every request it makes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems, page.requests, page.dialogs = [], [], []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda err: page.problems.append(str(err)))
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def wait_until(page, expression: str, timeout: float = 30.0) -> None:
    """Poll `expression` with page.evaluate (wait_for_function evaluates strings, which the pages' Content
    Security Policy forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        assert time.monotonic() < deadline, f"waited {timeout}s for {expression}"
        time.sleep(0.05)


def _non_background_fraction(png: bytes) -> float:
    import matplotlib.image

    pixels = matplotlib.image.imread(io.BytesIO(png))[..., :3]
    return float((abs(pixels - pixels[2, 2]).sum(axis=-1) > 0.1).mean())


@needs_chromium
def test_search_entity_paper_and_back_in_chromium(base, page):
    page.goto(base + "/")
    page.locator("#q").press_sequentially("gpt4", delay=30)
    page.locator("#suggest a").first.wait_for()
    assert page.locator("#suggest a").first.inner_text().startswith("GPT-4")
    page.locator("#suggest a").first.click()
    page.wait_for_url(f"{base}/entity/model:gpt4")
    assert page.locator("#entity-name").inner_text().startswith("GPT-4")
    assert page.locator("svg.chart rect.bar").count() >= 2

    page.locator("#papers a.paper", has_text="GPT-4 Technical Report").click()
    page.wait_for_url(f"{base}/paper/2303.08774")
    assert page.locator("#paper-title").inner_text() == "GPT-4 Technical Report"
    assert page.locator("#arxiv").get_attribute("href") == "http://arxiv.org/abs/2303.08774v3"  # the feed's
    assert "GPT-4" in page.locator("#abstract a.mark").all_inner_texts()

    page.go_back()
    page.wait_for_url(f"{base}/entity/model:gpt4")
    assert page.locator("#entity-name").inner_text().startswith("GPT-4")
    assert page.problems == [] and page.dialogs == []
    assert all(url.startswith(base + "/") for url in page.requests), page.requests


@needs_chromium
def test_neighbourhood_in_chromium(base, page, tmp_path):
    page.goto(f"{base}/neighbourhood/model:gpt4")
    wait_until(page, "window.explorerReady === true")
    centre = page.evaluate(
        """() => { const p = explorer.cy.$id('model:gpt4').renderedPosition();
                  return [p.x, p.y, explorer.cy.width(), explorer.cy.height()]; }"""
    )
    x, y, width, height = centre
    assert abs(x - width / 2) < 2 and abs(y - height / 2) < 2
    shown = page.evaluate("explorer.cy.nodes().length")
    assert shown == 1 + min(25, len(get_json(f"{base}/api/neighbourhood/model:gpt4")[1]["nodes"]) - 1)
    assert page.evaluate("explorer.cy.nodes().every(n => n.data('kind') === 'entity')")

    box = page.locator("#cy").bounding_box()
    target = page.evaluate(
        """() => { const n = explorer.cy.nodes().filter(n => n.id() !== 'model:gpt4')
                       .sort((a, b) => b.data('papers') - a.data('papers'))[0];
                  const p = n.renderedPosition(); return [n.id(), p.x, p.y]; }"""
    )
    page.mouse.click(box["x"] + target[1], box["y"] + target[2])
    wait_until(page, "explorer.cy.$(':selected').length === 1")
    assert page.evaluate("explorer.cy.$(':selected').id()") == target[0]
    wait_until(page, f"explorer.cy.nodes().length > {shown}")
    assert page.locator("#open-node").get_attribute("href") == f"/entity/{entity_path(target[0])}"

    assert _non_background_fraction(page.locator("#cy").screenshot()) > 0.01
    assert page.problems == [] and page.dialogs == []
    assert all(url.startswith(base + "/") for url in page.requests), page.requests


@needs_chromium
def test_script_in_a_title_stays_text_in_chromium(base, page):
    page.goto(f"{base}/paper/xss-1")
    assert page.locator("#paper-title").inner_text() == XSS_TITLE
    assert page.title() == f"{XSS_TITLE} · paperkg"
    assert "<img src=x onerror=alert(2)>" in page.locator("#abstract").inner_text()
    page.goto(f"{base}/search?q=" + urllib.parse.quote(XSS_TITLE))
    page.goto(f"{base}/entity/model:gpt4")
    assert page.locator("#papers a.paper", has_text=XSS_TITLE).count() == 1
    assert page.dialogs == [] and page.problems == []

"""Issue 15, HTML: a paper titled `<script>alert(1)</script>`, markup in ids, dates and names, and a
`javascript:` url run no script in the pages `paperkg show` and `paperkg viz` write, in real Chromium."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.schema import Entity, EntityType, Evidence, Paper, PaperGraph, Relation, RelationType
from tests.cdp_browser import Browser, find_chromium
from tests.cli_process import paperkg

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("PAPERKG_REQUIRE_BROWSER") != "1",
    reason="no chromium on PATH (Debian: apt-get install chromium) to test pages in a browser",
)

TITLE = "<script>alert(1)</script><img src=x onerror=\"window.pwned='title'\">"
PAPER_ID = "2401.00001<img src=x onerror=window.pwned='id'>"
DATE = "<script>window.pwned='date'</script>"
ABSTRACT_START = "We train <b onmouseover=x>"
NAME = "GPT-4<svg onload=\"window.pwned='name'\"></svg></script><script>window.pwned='json'</script>"
JS_URL = "javascript:window.pwned='url'"
# every script a page could run by mistake sets window.pwned or calls alert, which is replaced to do the same
TRAP = "window.alert = (m) => { window.pwned = 'alert:' + m; };"


def hostile_graph(path: Path) -> Path:
    title_text = TITLE
    abstract = f"{ABSTRACT_START} with {NAME} on MMLU."
    paper = Paper(
        id=PAPER_ID, title=title_text, abstract=abstract, source="hostile.jsonl", date=DATE, url=JS_URL
    )
    start = len(title_text) + 2 + abstract.index(NAME)
    entity = Entity(id="model:gpt4", type=EntityType.MODEL, name=NAME, aliases=("<i>gpt4</i>",))
    mention = Relation(
        source_id=paper.id,
        target_id=entity.id,
        type=RelationType.MENTIONS,
        evidence=(Evidence(sentence=abstract, start=start, end=start + len(NAME)),),
    )
    store = NetworkXStore()
    store.write([PaperGraph(paper=paper, entities=(entity,), relations=(mention,))])
    return store.save(path)


def open_trapped(browser: Browser, page: Path, ready: str = "document.readyState === 'complete'") -> None:
    browser.send("Page.addScriptToEvaluateOnNewDocument", source=TRAP)
    browser.open(page, ready)


@pytest.fixture
def graph_file(tmp_path) -> Path:
    return hostile_graph(tmp_path / "graph.json")


def test_show_escapes_title_id_date_and_names(graph_file, tmp_path):
    page = tmp_path / "paper.html"
    ran = paperkg("show", PAPER_ID, "--out", page, "--graph", graph_file)
    assert ran.code == 0, ran.err
    with Browser(CHROMIUM) as browser:
        open_trapped(browser, page)
        browser.settle()
        assert browser.evaluate("window.pwned === undefined"), browser.evaluate("String(window.pwned)")
        heading = browser.evaluate("document.querySelector('h2').textContent")
        assert TITLE in heading and PAPER_ID in heading and DATE in heading  # shown as text, not markup
        assert browser.evaluate("document.querySelectorAll('script, img, svg, b').length") == 0
        marked = browser.evaluate("Array.from(document.querySelectorAll('mark')).map(m => m.textContent)")
        assert any(NAME in text for text in marked)
        assert browser.remote_requests() == [] and browser.errors() == []


def test_viz_page_keeps_script_in_data_and_drops_javascript_urls(graph_file, tmp_path):
    page = tmp_path / "view.html"
    ran = paperkg("viz", "--entity", "model:gpt4", "--out", page, "--graph", graph_file)
    assert ran.code == 0, ran.err
    html = page.read_text(encoding="utf-8")
    assert JS_URL not in html
    with Browser(CHROMIUM) as browser:
        open_trapped(browser, page, "window.paperkgReady === true")
        names = browser.evaluate("paperkg.cy.nodes().map(n => n.data('name'))")
        assert NAME in names and TITLE in names  # the data came through whole, as text
        urls = browser.evaluate("paperkg.cy.nodes('[type = \"Paper\"]').map(n => n.data('url'))")
        assert urls == [None]
        paper = json.dumps(PAPER_ID)
        x, y = browser.evaluate(
            f"(() => {{ const p = paperkg.cy.$id({paper}).renderedPosition(); return [p.x, p.y]; }})()"
        )
        browser.click(x, y)
        browser.wait_for("document.getElementById('info').textContent.length > 0")
        browser.settle()
        assert browser.evaluate("document.querySelectorAll('#info a').length") == 0
        assert browser.evaluate("window.pwned === undefined"), browser.evaluate("String(window.pwned)")
        assert browser.remote_requests() == []

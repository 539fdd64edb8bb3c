"""A view as one standalone, offline HTML page: template.html with the data, viz.js and Cytoscape.js inlined.

Cytoscape.js (MIT, see vendor/cytoscape.LICENSE) comes from the npm registry, vendored in `vendor/`.
Nothing is fetched when the page is opened.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path

from paperkg.viz.views import RELATION_COLORS, TYPE_COLORS, GraphView

CYTOSCAPE_VERSION = "3.34.4"
_PLACEHOLDER = re.compile(r"\{\{TITLE\}\}|\{\{DATA\}\}|/\*CYTOSCAPE\*/|/\*VIZ_JS\*/")


@cache
def _asset(name: str) -> str:
    return resources.files("paperkg.viz").joinpath(name).read_text(encoding="utf-8")


def _script_safe_json(data: object) -> str:
    """JSON that cannot close its <script> element early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(view: GraphView) -> str:
    """The page for `view`."""
    data = {
        "title": view.title,
        "layout": view.layout,
        "focus": view.focus,
        "nodes": view.nodes,
        "edges": view.edges,
        "typeColors": TYPE_COLORS,
        "relationColors": RELATION_COLORS,
    }
    values = {
        "{{TITLE}}": html.escape(view.title),
        "{{DATA}}": _script_safe_json(data),
        "/*CYTOSCAPE*/": _asset("vendor/cytoscape.min.js"),
        "/*VIZ_JS*/": _asset("viz.js"),
    }
    return _PLACEHOLDER.sub(lambda match: values[match.group()], _asset("template.html"))


def write_html(view: GraphView, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(render_html(view), encoding="utf-8")
    return path

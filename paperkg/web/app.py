"""The explorer as a FastAPI app: HTML pages from Jinja2 templates and the same data as JSON under `/api`.

Read-only by construction: every route is a GET that reads through `Explorer`; Cypher runs in read-only
transactions. Scripts, styles and Cytoscape.js are served by the app itself (`/static`), and the Content
Security Policy lets pages load nothing from anywhere else.
"""

from __future__ import annotations

import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from paperkg import __version__
from paperkg.graph.schema import EntityType
from paperkg.web.charts import month_bars
from paperkg.web.models import CypherTable, EntityPage, Neighbourhood, Overview, PaperPage, SearchResult
from paperkg.web.pages import ENTITY_PAPERS_SHOWN, HUBS_MADE_AHEAD, Explorer, NotFound

HERE = Path(__file__).parent
CYTOSCAPE = HERE.parent / "viz" / "vendor" / "cytoscape.min.js"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
ENTITY_TYPES = [t.value for t in EntityType]


def entity_url(entity_id: str) -> str:
    return "/entity/" + quote(entity_id, safe=":")


def paper_url(paper_id: str) -> str:
    return "/paper/" + quote(paper_id, safe=":/")


def neighbourhood_url(entity_id: str) -> str:
    return "/neighbourhood/" + quote(entity_id, safe=":")


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(
        entity_url=entity_url,
        paper_url=paper_url,
        neighbourhood_url=neighbourhood_url,
        entity_types=ENTITY_TYPES,
        version=__version__,
    )
    return templates


def create_app(kg: Any, *, warm: bool = True, hubs_ahead: int = HUBS_MADE_AHEAD) -> FastAPI:
    """The explorer of `kg` (a `KnowledgeGraph`); `warm` builds its indexes now, not on the first request, and
    makes the pages of the `hubs_ahead` entities with most papers in the background once the server starts."""
    explorer = Explorer(kg)
    if warm:
        explorer.warm()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm and hubs_ahead:
            explorer.warm_hubs(hubs_ahead)
        yield
        explorer.stop()

    templates = _templates()
    app = FastAPI(
        title="paperkg explorer",
        version=__version__,
        description="Read-only JSON API of a paperkg knowledge graph: the data of every explorer page.",
        docs_url=None,  # the interactive docs load their scripts from a CDN; the schema is at /openapi.json
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.explorer = explorer
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def timing_and_policy(request: Request, call_next):
        started = time.perf_counter()
        response = await call_next(request)
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @app.exception_handler(NotFound)
    async def not_found(request: Request, err: NotFound):
        return _error(request, 404, str(err))

    @app.exception_handler(ValueError)
    async def bad_value(request: Request, err: ValueError):
        return _error(request, 400, " ".join(str(err).split()))

    def _error(request: Request, status: int, message: str):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=status)
        return page(request, "error.html", status_code=status, message=message, status=status)

    def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        context |= {"cypher_enabled": explorer.cypher_enabled, "source": kg.source}
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    # --- JSON API ----------------------------------------------------------------------------------
    @app.get("/api/search", response_model=SearchResult, tags=["api"])
    def api_search(
        q: str = "",
        type: str | None = Query(None, description=f"one of {', '.join(ENTITY_TYPES)}"),
        limit: int = Query(10, ge=1, le=100),
    ) -> SearchResult:
        """Entities by name: exact, alias, fuzzy (as `kg.lookup`), then names starting with `q`."""
        return explorer.search(q, type or None, limit)

    @app.get("/api/entity/{entity_id:path}", response_model=EntityPage, tags=["api"])
    def api_entity(entity_id: str) -> EntityPage:
        """An entity: spellings, family, papers per month, papers with evidence, related entities by kind."""
        return explorer.entity(entity_id)

    @app.get("/api/paper/{paper_id:path}", response_model=PaperPage, tags=["api"])
    def api_paper(paper_id: str) -> PaperPage:
        """A paper: title, links, the abstract cut at its entity mentions, its entities and results."""
        return explorer.paper(paper_id)

    @app.get("/api/overview", response_model=Overview, tags=["api"])
    def api_overview(after: str | None = Query(None, description="first seen after (ISO date, as text)")):
        """Counts, the top entities of each type, and the entities first seen after a date."""
        return explorer.overview(after or None)

    @app.get("/api/neighbourhood/{entity_id:path}", response_model=Neighbourhood, tags=["api"])
    def api_neighbourhood(
        entity_id: str,
        limit: int = Query(25, ge=1, le=200),
        papers: int = Query(0, ge=0, le=ENTITY_PAPERS_SHOWN),
    ) -> Neighbourhood:
        """The entity and those sharing most papers with it, one edge per pair weighted by shared papers."""
        return explorer.neighbourhood(entity_id, limit, papers)

    @app.get("/api/cypher", response_model=CypherTable, tags=["api"])
    def api_cypher(q: str = "") -> CypherTable:
        """Read-only Cypher on a Cypher server: columns and rows, or the error."""
        return explorer.cypher(q)

    # --- pages -------------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview_page(request: Request, after: str | None = None):
        return page(request, "overview.html", overview=explorer.overview(after or None))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "", type: str | None = None):
        found = explorer.search(q, type or None, limit=50)
        return page(request, "search.html", result=found)

    @app.get("/entity/{entity_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, entity_id: str):
        data = explorer.entity(entity_id)
        return page(request, "entity.html", data=data, chart=month_bars(data.months))

    @app.get("/paper/{paper_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def paper_page(request: Request, paper_id: str):
        return page(request, "paper.html", data=explorer.paper(paper_id))

    @app.get("/neighbourhood/{entity_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def neighbourhood_page(request: Request, entity_id: str):
        return page(request, "neighbourhood.html", entity=explorer.entity_row(entity_id))

    @app.get("/cypher", response_class=HTMLResponse, include_in_schema=False)
    def cypher_page(request: Request, q: str = ""):
        return page(request, "cypher.html", table=explorer.cypher(q))

    @app.get("/vendor/cytoscape.min.js", include_in_schema=False)
    def cytoscape():
        return FileResponse(CYTOSCAPE, media_type="text/javascript")

    return app

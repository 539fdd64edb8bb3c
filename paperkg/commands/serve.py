"""`paperkg serve`: the explorer in the browser (paperkg.web), on uvicorn, bound to loopback by default."""

from __future__ import annotations

import argparse
import socket

from paperkg.commands import add_command, add_graph_option

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def port_number(text: str) -> int:
    """argparse type: a TCP port, 1 to 65535 (0: any free port)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {value}")
    return value


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port (port 0: any free one); OSError naming the address when it is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port} ({err.strerror or err}); try another --port") from None
    return sock


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from paperkg.queries.api import open as open_graph
    from paperkg.web.app import create_app

    sock = listening_socket(args.host, args.port)
    with sock, open_graph(args.graph) as kg:
        app = create_app(kg)
        port = sock.getsockname()[1]
        shown = f"[{args.host}]" if ":" in args.host else args.host
        print(f"serving {kg.source} at http://{shown}:{port}/ (read-only; Ctrl+C stops)", flush=True)
        uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    serve = add_command(
        sub,
        "serve",
        "explore the graph in a browser (local web app, read-only)",
        details="A local, read-only web app: search with type-ahead, a page per entity (papers per month, "
        "papers with evidence, what it is evaluated on, compared and used with) and per paper (the abstract "
        "with its entities marked, its results), an overview, a neighbourhood graph, and a Cypher console on "
        "Cypher servers. The same data is JSON under /api (schema at /openapi.json). Everything it loads is "
        "served by itself: it works offline. It listens on 127.0.0.1 unless --host says otherwise.",
        examples=[
            "paperkg serve --graph graph.json",
            "paperkg serve --graph falkordb://localhost:6379/paperkg --port 8080",
        ],
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (0.0.0.0: every interface)")
    serve.add_argument("--port", type=port_number, default=DEFAULT_PORT, help="port to listen on")
    add_graph_option(serve)
    serve.set_defaults(run=cmd_serve)

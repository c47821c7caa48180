"""GraphiQL, served by the hub itself in development (production: off): the page at GET /graphql (Accept
text/html) and its bundle under /graphiql.

The bundle (GraphiQL, React, the explorer plugin, Monaco's workers) is built at set-up from pinned npm
packages (infra/graphiql: `npm ci` and `node build.mjs`, run by infra/bootstrap.sh), so the page loads nothing
from outside the hub and works on a network without Internet access. Its Content-Security-Policy holds it to
that.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

# Built by infra/bootstrap.sh; not committed (several MB).
GRAPHIQL_ASSETS = Path(__file__).resolve().parents[2] / "infra" / "graphiql" / "dist"
ASSETS_PATH = "/graphiql"

# Everything from the hub's own origin: scripts, workers, styles (Monaco sets inline styles), fonts, and the
# GraphQL endpoint over HTTP and WebSocket ('self' covers ws: and wss: to the same host).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "worker-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)

_PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Pantau Hub GraphiQL</title>
    <link rel="stylesheet" href="{assets}/graphiql.css">
    <style>body {{ margin: 0; }} #graphiql {{ height: 100dvh; }}</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script type="application/json" id="pantau-graphiql-config">{config}</script>
    <script type="module" src="{assets}/graphiql.js"></script>
  </body>
</html>
"""

_NOT_BUILT = """<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Pantau Hub GraphiQL</title></head>
  <body>
    <h1>GraphiQL is not built on this machine</h1>
    <p>The hub serves GraphiQL from {assets}, which set-up builds from pinned packages:
    run <code>make setup</code> (or <code>bash infra/bootstrap.sh</code>) and reload.</p>
  </body>
</html>
"""


def graphiql_assets() -> StaticFiles:
    """The bundle, mounted at ASSETS_PATH; a missing folder answers 404 rather than stopping the app."""
    return StaticFiles(directory=GRAPHIQL_ASSETS, check_dir=False)


def graphiql_page(request: Request) -> HTMLResponse:
    """The page for GET /graphql; it finds the endpoint and the bundle under the app's root path."""
    root = request.scope.get("root_path", "")
    if not (GRAPHIQL_ASSETS / "graphiql.js").is_file():
        return HTMLResponse(_NOT_BUILT.format(assets=html.escape(str(GRAPHIQL_ASSETS))))
    config = {"endpoint": request.url.path, "assets": f"{root}{ASSETS_PATH}"}
    # `<` escaped: the JSON sits in a <script> element.
    encoded = json.dumps(config).replace("<", "\\u003c")
    page = _PAGE.format(assets=html.escape(config["assets"]), config=encoded)
    return HTMLResponse(page, headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})

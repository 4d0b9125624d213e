"""GraphiQL (with the explorer plugin) served from files shipped in this package, never a CDN.

What the browser gets, all from this server (issue 11 point 1):

- `GET /graphql` with `Accept: text/html` (Strawberry decides when; `core.app` routes it here):
  `page.html`, whose `<script>`/`<link>` tags name `graphiql/static/<digest>/<name>` relative to
  the page (so a proxy that mounts the service under a prefix keeps working), each with
  `integrity="sha384-..."` from `static/manifest.json`, and a Content-Security-Policy that lets the
  page load and connect to this origin only: a file that would come from another host is refused
  by the browser itself.
- `GET /graphiql/static/<digest>/<name>`: a file of `static/` (react, react-dom, graphiql and
  @graphiql/plugin-explorer, pinned by `vendor/package-lock.json` and copied byte for byte by
  `scripts/vendor-graphiql`, which writes the manifest) or `page.js` (ours: starts GraphiQL).
  `<digest>` is the start of the file's SHA-384, so a URL names one content for ever and is
  cached for a year (`immutable`); an update changes the URL. Any other name or digest is 404
  `{"errors": [{"message", "extensions": {"code": "NOT_FOUND"}}]}`.

`core.app` mounts both only when `graphiql` is on and `production` is off.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

HERE = Path(__file__).parent
STATIC = HERE / "static"
MANIFEST = STATIC / "manifest.json"
PAGE_JS = HERE / "page.js"
TEMPLATE = HERE / "page.html"
PREFIX = "/graphiql/static"
"""Where the files are served (absolute path); the page names them relative to itself."""
CACHE_FOREVER = "public, max-age=31536000, immutable"
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
# The page loads and connects to its own origin only. 'unsafe-inline' styles: React sets style
# attributes and GraphiQL injects <style> elements; scripts stay 'self' (no inline, no eval).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)


@dataclass(frozen=True)
class Asset:
    """One file the page loads: `name` (e.g. "graphiql.min.js"), its bytes' SHA-384 (base64)."""

    name: str
    path: Path
    sha384: str

    @property
    def digest(self) -> str:
        """16 hex digits of the SHA-384: the URL segment that changes with the content."""
        return base64.b64decode(self.sha384)[:8].hex()

    @property
    def integrity(self) -> str:
        """The value of the tag's `integrity` attribute (Subresource Integrity)."""
        return f"sha384-{self.sha384}"

    @property
    def href(self) -> str:
        """The URL the page names it by, relative to the page (served at PREFIX/...)."""
        return f"{PREFIX.lstrip('/')}/{self.digest}/{self.name}"


def sha384(data: bytes) -> str:
    """Base64 SHA-384 of `data`, as Subresource Integrity and the manifest write it."""
    return base64.b64encode(hashlib.sha384(data).digest()).decode()


def manifest() -> list[dict[str, str]]:
    """The vendored files, as `scripts/vendor-graphiql` wrote them: each a dict with `name`,
    `package`, `version`, `license`, `source` (the file inside the npm package) and `sha384`."""
    files: list[dict[str, str]] = json.loads(MANIFEST.read_text())["files"]
    return files


@dataclass(frozen=True)
class Bundle:
    """The page's HTML and the files it names, by name."""

    html: str
    assets: dict[str, Asset]


@cache
def bundle() -> Bundle:
    """Read once per process: the manifest, our `page.js` (hashed here, since we edit it by
    hand) and the page rendered from `page.html`. Raises OSError/KeyError if a file is missing
    (the package data was not installed), ValueError if a file is not the one the manifest
    pins (a browser would refuse it silently: its `integrity` would not match)."""
    assets = {
        entry["name"]: Asset(entry["name"], STATIC / entry["name"], entry["sha384"])
        for entry in manifest()
    }
    for asset in assets.values():  # ~1.5 MB hashed once per process: a few milliseconds
        if sha384(asset.path.read_bytes()) != asset.sha384:
            raise ValueError(f"{asset.name} does not match manifest.json")
    page_js = Asset("page.js", PAGE_JS, sha384(PAGE_JS.read_bytes()))
    styles = [a for a in assets.values() if a.name.endswith(".css")]
    scripts = [a for a in assets.values() if a.name.endswith(".js")] + [page_js]
    assets[page_js.name] = page_js
    html = Template(TEMPLATE.read_text()).substitute(
        styles="\n".join(
            f'    <link rel="stylesheet" href="{a.href}" integrity="{a.integrity}" />'
            for a in styles
        ),
        # In manifest order: react, react-dom, graphiql, the explorer (each uses the ones
        # before it as globals), then page.js.
        scripts="\n".join(
            f'    <script src="{a.href}" integrity="{a.integrity}"></script>' for a in scripts
        ),
    )
    return Bundle(html, assets)


def graphiql_page() -> Response:
    """The GraphiQL page (200 text/html) with its Content-Security-Policy; revalidated on each
    visit, so that after an upgrade it names the new files."""
    return HTMLResponse(
        bundle().html,
        headers={
            "cache-control": "no-cache",
            "content-security-policy": CONTENT_SECURITY_POLICY,
            "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer",
        },
    )


async def serve_asset(request: Request) -> Response:
    """GET PREFIX/<digest>/<name>: the file, cached for a year; 404 NOT_FOUND otherwise."""
    asset = bundle().assets.get(request.path_params["name"])
    if asset is None or request.path_params["digest"] != asset.digest:
        error = {"message": "Not Found", "extensions": {"code": "NOT_FOUND"}}
        return JSONResponse({"errors": [error]}, status_code=404)
    return FileResponse(
        asset.path,
        media_type=MEDIA_TYPES[asset.path.suffix],
        headers={"cache-control": CACHE_FOREVER, "x-content-type-options": "nosniff"},
    )


def graphiql_routes() -> list[Route]:
    """The routes of the files the page loads (GET and HEAD). Reads the files' manifest and the
    page now, so that an installation without them stops start-up (RuntimeError naming the fix)
    instead of serving a page that cannot load."""
    try:
        bundle()
    except (OSError, KeyError, ValueError) as exc:
        raise RuntimeError(
            f"GraphiQL's files are missing or damaged in {HERE} ({exc}): reinstall "
            "ogp-working-groups, or set graphiql = false"
        ) from exc
    return [Route(PREFIX + "/{digest}/{name}", serve_asset, methods=["GET", "HEAD"])]
